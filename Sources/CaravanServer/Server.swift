import Foundation
import Synchronization
import Hummingbird
import Logging
import CoreMetrics
import Prometheus
import CaravanModel
import CaravanFormats
import CaravanEngine

extension APIError: HTTPResponseError {
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code) }
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = (try? JSONEncoder().encode(["error": ["field": field, "reason": reason]])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Server settings (command line, environment).
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// An SQLite file, or a `postgres://user:password@host:port/database` URL shared by replicas.
    public var databasePath: String = StoreFactory.defaultPath()
    /// A job's lease: a replica renews it three times per period; another claims the job once it lapses.
    public var jobLeaseSeconds: Double = 15
    /// Bearer token that writes need; nil = writes refused.
    public var token: String?
    public var datasetFolder: String
    public var maxBodyBytes = 1 << 20
    /// A connection that sends nothing for this long is closed (slow or stalled clients).
    public var idleTimeoutSeconds: Int64 = 30
    /// Requests computing at once beyond this get 503.
    public var maxConcurrentRequests = 256
    /// Threads for CPU-heavy requests (default: the number of cores) and how many may wait.
    public var computeThreads = ProcessInfo.processInfo.activeProcessorCount
    public var computeQueue = 64
    /// A heavy request that cannot start within this many seconds gets 503.
    public var requestDeadlineSeconds: Int64 = 20
    /// Bounds of the cache of deterministic answers (route, compare, reliability, scenario diffs); 0 entries = off.
    public var responseCacheEntries = 4096
    public var responseCacheBytes = 64 << 20
    public init(datasetFolder: String) { self.datasetFolder = datasetFolder }
}

/// Request metrics recorded through swift-metrics and exported by swift-prometheus at /metrics.
/// Each server has its own registry and factory (no global bootstrap), so servers in one
/// process (the tests) keep separate counts.
final class Metrics: Sendable {
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private struct PerRoute: Sendable { let requests: CoreMetrics.Counter; let errors: CoreMetrics.Counter; let duration: CoreMetrics.Timer }
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let routes = Mutex<[String: PerRoute]>([:])
    private let inFlightGauge: CoreMetrics.Meter
    /// Requests being served, for the concurrency limit (and mirrored in the gauge).
    let inFlight = Atomic<Int>(0)

    init() {
        var f = PrometheusMetricsFactory(registry: registry)
        f.defaultDurationHistogramBuckets = Metrics.bounds.map { .nanoseconds(Int64($0 * 1e9)) }
        factory = f
        inFlightGauge = CoreMetrics.Meter(label: "caravan_requests_in_flight", dimensions: [], factory: f)
    }

    func enter() -> Int { inFlightGauge.increment(); return inFlight.add(1, ordering: .relaxed).newValue }
    func leave() { inFlightGauge.decrement(); inFlight.subtract(1, ordering: .relaxed) }

    func record(_ route: String, status: Int, duration: Duration) {
        let m = routes.withLock { r in
            if let m = r[route] { return m }
            let d = [("route", route)]
            let m = PerRoute(requests: CoreMetrics.Counter(label: "caravan_requests_total", dimensions: d, factory: factory),
                             errors: CoreMetrics.Counter(label: "caravan_request_errors_total", dimensions: d, factory: factory),
                             duration: CoreMetrics.Timer(label: "caravan_request_duration_seconds", dimensions: d, factory: factory))
            r[route] = m
            return m
        }
        m.requests.increment()
        if status >= 400 { m.errors.increment() }
        m.duration.record(duration: duration)
    }

    private let cacheCounters = Mutex<[String: CoreMetrics.Counter]>([:])
    /// Counts a response-cache lookup (`caravan_response_cache_hits_total` / `_misses_total` by route).
    func cacheLookup(_ route: String, hit: Bool) {
        let name = hit ? "caravan_response_cache_hits_total" : "caravan_response_cache_misses_total"
        let c = cacheCounters.withLock { c in
            if let x = c[name + route] { return x }
            let x = CoreMetrics.Counter(label: name, dimensions: [("route", route)], factory: factory)
            c[name + route] = x
            return x
        }
        c.increment()
    }

