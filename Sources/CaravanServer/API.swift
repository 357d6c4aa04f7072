import Foundation
import Hummingbird
import CaravanModel
import CaravanFormats
import CaravanEngine

/// The /v1 handlers: read query parameters or a JSON body, validate them (400/404/422 with
/// the field and the reason), compute with the shared Service, answer JSON or GeoJSON.
struct API: Sendable {
    let service: Service
    let jobs: JobManager
    let config: ServerConfiguration
    let compute: ComputePool
    let cache: ResponseCache
    let metrics: Metrics

    /// Serves a deterministic answer from the cache, or computes and keeps it. The key holds
    /// the dataset version, the resolved date (so "today" moves at midnight), the generation of
    /// saved scenarios and every query parameter (repeated ones in their order). Errors are not kept.
    func cached(_ req: Request, _ route: String, _ make: () async throws -> Payload) async throws -> Response {
        guard cache.maxEntries > 0 else { return try await make().response }
        let day = try service.day(dateParam(req))
        var key = "\(route)|\(service.datasetVersion)|\(day)|\(try service.scenarioGeneration(scenarios(req)))"
        let pairs = req.uri.queryParameters.map { (String($0.key), String($0.value)) }
        for (k, v) in pairs.enumerated().sorted(by: { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }).map(\.element) where k != "date" {
            key += "|\(k.utf8.count):\(k)=\(v.utf8.count):\(v)"
        }
        if let hit = cache.get(key) { metrics.cacheLookup(route, hit: true); return hit.response }
        metrics.cacheLookup(route, hit: false)
        let payload = try await make()
        cache.put(key, payload)
        return payload.response
    }

    // MARK: Parameters

    /// The request's decoded query parameters.
    /// The request's query parameters, read in place (no copy of the whole list per lookup).
    func items(_ req: Request) -> QueryItems {
        let q = req.uri.queryParameters
        return QueryItems(first: { q.get($0).map { String($0) } }, all: { q.getAll($0).map { String($0) } })
    }
    func q(_ req: Request, _ name: String) -> String? {
        req.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }
    /// The `date` parameter as given: absent is today, empty is an error (Service.day).
    func dateParam(_ req: Request) -> String? { req.uri.queryParameters.get("date").map { String($0) } }
    func number(_ req: Request, _ name: String, default value: Double? = nil, min: Double? = nil, max: Double? = nil) throws(APIError) -> Double? {
        try RequestReader.number(items(req), name, default: value, min: min, max: max)
    }
    /// `scenario=a&scenario=b` or `scenario=a,b`, applied in order.
    func scenarios(_ req: Request) throws(APIError) -> [String] { try RequestReader.scenarios(items(req)) }
    func cargo(_ req: Request, _ ds: Dataset) throws(APIError) -> (Cargo, CostWeights) { try RequestReader.cargo(items(req), ds.parameters) }
    /// `modes` (comma-separated), `drivers` (1 or 2) and `service` (block, consignment or express).
    /// `cargo=truck` or `cargo=trailer` keeps the shipment on its wheels (RouteOptions.roadVehicle).
    func routeOptions(_ req: Request) throws -> RouteOptions {
        var o = try API.routeOptions(modes: q(req, "modes"), drivers: try number(req, "drivers"), service: q(req, "service"))
        o.roadVehicle = q(req, "cargo").flatMap(CargoUnit.init(rawValue:))?.roadVehicle
        return o
    }

    /// Route options from a query's or a body's fields (RouteOptions.parse); a bad one is a 400 naming it.
    static func routeOptions(modes: String?, drivers: Double?, service: String?) throws(APIError) -> RouteOptions {
        switch RouteOptions.parse(modes: modes, drivers: drivers, service: service) {
        case .success(let o): return o
        case .failure(let e): throw APIError.bad(e.option, e.message)
        }
    }
    /// True without an Authorization header (the anonymous job quota applies); a wrong token is 401.
    func isAnonymous(_ req: Request) throws(APIError) -> Bool {
        guard req.headers[.authorization] != nil else { return true }
        try authorize(req)
        return false
    }
    func authorize(_ req: Request) throws(APIError) {
        guard let token = config.token, !token.isEmpty else {
            throw APIError(403, field: "authorization", "writes are disabled: start the server with a token (CARAVAN_TOKEN or --token)")
        }
        guard req.headers[.authorization] == "Bearer \(token)" else {
            throw APIError(401, field: "authorization", "writes need the header 'Authorization: Bearer <token>'")
        }
    }
    func body(_ req: Request) async throws -> String {
        var r = req
        do {
            let buffer = try await r.collectBody(upTo: config.maxBodyBytes)
            return String(buffer: buffer)
        } catch { throw APIError(413, field: "body", "the body is larger than \(config.maxBodyBytes) bytes") }
    }
    // MARK: Routing

