#!/usr/bin/env bash
# Route-engine benchmark: Caravan (release build) against scipy.sparse.csgraph and
# igraph, run side by side on the same machine, same networks and same sources.
#   bash bench/run.sh            # defaults: 100 sources per network, seed 42
#   SOURCES=300 SEED=7 bash bench/run.sh
# Ends with one line per peer: "ratio PEER X", X = peer time / Caravan time per tree.
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCES=${SOURCES:-100}
SEED=${SEED:-42}
TNTP=${TNTP:-../shared/data/tntp}

swift build -c release --product caravan-bench >/dev/null
BENCH=.build/release/caravan-bench

VENV=.venv-bench
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import scipy, igraph, numpy" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q scipy numpy igraph
fi
PEERS=$("$VENV/bin/python" -c "import importlib.metadata as m; print('scipy', m.version('scipy'), 'igraph', m.version('igraph'))")

echo "== Bundled dataset: route queries (release build, seed $SEED)"
$BENCH queries data/eurasia --pairs 2000 --seed "$SEED" | python3 bench/format_queries.py

echo "== Scenarios: cost of applying each bundled scenario (µs; patch = rewrite values of the compiled base network)"
$BENCH scenarios data/eurasia | python3 -c '
import json,sys
d=json.load(sys.stdin)
print("%-24s %6s %9s %9s %9s %11s %14s" % ("scenario","edits","apply","snapshot","patch","recompile","reload files"))
for r in d["scenarios"]:
    print("%-24s %6d %9.0f %9.0f %9.0f %11.0f %14.0f" % (r["scenario"], r["edits"], r["apply_edits_us"], r["snapshot_us"], r["patch_us"], r["compile_us"], r["reload_dataset_us"]))
'

echo "== Criticality: every place and link removed in turn, default O-D pairs"
$BENCH criticality data/eurasia | python3 -c '
import json,sys
d=json.load(sys.stdin)
print("%d items x %d pairs on %d cores: %.1f ms (%d searches); from scratch per removal: %.0f ms; ratio %.0fx" % (d["items"], d["pairs"], d["cores"], d["criticality_ms"], d["searches"], d["from_scratch_ms"], d["ratio"]))
'

echo "== Reliability: Monte Carlo sampling (one thread)"
$BENCH reliability data/eurasia | python3 -c '
import json,sys
d=json.load(sys.stdin)
print("10-leg route: %.1f million leg-samples/s (%d samples in %.3f s)" % (d["ten_leg_leg_samples_per_second"]/1e6, d["ten_leg_samples"], d["ten_leg_seconds"]))
print("Xian-Duisburg, %d candidate routes x 100,000 samples: %.3f s" % (d["compare_candidates"], d["compare_seconds"]))
print("fingerprint %s (the tests expect 4675171323907807046)" % d["fingerprint"])
'

echo "== JSON: the server's writer (SortedJSON) against Foundation's JSONEncoder, same bytes"
$BENCH json data/eurasia | python3 -c '
import json,sys
d=json.load(sys.stdin)
for r in d["payloads"]:
    print("%-7s %6d bytes: SortedJSON %7.1f us, JSONEncoder %7.1f us (%.2fx)" % (r["payload"], r["bytes"], r["sorted_json_us"], r["json_encoder_us"], r["ratio"]))
'

echo "== One-to-all shortest-path trees on TNTP networks ($SOURCES sources, free-flow times; peers: $PEERS)"
tmp=$(mktemp -d)
total_caravan=0; total_scipy=0; total_igraph=0; ok=1
for net in chicago-regional Philadelphia; do
  dir="$TNTP/$net"
  netfile=$(ls "$dir"/*_net.tntp)
  $BENCH tntp "$dir" --sources "$SOURCES" --seed "$SEED" > "$tmp/$net.json"
  "$VENV/bin/python" bench/peers_sssp.py "$netfile" "$tmp/$net.json" > "$tmp/$net.peers.json"
  line=$("$VENV/bin/python" - "$tmp/$net.json" "$tmp/$net.peers.json" <<'PY'
import json,sys
c=json.load(open(sys.argv[1])); p=json.load(open(sys.argv[2]))
cm=c["ms_per_tree_mean"]
print(f'{c["network"]:18s} {c["nodes"]:6d} nodes {c["links"]:6d} links | caravan {cm:7.3f} ms (p99 {c["ms_per_tree_p99"]:.3f}) | scipy {p["scipy_ms_per_tree"]:7.3f} ms ({p["scipy_ms_per_tree"]/cm:5.2f}x) | igraph {p["igraph_ms_per_tree"]:7.3f} ms ({p["igraph_ms_per_tree"]/cm:5.2f}x) | distances agree: {p["distances_agree"]}')
print(cm, p["scipy_ms_per_tree"], p["igraph_ms_per_tree"], int(p["distances_agree"]))
PY
)
  echo "$line" | head -1
  read -r c s i a <<<"$(echo "$line" | tail -1)"
  total_caravan=$(python3 -c "print($total_caravan+$c)"); total_scipy=$(python3 -c "print($total_scipy+$s)"); total_igraph=$(python3 -c "print($total_igraph+$i)")
  [ "$a" = "1" ] || ok=0
done
rm -rf "$tmp"
[ "$ok" = "1" ] || { echo "distances disagree with a peer"; exit 1; }
python3 -c "print('ratio scipy %.2f' % ($total_scipy/$total_caravan)); print('ratio igraph %.2f' % ($total_igraph/$total_caravan))"