    /// The Prometheus text exposition of every metric.
    func text() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// Logs, counts, bounds concurrency and time of every request; turns errors into JSON bodies.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: Metrics
    let logger: Logger
    let maxInFlight: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let route = "\(request.method) \(context.endpointPath ?? "unmatched")"
        let n = metrics.enter()
        defer { metrics.leave() }
        var response: Response
        if n > maxInFlight {
            response = try APIError(503, field: "server", "too many requests at once: retry shortly").response(from: request, context: context)
        } else {
            do {
                response = try await next(request, context)
            } catch let e as APIError {
                response = try e.response(from: request, context: context)
            } catch let e as HTTPResponseError {
                response = try e.response(from: request, context: context)
            } catch is EncodingError {
                logger.warning("result not encodable", metadata: ["route": "\(route)"])
                response = try APIError(422, field: "query", "the result has a value that is not a finite number: use smaller inputs").response(from: request, context: context)
            } catch {
                // Details go to the log only: a response never exposes internals.
                logger.error("request failed", metadata: ["route": "\(route)", "error": "\(error)"])
                response = try APIError(500, field: "server", "internal error: the request was logged").response(from: request, context: context)
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
        metrics.record(route, status: Int(response.status.code), duration: elapsed)
        logger.info("request", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                                          "ms": "\(String(format: "%.2f", seconds * 1000))"])
        return response
    }
}

/// JSON response with sorted keys (stable for diffs and tests).
func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let p = try jsonPayload(value)
    return Response(status: status, headers: [.contentType: p.contentType], body: .init(byteBuffer: p.bytes))
}

/// The JSON body of a response, sorted keys, for caching.
func jsonPayload<T: Encodable>(_ value: T) throws -> Payload {
    Payload(bytes: ByteBuffer(bytes: try SortedJSON.encode(value)), contentType: "application/json; charset=utf-8")
}

func text(_ s: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: s)))
}

/// The HTTP API (/v1), the web page and the documents, over one Service and JobManager.
public struct CaravanHTTP: Sendable {
    public let service: Service
    public let jobs: JobManager
    public let config: ServerConfiguration
    let metrics = Metrics()

    /// Every route, as (method, path) in OpenAPI form: the tests check it against openapi.yaml.
    public static let routes: [(method: String, path: String)] = [
        ("GET", "/health"), ("GET", "/metrics"), ("GET", "/openapi.yaml"),
        ("GET", "/v1/places"), ("GET", "/v1/route"), ("GET", "/v1/compare"), ("GET", "/v1/reliability"),
        ("GET", "/v1/scenarios"), ("POST", "/v1/scenarios"), ("GET", "/v1/scenarios/{name}"), ("DELETE", "/v1/scenarios/{name}"),
        ("GET", "/v1/scenario-diff"), ("GET", "/v1/network"), ("GET", "/v1/events"), ("GET", "/v1/sources"), ("GET", "/v1/sources/{id}"), ("GET", "/v1/energy"), ("GET", "/v1/energy/geojson"), ("GET", "/v1/energy/history"),
        ("POST", "/v1/jobs/assignment"), ("POST", "/v1/jobs/criticality"), ("POST", "/v1/jobs/reliability"), ("POST", "/v1/batch"),
        ("GET", "/v1/jobs/{id}"), ("DELETE", "/v1/jobs/{id}"),
        ("GET", "/v1/runs"), ("GET", "/v1/runs/{id}"), ("DELETE", "/v1/runs/{id}"),
    ]

    /// CPU-heavy request work runs here, off the event loops and the cooperative pool.
    public let compute: ComputePool

    public init(config: ServerConfiguration) throws {
        self.config = config
        let store = try StoreFactory.open(config.databasePath)
        service = try Service(folder: config.datasetFolder, store: store)
        jobs = JobManager(store: store, leaseSeconds: config.jobLeaseSeconds)
        compute = ComputePool(name: "caravan.compute", width: config.computeThreads, queueLimit: config.computeQueue, maxWait: .seconds(config.requestDeadlineSeconds))
    }


