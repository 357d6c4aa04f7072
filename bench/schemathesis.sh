#!/usr/bin/env bash
# Property-based API testing: schemathesis (PyPI, in a venv under .build) against a live server's
# /openapi.yaml on loopback, with a bearer token so the write operations are exercised too.
#   bash bench/schemathesis.sh [EXAMPLES] [SEED]
# Prints schemathesis's summary: server errors (5xx), response schema violations and the
# conformance checks (docs/security.md lists the known remaining ones and why).
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-100}; seed=${2:-4}
venv=.build/st-venv
[ -x "$venv/bin/st" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis; }
swift build -c release --product caravan >/dev/null 2>&1
port=18941
db=$(mktemp -d)/st.sqlite
.build/release/caravan serve --port $port --token st-token --db "$db" >/dev/null 2>&1 & srv=$!
trap 'kill $srv 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s "localhost:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
set +e
"$venv/bin/st" run "http://localhost:$port/openapi.yaml" --checks all --max-examples "$examples" --workers 1 --seed "$seed" \
  -H "Authorization: Bearer st-token" 2>&1 | tail -25
exit 0
