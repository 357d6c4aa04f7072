import Foundation
import CaravanModel

/// A request problem: which field, and why. The server turns it into a 4xx JSON body
/// `{"error": {"field", "reason"}}` with `code` as the status.
public struct APIError: Error, Sendable {
    /// HTTP status code (400, 404, 413, 422, …).
    public var code: Int
    /// The query parameter or body field at fault.
    public var field: String
    /// What is wrong and how to fix it (escaped and bounded text).
    public var reason: String
    /// Creates an error with a status code.
    public init(_ code: Int, field: String, _ reason: String) { self.code = code; self.field = field; self.reason = reason }
    /// A 400 for a malformed field.
    public static func bad(_ field: String, _ reason: String) -> APIError { APIError(400, field: field, reason) }
}

/// Decoded query parameters, looked up by name: the server's own parameters read in place,
/// or a list of pairs (the fuzz harness).
public struct QueryItems: Sendable {
    private let first: @Sendable (String) -> String?
    private let every: @Sendable (String) -> [String]
    /// Lookups over parameters held elsewhere: the first value of a name, and all of them.
    public init(first: @escaping @Sendable (String) -> String?, all: @escaping @Sendable (String) -> [String]) {
        self.first = first; every = all
    }
    /// Decoded (name, value) pairs in order.
    public init(_ pairs: [(String, String)]) {
        self.init(first: { n in pairs.first { $0.0 == n }?.1 }, all: { n in pairs.filter { $0.0 == n }.map(\.1) })
    }
    /// The first value of `name`, nil when absent or empty.
    public func value(_ name: String) -> String? { first(name).flatMap { $0.isEmpty ? nil : $0 } }
    /// The first value of `name` as given (empty included), nil when absent.
    public func raw(_ name: String) -> String? { first(name) }
    /// Every value of `name`.
    public func all(_ name: String) -> [String] { every(name) }
}

/// Reads request inputs with their documented ranges: one implementation for the server's
/// query parameters and JSON bodies, exercised by the request fuzz harness (fuzz/RequestFuzz.swift).
public enum RequestReader {
    /// Most scenarios one request may combine: each is a separate dataset edit pass.
    public static let maxScenarios = 8

    /// `date`: absent is today, empty or malformed is a 400.
    public static func date(_ text: String?) throws(APIError) -> Day {
        guard let text else { return Day.today() }
        guard !text.isEmpty else { throw .bad("date", "empty: give YYYY-MM-DD, or leave the parameter out for today") }
        guard let d = Day(iso: text) else { throw .bad("date", "'\(TextInput.shown(text, limit: 40))' is not a date: write YYYY-MM-DD") }
        return d
    }

    /// A network place by id, name or alias; 400 when missing or ambiguous, 404 when unknown.
    public static func place(_ text: String?, field: String, resolver: PlaceResolver, places: [Place]) throws(APIError) -> Int {
        guard let text, !text.isEmpty else { throw .bad(field, "missing: give a place id, name or alias") }
        switch resolver.resolve(text) {
        case .found(let i): return i
        case .ambiguous(let hits): throw .bad(field, "'\(TextInput.shown(text, limit: 64))' is ambiguous: use one of \(hits.prefix(5).map { places[$0].id }.joined(separator: ", "))")
        case .notFound(let near): throw APIError(404, field: field, "unknown place '\(TextInput.shown(text, limit: 64))'; nearest: \(near.prefix(3).map { places[$0].id }.joined(separator: ", "))")
        }
    }

    /// A finite number within [min, max]; `default` when absent.
    public static func number(_ q: QueryItems, _ name: String, default value: Double? = nil, min: Double? = nil, max: Double? = nil) throws(APIError) -> Double? {
        guard let text = q.value(name) else { return value }
        guard let v = Double(text), v.isFinite else { throw .bad(name, "'\(TextInput.shown(text, limit: 40))' is not a number") }
        if let min, v < min { throw .bad(name, "must be at least \(min)") }
        if let max, v > max { throw .bad(name, "must be at most \(max)") }
        return v
    }

    /// `scenario=a&scenario=b` or `scenario=a,b`, in order.
    public static func scenarios(_ q: QueryItems) throws(APIError) -> [String] {
        let names = q.all("scenario").flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        try checkScenarioNames(names)
        return names
    }

