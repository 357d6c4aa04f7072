// Benchmark driver for bench/run.sh. Prints one JSON object per run on stdout.
//   caravan-bench tntp FOLDER [--sources K] [--seed S]   one-to-all trees on free-flow times
//   caravan-bench queries DATA_DIR [--pairs N] [--seed S] point-to-point and one-to-all on a dataset
//   caravan-bench json DATA_DIR [--repeats N]             the server's JSON writer against JSONEncoder
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
func option(_ name: String, _ fallback: Int) -> Int {
    let a = CommandLine.arguments
    if let i = a.firstIndex(of: name), i + 1 < a.count, let v = Int(a[i + 1]) { return v }
    return fallback
}
func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))] }
func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
func fail(_ message: String) -> Never { FileHandle.standardError.write(Data((message + "\n").utf8)); exit(2) }

let args = CommandLine.arguments
guard args.count >= 3 else { fail("usage: caravan-bench tntp FOLDER [--sources K] [--seed S] | queries DATA_DIR [--pairs N] [--seed S]") }
var rng = SplitMix64(seed: UInt64(option("--seed", 42)))

switch args[1] {
case "tntp":
    let net: TNTPNetwork
    do { net = try TNTPReader.load(folder: args[2]) } catch { fail("\(error)") }
    let (graph, origin) = CSRGraph.build(nodeCount: net.nodeCount, tails: net.tail, heads: net.head)
    let weights = origin.map { net.freeFlowTime[Int($0)] }
    let k = option("--sources", 100)
    let sources = (0..<k).map { _ in Int.random(in: 0..<net.nodeCount, using: &rng) }
    var ws = DijkstraWorkspace(nodeCount: net.nodeCount)
    ws.oneToAll(graph, weights: weights, source: sources[0]) // warm-up
    var times: [Double] = [], checksums: [[Double]] = []
    for s in sources {
        let t0 = now()
        ws.oneToAll(graph, weights: weights, source: s)
        times.append(Double(now() - t0) / 1e6)
        var sum = 0.0, reached = 0.0
        for v in 0..<net.nodeCount where ws.distance(v).isFinite { sum += ws.distance(v); reached += 1 }
        checksums.append([sum, reached])
    }
    let sorted = times.sorted()
    emit(["network": net.name, "nodes": net.nodeCount, "links": net.linkCount, "sources": sources, "ms_per_tree_mean": times.reduce(0, +) / Double(k),
          "ms_per_tree_p50": percentile(sorted, 0.5), "ms_per_tree_p99": percentile(sorted, 0.99), "checksums": checksums])

case "queries":
    let ds: Dataset
    do { ds = try DatasetLoader.load(folder: args[2]) } catch { fail("\(error)") }
    let day = Day(iso: "2024-06-01")!
    let t0 = now()
    let engine = RouteEngine(dataset: ds, day: day)
    let compileMs = Double(now() - t0) / 1e6
    let cargo = Cargo(), weights = CostWeights.defaults(ds.parameters)
    let costs = engine.edgeCosts(cargo: cargo, weights: weights)
    var ws = DijkstraWorkspace(nodeCount: engine.network.stateCount)
    let n = option("--pairs", 2000)
    let pairs = (0..<n).map { _ in (Int.random(in: 0..<ds.places.count, using: &rng), Int.random(in: 0..<ds.places.count, using: &rng)) }
    var pathTimes: [Double] = [], routeTimes: [Double] = [], found = 0
    for (o, d) in pairs {
        let a = now()
        let path = engine.bestPath(from: o, to: d, costs: costs, mask: .max, workspace: &ws)
        pathTimes.append(Double(now() - a) / 1e3)
        let b = now()
        if engine.best(from: o, to: d, costs: costs, cargo: cargo, weights: weights, corridor: nil, workspace: &ws) != nil { found += 1 }
        routeTimes.append(Double(now() - b) / 1e3)
        _ = path
    }
    var treeTimes: [Double] = []
    let allEdgesGC = costs.generalised
    for (o, _) in pairs.prefix(500) {
        let src = Int(engine.network.departingStates(ofPlace: o).first ?? 0)
        let a = now()
        ws.oneToAll(engine.network.graph, weights: allEdgesGC, source: src)
        treeTimes.append(Double(now() - a) / 1e3)
    }
    var paretoTimes: [Double] = []
    for (o, d) in pairs.prefix(100) {
        let a = now()
        _ = engine.pareto(from: o, to: d, cargo: cargo, weights: weights)
        paretoTimes.append(Double(now() - a) / 1e3)
    }
    var compareTimes: [Double] = []
    for (o, d) in pairs.prefix(200) {
        let a = now()
        _ = engine.compare(from: o, to: d, cargo: cargo, weights: weights)
        compareTimes.append(Double(now() - a) / 1e3)
    }
    func stats(_ t: [Double]) -> [String: Double] { let s = t.sorted(); return ["p50_us": percentile(s, 0.5), "p99_us": percentile(s, 0.99), "mean_us": t.reduce(0, +) / Double(max(1, t.count))] }
    emit(["dataset": ds.name, "places": ds.places.count, "states": engine.network.stateCount, "edges": engine.network.edgeCount,
          "snapshot_compile_ms": compileMs, "pairs": n, "routed": found,
          "point_to_point_search": stats(pathTimes), "point_to_point_route": stats(routeTimes), "one_to_all": stats(treeTimes),
          "pareto": stats(paretoTimes), "compare_all_corridors": stats(compareTimes)])

case "scenarios":
    // Cost of applying each bundled scenario: edit the dataset, snapshot it, patch the
    // compiled base network, against compiling the edited dataset from scratch.
    let folder = args[2]
    let ds: Dataset
    do { ds = try DatasetLoader.load(folder: folder) } catch { fail("\(error)") }
    let day = Day(iso: "2024-06-01")!
    var rows: [[String: Any]] = []
    for (name, path) in ScenarioReader.available(datasetFolder: folder) {
        let sc: Scenario
        do { sc = try ScenarioReader.load(path, datasetFolder: folder, dataset: ds) } catch { fail("\(error)") }
        let reps = 200
        var engine = RouteEngine(dataset: ds, day: day)
        var tApply = 0.0, tSnap = 0.0, tPatch = 0.0, tCompile = 0.0, tLoad = 0.0, patched = true
        for _ in 0..<reps {
            let a = now()
            let (edited, _) = ScenarioApplier.apply([sc], to: ds, on: day)
            let b = now()
            let snap = NetworkSnapshot(dataset: edited, day: day)
            let c = now()
            patched = engine.retarget(to: snap) && patched
            let d = now()
            _ = RouteEngine(CompiledNetwork(snap))
            let e = now()
            tApply += Double(b - a); tSnap += Double(c - b); tPatch += Double(d - c); tCompile += Double(e - d)
        }
        // Reloading the dataset from its files, the cost a tool without patching would pay.
        let l0 = now()
        for _ in 0..<5 { _ = try? DatasetLoader.load(folder: folder) }
        tLoad = Double(now() - l0) / 5
        let us = { (x: Double) in x / Double(reps) / 1e3 }
        rows.append(["scenario": name, "edits": sc.edits.count, "apply_edits_us": us(tApply), "snapshot_us": us(tSnap), "patch_us": us(tPatch),
                     "compile_us": us(tCompile), "reload_dataset_us": tLoad / 1e3, "patched": patched])
    }
    emit(["day": day.description, "scenarios": rows])

case "criticality":
    let folder = args[2]
    let ds: Dataset
    do { ds = try DatasetLoader.load(folder: folder) } catch { fail("\(error)") }
    let day = Day(iso: "2024-06-01")!
    let pairs: [ODPair]
    do { pairs = try PairsReader.load(path: folder + "/od-pairs.csv", dataset: ds).map { ODPair(origin: $0.origin, destination: $0.destination, weight: $0.weight) } }
    catch { fail("\(error)") }
    let engine = RouteEngine(dataset: ds, day: day)
    let cargo = Cargo(), w = CostWeights.defaults(ds.parameters)
    _ = engine.criticality(pairs: pairs, cargo: cargo, weights: w) // warm-up
    let reps = 5
    let t0 = now()
    var report: CriticalityReport?
    for _ in 0..<reps { report = engine.criticality(pairs: pairs, cargo: cargo, weights: w) }
    let fast = Double(now() - t0) / Double(reps) / 1e6
    // From scratch: for every item, drop it from the dataset, compile, and route every pair.
    let t1 = now()
    var items = 0
    for p in ds.places.indices {
        var reduced = ds
        let id = ds.places[p].id
        reduced.links.removeAll { $0.from == id || $0.to == id }
        reduced.reindex()
        let e = RouteEngine(dataset: reduced, day: day)
        for pr in pairs where pr.origin != p && pr.destination != p { _ = e.best(from: pr.origin, to: pr.destination, cargo: cargo, weights: w) }
        items += 1
    }
    for l in ds.links.indices {
        var reduced = ds
        reduced.links.remove(at: l)
        reduced.reindex()
        let e = RouteEngine(dataset: reduced, day: day)
        for pr in pairs { _ = e.best(from: pr.origin, to: pr.destination, cargo: cargo, weights: w) }
        items += 1
    }
    let naive = Double(now() - t1) / 1e6
    emit(["pairs": pairs.count, "items": report!.items.count, "searches": report!.searches, "cores": ProcessInfo.processInfo.activeProcessorCount,
          "criticality_ms": fast, "from_scratch_ms": naive, "from_scratch_items": items, "ratio": naive / fast])

case "reliability":
    // Leg-samples per second: a 10-leg route of lognormal running times, single thread.
    let legs = (0..<10).map { i in TimeComponent(kind: .lognormal, a: 1 + Double(i) * 0.3, sigma: 0.2, label: "leg \(i)") }
    let n = option("--samples", 2_000_000)
    _ = MonteCarlo.sample(legs, risks: [], samples: 100_000, seed: 1)
    let t0 = now()
    let s1 = MonteCarlo.sample(legs, risks: [], samples: n, seed: 1)
    let sec1 = Double(now() - t0) / 1e9
    // The fingerprint of the reliability test (seed 99), to show release builds sample the same bits.
    let fp = MonteCarlo.sample([TimeComponent(kind: .lognormal, a: 2, sigma: 0.3), TimeComponent(kind: .uniform, a: 1), TimeComponent(kind: .normal, a: 1, sigma: 0.1)],
                               risks: [], samples: 10_000, seed: 99).reduce(0, +).bitPattern
    // A full corridor comparison on the bundled dataset: every candidate route, 100,000 samples each.
    let ds: Dataset
    do { ds = try DatasetLoader.load(folder: args[2]) } catch { fail("\(error)") }
    let engine = RouteEngine(dataset: ds, day: Day(iso: "2024-06-01")!)
    let t1 = now()
    let result = engine.reliability(from: ds.placeIndex["xian"]!, to: ds.placeIndex["duisburg"]!, cargo: Cargo(), weights: .defaults(ds.parameters),
                                    deadline: 20, samples: 100_000, seed: 1)!
    let sec2 = Double(now() - t1) / 1e9
    let model = ReliabilityModel(dataset: ds, day: Day(iso: "2024-06-01")!)
    let legSamples = result.candidates.reduce(0) { $0 + model.components(of: $1.route, snapshot: engine.network.snapshot).components.count * 100_000 }
    emit(["ten_leg_samples": n, "ten_leg_seconds": sec1, "ten_leg_leg_samples_per_second": Double(10 * n) / sec1, "checksum": s1.reduce(0, +),
          "fingerprint": String(fp), "compare_candidates": result.candidates.count, "compare_seconds": sec2,
          "compare_leg_samples_per_second": Double(legSamples) / sec2])

case "json":
    // The server's JSON writer against Foundation's, on the answers the API sends most: the
    // Xi'an–Duisburg route and its Pareto set (the same bytes, checked first).
    let ds: Dataset
    do { ds = try DatasetLoader.load(folder: args[2]) } catch { fail("\(error)") }
    let engine = RouteEngine(dataset: ds, day: Day(iso: "2024-06-01")!)
    let (o, d) = (ds.placeIndex["xian"]!, ds.placeIndex["duisburg"]!)
    let route = engine.best(from: o, to: d, cargo: Cargo(), weights: .defaults(ds.parameters))!
    let pareto = engine.pareto(from: o, to: d, cargo: Cargo(), weights: .defaults(ds.parameters))
    let foundation = SortedJSON.reference()
    let n = max(1, option("--repeats", 2000))
    func time(_ body: () throws -> Int) -> (Double, Int) {
        var bytes = 0
        let t0 = now()
        for _ in 0..<n { bytes = (try? body()) ?? -1 }
        return (Double(now() - t0) / 1e3 / Double(n), bytes)
    }
    guard (try? SortedJSON.encode(route)) == (try? Array(foundation.encode(route))),
          (try? SortedJSON.encode(pareto)) == (try? Array(foundation.encode(pareto))) else { fail("SortedJSON and JSONEncoder disagree") }
    var rows: [[String: Any]] = []
    for (name, sorted, found) in [("route", { try SortedJSON.encode(route).count }, { try foundation.encode(route).count }),
                                  ("pareto", { try SortedJSON.encode(pareto).count }, { try foundation.encode(pareto).count })] as [(String, () throws -> Int, () throws -> Int)] {
        _ = time(sorted); _ = time(found)   // warm-up
        let (us1, bytes) = time(sorted), (us2, _) = time(found)
        rows.append(["payload": name, "bytes": bytes, "sorted_json_us": us1, "json_encoder_us": us2, "ratio": us2 / us1])
    }
    emit(["repeats": n, "payloads": rows])

default:
    fail("unknown benchmark '\(args[1])'")
}
