#!/usr/bin/env bash
# Bounded load test on loopback (issue: hardening). Starts `caravan serve` (no token: anonymous
# clients only), then for SECONDS (default 30) four clients push the heaviest requests an anonymous
# client may send while a probe measures GET /health every 50 ms:
#   2 x GET /v1/reliability with samples=50000 (the synchronous maximum) and 8 scenarios,
#   1 x POST /v1/jobs/reliability with samples=2000000 (the job maximum; 429 once the quota is used),
#   1 x GET /v1/compare with percentiles between two cities (gazetteer + first/last mile).
# Prints the /health p50/p99/max and the status codes each client got.
#   bash bench/load.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
swift build -c release --product caravan >/dev/null 2>&1
port=18951
db=$(mktemp -d)/load.sqlite
.build/release/caravan serve --port $port --db "$db" --log-level error >/dev/null 2>&1 & srv=$!
trap 'kill $srv 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s "localhost:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$port" "$seconds" <<'PY'
import collections, http.client, json, sys, threading, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
stop = time.time() + seconds
codes = collections.defaultdict(collections.Counter)
sc = "&".join("scenario=" + s for s in ["caspian-storm", "red-sea-closure", "btk-upgrade", "zangezur-open", "northern-route-closed", "middle-corridor-2030", "caspian-storm", "btk-upgrade"])
def client(name, method, path, body=None):
    while time.time() < stop:
        c = http.client.HTTPConnection("localhost", port, timeout=120)
        try:
            c.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
            r = c.getresponse(); r.read(); codes[name][r.status] += 1
        except Exception as e:
            codes[name][type(e).__name__] += 1
        finally:
            c.close()
lat = []
def probe():
    c = http.client.HTTPConnection("localhost", port, timeout=30)
    while time.time() < stop:
        a = time.perf_counter()
        try:
            c.request("GET", "/health"); c.getresponse().read(); lat.append((time.perf_counter() - a) * 1000)
        except Exception:
            lat.append(30000.0); c = http.client.HTTPConnection("localhost", port, timeout=30)
        time.sleep(0.05)
threads = [
    threading.Thread(target=client, args=("reliability-50k-a", "GET", "/v1/reliability?from=xian&to=duisburg&samples=50000&date=2024-06-01&" + sc)),
    threading.Thread(target=client, args=("reliability-50k-b", "GET", "/v1/reliability?from=chengdu&to=halkali&samples=50000&date=2025-06-01&" + sc)),
    threading.Thread(target=client, args=("job-reliability-2M", "POST", "/v1/jobs/reliability", json.dumps({"from": "xian", "to": "duisburg", "samples": 2000000}))),
    threading.Thread(target=client, args=("compare-cities", "GET", "/v1/compare?from=Milan&to=Tashkent&percentiles=true")),
    threading.Thread(target=probe),
]
for t in threads: t.start()
for t in threads: t.join()
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))]
print("GET /health under load: %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (len(lat), q(0.5), q(0.99), lat[-1]))
for k in sorted(codes): print("  %-20s %s" % (k, dict(codes[k])))
PY
