#!/usr/bin/env bash
# Batch routing and gazetteer lookup, release build.
#   bash bench/batch.sh [ROWS]
# Writes a pairs file of ROWS rows (default 10,000) drawn with a fixed seed from network places
# and gazetteer cities, times `caravan route --pairs` on it, and times a single route between two
# network places against one between two cities (the gazetteer lookup and first/last-mile legs).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000}
swift build -c release --product caravan >/dev/null
bin=.build/release/caravan
tmp=$(mktemp -d)
python3 - "$rows" "$tmp/pairs.csv" <<'PY'
import csv, random, sys
rows, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
places = []
for f in ["data/eurasia/places-east.csv", "data/eurasia/places-west.csv"]:
    places += [r["id"] for r in csv.DictReader(l for l in open(f, encoding="utf-8") if not l.startswith("#"))]
cities = [l.split("\t")[1] + ", " + l.split("\t")[2] for l in open("data/gazetteer/cities.tsv", encoding="utf-8") if not l.startswith("#")][:3000]
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["origin", "destination"])
    for _ in range(rows):
        pick = lambda: rng.choice(cities) if rng.random() < 0.3 else rng.choice(places)
        w.writerow([pick(), pick()])
PY
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
set +e; "$bin" route --pairs "$tmp/pairs.csv" --as-of 2025-06-01 > "$tmp/out.csv" 2> "$tmp/err.txt"; status=$?; set -e
end=$(date +%s.%N)
ok=$(grep -c ",ok," "$tmp/out.csv" || true)
echo "pairs $rows: $(echo "$end - $start" | bc) s, $ok routed, exit $status, $(wc -l < "$tmp/err.txt") rows reported on stderr"
time_runs() { local best=999; for i in 1 2 3 4 5; do s=$(date +%s.%N); "$bin" "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); t=$(echo "$e - $s" | bc); best=$(echo "if ($t < $best) $t else $best" | bc); done; echo "$best"; }
a=$(time_runs route xian duisburg --as-of 2025-06-01 --alternatives 0)
b=$(time_runs route Milan Tashkent --as-of 2025-06-01 --alternatives 0)
c=$(time_runs route "Tripoli, LY" Samarkand --as-of 2025-06-01 --alternatives 0)
echo "route between network places: best of 5 $a s; Milan to Tashkent (gazetteer, on/pre-carriage): $b s; Tripoli, LY to Samarkand: $c s"
rm -rf "$tmp"
