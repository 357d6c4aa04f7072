import Foundation
import Synchronization
import CaravanModel
import CaravanFormats
import CaravanEngine

/// What every request shares: the base dataset (read once), the store, and a small cache of
/// compiled networks by (date, scenarios).
public final class Service: Sendable {
    public let folder: String
    public let base: Dataset
    /// FNV-1a hash of the dataset files: runs record it, so a result can be traced to the data.
    public let datasetVersion: String
    public let store: any Store
    /// Network places and gazetteer cities (indexed once for search as you type).
    let endpoints: EndpointResolver
    let pairs: [ODPair]
    private let cache = Mutex<[String: (tick: Int, engine: RouteEngine)]>([:])
    private let clock = Atomic<Int>(0)
    /// Names of the bundled scenarios (they never change while the server runs).
    private let bundledScenarioNames: Set<String>

    public init(folder: String, store: any Store) throws {
        self.folder = folder
        do { base = try DatasetLoader.load(folder: folder) } catch {
            throw APIError(500, field: "dataset", "the dataset in \(folder) is invalid: " + error.diagnostics.prefix(5).map(\.description).joined(separator: "; "))
        }
        datasetVersion = Service.version(of: folder)
        self.store = store
        bundledScenarioNames = Set(ScenarioReader.available(datasetFolder: folder).map(\.name))
        let gazetteer = try Service.optional(GazetteerReader.path(besideDataset: folder), field: "gazetteer") { path throws(InputErrors) in
            try GazetteerReader.load(path: path)
        }
        endpoints = EndpointResolver(places: base.places, gazetteer: gazetteer, indexed: true)
        let pairRows = try Service.optional((folder as NSString).appendingPathComponent("od-pairs.csv"), field: "od-pairs") { [base] path throws(InputErrors) in
            try PairsReader.load(path: path, dataset: base)
        } ?? []
        pairs = pairRows.map { ODPair(origin: $0.origin, destination: $0.destination, weight: $0.weight, group: $0.group) }
    }

