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
python3 - "$bin" <<'PY'
import statistics, subprocess, sys, time
def run_ms(args):
    a = time.perf_counter(); subprocess.run([sys.argv[1]] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); return (time.perf_counter() - a) * 1000
q = ["--as-of", "2025-06-01", "--alternatives", "0"]
runs = {"net": [], "city": [], "trip": []}
for _ in range(31):   # interleaved, so drifts in machine load hit all three alike
    runs["net"].append(run_ms(["route", "duisburg", "tashkent"] + q))
    runs["city"].append(run_ms(["route", "Milan", "Tashkent"] + q))
    runs["trip"].append(run_ms(["route", "Tripoli, LY", "Samarkand"] + q))
net, city, trip = (statistics.median(runs[k]) for k in ("net", "city", "trip"))
print("median of 31 interleaved: route Duisburg-Tashkent %.1f ms; Milan-Tashkent (gazetteer + pre-carriage) %.1f ms, +%.1f ms; Tripoli, LY-Samarkand %.1f ms" % (net, city, city - net, trip))
PY
rm -rf "$tmp"
# GET /v1/places?q= latency (search-as-you-type prefixes), keep-alive over loopback: an upper bound of the in-process time.
port=18931
"$bin" serve --port $port >/dev/null 2>&1 & srv=$!
trap 'kill $srv 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s "localhost:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
python3 - $port <<'PY'
import http.client, sys, time
c = http.client.HTTPConnection("localhost", int(sys.argv[1]))
qs = ["m", "mi", "mil", "mila", "milan", "tash", "almaty", "ist", "b", "ba", "bak", "xi", "duis", "samar", "tbil", "khor", "pa", "pari", "paris", "mun"]
lat = []
for i in range(4000):
    a = time.perf_counter(); c.request("GET", "/v1/places?q=" + qs[i % len(qs)]); c.getresponse().read(); lat.append((time.perf_counter() - a) * 1000)
lat.sort()
print("GET /v1/places?q=: %d requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms (loopback HTTP)" % (len(lat), lat[len(lat) // 2], lat[int(len(lat) * 0.99)], lat[-1]))
PY