    struct PlaceOut: Codable { var id, name, country, kind: String; var lat, lon: Double; var functions: [String] }

    func places(_ req: Request) throws -> Response {
        let limit = Int(try number(req, "limit", default: 20, min: 1, max: 1000)!)
        return try json(service.placeSearch(q(req, "q") ?? "", limit: limit).map {
            PlaceOut(id: $0.id, name: $0.name, country: $0.country, kind: $0.kind.rawValue, lat: $0.lat, lon: $0.lon, functions: $0.functions.names)
        })
    }

    func route(_ req: Request) throws -> Payload {
        let day = try service.day(dateParam(req))
        let (engine, o, d) = try service.routing(from: q(req, "from"), to: q(req, "to"), day: day, scenarios: try scenarios(req), options: try routeOptions(req))
        let (cargo, weights) = try cargo(req, engine.dataset)
        let corridor = q(req, "corridor")
        if let corridor, engine.dataset.corridor(corridor) == nil {
            throw APIError.bad("corridor", "unknown corridor '\(TextInput.shown(corridor, limit: 40))': use \(engine.dataset.corridors.map(\.id).joined(separator: ", "))")
        }
        guard let r = engine.best(from: o, to: d, cargo: cargo, weights: weights, corridor: corridor) else {
            throw APIError(404, field: "route", "no route: " + (corridor.map { engine.explainMissingCorridor($0, from: o, to: d) } ?? engine.explainNoRoute(from: o, to: d)))
        }
        if q(req, "format") == "geojson" {
            return Payload(bytes: ByteBuffer(string: GeoJSON.serialize(GeoJSON.routes([r], dataset: engine.dataset))), contentType: "application/geo+json")
        }
        return try jsonPayload(r)
    }

    struct CompareRow: Codable { var corridor: String; var name: String; var route: Route?; var reason: String?; var p50: Double?; var p90: Double?; var onTime: Double?; var distribution: TransitDistribution? }
    struct EndOut: Codable { var id: String; var name: String; var country: String; var lat: Double; var lon: Double }
    struct CompareOut: Codable { var date: String; var origin: EndOut; var destination: EndOut; var corridors: [CompareRow]; var best: Route? }

    func compare(_ req: Request) throws -> Payload {
        let day = try service.day(dateParam(req))
        let names = try scenarios(req)
        let options = try routeOptions(req)
        let (engine, o, d) = try service.routing(from: q(req, "from"), to: q(req, "to"), day: day, scenarios: names, options: options)
        let (cargo, weights) = try cargo(req, engine.dataset)
        let withPercentiles = q(req, "percentiles") != "false"
        let deadline = try number(req, "deadline", min: 0, max: 3650)
        if deadline != nil && !withPercentiles { throw APIError.bad("deadline", "needs percentiles=true: the chance to meet a deadline comes from the sampled distribution") }
        let generation = withPercentiles ? try service.scenarioGeneration(names) : 0
        let rows = engine.compare(from: o, to: d, cargo: cargo, weights: weights).map { c -> CompareRow in
            let dist = withPercentiles ? c.route.map { service.distribution(of: $0, engine: engine, day: day, scenarios: names, generation: generation,
                                                                            samples: 4000, seed: 1, deadline: deadline, options: options) } : nil
            return CompareRow(corridor: c.corridor, name: c.name, route: c.route, reason: c.reason, p50: dist?.p50, p90: dist?.p90, onTime: dist?.probabilityWithinDeadline, distribution: dist)
        }
        // The overall best may mix corridors (e.g. Nakhchivan to Baku): the page draws it too.
        let best = engine.best(from: o, to: d, cargo: cargo, weights: weights, corridor: nil)
        func end(_ i: Int) -> EndOut { let p = engine.dataset.places[i]; return EndOut(id: p.id, name: p.name, country: p.country, lat: p.lat, lon: p.lon) }
        return try jsonPayload(CompareOut(date: day.description, origin: end(o), destination: end(d), corridors: rows, best: best))
    }

