#!/usr/bin/env bash
# libFuzzer passes over the parsers: the dataset loader (CSV), the scenario reader (YAML), the
# TNTP readers and the server's request decoding (query strings and JSON bodies). Builds CaravanModel, CaravanFormats and CaravanEngine with coverage instrumentation
# (swiftc -sanitize=fuzzer), links each harness in fuzz/*Fuzz.swift, and runs it on a seed corpus
# from the bundled data.
#   bash fuzz/run.sh [RUNS]    # RUNS inputs per harness (default 1,000,000); FUZZ_SECONDS caps each run
#   FUZZ_CONFIG=debug links Yams from the debug build (what `swift test` leaves; .ci/run uses it)
#   FUZZ_HARNESSES="dataset tntp" runs only those (default: all)
# Prints, per harness, the inputs run, the crashes/timeouts found (libFuzzer stops at the first and
# writes it to .build/fuzz/<harness>/crash-*), and the time. Exit 1 when any harness found one.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
seconds=${FUZZ_SECONDS:-0}
out=.build/fuzz
mkdir -p "$out"
config=${FUZZ_CONFIG:-release}
swift build -c "$config" --product caravan >/dev/null 2>&1   # Yams (and its C part) for the scenario reader
yams=(.build/$config/Yams.build/*.o .build/$config/CYaml.build/src/*.o)
cmap=(-Xcc -I.build/checkouts/Yams/Sources/CYaml/include -Xcc -fmodule-map-file=.build/checkouts/Yams/Sources/CYaml/include/module.modulemap)
mods=$out/modules-$config
mkdir -p "$mods"
flags=(-parse-as-library -O -wmo -sanitize=fuzzer -enable-testing -I "$mods" -I ".build/$config/Modules" "${cmap[@]}")
if [ ! -f "$mods/stamp" ] || [ -n "$(find Sources/CaravanModel Sources/CaravanFormats Sources/CaravanEngine -newer "$mods/stamp" -name '*.swift' | head -1)" ]; then
  for m in CaravanModel CaravanFormats CaravanEngine; do
    swiftc -module-name $m "${flags[@]}" -c Sources/$m/*.swift -emit-module -emit-module-path "$mods/$m.swiftmodule" -o "$mods/$m.o"
  done
  touch "$mods/stamp"
fi
# Seed corpora: the seed dataset's files (first byte = the file's index), the bundled scenarios, Sioux Falls.
python3 - "$out" <<'PY'
import os, sys, glob
out = sys.argv[1]
seed = "fuzz/seed-dataset"
names = sorted(n for n in os.listdir(seed) if n.endswith(".csv"))
for h in ["dataset", "scenario", "tntp", "request"]:
    os.makedirs(f"{out}/{h}/corpus", exist_ok=True)
requests = [b"\x00from=khorgos&to=baku&date=2024-06-01&cargo=feu&quantity=2",
            b"\x04from=almaty&to=alat&samples=500&deadline=12&valueOfTime=40&carbonPrice=80&scenario=a,b",
            b"\x02from=43.3%2C76.9&to=Baku&quantity=1e308&date=",
            b"\x01{\"pairs\": [{\"from\": \"khorgos\", \"to\": \"baku\"}], \"compare\": true, \"date\": \"2024-06-01\"}",
            b"\x03{\"from\": \"almaty\", \"to\": \"alat\", \"samples\": 1000, \"seed\": 3, \"deadline\": 10}",
            b"\x05{\"scale\": 2, \"gap\": 1e-6, \"maxIterations\": 50, \"scenarios\": [\"x\"], \"demand\": \"demand-2024.csv\"}"]
for i, r in enumerate(requests):
    open(f"{out}/request/corpus/seed-{i}", "wb").write(r)
for i, n in enumerate(names):
    open(f"{out}/dataset/corpus/{n}", "wb").write(bytes([i]) + open(f"{seed}/{n}", "rb").read()[:20000])
for p in glob.glob("data/eurasia/scenarios/*.yaml") + glob.glob("docs/examples/sweep-*.yaml"):
    open(f"{out}/scenario/corpus/{os.path.basename(p)}", "wb").write(open(p, "rb").read())
for p, b in [("Tests/CaravanTests/Fixtures/SiouxFalls/SiouxFalls_net.tntp", 0), ("Tests/CaravanTests/Fixtures/SiouxFalls/SiouxFalls_trips.tntp", 1)]:
    if os.path.exists(p):
        open(f"{out}/tntp/corpus/{os.path.basename(p)}", "wb").write(bytes([b]) + open(p, "rb").read())
PY
status=0
for h in ${FUZZ_HARNESSES:-dataset scenario tntp request}; do
  src=fuzz/$(python3 -c "print('$h'.capitalize() if '$h' != 'tntp' else 'TNTP')")Fuzz.swift
  objs=("$mods/CaravanModel.o" "$mods/CaravanFormats.o")
  [ "$h" != tntp ] && objs+=("$mods/CaravanEngine.o")
  swiftc "${flags[@]}" "$src" "${objs[@]}" "${yams[@]}" -o "$out/$h/fuzz-$h"
  log="$out/$h/log.txt"
  start=$(date +%s)
  set +e
  (cd "$out/$h" && CARAVAN_FUZZ_SEED="$PWD/../../../fuzz/seed-dataset" ./fuzz-$h -runs="$runs" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=4096 \
     -max_len=20000 -print_final_stats=1 corpus > log.txt 2>&1)
  code=$?
  set -e
  took=$(( $(date +%s) - start ))
  done_runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" || echo "?")
  crashes=$(ls "$out/$h" | grep -cE "^(crash|timeout|oom|leak)-" || true)
  echo "fuzz $h: $done_runs inputs, $crashes crashes/timeouts, ${took} s (exit $code; log $log)"
  [ "$code" -ne 0 ] || [ "$crashes" -ne 0 ] && status=1
done
exit $status
