import Testing
import Foundation
import Synchronization
import PropertyBased
import CaravanModel
@testable import CaravanFormats
@testable import CaravanEngine

/// "validate accepts ⇒ every command runs": datasets whose numbers are pushed to the edges of
/// their documented ranges either fail validation or route, compare, sample, rank and count
/// with finite results. Starts from the fuzz seed dataset (a slice of the bundled data).
@Suite("Valid datasets run every command")
struct ValidateRunsTests {
    static let seedFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz/seed-dataset").path
    static let seedFiles: [String: String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: seedFolder)) ?? []
        return Dictionary(uniqueKeysWithValues: names.filter { $0.hasSuffix(".csv") }.map { ($0, (try? String(contentsOfFile: seedFolder + "/" + $0, encoding: .utf8)) ?? "") })
    }()
    /// Values at and near the edges of the ranges the loader enforces (±1e9, 0, tiny, 24 h).
    static let extremes = ["0", "1e9", "999999999", "-1e9", "1e-9", "0.000001", "24", "1", "1e8", "100", "0.5"]

    /// Replaces up to `edits` numeric fields of one file with extremes; returns the files.
    static func perturbed(seed: UInt64, edits: Int) -> [String: String] {
        var rng = SplitMix64(seed: seed)
        var files = seedFiles
        let names = files.keys.sorted()
        let name = names[Int(rng.next() % UInt64(names.count))]
        guard let (header, rows) = try? CSVReader.parse(files[name]!, file: name), !rows.isEmpty else { return files }
        var table = rows.map(\.fields)
        for _ in 0..<edits {
            let r = Int(rng.next() % UInt64(table.count)), c = Int(rng.next() % UInt64(header.fields.count))
            guard c < table[r].count, Double(table[r][c]) != nil else { continue }
            table[r][c] = extremes[Int(rng.next() % UInt64(extremes.count))]
        }
        files[name] = ([header.fields] + table).map { CSVWriter.line($0) }.joined(separator: "\n") + "\n"
        return files
    }

    @Test("numbers at the edges of their ranges: the dataset is rejected or every command gives finite results")
    func validDatasetsRun() async throws {
        try #require(Self.seedFiles.count >= 10, "fuzz/seed-dataset is missing")
        let loaded = Counter()
        await propertyCheck(count: 150, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            let files = Self.perturbed(seed: UInt64(seed), edits: 1 + seed % 6)
            guard let ds = try? DatasetLoader.load(files: files, name: "edge-\(seed)"), ds.places.count >= 2 else { return }
            loaded.add()
            let day = Day(iso: "2025-06-01")!
            let engine = RouteEngine(dataset: ds, day: day)
            let weights = CostWeights.defaults(ds.parameters)
            let (o, d) = (0, ds.places.count - 1)
            for cargo in [Cargo(), Cargo(unit: .tonnes, quantity: 1_000_000)] {
                if let r = engine.best(from: o, to: d, cargo: cargo, weights: weights) {
                    #expect(r.totals.days.isFinite && r.totals.usd.isFinite && r.totals.co2eKg.isFinite && r.totals.generalisedCostUSD.isFinite, "seed \(seed): route totals")
                }
                for c in engine.compare(from: o, to: d, cargo: cargo, weights: weights) {
                    if let r = c.route { #expect(r.totals.days.isFinite && r.totals.usd.isFinite, "seed \(seed): compare \(c.corridor)") }
                }
            }
            if let rel = engine.reliability(from: o, to: d, cargo: Cargo(), weights: weights, deadline: 30, samples: 500, seed: 1) {
                for c in rel.candidates { #expect(c.distribution.p50.isFinite && c.distribution.p90.isFinite && c.p90GeneralisedCostUSD.isFinite, "seed \(seed): reliability") }
            }
            let pairs = [ODPair(origin: o, destination: d, weight: 1, group: ""), ODPair(origin: d, destination: o, weight: 2, group: "")]
            let crit = engine.criticality(pairs: pairs, cargo: Cargo(), weights: weights)
            #expect(crit.items.allSatisfy { $0.addedCostUSD.isFinite }, "seed \(seed): criticality")
            let hubs = engine.hubs(pairs: pairs, cargo: Cargo(), weights: weights)
            #expect(hubs.countries.allSatisfy { $0.routeShare.isFinite && $0.tonKmShare.isFinite }, "seed \(seed): hubs")
        }
        #expect(loaded.value > 30, "only \(loaded.value) of 150 perturbed datasets loaded: the property was barely exercised")
    }
}

/// A count shared by the property's runs.
final class Counter: Sendable {
    private let n = Mutex(0)
    func add() { n.withLock { $0 += 1 } }
    var value: Int { n.withLock { $0 } }
}