    func reliability(_ req: Request) throws -> Payload {
        let day = try service.day(dateParam(req))
        let samples = Int(try number(req, "samples", default: 10_000, min: 100, max: 50_000)!)
        let seed = UInt64(try number(req, "seed", default: 1, min: 0, max: 1e15)!)
        let (engine, o, d) = try service.routing(from: q(req, "from"), to: q(req, "to"), day: day, scenarios: try scenarios(req), options: try routeOptions(req))
        let (cargo, weights) = try cargo(req, engine.dataset)
        guard let r = engine.reliability(from: o, to: d, cargo: cargo, weights: weights, deadline: try number(req, "deadline", min: 0, max: 3650), samples: samples, seed: seed) else {
            throw APIError(404, field: "route", "no route: " + engine.explainNoRoute(from: o, to: d))
        }
        return try jsonPayload(r)
    }

    // MARK: Scenarios

    struct ScenarioInfo: Codable { var name: String; var title: String; var saved: Bool }

    func scenarios() throws -> Response {
        let (bundled, saved) = try service.scenarioNames()
        let list = try (bundled + saved).map { n -> ScenarioInfo in
            let s = try service.scenario(n)
            return ScenarioInfo(name: n, title: s.scenario.title, saved: s.saved)
        }
        return try json(list)
    }

    struct ScenarioDetail: Codable { var name, title, description: String; var saved: Bool; var edits: [String]; var yaml: String }

    func scenario(_ name: String) throws -> Response {
        let s = try service.scenario(name)
        return try json(ScenarioDetail(name: name, title: s.scenario.title, description: s.scenario.description, saved: s.saved,
                                       edits: s.scenario.edits.map { "line \($0.line): \($0.summary)" }, yaml: s.yaml))
    }

    func saveScenario(_ req: Request) async throws -> Response {
        try authorize(req)
        let yaml = try await body(req)
        guard let nameLine = yaml.split(separator: "\n").first(where: { $0.hasPrefix("name:") }) else {
            throw APIError(422, field: "name", "the YAML has no top-level name: (see docs/scenarios.md)")
        }
        let name = nameLine.dropFirst(5).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" }) else {
            throw APIError(422, field: "name", "'\(name)' must be lowercase letters, digits and '-' (at most 64)")
        }
        if try service.scenarioNames().bundled.contains(name) { throw APIError(409, field: "name", "'\(name)' is a bundled scenario: choose another name") }
        let problems = service.validateScenario(name: name, yaml: yaml)
        switch problems.isEmpty {
        case false:
            let body = try JSONSerialization.data(withJSONObject: ["error": ["field": "body", "reason": "the scenario is invalid"],
                                                                    "problems": problems.map { ["field": $0.0, "reason": $0.1] }], options: [.sortedKeys])
            return Response(status: .unprocessableContent, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        case true:
            guard try service.store.saveScenario(name: name, yaml: yaml) else {
                throw APIError(409, field: "name", "a saved scenario '\(name)' exists: delete it first or choose another name")
            }
            return try json(["name": name, "url": "/v1/scenarios/\(name)"], status: .created)
        }
    }

    func deleteScenario(_ req: Request, _ name: String) throws -> Response {
        try authorize(req)
        if try service.scenarioNames().bundled.contains(name) { throw APIError(403, field: "name", "bundled scenarios are part of the dataset and cannot be deleted") }
        guard try service.store.deleteScenario(name) else { throw APIError(404, field: "name", "no saved scenario '\(name)'") }
        return Response(status: .noContent)
    }

    struct DiffSide: Codable { var days: Double; var usd: Double; var co2eKg: Double; var corridor: String }
    struct DiffRowOut: Codable { var origin: String; var destination: String; var before: DiffSide?; var after: DiffSide? }