    /// At most `maxScenarios` names of at most 64 characters.
    public static func checkScenarioNames(_ names: [String]) throws(APIError) {
        if names.count > maxScenarios { throw .bad("scenario", "at most \(maxScenarios) scenarios can be combined in one request, got \(names.count)") }
        if let long = names.first(where: { $0.count > 64 }) { throw .bad("scenario", "'\(TextInput.shown(long, limit: 40))' is not a scenario name (at most 64 characters)") }
    }

    /// `cargo`, `quantity`, `valueOfTime` and `carbonPrice`, with the dataset's defaults.
    public static func cargo(_ q: QueryItems, _ p: Parameters) throws(APIError) -> (Cargo, CostWeights) {
        let unitText = q.value("cargo") ?? "teu"
        guard let unit = CargoUnit(rawValue: unitText) else { throw .bad("cargo", "use teu, feu, tonnes, truck or trailer") }
        let quantity = try number(q, "quantity", default: 1, min: 1e-9, max: 1_000_000)!
        var w = CostWeights.defaults(p, for: unit)
        if let v = try number(q, "valueOfTime", min: 0, max: 10_000_000) { w.valueOfTimeUSDPerTEUDay = v }
        if let c = try number(q, "carbonPrice", min: 0, max: 100_000) { w.carbonPriceUSDPerTonne = c }
        return (Cargo(unit: unit, quantity: quantity), w)
    }

    /// A body number within its documented range; `default` when absent.
    public static func field(_ v: Double?, _ name: String, default value: Double, min: Double, max: Double) throws(APIError) -> Double {
        guard let v else { return value }
        guard v >= min, v <= max else { throw .bad(name, "must be between \(min) and \(max)") }
        return v
    }

    /// A JSON body decoded into `T`; no body means every field takes its default. A malformed
    /// body is a 400 naming the field (a path such as `pairs[3].from`).
    public static func decode<T: Decodable>(_ text: String, as type: T.Type) throws(APIError) -> T {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { p, k in k.intValue.map { p + "[\($0)]" } ?? (p.isEmpty ? k.stringValue : p + "." + k.stringValue) }
        }
        let body = text.allSatisfy(\.isWhitespace) ? "{}" : text
        do { return try JSONDecoder().decode(T.self, from: Data(body.utf8)) } catch let e as DecodingError {
            switch e {
            case .keyNotFound(let key, let c): throw .bad(TextInput.shown(path(c.codingPath + [key]), limit: 80), "missing")
            case .typeMismatch(_, let c), .valueNotFound(_, let c):
                throw .bad(TextInput.shown(path(c.codingPath), limit: 80).ifEmpty("body"), TextInput.safeMessage(c.debugDescription, limit: 200))
            case .dataCorrupted(let c): throw .bad(TextInput.shown(path(c.codingPath), limit: 80).ifEmpty("body"), "not valid JSON")
            @unknown default: throw .bad("body", "not valid JSON")
            }
        } catch { throw .bad("body", "not valid JSON") }
    }
}

/// Body of POST /v1/jobs/assignment (all fields optional).
public struct AssignmentRequest: Decodable, Sendable {
    public var date: String?, scenarios: [String]?, demand: String?
    public var scale: Double?, gap: Double?, maxIterations: Double?, maxSeconds: Double?
}
/// Body of POST /v1/jobs/criticality.
public struct CriticalityRequest: Decodable, Sendable { public var date: String?, scenarios: [String]? }
/// Body of POST /v1/jobs/reliability.
public struct ReliabilityRequest: Decodable, Sendable {
    public var from: String?, to: String?, date: String?, scenarios: [String]?
    public var samples: Double?, seed: Double?, deadline: Double?
}
/// Body of POST /v1/batch.
public struct BatchRequest: Decodable, Sendable {
    /// One origin-destination pair by place or city name.
    public struct Pair: Decodable, Sendable { public var from: String; public var to: String }
    public var pairs: [Pair]
    public var date: String?
    public var scenarios: [String]?
    /// true: one row per corridor (as `compare`); false: the best route only.
    public var compare: Bool?
    /// Modes the routes may use, comma-separated (as `modes=` on GET /v1/route); nil = all.
    public var modes: String?
    /// Truck crew, 1 or 2 (default 1).
    public var drivers: Int?
    /// Rail service, "block" (default), "consignment" or "express".
    public var service: String?
}

extension String {
    /// `fallback` when empty.
    public func ifEmpty(_ fallback: String) -> String { isEmpty ? fallback : self }
}
