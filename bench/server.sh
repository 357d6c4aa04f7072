#!/usr/bin/env bash
# Load test of `caravan serve` with wrk on loopback (2 cores shared by server and wrk).
# Prints requests/s and latency percentiles for route and compare requests; compare with
# percentiles is measured repeated (served from the response cache after the first) and cold
# (every request a distinct query: the cargo quantity counts up, so the cache never hits).
# Usage: bash bench/server.sh [seconds=10] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}; conns=${2:-32}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
swift build -c release --product caravan >/dev/null 2>&1
port=$((20000 + RANDOM % 20000))
db=$(mktemp -d)/bench.sqlite
.build/release/caravan serve --port "$port" --db "$db" --log-level error &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
run() {
  local name=$1 path=$2
  curl -sf "http://127.0.0.1:$port$path" >/dev/null   # warm the compiled-network cache
  local out; out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port$path")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  echo "$name: $rps requests/s, p50 $p50, p99 $p99 ($conns connections, ${secs} s)"
}
cold_script() {
  local f; f=$(mktemp --suffix .lua)
  printf 'local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format("GET", "%s&quantity=" .. (1 + n %% 100000) / 10)\nend\n' "$1" > "$f"
  echo "$f"
}
run_cold() {
  local out; out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$(cold_script "$2")" "http://127.0.0.1:$port")
  echo "$1: $(echo "$out" | awk '/Requests\/sec/ {print $2}') requests/s, p50 $(echo "$out" | awk '$1=="50%" {print $2}'), p99 $(echo "$out" | awk '$1=="99%" {print $2}') ($conns connections, ${secs} s)"
}
run route "/v1/route?from=xian&to=duisburg&date=2024-06-01"
run route-other-pair "/v1/route?from=chengdu&to=budapest&date=2024-06-01"
run compare "/v1/compare?from=xian&to=duisburg&date=2024-06-01&percentiles=false"
run compare-with-p50-p90 "/v1/compare?from=xian&to=duisburg&date=2024-06-01"
run_cold route-cold "/v1/route?from=xian&to=duisburg&date=2024-06-01"
run_cold compare-with-p50-p90-cold "/v1/compare?from=xian&to=duisburg&date=2024-06-01"
