#!/usr/bin/env bash
# Caravan's Algorithm B against TAP-B (spartalab/tap-b, C, MIT; Dial's Algorithm B), same
# TNTP files, run one after the other per network. Times come from each solver's own
# iteration log (solve time, loading excluded); Chicago-Sketch uses toll factor 0.02 and
# distance factor 0.04 for both, as TAP-B's own copy of the network does.
#
# TAP-B is not part of Caravan (none of its code is committed). To build it here:
#   fetch github:spartalab/tap-b  (or git clone); from the checkout, src/, include/ and the
#   Makefile are enough: `make release` writes bin/tap (about 3 s).
# Then:  TAPB=/path/to/bin/tap bash bench/tapb.sh   (NETWORKS="SiouxFalls ..." SECONDS_BUDGET=60)
# Prints per network the time each takes to relative gaps 1e-4 and 1e-6 and the lowest gap
# within the budget, then `ratio NETWORK X` = TAP-B time / Caravan time to 1e-6 (> 1: Caravan faster).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TAPB:?set TAPB to a built TAP-B binary (see the header of this script)}"
TNTP=$(cd "${TNTP:-../shared/data/tntp}" && pwd)
NETWORKS=${NETWORKS:-"SiouxFalls Anaheim Barcelona Chicago-Sketch Berlin-Center"}
BUDGET=${SECONDS_BUDGET:-60}
swift build -c release --product caravan >/dev/null 2>&1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
declare -A RATIO
# stdin: lines "gap seconds"; prints time to 1e-4, time to 1e-6, lowest gap
summarise() { python3 -c '
import sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
def first(t): return next(("%.3f" % s for g, s in rows if g <= t), "-")
print(first(1e-4), first(1e-6), "%.1e" % min(g for g, s in rows) if rows else "-")'; }
for net in $NETWORKS; do
  dir="$TNTP/$net"; netf=$(basename "$(ls "$dir"/*_net.tntp)"); trips=$(basename "$(ls "$dir"/*_trips.tntp)")
  extra=(); tdir="$dir/"
  if [ "$net" = Chicago-Sketch ]; then
    extra=(--toll-factor 0.02 --distance-factor 0.04)
    mkdir -p "$tmp/cs"; cp "$dir/$trips" "$tmp/cs/"
    sed 's/<END OF METADATA>/<TOLL FACTOR> 0.02\n<DISTANCE FACTOR> 0.04\n<END OF METADATA>/' "$dir/$netf" > "$tmp/cs/$netf"
    tdir="$tmp/cs/"
  fi
  printf '<NETWORK FILE> %s\n<TRIPS FILE> %s\n<FILE PATH> %s\n<CONVERGENCE GAP> 1e-14\n<MAX RUN TIME> %s\n<NUMBER OF THREADS> 2\n' \
    "$netf" "$trips" "$tdir" "$BUDGET" > "$tmp/params.txt"
  # TAP-B writes flows.txt and full_log.txt into its working directory: run it in the scratch one.
  t=$(cd "$tmp" && timeout $((BUDGET * 3)) "$TAPB" "$tmp/params.txt" 2>&1 | sed -n 's/^Iteration [0-9]*: gap \([^,]*\),.* time \([^,]*\),.*/\1 \2/p' | summarise)
  c=$(.build/release/caravan assign --data "$dir" "${extra[@]}" --gap 1e-15 --max-seconds "$BUDGET" --max-iterations 1000000 --quiet --format json \
      | python3 -c 'import json,sys; [print(r["relativeGap"], r["seconds"]) for r in json.load(sys.stdin)["convergence"]]' | summarise)
  read -r t4 t6 tl <<<"$t"; read -r c4 c6 cl <<<"$c"
  printf "%-15s to 1e-4: TAP-B %8s s  Caravan %8s s | to 1e-6: TAP-B %8s s  Caravan %8s s | lowest gap in %s s: TAP-B %s  Caravan %s\n" \
    "$net" "$t4" "$c4" "$t6" "$c6" "$BUDGET" "$tl" "$cl"
  RATIO[$net]=$(python3 -c "print('%.2f' % (float('$t6') / float('$c6')) if '-' not in ('$t6', '$c6') else 'nan')")
done
for net in $NETWORKS; do echo "ratio $net ${RATIO[$net]}"; done