    public func router(logger: Logger) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: GuardMiddleware(metrics: metrics, logger: logger, maxInFlight: config.maxConcurrentRequests))
        let api = API(service: service, jobs: jobs, config: config, compute: compute,
                      cache: ResponseCache(maxEntries: config.responseCacheEntries, maxBytes: config.responseCacheBytes), metrics: metrics)
        let compute = self.compute, jobs = self.jobs
        // The job loop builds work through the API, so it starts with the router (once).
        Task { await jobs.start(factory: api.makeWork) }
        router.get("/health") { _, _ in try json(["status": "ok", "dataset": api.service.base.name, "datasetVersion": api.service.datasetVersion]) }
        router.get("/metrics") { _, _ in text(metrics.text(), type: "text/plain; version=0.0.4") }
        router.get("/openapi.yaml") { _, _ in text(WebAssets.shared.openAPI, type: "application/yaml") }
        router.get("/") { _, _ in try WebAssets.shared.response("index.html") }
        router.get("/static/{file}") { _, ctx in try WebAssets.shared.response(ctx.parameters.get("file") ?? "") }
        router.get("/v1/places") { req, _ in try await compute.run { try api.places(req) } }
        router.get("/v1/route") { req, _ in try await api.cached(req, "/v1/route") { try await compute.run { try api.route(req) } } }
        router.get("/v1/compare") { req, _ in try await api.cached(req, "/v1/compare") { try await compute.run { try api.compare(req) } } }
        router.get("/v1/reliability") { req, _ in try await api.cached(req, "/v1/reliability") { try await compute.run { try api.reliability(req) } } }
        router.get("/v1/scenarios") { _, _ in try await compute.run { try api.scenarios() } }
        router.post("/v1/scenarios") { req, _ in try await api.saveScenario(req) }
        router.get("/v1/scenarios/{name}") { _, ctx in let name = ctx.parameters.get("name") ?? ""; return try await compute.run { try api.scenario(name) } }
        router.delete("/v1/scenarios/{name}") { req, ctx in try api.deleteScenario(req, ctx.parameters.get("name") ?? "") }
        router.get("/v1/scenario-diff") { req, _ in try await api.cached(req, "/v1/scenario-diff") { try await compute.run { try api.diff(req) } } }
        router.get("/v1/network") { req, _ in try await compute.run { try api.network(req) } }
        router.get("/v1/events") { _, _ in try api.events() }
        router.get("/v1/sources") { req, _ in try await compute.run { try api.sources(req) } }
        router.get("/v1/sources/{id}") { _, ctx in let id = ctx.parameters.get("id") ?? ""; return try await compute.run { try api.source(id) } }
        router.get("/v1/energy") { req, _ in try await compute.run { try api.energy(req, geojson: false) } }
        router.get("/v1/energy/geojson") { req, _ in try await compute.run { try api.energy(req, geojson: true) } }
        router.get("/v1/energy/history") { req, _ in try await compute.run { try api.energyHistory(req) } }
        router.post("/v1/jobs/assignment") { req, _ in try await api.submitAssignment(req) }
        router.post("/v1/jobs/criticality") { req, _ in try await api.submitCriticality(req) }
        router.post("/v1/jobs/reliability") { req, _ in try await api.submitReliability(req) }
        router.post("/v1/batch") { req, _ in try await api.submitBatch(req) }
        router.get("/v1/jobs/{id}") { _, ctx in try await api.job(ctx.parameters.get("id") ?? "") }
        router.delete("/v1/jobs/{id}") { req, ctx in try await api.cancelJob(req, ctx.parameters.get("id") ?? "") }
        // Other methods on a known path: 405 with Allow (Hummingbird answers unmatched methods with a bare 404).
        let allMethods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .options, .head, .trace, HTTPRequest.Method("QUERY")!]
        for path in Set(CaravanHTTP.routes.map(\.path)).sorted() {
            let allowed = CaravanHTTP.routes.filter { $0.path == path }.map(\.method)
            for method in allMethods where !allowed.contains(method.rawValue) {
                router.on(RouterPath(path), method: method) { req, ctx -> Response in
                    var r = try APIError(405, field: "method", "\(req.method) is not allowed here: use \(allowed.joined(separator: ", "))").response(from: req, context: ctx)
                    r.headers[.allow] = allowed.joined(separator: ", ")
                    return r
                }
            }
        }
        router.get("/v1/runs") { req, _ in try api.runs(req) }
        router.get("/v1/runs/{id}") { _, ctx in try api.run(ctx.parameters.get("id") ?? "") }
        router.delete("/v1/runs/{id}") { req, ctx in try api.deleteRun(req, ctx.parameters.get("id") ?? "") }
        return router
    }

    /// Serves until the process is stopped.
    public func run(logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(router: router(logger: logger), server: .http1(configuration: .init(idleTimeout: .seconds(config.idleTimeoutSeconds))), configuration: .init(address: .hostname(config.host, port: config.port), serverName: "caravan"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
        try await app.runService()
    }
}

/// The web page's files and the OpenAPI document, read once from the bundle. Looked up by
/// exact name, so no request path can reach another file.
final class WebAssets: Sendable {
    static let shared = WebAssets()
    let files: [String: (type: String, data: Data)]
    let openAPI: String

    init() {
        var files: [String: (String, Data)] = [:]
        let root = Bundle.module.url(forResource: "Resources", withExtension: nil)
        let dir = root?.appendingPathComponent("web")
        let types = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
                     "geojson": "application/geo+json", "json": "application/json", "txt": "text/plain; charset=utf-8", "svg": "image/svg+xml"]
        if let dir, let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
            for n in names {
                if let d = FileManager.default.contents(atPath: dir.appendingPathComponent(n).path) {
                    files[n] = (types[(n as NSString).pathExtension] ?? "application/octet-stream", d)
                }
            }
        }
        self.files = files
        let spec = root?.appendingPathComponent("openapi.yaml")
        openAPI = spec.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
    }

    func response(_ name: String) throws -> Response {
        guard let f = files[name] else { throw APIError(404, field: "path", "no such file '\(name)'") }
        return Response(status: .ok, headers: [.contentType: f.type, .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(bytes: f.data)))
    }
}
