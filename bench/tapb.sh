#!/usr/bin/env bash
# Caravan's Algorithm B against TAP-B (spartalab/tap-b, C, MIT; Dial's Algorithm B), same
# TNTP files, run one after the other per network. Times come from each solver's own
# iteration log (solve time, loading excluded); Chicago-Sketch uses toll factor 0.02 and
# distance factor 0.04 for both, as TAP-B's own copy of the network does.
#
# TAP-B is not part of Caravan (none of its code is committed). To build it here:
#   fetch github:spartalab/tap-b  (or git clone); from the checkout, src/, include/ and the
#   Makefile are enough: `make release` writes bin/tap (about 3 s).
# Then:  TAPB=/path/to/bin/tap bash bench/tapb.sh   (NETWORKS="SiouxFalls ..." SECONDS_BUDGET=60 REPEATS=3)
# Each solver runs REPEATS times per network (one after the other); each figure is the best of them.
# Prints per network the time each takes to relative gaps 1e-4 and 1e-6 and the lowest gap
# within the budget, then `ratio NETWORK X` = TAP-B time / Caravan time to 1e-6 (> 1: Caravan faster).
# The two logs count differently: TAP-B's iteration times leave out its initial bushes (printed
# apart, "Initialization done in X s") and its gap computations; Caravan's `seconds` include both.
# So each line shows the times as logged and, aligned, both with the initial bushes and without
# the convergence checks (TAP-B: log time + initialization; Caravan: `solveSeconds`). `ratio` uses
# the aligned times, `logged-ratio` the logged ones.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TAPB:?set TAPB to a built TAP-B binary (see the header of this script)}"
TNTP=$(cd "${TNTP:-../shared/data/tntp}" && pwd)
NETWORKS=${NETWORKS:-"SiouxFalls Anaheim Barcelona Chicago-Sketch Berlin-Center"}
BUDGET=${SECONDS_BUDGET:-60}
REPEATS=${REPEATS:-3}
swift build -c release --product caravan >/dev/null 2>&1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
declare -A RATIO LOGGED RATIO4
# stdin: lines "run gap seconds"; prints time to 1e-4, time to 1e-6 and the lowest gap, each the best over the runs
summarise() { python3 -c '
import sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
runs = sorted(set(r for r, g, s in rows))
def first(t):
    times = [next((s for r2, g, s in rows if r2 == r and g <= t), None) for r in runs]
    times = [x for x in times if x is not None]
    return "%.3f" % min(times) if times else "-"
print(first(1e-4), first(1e-6), "%.1e" % min(g for r, g, s in rows) if rows else "-")'; }
# TAP-B time / Caravan time, or nan when either never reached the gap ("-")
ratio() { python3 -c "import sys; a, b = sys.argv[1:]; print('%.2f' % (float(a) / float(b)) if '-' not in (a, b) else 'nan')" "$1" "$2"; }
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
  : > "$tmp/tapb.rows"; : > "$tmp/tapb.aligned"; : > "$tmp/caravan.rows"; : > "$tmp/caravan.aligned"; inits=""
  for run in $(seq "$REPEATS"); do
    (cd "$tmp" && timeout $((BUDGET * 3)) "$TAPB" "$tmp/params.txt" > "$tmp/tapb.log" 2>&1)
    init=$(sed -n 's/^Initialization done in \([0-9.]*\) s.*/\1/p' "$tmp/tapb.log" | head -1); init=${init:-0}; inits="$inits $init"
    sed -n 's/^Iteration [0-9]*: gap \([^,]*\),.* time \([^,]*\),.*/\1 \2/p' "$tmp/tapb.log" | awk -v r="$run" '{ print r, $1, $2 }' > "$tmp/run.rows"
    cat "$tmp/run.rows" >> "$tmp/tapb.rows"
    awk -v i="$init" '{ print $1, $2, $3 + i }' "$tmp/run.rows" >> "$tmp/tapb.aligned"
    .build/release/caravan assign --data "$dir" "${extra[@]}" --gap 1e-15 --max-seconds "$BUDGET" --max-iterations 1000000 --quiet --format json > "$tmp/caravan.json"
    python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))["convergence"]
with open(sys.argv[3], "a") as logged, open(sys.argv[4], "a") as aligned:
    for r in rows:
        print(sys.argv[2], r["relativeGap"], r["seconds"], file=logged)
        print(sys.argv[2], r["relativeGap"], r["solveSeconds"], file=aligned)' "$tmp/caravan.json" "$run" "$tmp/caravan.rows" "$tmp/caravan.aligned"
  done
  t=$(summarise < "$tmp/tapb.rows"); ta=$(summarise < "$tmp/tapb.aligned")
  c=$(summarise < "$tmp/caravan.rows"); ca=$(summarise < "$tmp/caravan.aligned")
  read -r t4 t6 tl <<<"$t"; read -r c4 c6 cl <<<"$c"; read -r ta4 ta6 _ <<<"$ta"; read -r ca4 ca6 _ <<<"$ca"
  printf "%-15s logged:  to 1e-4: TAP-B %8s s  Caravan %8s s | to 1e-6: TAP-B %8s s  Caravan %8s s | lowest gap in %s s: TAP-B %s  Caravan %s\n" \
    "$net" "$t4" "$c4" "$t6" "$c6" "$BUDGET" "$tl" "$cl"
  printf "%-15s aligned: to 1e-4: TAP-B %8s s  Caravan %8s s | to 1e-6: TAP-B %8s s  Caravan %8s s | (TAP-B initialization %s s)\n" \
    "$net" "$ta4" "$ca4" "$ta6" "$ca6" "${inits# }"
  RATIO[$net]=$(ratio "$ta6" "$ca6"); LOGGED[$net]=$(ratio "$t6" "$c6"); RATIO4[$net]=$(ratio "$ta4" "$ca4")
done
for net in $NETWORKS; do echo "ratio $net ${RATIO[$net]}   (to 1e-4: ${RATIO4[$net]}; logged-ratio ${LOGGED[$net]})"; done
