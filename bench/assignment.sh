#!/usr/bin/env bash
# Equilibrium assignment: Caravan (Algorithm B) against AequilibraE (bfw) on the TNTP
# networks with trip tables, same machine, same run. Cost = BPR travel time for both.
#   bash bench/assignment.sh            (GAPS="1e-4 1e-6" NETWORKS="SiouxFalls Anaheim ...")
# Ends with one line per network: ratio NETWORK X (AequilibraE time / Caravan time to 1e-4).
set -euo pipefail
cd "$(dirname "$0")/.."
TNTP=${TNTP:-../shared/data/tntp}
NETWORKS=${NETWORKS:-"SiouxFalls Anaheim Barcelona Chicago-Sketch"}
VENV=.venv-aeq
if [ ! -x "$VENV/bin/python" ]; then
  apt-get install -y -qq libsqlite3-mod-spatialite python3-venv >/dev/null 2>&1 || true
  /usr/bin/python3 -m venv "$VENV" && "$VENV/bin/pip" install -q aequilibrae
fi
swift build -c release --product caravan >/dev/null
declare -A RATIO
for net in $NETWORKS; do
  dir="$TNTP/$net"; netf=$(ls "$dir"/*_net.tntp); trips=$(ls "$dir"/*_trips.tntp)
  for gap in 1e-4 1e-6; do
    c=$(.build/release/caravan assign --data "$dir" --gap "$gap" --max-seconds 60 --quiet --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.4f %.3e %d" % (d["seconds"], d["relativeGap"], d["iterations"]))')
    a=$(timeout 120 "$VENV/bin/python" bench/peer_aequilibrae.py "$netf" "$trips" "$gap" 2>/dev/null | tail -1 | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.4f %.3e %d" % (d["seconds"], d["rgap"], d["iterations"]))' || echo "nan nan 0")
    read -r cs cg ci <<<"$c"; read -r as ag ai <<<"$a"
    printf "%-15s gap %s | caravan %8.3f s (%s, %d it) | aequilibrae %8.3f s (%s, %d it)\n" "$net" "$gap" "$cs" "$cg" "$ci" "$as" "$ag" "$ai"
    if [ "$gap" = "1e-4" ]; then RATIO[$net]=$(python3 -c "print('%.1f' % ($as / max($cs, 1e-4)))"); fi
  done
done
for net in $NETWORKS; do echo "ratio $net ${RATIO[$net]}"; done
