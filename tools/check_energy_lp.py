#!/usr/bin/env python3
"""Solves Caravan's energy linear programs with HiGHS (scipy.optimize.linprog) and
compares the optimum with Caravan's own simplex.

Input: a JSON file {"problems": [{name, c, A_eq, b_eq, A_ub, b_ub, caravan: {status, objective, x}}]}
as written by `caravan energy flows --format lp` (or the tests). Prints one line per problem and
exits 1 when a status differs or an objective differs by more than 1e-7 relative (1e-9 absolute)."""
import json
import sys

from scipy.optimize import linprog


def main(path):
    problems = json.load(open(path))["problems"]
    bad = 0
    for p in problems:
        kw = {}
        if p["A_eq"]:
            kw["A_eq"], kw["b_eq"] = p["A_eq"], p["b_eq"]
        if p["A_ub"]:
            kw["A_ub"], kw["b_ub"] = p["A_ub"], p["b_ub"]
        res = linprog(p["c"], bounds=[(0, None)] * len(p["c"]), method="highs", **kw)
        status = {0: "optimal", 2: "infeasible", 3: "unbounded"}.get(res.status, "other")
        mine = p["caravan"]
        ok = status == mine["status"]
        diff = 0.0
        if ok and status == "optimal":
            diff = abs(res.fun - mine["objective"])
            ok = diff <= 1e-7 * max(1.0, abs(res.fun)) + 1e-9
        bad += not ok
        print(f"{p['name']}: HiGHS {status} {res.fun if status == 'optimal' else ''} | Caravan {mine['status']} "
              f"{mine['objective'] if mine['status'] == 'optimal' else ''} | diff {diff:.3e} {'ok' if ok else 'MISMATCH'}")
    print(f"{len(problems) - bad} of {len(problems)} agree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
