// libFuzzer harness: the YAML readers. Each input goes to the sweep reader (a sweep that reads
// must plan within its bounds) and to the scenario reader against the seed dataset (a scenario
// that reads must also apply, snapshot and route with finite totals).
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

nonisolated(unsafe) var base: Dataset? = nil   // loaded once, before the first input; libFuzzer calls in one thread

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    if base == nil {
        let dir = ProcessInfo.processInfo.environment["CARAVAN_FUZZ_SEED"] ?? "fuzz/seed-dataset"
        base = try! DatasetLoader.load(folder: dir)
    }
    guard let ds = base, let text = TextInput.decode(Data(bytes: bytes, count: count)) else { return 0 }
    if let sweep = try? SweepSpec.parse(text, file: "fuzz.yaml") {
        precondition(sweep.unitCount >= 1 && sweep.unitCount <= SweepSpec.maxUnits, "sweep outside its bounds")
        let last = sweep.unit(sweep.unitCount - 1), shard = sweep.shard(0, of: 3)
        precondition(last.index == sweep.unitCount - 1 && shard.lowerBound == 0 && !sweep.fingerprint.isEmpty)
    }
    guard let scenario = try? ScenarioReader.parse(text, file: "fuzz.yaml", dataset: ds) else { return 0 }
    let day = Day(iso: "2024-06-01")!
    let applied = ScenarioApplier.apply([scenario], to: ds, on: day)
    let engine = RouteEngine(dataset: applied.dataset, day: day)
    let n = applied.dataset.places.count
    if n >= 2, let r = engine.best(from: 0, to: n - 1, cargo: Cargo(), weights: .defaults(applied.dataset.parameters), corridor: nil) {
        precondition(r.totals.days.isFinite && r.totals.usd.isFinite, "non-finite route totals")
    }
    return 0
}