    /// An optional file of the dataset folder: nil when absent; present but invalid stops the
    /// server with the first reasons.
    static func optional<T>(_ path: String, field: String, _ load: (String) throws(InputErrors) -> T) throws(APIError) -> T? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do { return try load(path) } catch {
            throw APIError(500, field: field, "\(path) is invalid: " + error.diagnostics.prefix(5).map(\.description).joined(separator: "; "))
        }
    }

    static func version(of folder: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let fm = FileManager.default
        let files = (fm.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".csv") || $0.hasSuffix(".yaml") }.sorted()
        for f in files {
            for b in Array(f.utf8) + Array(fm.contents(atPath: (folder as NSString).appendingPathComponent(f)) ?? Data()) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        return String(h, radix: 16)
    }

    // MARK: Inputs

    public func day(_ text: String?) throws(APIError) -> Day { try RequestReader.date(text) }

    public func place(_ text: String?, field: String) throws(APIError) -> Int {
        try RequestReader.place(text, field: field, resolver: endpoints.network, places: base.places)
    }

    public func placeSearch(_ q: String, limit: Int) -> [Place] {
        let hits = q.isEmpty ? Array(base.places.indices) : endpoints.network.search(q)
        var out = hits.prefix(limit).map { base.places[$0] }
        // Then gazetteer cities whose name or alternate name starts with the query, most populous first.
        if out.count < limit, let g = endpoints.gazetteer, let index = endpoints.index {
            let key = PlaceResolver.normalize(q)
            for c in g.cities(withPrefix: key, limit: limit - out.count, index: index) {
                out.append(Place(id: "\(g.name[c]), \(g.country[c])", name: g.name[c], country: g.country[c], kind: .city, lat: g.lat[c], lon: g.lon[c],
                                 note: "off the network: reached by estimated first/last-mile road legs"))
            }
        }
        return out
    }

    /// A route engine for two typed endpoints: the cached engine when both are network places,
    /// else one built with the off-network ends attached (first/last-mile legs).
    public func routing(from: String?, to: String?, day: Day, scenarios names: [String], options: RouteOptions = RouteOptions()) throws -> (RouteEngine, Int, Int) {
        func endpoint(_ text: String?, _ field: String) throws -> Endpoint {
            guard let text, !text.isEmpty else { throw APIError.bad(field, "missing: give a place id, name or alias, a city, or LAT,LON") }
            let resolution = endpoints.resolve(text)
            if case .found(let e, _) = resolution { return e }
            let why = resolution.problem(role: "place", shown: TextInput.shown(text, limit: 64)) ?? ""
            if case .ambiguous = resolution { throw APIError.bad(field, why) }
            throw APIError(404, field: field, why)
        }
        let a = try endpoint(from, "from"), b = try endpoint(to, "to")
        if case .place(let o) = a, case .place(let d) = b { return (try engine(day: day, scenarios: names, options: options), o, d) }
        var ds = try options.applied(to: try dataset(day: day, scenarios: names).0)
        func attach(_ e: Endpoint, _ role: FirstLastMile.Role) throws -> Int {
            switch e {
            case .place(let i): return i
            case .point(let p):
                do { return try FirstLastMile.attach(p, role: role, to: &ds) } catch { throw APIError(404, field: role == .origin ? "from" : "to", error.description) }
            }
        }
        let o = try attach(a, .origin), d = try attach(b, .destination)
        return (RouteEngine(dataset: ds, day: day), o, d)
    }

    /// Bundled scenario names and saved ones.
    public func scenarioNames() throws -> (bundled: [String], saved: [String]) {
        (ScenarioReader.available(datasetFolder: folder).map(\.name), try store.scenarios().map(\.name))
    }

    /// A scenario by name: bundled first, then saved in the store.
    public func scenario(_ name: String) throws -> (scenario: Scenario, yaml: String, saved: Bool) {
        if let b = ScenarioReader.available(datasetFolder: folder).first(where: { $0.name == name }) {
            do {
                return (try ScenarioReader.load(b.path, datasetFolder: folder, dataset: base), (try? String(contentsOfFile: b.path, encoding: .utf8)) ?? "", false)
            } catch { throw APIError(500, field: "scenario", "bundled scenario \(name) is invalid: \(error.description)") }
        }
        guard let saved = try store.scenario(name) else {
            throw APIError(404, field: "scenario", "unknown scenario '\(TextInput.shown(name, limit: 64))': GET /v1/scenarios lists them")
        }
        do { return (try ScenarioReader.parse(saved.yaml, file: name + ".yaml", dataset: base), saved.yaml, true) } catch {
            throw APIError(500, field: "scenario", "saved scenario \(name) no longer validates: \(error.description)")
        }
    }

    /// Problems of a scenario body as (line:column, reason); empty when it is valid.
    public func validateScenario(name: String, yaml: String) -> [(String, String)] {
        do { _ = try ScenarioReader.parse(yaml, file: name + ".yaml", dataset: base); return [] } catch {
            return error.diagnostics.map { ("\($0.line):\($0.column)", $0.message) }
        }
    }

    /// The store's count of saved-scenario changes when `names` include a saved scenario, else 0:
    /// part of every cache key that may involve one. Read from the store each time, so a scenario
    /// saved or deleted through another replica is never answered from an old text.
    func scenarioGeneration(_ names: [String]) throws -> Int {
        guard names.contains(where: { !bundledScenarioNames.contains($0) }) else { return 0 }
        do { return try store.scenarioGeneration() } catch { throw APIError(503, field: "store", "the store is unreachable: \(error)") }
    }

    /// The dataset with the named scenarios applied on the date.
    public func dataset(day: Day, scenarios names: [String]) throws -> (Dataset, [AppliedEdit]) {
        let list = try names.map { try scenario($0).scenario }
        return ScenarioApplier.apply(list, to: base, on: day)
    }

    /// A compiled route engine for (date, scenarios, options), cached (least recently used of 16 evicted).
    public func engine(day: Day, scenarios names: [String], options: RouteOptions = RouteOptions()) throws -> RouteEngine {
        let key = "\(day)|" + (names.isEmpty ? "" : "\(try scenarioGeneration(names))|" + names.joined(separator: "+")) + (options.isDefault ? "" : "|" + options.key)
        let tick = clock.add(1, ordering: .relaxed).newValue
        if let hit = cache.withLock({ c -> RouteEngine? in
            guard let e = c[key] else { return nil }
            c[key] = (tick, e.engine); return e.engine
        }) { return hit }
        let ds = try options.applied(to: try dataset(day: day, scenarios: names).0)
        let engine = RouteEngine(dataset: ds, day: day)
        cache.withLock { c in
            c[key] = (tick, engine)
            if c.count > 16, let oldest = c.min(by: { $0.value.tick < $1.value.tick })?.key { c[oldest] = nil }
        }
        return engine
    }

    public var defaultPairs: [ODPair] { pairs }

    private let distributions = Mutex<[String: TransitDistribution]>([:])
    /// Bound of the route-distribution memo; when full it starts again empty (cheap, and a hot
    /// set refills at once).
    static let distributionMemoLimit = 20_000

    /// The Monte Carlo transit-time distribution of a route, memoised: it depends on the route's
    /// links and stops, the date, the scenarios and the seed, not on the cargo or the weights, so
    /// queries that differ only in those (another weight, value of time) sample once. Routes
    /// through a place attached for the query (a city, typed coordinates) are not memoised.
    /// `generation` is `scenarioGeneration(names)`, read once per request by the caller.
    func distribution(of route: Route, engine: RouteEngine, day: Day, scenarios names: [String], generation: Int, samples: Int, seed: UInt64,
                      deadline: Double? = nil, options: RouteOptions = RouteOptions()) -> TransitDistribution {
        let links = route.legs.flatMap(\.links)
        guard !links.contains(where: { $0.hasPrefix("~") }) else { return engine.percentiles(of: route, samples: samples, seed: seed, deadline: deadline) }
        let stops = route.stops.map { "\($0.kind.rawValue):\($0.place)>\($0.toPlace ?? "")" }
        let key = "\(day)|\(generation)|\(names.joined(separator: "+"))|\(options.key)|\(samples)|\(seed)|\(deadline.map { "\($0)" } ?? "")|\(links.joined(separator: ","))|\(stops.joined(separator: ","))"
        if let hit = distributions.withLock({ $0[key] }) { return hit }
        let d = engine.percentiles(of: route, samples: samples, seed: seed, deadline: deadline)
        distributions.withLock { m in
            if m.count >= Self.distributionMemoLimit { m.removeAll(keepingCapacity: true) }
            m[key] = d
        }
        return d
    }
}

extension RouteOptions {
    /// The dataset with these options applied; a problem is a 400 naming the option.
    func applied(to ds: Dataset) throws(APIError) -> Dataset {
        if isDefault { return ds }
        switch apply(to: ds) {
        case .success(let d): return d
        case .failure(let e): throw APIError.bad(e.option, e.message)
        }
    }
}
