import Testing
import Foundation
import PropertyBased
import CaravanModel
import CaravanFormats
@testable import CaravanEngine

/// The server's JSON writer against Foundation's JSONEncoder with the same options: the same
/// bytes on the API's payloads and on odd strings and numbers.
@Suite("SortedJSON writes what JSONEncoder writes")
struct SortedJSONTests {
    static func foundation<T: Encodable>(_ v: T) throws -> String {
        String(decoding: try SortedJSON.reference().encode(v), as: UTF8.self)
    }

    struct Odd: Encodable {
        enum Shape: Encodable { case point(x: Double, label: String?), empty, list([Int]) }
        struct Empty: Encodable {}
        var text: String
        var numbers: [Double]
        var ints: [Int64]
        var maybe: String?
        var absent: Int?
        var flags: [Bool]
        var map: [String: Int]
        var intMap: [Int: String]
        var nested: [[String]]
        var shapes: [Shape]
        var empty: Empty
        var day: Date
        var float: Float
        var small: UInt8
    }

    @Test("API payloads on the bundled dataset: routes, Pareto sets, places, observations, criticality")
    func payloads() throws {
        let ds = try DatasetLoader.load(folder: bundledFolder)
        let engine = RouteEngine(dataset: ds, day: Day(iso: "2024-06-01")!)
        let weights = CostWeights.defaults(ds.parameters)
        let pairs = [("xian", "duisburg"), ("khorgos", "halkali"), ("shanghai", "rotterdam"), ("tashkent", "poti")]
        var checked = 0
        for (a, b) in pairs {
            let o = try #require(ds.placeIndex[a]), d = try #require(ds.placeIndex[b])
            let best = try #require(engine.best(from: o, to: d, cargo: Cargo(), weights: weights))
            #expect(try SortedJSON.string(best) == Self.foundation(best), "\(a)-\(b)")
            let pareto = engine.pareto(from: o, to: d, cargo: Cargo(), weights: weights)
            #expect(try SortedJSON.string(pareto) == Self.foundation(pareto), "\(a)-\(b) Pareto")
            checked += 1 + pareto.count
        }
        #expect(checked > 8)
        #expect(try SortedJSON.string(ds.places) == Self.foundation(ds.places))
        #expect(try SortedJSON.string(ds.observations) == Self.foundation(ds.observations))
        #expect(try SortedJSON.string(ds.events) == Self.foundation(ds.events))
        let od = [ODPair(origin: ds.placeIndex["xian"]!, destination: ds.placeIndex["duisburg"]!, weight: 1, group: "")]
        let crit = engine.criticality(pairs: od, cargo: Cargo(), weights: weights)
        #expect(try SortedJSON.string(crit) == Self.foundation(crit))
    }

    /// Sets one key twice, as a hand-written encode(to:) could: the last value wins in both.
    struct Twice: Encodable {
        enum K: String, CodingKey { case b, a }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(1, forKey: .a); try c.encode("x", forKey: .b); try c.encode(2, forKey: .a)
        }
    }

    @Test("odd strings, numbers, optionals, maps, enums, an empty struct and a date")
    func oddValues() throws {
        let controls = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
        let odd = Odd(text: controls + "/\\\"é€😀\u{2028}\u{2029}\u{7F}", numbers: [0, -0.0, 1, -1, 0.1, 1e-5, 1e-7, 1e20, 1e21, 1e300, 123456789012345680, .pi, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 2.5, 100],
                      ints: [0, -1, .max, .min], maybe: "x", absent: nil, flags: [true, false], map: ["b": 2, "a": 1, "A": 0, "é": 3, "aa": 4],
                      intMap: [10: "ten", 2: "two"], nested: [[], ["a"]], shapes: [.point(x: 1.5, label: nil), .empty, .list([1, 2])],
                      empty: .init(), day: Date(timeIntervalSince1970: 1_700_000_000.25), float: 0.1, small: 255)
        #expect(try SortedJSON.string(odd) == Self.foundation(odd))
        #expect(try SortedJSON.string([Twice(), Twice()]) == Self.foundation([Twice(), Twice()]))
        #expect(try SortedJSON.string("top level") == Self.foundation("top level"))
        #expect(try SortedJSON.string([1.0, 2.0]) == Self.foundation([1.0, 2.0]))
    }

    @Test("random doubles (any bit pattern that is finite) are written alike; non-finite ones throw in both")
    func randomDoubles() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let values = (0..<32).map { _ in Double(bitPattern: rng.next()) }.filter(\.isFinite)
            #expect((try? SortedJSON.string(values)) == (try? Self.foundation(values)), "seed \(seed)")
        }
        #expect(throws: EncodingError.self) { try SortedJSON.encode([Double.nan]) }
        // The error comes from Foundation's encoder, with the path to the number.
        do { _ = try SortedJSON.encode(["x": [1, Double.infinity]]); Issue.record("no error") } catch EncodingError.invalidValue(_, let ctx) {
            #expect(ctx.codingPath.map(\.stringValue).first == "x")
        } catch { Issue.record("\(error)") }
    }
}
