// libFuzzer harness: the dataset loader. The first input byte picks a file of the seed dataset
// (fuzz/seed-dataset), the rest replaces its text; a dataset that loads must also route,
// resolve a snapshot and give finite totals ("validate accepts => commands run").
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

nonisolated(unsafe) var seedFiles: [String: String] = [:]   // read once, before the first input; libFuzzer calls in one thread

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDataset(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    if seedFiles.isEmpty {
        let dir = ProcessInfo.processInfo.environment["CARAVAN_FUZZ_SEED"] ?? "fuzz/seed-dataset"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(".csv") {
            seedFiles[name] = try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        }
        precondition(!seedFiles.isEmpty, "no seed dataset in \(dir)")
    }
    guard count >= 1 else { return 0 }
    let data = Data(bytes: bytes, count: count)
    let names = seedFiles.keys.sorted()
    var files = seedFiles
    guard let text = TextInput.decode(data.dropFirst()) else { return 0 }
    files[names[Int(data[data.startIndex]) % names.count]] = text
    guard let ds = try? DatasetLoader.load(files: files, name: "fuzz") else { return 0 }
    if let grid = ds.land?.grid, grid.rows > 0, let a = ds.places.first, let b = ds.places.last,
       let s = grid.landCell(lat: a.lat, lon: a.lon), let t = grid.landCell(lat: b.lat, lon: b.lon) {
        var buffer = LandSearchBuffer()
        for (_, km) in grid.nearestOverLand(from: s, targets: [t], wanted: 1, maxKm: 5_000, buffer: &buffer) {
            precondition(km.isFinite && km >= 0, "non-finite path over land")
        }
    }
    guard ds.places.count >= 2 else { return 0 }
    let day = Day(iso: "2024-06-01")!
    let engine = RouteEngine(dataset: ds, day: day)
    if let r = engine.best(from: 0, to: ds.places.count - 1, cargo: Cargo(), weights: .defaults(ds.parameters), corridor: nil) {
        precondition(r.totals.days.isFinite && r.totals.usd.isFinite && r.totals.co2eKg.isFinite, "non-finite route totals")
    }
    return 0
}
