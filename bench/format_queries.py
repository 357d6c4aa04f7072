#!/usr/bin/env python3
"""Formats caravan-bench's `queries` JSON (stdin) as a short table."""
import json
import sys

d = json.load(sys.stdin)
print("%d places -> %d states, %d edges; snapshot+compile %.2f ms; %d/%d pairs routed"
      % (d["places"], d["states"], d["edges"], d["snapshot_compile_ms"], d["routed"], d["pairs"]))
for k in ["point_to_point_search", "point_to_point_route", "one_to_all", "compare_all_corridors", "pareto"]:
    s = d[k]
    print("  %-24s p50 %8.1f us   p99 %8.1f us" % (k, s["p50_us"], s["p99_us"]))
