// libFuzzer harness: request decoding, as the server reads it (RequestReader). First byte even:
// the rest is a query string (decoded like a URI's: '&', '=', percent escapes, '+'), read as the
// route and reliability endpoints read it, then routed (and, for multiples of 4, sampled) on the
// seed dataset; odd: a JSON body decoded as each job and batch request and its numbers checked.
// No input may trap or hang; totals must be finite; every error names a field and carries no
// control characters.
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

struct Fixture {
    let dataset: Dataset
    let engine: RouteEngine
    let resolver: PlaceResolver
}
nonisolated(unsafe) var fixture: Fixture?   // built once, before the first input; libFuzzer calls in one thread

func setUp() -> Fixture {
    let dir = ProcessInfo.processInfo.environment["CARAVAN_FUZZ_SEED"] ?? "fuzz/seed-dataset"
    var files: [String: String] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(".csv") {
        files[name] = try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)
    }
    guard let ds = try? DatasetLoader.load(files: files, name: "fuzz") else { preconditionFailure("the seed dataset in \(dir) does not load") }
    return Fixture(dataset: ds, engine: RouteEngine(dataset: ds, day: Day(iso: "2024-06-01")!), resolver: PlaceResolver(places: ds.places))
}

/// Percent-decoding of one query component ('+' is a space); invalid escapes stay as written.
func decodeComponent(_ s: Substring) -> String {
    var bytes: [UInt8] = []
    var it = Array(s.utf8)[...]
    while let b = it.first {
        it = it.dropFirst()
        if b == UInt8(ascii: "+") { bytes.append(UInt8(ascii: " ")); continue }
        if b == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
            bytes.append(v); it = it.dropFirst(2); continue
        }
        bytes.append(b)
    }
    return String(decoding: bytes, as: UTF8.self)
}

func checkError(_ e: APIError) {
    precondition(!e.field.isEmpty && !e.reason.isEmpty, "an error without a field or a reason")
    precondition((400..<500).contains(e.code), "a request error must be a 4xx, got \(e.code)")
    let hidden = (e.field + e.reason).unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" }
    precondition(!hidden, "control characters in an error message")
    precondition(e.reason.count < 3000, "an unbounded error message")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    if fixture == nil { fixture = setUp() }
    guard let f = fixture, count >= 1 else { return 0 }
    let data = Data(bytes: bytes, count: count)
    let mode = data[data.startIndex]
    let text = String(decoding: data.dropFirst(), as: UTF8.self)
    if mode % 2 == 0 {
        let items = QueryItems(text.split(separator: "&", omittingEmptySubsequences: true).map { kv in
            let parts = kv.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decodeComponent(parts[0]), parts.count > 1 ? decodeComponent(parts[1]) : "")
        })
        do {
            _ = try RequestReader.date(items.raw("date"))
            _ = try RequestReader.scenarios(items)
            let (cargo, weights) = try RequestReader.cargo(items, f.dataset.parameters)
            let o = try RequestReader.place(items.value("from"), field: "from", resolver: f.resolver, places: f.dataset.places)
            let d = try RequestReader.place(items.value("to"), field: "to", resolver: f.resolver, places: f.dataset.places)
            let samples = Int(try RequestReader.number(items, "samples", default: 1000, min: 100, max: 200_000)!)
            let deadline = try RequestReader.number(items, "deadline", min: 0, max: 1000)
            if let r = f.engine.best(from: o, to: d, cargo: cargo, weights: weights) {
                precondition(r.totals.days.isFinite && r.totals.usd.isFinite && r.totals.co2eKg.isFinite && r.totals.generalisedCostUSD.isFinite, "non-finite route totals")
            }
            if mode % 4 == 0, let rel = f.engine.reliability(from: o, to: d, cargo: cargo, weights: weights, deadline: deadline, samples: min(samples, 300), seed: 7) {
                for c in rel.candidates { precondition(c.distribution.p90.isFinite && c.p90GeneralisedCostUSD.isFinite, "non-finite reliability") }
            }
        } catch { checkError(error) }
    } else {
        func check(_ body: () throws(APIError) -> Void) { do { try body() } catch { checkError(error) } }
        check { () throws(APIError) in
            let a = try RequestReader.decode(text, as: AssignmentRequest.self)
            _ = try RequestReader.date(a.date); try RequestReader.checkScenarioNames(a.scenarios ?? [])
            _ = try RequestReader.field(a.scale, "scale", default: 1, min: 1e-6, max: 1e3)
            _ = try RequestReader.field(a.maxIterations, "maxIterations", default: 1000, min: 1, max: 100_000)
        }
        check { () throws(APIError) in let c = try RequestReader.decode(text, as: CriticalityRequest.self); _ = try RequestReader.date(c.date) }
        check { () throws(APIError) in
            let r = try RequestReader.decode(text, as: ReliabilityRequest.self)
            _ = try RequestReader.place(r.from, field: "from", resolver: f.resolver, places: f.dataset.places)
            _ = UInt64(try RequestReader.field(r.seed, "seed", default: 1, min: 0, max: 1e15))
            _ = Int(try RequestReader.field(r.samples, "samples", default: 200_000, min: 100, max: 2_000_000))
        }
        check { () throws(APIError) in
            let b = try RequestReader.decode(text, as: BatchRequest.self)
            for p in b.pairs.prefix(50) { _ = f.resolver.resolve(p.from); _ = f.resolver.resolve(p.to) }
        }
    }
    return 0
}