    func diff(_ req: Request) throws -> Payload {
        let day = try service.day(dateParam(req))
        func names(_ field: String) throws -> [String] {
            guard let spec = q(req, field) else { throw APIError.bad(field, "give base or scenario names joined with +") }
            return spec == "base" ? [] : spec.split(separator: "+").map(String.init)
        }
        let a = try service.engine(day: day, scenarios: try names("a")), b = try service.engine(day: day, scenarios: try names("b"))
        let cargo = Cargo(), weights = CostWeights.defaults(service.base.parameters)
        func side(_ r: Route?) -> DiffSide? { r.map { DiffSide(days: $0.totals.days, usd: $0.totals.usd, co2eKg: $0.totals.co2eKg, corridor: $0.corridor ?? "mixed") } }
        let rows = service.defaultPairs.map { p in
            DiffRowOut(origin: service.base.places[p.origin].id, destination: service.base.places[p.destination].id,
                       before: side(a.best(from: p.origin, to: p.destination, cargo: cargo, weights: weights)),
                       after: side(b.best(from: p.origin, to: p.destination, cargo: cargo, weights: weights)))
        }
        return try jsonPayload(rows)
    }

    struct EventOut: Codable { var date: String; var id: String; var kind: String; var title: String; var refs: [String]; var sources: [String] }

    /// The dated timeline (events.csv), oldest first: the page marks it on its date slider.
    func events() throws -> Response {
        try json(service.base.events.sorted { ($0.date, $0.id) < ($1.date, $1.id) }.map {
            EventOut(date: $0.date.description, id: $0.id, kind: $0.kind, title: $0.title, refs: $0.refs, sources: $0.sources)
        })
    }

