#!/usr/bin/env bash
# Equilibrium assignment: Caravan (Algorithm B) against AequilibraE (bfw) on the TNTP
# networks with trip tables, same machine, same run. Cost = BPR travel time for both.
#   bash bench/assignment.sh            (NETWORKS="SiouxFalls Anaheim ..." SECONDS_BUDGET=60)
# Per network: time to relative gaps 1e-4 and 1e-6, the lowest gap in about 60 s, and
# every gap re-checked from the raw files by bench/tntp_gap.py (independent of both tools).
# Ends with one line per network: ratio NETWORK X (AequilibraE time / Caravan time to 1e-4).
set -euo pipefail
cd "$(dirname "$0")/.."
TNTP=${TNTP:-../shared/data/tntp}
NETWORKS=${NETWORKS:-"SiouxFalls Anaheim Barcelona Chicago-Sketch Berlin-Center"}
BUDGET=${SECONDS_BUDGET:-60}
VENV=.venv-aeq
if [ ! -x "$VENV/bin/python" ]; then
  apt-get install -y -qq libsqlite3-mod-spatialite python3-venv >/dev/null 2>&1 || true
  /usr/bin/python3 -m venv "$VENV" && "$VENV/bin/pip" install -q aequilibrae
fi
swift build -c release --product caravan >/dev/null 2>&1
tmp=$(mktemp -d)
declare -A RATIO
check() { "$VENV/bin/python" bench/tntp_gap.py "$netf" "$trips" "$1" 2>/dev/null || echo nan; }
for net in $NETWORKS; do
  dir="$TNTP/$net"; netf=$(ls "$dir"/*_net.tntp); trips=$(ls "$dir"/*_trips.tntp)
  rate=""
  for gap in 1e-4 1e-6 lowest; do
    target=$gap; secs=$((BUDGET * 3)); maxit=""
    if [ "$gap" = lowest ]; then target=1e-15; secs=$BUDGET; maxit=$rate; fi
    .build/release/caravan assign --data "$dir" --gap "$target" --max-seconds "$secs" --max-iterations 100000 --quiet --format json > "$tmp/c.json"
    c=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.4f %.3e %d" % (d["seconds"], d["relativeGap"], d["iterations"])); open(sys.argv[2],"w").write("\n".join(str(l["flow"]) for l in d["links"]))' "$tmp/c.json" "$tmp/c.flows")
    a=$(timeout $((secs * 3)) "$VENV/bin/python" bench/peer_aequilibrae.py "$netf" "$trips" "$target" ${maxit:-100000} "$tmp/a.flows" 2>/dev/null | tail -1 \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.4f %.3e %d" % (d["seconds"], d["rgap"], d["iterations"]))' || echo "nan nan 0")
    read -r cs cg ci <<<"$c"; read -r as ag ai <<<"$a"
    cchk=$(check "$tmp/c.flows"); achk=nan; [ "$as" != nan ] && achk=$(check "$tmp/a.flows")
    printf "%-15s %-7s | caravan %8.3f s gap %s (checked %s), %d it | aequilibrae %8.3f s gap %s (checked %s), %d it\n" \
      "$net" "$gap" "$cs" "$cg" "$cchk" "$ci" "$as" "$ag" "$achk" "$ai"
    if [ "$gap" = "1e-4" ]; then RATIO[$net]=$(python3 -c "print('%.1f' % ($as / max($cs, 1e-4)) if '$as' != 'nan' else 'nan')"); fi
    # AequilibraE has no time limit: its 'lowest' run gets the iterations it did per second at 1e-6, times the budget.
    if [ "$gap" = "1e-6" ]; then rate=$(python3 -c "print(max(1, int($BUDGET * $ai / max($as, 1e-3))) if '$as' != 'nan' else 1000)"); fi
  done
done
rm -rf "$tmp"
for net in $NETWORKS; do echo "ratio $net ${RATIO[$net]}"; done