    /// Sources whose id, publisher, title or address contains every word of `q` (at most `limit`).
    func sources(_ req: Request) throws -> Response {
        guard let text = q(req, "q"), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.bad("q", "give words to search the sources' ids, publishers, titles and addresses for (e.g. q=CAREC 2022)")
        }
        // Bounded like the spec's maxLength: every word is matched against every source.
        guard text.count <= 256 else { throw APIError.bad("q", "at most 256 characters: search a few words of the title or publisher") }
        let limit = Int(try number(req, "limit", default: 50, min: 1, max: 2000)!)
        return try json(Array(service.base.searchSources(text).prefix(limit)))
    }

    /// One source: its row, the figures it states for values, and every row citing it.
    func source(_ id: String) throws -> Response {
        guard let report = service.base.sourceReport(id) else {
            throw APIError(404, field: "id", "unknown source '\(TextInput.shown(id, limit: 64))'\(Suggest.hint(id, in: service.base.sources.map(\.id)))")
        }
        return try json(report)
    }

    func network(_ req: Request) throws -> Response {
        let day = try service.day(dateParam(req))
        let engine = try service.engine(day: day, scenarios: try scenarios(req))
        let links = engine.network.snapshot.links
        return text(GeoJSON.serialize(GeoJSON.network(engine.dataset, day: day) { links[$0].available }), type: "application/geo+json")
    }

    func energy(_ req: Request, geojson: Bool) throws -> Response {
        let names = try scenarios(req)
        var day = try service.day(dateParam(req))
        let year = try number(req, "year", min: 1900, max: 2100).map { Int($0) }
        if q(req, "date") == nil, let year { day = Day(iso: String(format: "%04d-07-01", year))! }
        let (ds, _) = try service.dataset(day: day, scenarios: names)
        guard !ds.energy.assets.isEmpty else { throw APIError(404, field: "energy", "the dataset has no energy layer") }
        let report = EnergyFlowModel(data: ds.energy, day: day, year: year ?? day.components.year, places: ds.places).solve(scenarios: names)
        if geojson { return text(GeoJSON.serialize(EnergyGeoJSON.make(report, ds)), type: "application/geo+json") }
        return try json(report)
    }

    /// Published annual energy volumes beside the model's, year by year (`caravan energy history`).
    func energyHistory(_ req: Request) throws -> Response {
        if req.uri.queryParameters.get("date") != nil {
            throw APIError(400, field: "date", "energy history solves each year as a whole: leave out date and give from and to (years)")
        }
        let names = try scenarios(req)
        var commodity: Commodity?
        if let c = q(req, "commodity") {
            guard let v = Commodity(rawValue: c) else {
                throw APIError(400, field: "commodity", "use \(Commodity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            commodity = v
        }
        let from = try number(req, "from", min: 1900, max: 2100).map { Int($0) } ?? 1900
        let to = try number(req, "to", min: 1900, max: 2100).map { Int($0) } ?? 2100
        guard from <= to else { throw APIError(400, field: "from", "from \(from) is after to \(to)") }
        let (ds, _) = try service.dataset(day: try service.day(nil), scenarios: names)
        guard !ds.energy.observations.isEmpty else { throw APIError(404, field: "energy", "the dataset has no energy/energy-observed.csv rows") }
        return try json(EnergyHistory.compare(ds, commodity: commodity, years: from...to, scenarios: names))
    }

    // MARK: Jobs and runs

    func inputJSON(_ dict: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: dict, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }
    /// Saved scenarios' YAML goes into the run's input, so the run can be reproduced after they change.
    func reproducible(_ input: [String: Any], scenarios: [String]) throws -> String {
        var i = input
        i["scenarioYAML"] = try Dictionary(uniqueKeysWithValues: scenarios.map { ($0, try service.scenario($0).yaml) })
        i["datasetVersion"] = service.datasetVersion
        return inputJSON(i)
    }
    func accepted(_ id: String?) throws -> Response {
        guard let id else { throw APIError(429, field: "jobs", "the job queue is full (2 running, 16 waiting): retry later") }
        return try json(["id": id, "url": "/v1/jobs/\(id)"], status: .accepted)
    }

    @inline(never) func field(_ v: Double?, _ name: String, default value: Double, min: Double, max: Double) throws -> Double {
        try RequestReader.field(v, name, default: value, min: min, max: max)
    }
    @inline(never) func scenarioNames(_ names: [String]?) throws -> [String] {
        try RequestReader.checkScenarioNames(names ?? [])
        return names ?? []
    }

    /// Days over which indexed tariffs are averaged for an assignment (the CLI's default).
    static let rateWindowDays = 365

    /// The freight assignment of a job: the compiled network of the date and scenarios (from the
    /// engine cache, its tariffs re-priced at the year's rates) and a demand file of the dataset;
    /// a bad demand or dataset is a 422.
    func assignmentModel(day: Day, scenarios names: [String], demand demandName: String, scale: Double) throws -> FreightAssignmentModel {
        var network = try service.engine(day: day, scenarios: names).network
        // Annual demand answers to the year's rates, as in `caravan assign` (--rate-window 365):
        // the cached graph's values are patched, not recompiled (same structure, other tariffs).
        network.retarget(to: NetworkSnapshot(dataset: network.snapshot.dataset.averagingTariffIndex(over: API.rateWindowDays, endingOn: day).withoutMeasuredQueues(), day: day))
        let demand: [FreightDemand]
        do { demand = try DemandReader.load(path: (service.folder as NSString).appendingPathComponent(demandName), dataset: network.snapshot.dataset) } catch {
            throw APIError(422, field: "demand", TextInput.safeMessage(error.description, limit: 1000))
        }
        do { return try FreightAssignmentModel(network: network, demand: demand, scale: scale) } catch {
            throw APIError(422, field: "dataset", error.description)
        }
    }

    func submitAssignment(_ req: Request) async throws -> Response {
        let anonymous = try isAnonymous(req)
        let b = try await decodeBody(req, as: AssignmentRequest.self)
        let day = try service.day(b.date)
        let names = try scenarioNames(b.scenarios)
        let scale = try field(b.scale, "scale", default: 1, min: 1e-6, max: 1e3)
        let gap = try field(b.gap, "gap", default: 1e-6, min: 1e-14, max: 1)
        let maxIt = Int(try field(b.maxIterations, "maxIterations", default: 1000, min: 1, max: 100_000))
        let maxSeconds = try field(b.maxSeconds, "maxSeconds", default: 300, min: 0.1, max: 3600)
        let demandName = b.demand ?? "demand-2024.csv"
        guard demandName.range(of: #"^demand-[a-z0-9-]+\.csv$"#, options: .regularExpression) != nil else {
            throw APIError.bad("demand", "a demand file of the dataset, named demand-*.csv")
        }
        _ = try assignmentModel(day: day, scenarios: names, demand: demandName, scale: scale)   // a bad demand or dataset is a 422 now, not a failed job
        let input = try reproducible(["kind": "assignment", "date": day.description, "scenarios": names, "scale": scale, "gap": gap,
                                      "maxIterations": maxIt, "maxSeconds": maxSeconds, "demand": demandName], scenarios: names)
        return try accepted(try await jobs.submit(kind: "assignment", input: input, datasetVersion: service.datasetVersion, anonymous: anonymous))
    }

    func submitCriticality(_ req: Request) async throws -> Response {
        let anonymous = try isAnonymous(req)
        let b = try await decodeBody(req, as: CriticalityRequest.self)
        let day = try service.day(b.date)
        let names = try scenarioNames(b.scenarios)
        _ = try service.engine(day: day, scenarios: names)   // unknown scenarios fail now, not in the job
        guard !service.defaultPairs.isEmpty else { throw APIError(422, field: "pairs", "the dataset has no od-pairs.csv") }
        let input = try reproducible(["kind": "criticality", "date": day.description, "scenarios": names, "pairs": "od-pairs.csv"], scenarios: names)
        return try accepted(try await jobs.submit(kind: "criticality", input: input, datasetVersion: service.datasetVersion, anonymous: anonymous))
    }

    func submitReliability(_ req: Request) async throws -> Response {
        let anonymous = try isAnonymous(req)
        let b = try await decodeBody(req, as: ReliabilityRequest.self)
        let o = try service.place(b.from, field: "from"), d = try service.place(b.to, field: "to")
        let day = try service.day(b.date)
        let names = try scenarioNames(b.scenarios)
        let samples = Int(try field(b.samples, "samples", default: 200_000, min: 100, max: 2_000_000))
        let seed = UInt64(try field(b.seed, "seed", default: 1, min: 0, max: 1e15))
        let deadline = try b.deadline.map { try field($0, "deadline", default: 0, min: 0, max: 1000) }
        let engine = try service.engine(day: day, scenarios: names)
        var fields: [String: Any] = ["kind": "reliability", "from": engine.dataset.places[o].id, "to": engine.dataset.places[d].id, "date": day.description,
                                     "scenarios": names, "samples": samples, "seed": seed]
        if let deadline { fields["deadline"] = deadline }   // JSON has no place for a nil Any
        let input = try reproducible(fields, scenarios: names)
        return try accepted(try await jobs.submit(kind: "reliability", input: input, datasetVersion: service.datasetVersion, anonymous: anonymous))
    }

    /// A JSON body decoded into a Codable request; a malformed body is a 400 naming the field.
    func decodeBody<T: Decodable>(_ req: Request, as type: T.Type) async throws -> T {
        let text = try await body(req)
        return try API.decode(text, as: T.self)
    }
    /// Kept out of line and untyped: a typed throw inlined into these async handlers crashes
    /// the Swift 6.3 optimizer (coroutine splitting).
    @inline(never) static func decode<T: Decodable>(_ text: String, as type: T.Type) throws -> T {
        try RequestReader.decode(text, as: T.self)
    }

    struct BatchRow: Codable {
        var index: Int; var from: String; var to: String
        var corridor: String?; var days: Double?; var usd: Double?; var co2eKg: Double?; var km: Double?; var borders: Int?
        var estimatedLegs: Bool?; var warnings: [String]?
        var error: String?
    }
    struct BatchPair: Sendable { var from: String; var to: String }
    struct BatchResult: Codable { var pairs: Int; var failed: Int; var rows: [BatchRow] }
    /// Most pairs one batch job takes (the CLI's --pairs has no limit).
    static let batchLimit = 10_000

    func submitBatch(_ req: Request) async throws -> Response {
        let anonymous = try isAnonymous(req)
        let b = try await decodeBody(req, as: BatchRequest.self)
        guard !b.pairs.isEmpty else { throw APIError.bad("pairs", "empty: give [{\"from\": …, \"to\": …}, …]") }
        guard b.pairs.count <= API.batchLimit else { throw APIError(413, field: "pairs", "\(b.pairs.count) pairs: at most \(API.batchLimit) per batch; split the file") }
        let day = try service.day(b.date)
        let names = b.scenarios ?? []
        try RequestReader.checkScenarioNames(names)
        let options = try API.routeOptions(modes: b.modes, drivers: b.drivers.map(Double.init), service: b.service)
        _ = try service.engine(day: day, scenarios: names, options: options)   // unknown scenarios and bad options fail now, not in the job
        let perCorridor = b.compare ?? false
        var fields: [String: Any] = ["kind": "batch", "date": day.description, "scenarios": names, "compare": perCorridor,
                                     "pairs": b.pairs.map { ["from": $0.from, "to": $0.to] }]
        if let m = options.modesList { fields["modes"] = m }
        if options.drivers != 1 { fields["drivers"] = options.drivers }
        if options.service != .block { fields["service"] = options.service.rawValue }
        let input = try reproducible(fields, scenarios: names)
        return try accepted(try await jobs.submit(kind: "batch", input: input, datasetVersion: service.datasetVersion, anonymous: anonymous))
    }

    /// A job's work from its kind and stored input: any replica runs any job, and a job taken
    /// over after its replica died runs again from what was stored.
    func makeWork(kind: String, input: String) throws -> JobWork {
        guard let i = (try? JSONSerialization.jsonObject(with: Data(input.utf8))) as? [String: Any] else { throw APIError(422, field: "input", "not a JSON object") }
        if let v = i["datasetVersion"] as? String, v != service.datasetVersion {
            throw APIError(409, field: "datasetVersion", "the job was submitted for dataset \(v); this replica serves \(service.datasetVersion)")
        }
        let day = try service.day(i["date"] as? String)
        let names = i["scenarios"] as? [String] ?? []
        // Saved scenarios as they were at submission: a job run again after its replica stopped
        // must not silently use a text that was changed or deleted since.
        let savedYAML = i["scenarioYAML"] as? [String: String] ?? [:]
        let service = self.service, work = try workBody(kind: kind, input: i, day: day, names: names)
        return { job in
            for (name, yaml) in savedYAML where try service.scenario(name).yaml != yaml {
                throw APIError(409, field: "scenarios", "scenario '\(name)' changed after the job was submitted: submit the job again")
            }
            return try work(job)
        }
    }

    /// The work of each job kind from its stored input.
    private func workBody(kind: String, input i: [String: Any], day: Day, names: [String]) throws -> JobWork {
        let service = self.service
        func number(_ key: String) throws -> Double {
            guard let v = (i[key] as? NSNumber)?.doubleValue else { throw APIError(422, field: key, "missing from the job's input") }
            return v
        }
        switch kind {
        case "assignment":
            let scale = try number("scale"), gap = try number("gap"), maxIt = Int(try number("maxIterations")), maxSeconds = try number("maxSeconds")
            let demandName = i["demand"] as? String ?? "demand-2024.csv"
            return { job in
                let model = try self.assignmentModel(day: day, scenarios: names, demand: demandName, scale: scale)
                let stop = AssignmentStop(gap: gap, maxIterations: maxIt, maxSeconds: maxSeconds, isCancelled: { job.isCancelled })
                let report = model.solve(stop: stop, scenarios: names) { it in
                    let p = it.relativeGap > 0 ? min(1, max(0, log10(1 / it.relativeGap) / log10(1 / gap))) : 1
                    job.report(p, String(format: "iteration %d, gap %.2e", it.iteration, it.relativeGap))
                }
                return try String(decoding: JSONEncoder().encode(report), as: UTF8.self)
            }
        case "criticality":
            return { job in
                let engine = try service.engine(day: day, scenarios: names)
                let report = engine.criticality(pairs: service.defaultPairs, cargo: Cargo(), weights: CostWeights.defaults(engine.dataset.parameters)) { done, total in
                    job.report(Double(done) / Double(max(1, total)), "\(done) of \(total) items")
                }
                return try String(decoding: JSONEncoder().encode(report), as: UTF8.self)
            }
        case "reliability":
            let samples = Int(try number("samples")), seed = UInt64(try number("seed")), deadline = (i["deadline"] as? NSNumber)?.doubleValue
            guard let from = i["from"] as? String, let to = i["to"] as? String else { throw APIError(422, field: "from", "missing from the job's input") }
            return { job in
                let engine = try service.engine(day: day, scenarios: names)
                let o = try service.place(from, field: "from"), d = try service.place(to, field: "to")
                job.report(0.05, "sampling \(samples) transits per candidate route")
                guard let r = engine.reliability(from: o, to: d, cargo: Cargo(), weights: CostWeights.defaults(engine.dataset.parameters), deadline: deadline, samples: samples, seed: seed) else {
                    throw APIError(404, field: "route", "no route")
                }
                return try String(decoding: JSONEncoder().encode(r), as: UTF8.self)
            }
        case "batch":
            let perCorridor = i["compare"] as? Bool ?? false
            let pairs = (i["pairs"] as? [[String: String]] ?? []).map { BatchPair(from: $0["from"] ?? "", to: $0["to"] ?? "") }
            let options = try API.routeOptions(modes: i["modes"] as? String, drivers: (i["drivers"] as? NSNumber)?.doubleValue, service: i["service"] as? String)
            return { job in
                var rows: [BatchRow] = [], failed = 0
                for (i, p) in pairs.enumerated() {
                    if job.isCancelled { break }
                    if i % 50 == 0 { job.report(Double(i) / Double(pairs.count), "\(i) of \(pairs.count) pairs") }
                    func row(_ r: Route?, corridor: String?, error: String?) -> BatchRow {
                        BatchRow(index: i, from: p.from, to: p.to, corridor: corridor ?? r.map { $0.corridor ?? "mixed" }, days: r?.totals.days, usd: r?.totals.usd,
                                 co2eKg: r?.totals.co2eKg, km: r?.totals.km, borders: r?.totals.borderCrossings,
                                 estimatedLegs: r.map { $0.legs.contains { $0.estimatedLength || $0.carriage != nil } }, warnings: r.map(\.warnings), error: error)
                    }
                    do {
                        let (engine, o, d) = try service.routing(from: p.from, to: p.to, day: day, scenarios: names, options: options)
                        let weights = CostWeights.defaults(engine.dataset.parameters)
                        if perCorridor {
                            for c in engine.compare(from: o, to: d, cargo: Cargo(), weights: weights) { rows.append(row(c.route, corridor: c.corridor, error: c.reason)) }
                        } else if let r = engine.best(from: o, to: d, cargo: Cargo(), weights: weights, corridor: nil) {
                            rows.append(row(r, corridor: nil, error: nil))
                        } else {
                            failed += 1; rows.append(row(nil, corridor: nil, error: "no route: " + engine.explainNoRoute(from: o, to: d)))
                        }
                    } catch let e as APIError {
                        failed += 1; rows.append(row(nil, corridor: nil, error: "\(e.field): \(e.reason)"))
                    }
                }
                job.report(1, "\(pairs.count) pairs, \(failed) failed")
                return try String(decoding: JSONEncoder().encode(BatchResult(pairs: pairs.count, failed: failed, rows: rows)), as: UTF8.self)
            }
        default:
            throw APIError(422, field: "kind", "unknown job kind '\(kind)'")
        }
    }

    /// `{"job": {...}, "result": <the stored result JSON>}`.
    /// The job or run as JSON with its stored result spliced in: the result was written by
    /// JSONEncoder when the job finished, so it is valid JSON and need not be decoded again.
    func withResult(_ meta: Data, _ result: String?) -> Response {
        var out = Data("{\"job\":".utf8)
        out.append(meta)
        out.append(Data(",\"result\":".utf8))
        out.append(Data((result ?? "null").utf8))
        out.append(Data("}".utf8))
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    func job(_ id: String) async throws -> Response {
        guard var s = try await jobs.status(id) else { throw APIError(404, field: "id", "no job '\(id)'") }
        let result = s.result
        s.result = nil
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        return withResult(try enc.encode(s), result)
    }

    func cancelJob(_ req: Request, _ id: String) async throws -> Response {
        try authorize(req)
        guard try service.store.run(id) != nil else { throw APIError(404, field: "id", "no job '\(id)'") }
        guard try await jobs.cancel(id) else { throw APIError(409, field: "id", "job '\(id)' has already finished") }
        return try json(["id": id, "status": "cancelling"], status: .accepted)
    }

    func runs(_ req: Request) throws -> Response {
        let limit = Int(try number(req, "limit", default: 100, min: 1, max: 1000)!)
        return try json(try service.store.runs(limit: limit))
    }

    func run(_ id: String) throws -> Response {
        guard var r = try service.store.run(id) else { throw APIError(404, field: "id", "no run '\(id)'") }
        let result = r.result
        r.result = nil
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        return withResult(try enc.encode(r), result)
    }

    func deleteRun(_ req: Request, _ id: String) throws -> Response {
        try authorize(req)
        guard try service.store.deleteRun(id) else { throw APIError(404, field: "id", "no run '\(id)'") }
        return Response(status: .noContent)
    }
}


