import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Yams
@testable import CaravanServer

/// A server on the bundled dataset with a fresh database and the token "t".
func testServer() throws -> (CaravanHTTP, String) {
    let db = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-test-\(UUID().uuidString)/caravan.sqlite").path
    var config = ServerConfiguration(datasetFolder: bundledFolder)
    config.databasePath = db
    config.token = "t"
    config.maxBodyBytes = 64 * 1024
    return (try CaravanHTTP(config: config), db)
}

func withClient(_ server: CaravanHTTP, _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let app = Application(router: server.router(logger: logger), logger: logger)
    try await app.test(.router) { client in try await body(client) }
}

func object(_ r: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
}

@Suite("HTTP API", .serialized)
struct ServerTests {
    @Test("Route options: modes, drivers and service as on the command line; bad values name the field")
    func routeOptions() async throws {
        let (server, _) = try testServer()
        try await withClient(server) { c in
            func legs(_ r: TestResponse) throws -> [[String: Any]] { try #require(try object(r)["legs"] as? [[String: Any]]) }
            func days(_ r: TestResponse) throws -> Double { try #require((try object(r)["totals"] as? [String: Any])?["days"] as? Double) }
            let block = try await c.execute(uri: "/v1/route?from=duisburg&to=astana&date=2024-06-01&modes=rail", method: .get)
            let slow = try await c.execute(uri: "/v1/route?from=duisburg&to=astana&date=2024-06-01&modes=rail&service=consignment", method: .get)
            #expect(block.status == .ok && slow.status == .ok)
            #expect(try legs(block).allSatisfy { $0["mode"] as? String == "rail" && $0["consignment"] == nil })
            #expect(try legs(slow).contains { $0["consignment"] as? Bool == true })
            #expect(try days(slow) > days(block) + 1)
            // An express train is a network of its own (not the cached block train's), and faster.
            let express = try await c.execute(uri: "/v1/route?from=duisburg&to=astana&date=2024-06-01&modes=rail&service=express", method: .get)
            #expect(express.status == .ok)
            #expect(try days(express) < days(block) - 1)
            let truck = try await c.execute(uri: "/v1/route?from=khorgos&to=halkali&date=2024-07-01&modes=road,ferry", method: .get)
            let crew = try await c.execute(uri: "/v1/route?from=khorgos&to=halkali&date=2024-07-01&modes=road,ferry&drivers=2", method: .get)
            #expect(truck.status == .ok && crew.status == .ok)
            #expect(try legs(truck).allSatisfy { ["road", "ferry"].contains($0["mode"] as? String ?? "") })
            #expect(try days(crew) < days(truck))
            // cargo=truck keeps it on its wheels: no crane move anywhere, ferries ridden aboard.
            let lorry = try await c.execute(uri: "/v1/route?from=khorgos&to=halkali&date=2024-07-01&cargo=truck", method: .get)
            #expect(lorry.status == .ok)
            #expect(try legs(lorry).allSatisfy { ["road", "ferry"].contains($0["mode"] as? String ?? "") && ($0["mode"] as? String != "ferry" || $0["truckAboard"] as? Bool == true) })
            // cargo=trailer: an unaccompanied trailer sails at the line's trailer fare, and another
            // cargo is another cached network (the truck's answer is not reused).
            let trailer = try await c.execute(uri: "/v1/route?from=tbilisi&to=sofia&date=2025-06-01&cargo=trailer&modes=road,ferry", method: .get)
            #expect(trailer.status == .ok)
            let sailing = try legs(trailer).filter { $0["truckAboard"] as? Bool == true }
            #expect(!sailing.isEmpty && sailing.allSatisfy { $0["aboardVehicle"] as? String == "trailer" }, "\(sailing)")
            let railTruck = try await c.execute(uri: "/v1/route?from=khorgos&to=halkali&cargo=truck&modes=rail", method: .get)
            let railError = try object(railTruck)["error"] as? [String: String]
            #expect(railTruck.status == .badRequest && railError?["field"] == "modes")
            let cmp = try await c.execute(uri: "/v1/compare?from=duisburg&to=astana&date=2024-06-01&service=consignment&percentiles=false", method: .get)
            #expect(cmp.status == .ok)
            for (query, field) in [("modes=rail,bus", "modes"), ("modes=,", "modes"), ("drivers=3", "drivers"), ("drivers=1.5", "drivers"), ("service=wagon", "service")] {
                let bad = try await c.execute(uri: "/v1/route?from=duisburg&to=astana&\(query)", method: .get)
                let error = try object(bad)["error"] as? [String: String]
                #expect(bad.status == .badRequest && error?["field"] == field, "\(query)")
            }
        }
    }

    @Test("Reads: health, places, route, compare, network and energy; errors name the field")
    func reads() async throws {
        let (server, _) = try testServer()
        try await withClient(server) { c in
            let h = try await c.execute(uri: "/health", method: .get)
            #expect(h.status == .ok && String(buffer: h.body).contains("datasetVersion"))
            let src = try await c.execute(uri: "/v1/sources/x-harbin-2019-manzhouli", method: .get)
            #expect(src.status == .ok)
            let report = try object(src)
            #expect((report["source"] as? [String: Any])?["url"] as? String == "http://www.harbin.gov.cn/art/2019/6/18/art_2851_727127.html")
            #expect(((report["citations"] as? [[String: Any]]) ?? []).contains { $0["file"] as? String == "crossings.csv" })
            #expect(((report["figures"] as? [[String: Any]]) ?? []).contains { $0["figure"] as? Double == 4 })
            let noSource = try await c.execute(uri: "/v1/sources/no-such-source", method: .get)
            #expect(noSource.status == .notFound)
            let found = try await c.execute(uri: "/v1/sources?q=Manzhouli", method: .get)
            #expect(found.status == .ok && String(buffer: found.body).contains("x-harbin-2019-manzhouli"))
            #expect(try await c.execute(uri: "/v1/sources", method: .get).status == .badRequest)
            #expect(try await c.execute(uri: "/v1/sources?q=" + String(repeating: "a", count: 300), method: .get).status == .badRequest)
            let p = try await c.execute(uri: "/v1/places?q=baku", method: .get)
            #expect(String(buffer: p.body).contains("\"alat\"") || String(buffer: p.body).contains("\"baku\""))
            let r = try await c.execute(uri: "/v1/route?from=xian&to=duisburg&date=2024-06-01", method: .get)
            #expect(r.status == .ok)
            #expect(try object(r)["totals"] != nil)
            let unknown = try await c.execute(uri: "/v1/route?from=nowhere-at-all&to=duisburg", method: .get)
            #expect(unknown.status == .notFound)
            #expect((try object(unknown)["error"] as? [String: String])?["field"] == "from")
            let badDate = try await c.execute(uri: "/v1/compare?from=xian&to=duisburg&date=2024-13-45", method: .get)
            #expect(badDate.status == .badRequest && String(buffer: badDate.body).contains("\"date\""))
            let cmp = try await c.execute(uri: "/v1/compare?from=xian&to=duisburg&date=2024-06-01&scenario=northern-route-closed", method: .get)
            #expect(cmp.status == .ok)
            let rows = try #require(try object(cmp)["corridors"] as? [[String: Any]])
            #expect(rows.count == bundled.corridors.count, "one row per corridor")
            let net = try await c.execute(uri: "/v1/network?date=2016-01-01", method: .get)
            #expect(net.status == .ok && String(buffer: net.body).contains("FeatureCollection"))
            let energy = try await c.execute(uri: "/v1/energy?year=2024", method: .get)
            #expect(energy.status == .ok && String(buffer: energy.body).contains("\"tap\""))
            let history = try await c.execute(uri: "/v1/energy/history?commodity=electricity&from=2021&to=2021", method: .get)
            #expect(history.status == .ok)
            let years = try #require(try JSONSerialization.jsonObject(with: Data(buffer: history.body)) as? [[String: Any]])
            #expect(!years.isEmpty && years.allSatisfy { $0["year"] as? Int == 2021 && $0["commodity"] as? String == "electricity" })
            #expect(years.contains { $0["what"] as? String == "supply:az-power-exports" })
            for bad in ["commodity=coal", "from=2025&to=2020", "date=2024-01-01", "from=abc"] {
                let r = try await c.execute(uri: "/v1/energy/history?" + bad, method: .get)
                #expect(r.status == .badRequest, "\(bad) is a 400")
            }
            let badScenario = try await c.execute(uri: "/v1/route?from=xian&to=duisburg&scenario=nope", method: .get)
            #expect(badScenario.status == .notFound && String(buffer: badScenario.body).contains("scenario"))
            let traversal = try await c.execute(uri: "/static/..%2F..%2Fopenapi.yaml", method: .get)
            #expect(traversal.status == .notFound)
            let metrics = try await c.execute(uri: "/metrics", method: .get)
            #expect(String(buffer: metrics.body).contains("caravan_requests_total{route=\"GET /v1/route\"}"))
        }
    }

    @Test("Scenarios: writes need the token; invalid YAML gives 422 with line:column; saved ones are used by name")
    func scenarios() async throws {
        let (server, _) = try testServer()
        let yaml = "name: faster-borders\ntitle: Faster borders\ndescription: test\nsources:\n  - id: s-test\n    kind: estimate\n    title: A test method.\nedits:\n  - border: {country: KZ, time_factor: 0.5}\n    source: [s-test]\n"
        try await withClient(server) { c in
            let noToken = try await c.execute(uri: "/v1/scenarios", method: .post, body: ByteBuffer(string: yaml))
            #expect(noToken.status == .unauthorized)
            let auth: HTTPFields = [.authorization: "Bearer t"]
            let bad = try await c.execute(uri: "/v1/scenarios", method: .post, headers: auth, body: ByteBuffer(string: yaml.replacingOccurrences(of: "country: KZ", with: "country: ZZ")))
            #expect(bad.status == .unprocessableContent)
            let problems = try #require(try object(bad)["problems"] as? [[String: String]])
            #expect(problems.contains { ($0["field"] ?? "").contains(":") && ($0["reason"] ?? "").contains("ZZ") })
            let ok = try await c.execute(uri: "/v1/scenarios", method: .post, headers: auth, body: ByteBuffer(string: yaml))
            #expect(ok.status == .created)
            let again = try await c.execute(uri: "/v1/scenarios", method: .post, headers: auth, body: ByteBuffer(string: yaml))
            #expect(again.status == .conflict)
            let list = try await c.execute(uri: "/v1/scenarios", method: .get)
            #expect(String(buffer: list.body).contains("faster-borders"))
            let used = try await c.execute(uri: "/v1/route?from=xian&to=duisburg&scenario=faster-borders", method: .get)
            #expect(used.status == .ok)
            let crossing = try await c.execute(uri: "/v1/route?from=urumqi&to=almaty&scenario=faster-borders", method: .get)
            let big = try await c.execute(uri: "/v1/scenarios", method: .post, headers: auth, body: ByteBuffer(string: String(repeating: "#", count: 100_000)))
            #expect(big.status == .contentTooLarge)
            let bundledDelete = try await c.execute(uri: "/v1/scenarios/red-sea-closure", method: .delete, headers: auth)
            #expect(bundledDelete.status == .forbidden)
            let del = try await c.execute(uri: "/v1/scenarios/faster-borders", method: .delete, headers: auth)
            #expect(del.status == .noContent)
            // Saved again under the same name with another effect: answers follow the new text, not a cached engine.
            let before = try #require(try object(crossing)["totals"] as? [String: Any])["days"] as? Double
            let slower = yaml.replacingOccurrences(of: "time_factor: 0.5", with: "time_factor: 20")
            #expect(try await c.execute(uri: "/v1/scenarios", method: .post, headers: auth, body: ByteBuffer(string: slower)).status == .created)
            let reused = try await c.execute(uri: "/v1/route?from=urumqi&to=almaty&scenario=faster-borders", method: .get)
            let after = try #require(try object(reused)["totals"] as? [String: Any])["days"] as? Double
            #expect(try #require(after) > #require(before), "days before \(String(describing: before)), after \(String(describing: after))")
        }
    }

    @Test("Response cache: a repeated compare is a hit with the same bytes; another seed, date or saved-scenario generation is a miss; errors are not kept")
    func responseCache() async throws {
        let (server, _) = try testServer()
        try await withClient(server) { c in
            let uri = "/v1/compare?from=xian&to=duisburg&date=2024-06-01"
            let first = try await c.execute(uri: uri, method: .get)
            let second = try await c.execute(uri: uri, method: .get)
            #expect(first.status == .ok && second.status == .ok)
            #expect(Data(buffer: first.body) == Data(buffer: second.body))
            // The same query with its parameters in another order is the same answer.
            #expect(try await c.execute(uri: "/v1/compare?date=2024-06-01&to=duisburg&from=xian", method: .get).status == .ok)
            _ = try await c.execute(uri: "/v1/compare?from=xian&to=duisburg&date=2024-06-02", method: .get)
            let rel = "/v1/reliability?from=xian&to=duisburg&date=2024-06-01&samples=500"
            let r1 = try await c.execute(uri: rel + "&seed=1", method: .get), r2 = try await c.execute(uri: rel + "&seed=2", method: .get)
            #expect(Data(buffer: r1.body) != Data(buffer: r2.body), "another seed is another answer")
            // Another cargo quantity is another query, but the same routes have the same
            // distributions (memoised by route, not by cargo): equal p50 and p90 per corridor.
            func p(_ w: String) async throws -> [String] {
                let o = try object(try await c.execute(uri: "/v1/compare?from=xian&to=duisburg&date=2024-06-01&quantity=\(w)", method: .get))
                return (o["corridors"] as? [[String: Any]] ?? []).map { "\($0["corridor"] ?? "") \($0["p50"] ?? "-") \($0["p90"] ?? "-")" }
            }
            let light = try await p("5"), heavy = try await p("9")
            #expect(light == heavy && light.count == bundled.corridors.count, "\(light) vs \(heavy)")
            #expect(try await c.execute(uri: "/v1/compare?from=xian&to=nowhere-at-all", method: .get).status == .notFound)
            #expect(try await c.execute(uri: "/v1/compare?from=xian&to=nowhere-at-all", method: .get).status == .notFound)
            let metrics = String(buffer: try await c.execute(uri: "/metrics", method: .get).body)
            func value(_ name: String, _ route: String) -> Int {
                let prefix = "\(name){route=\"\(route)\"} "
                return metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
            }
            #expect(value("caravan_response_cache_hits_total", "/v1/compare") == 2, "\(metrics)")
            #expect(value("caravan_response_cache_misses_total", "/v1/compare") == 6)
            #expect(value("caravan_response_cache_misses_total", "/v1/reliability") == 2)
        }
    }

    @Test("the response cache holds at most its entries and bytes, dropping the least recently used")
    func cacheBounds() {
        let cache = ResponseCache(maxEntries: 8, maxBytes: 1 << 20)
        func payload(_ n: Int) -> Payload { Payload(bytes: ByteBuffer(string: String(repeating: "x", count: n)), contentType: "text/plain") }
        for i in 0..<8 { cache.put("k\(i)", payload(10)) }
        _ = cache.get("k0")   // k0 is now the most recently used
        cache.put("k8", payload(10))
        #expect(cache.usage.entries <= 8)
        #expect(cache.get("k0") != nil && cache.get("k1") == nil && cache.get("k8") != nil)
        let small = ResponseCache(maxEntries: 100, maxBytes: 100)
        small.put("big", payload(200))
        #expect(small.get("big") == nil, "an answer larger than the whole cache is not kept")
        for i in 0..<20 { small.put("s\(i)", payload(10)) }
        #expect(small.usage.bytes <= 100)
        // A large answer arriving in a cache of small ones: eviction goes past the quarter until the bytes fit.
        let mixed = ResponseCache(maxEntries: 100, maxBytes: 100)
        for i in 0..<3 { mixed.put("m\(i)", payload(10)) }
        mixed.put("big", payload(80))
        #expect(mixed.usage.bytes <= 100 && mixed.get("big") != nil && mixed.get("m0") == nil)
    }

    @Test("Batch: POST /v1/batch routes network places and cities as a job; a bad pair is a row with its error; a malformed body names the field")
    func batch() async throws {
        let (server, _) = try testServer()
        try await withClient(server) { c in
            let body = #"{"pairs": [{"from": "xian", "to": "duisburg"}, {"from": "Milan", "to": "Tashkent"}, {"from": "nowhere", "to": "baku"}], "date": "2025-06-01"}"#
            let post = try await c.execute(uri: "/v1/batch", method: .post, headers: [.authorization: "Bearer t"], body: ByteBuffer(string: body))
            #expect(post.status == .accepted)
            let id = try #require(try object(post)["id"] as? String)
            var done: [String: Any] = [:]
            for _ in 0..<600 {
                let s = try object(try await c.execute(uri: "/v1/jobs/\(id)", method: .get))
                if (s["job"] as? [String: Any])?["status"] as? String == "done" { done = s; break }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            let result = try #require(done["result"] as? [String: Any])
            let rows = try #require(result["rows"] as? [[String: Any]])
            #expect(rows.count == 3 && result["failed"] as? Int == 1)
            #expect((rows[0]["days"] as? Double ?? 0) > 5 && (rows[1]["estimatedLegs"] as? Bool) == true)
            #expect((rows[2]["error"] as? String ?? "").contains("nowhere"))
            let bad = try await c.execute(uri: "/v1/batch", method: .post, headers: [.authorization: "Bearer t"], body: ByteBuffer(string: #"{"pairs": [{"from": 1, "to": "baku"}]}"#))
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("pairs[0].from"))
            let empty = try await c.execute(uri: "/v1/batch", method: .post, headers: [.authorization: "Bearer t"], body: ByteBuffer(string: #"{"pairs": []}"#))
            #expect(empty.status == .badRequest)
            // Route options as on GET /v1/route: wagons on 1520 mm lines are slower than block trains.
            func days(_ service: String) async throws -> Double {
                let body = #"{"pairs": [{"from": "duisburg", "to": "astana"}], "date": "2024-06-01", "modes": "rail", "service": "\#(service)"}"#
                let post = try await c.execute(uri: "/v1/batch", method: .post, headers: [.authorization: "Bearer t"], body: ByteBuffer(string: body))
                let id = try #require(try object(post)["id"] as? String)
                for _ in 0..<600 {
                    let s = try object(try await c.execute(uri: "/v1/jobs/\(id)", method: .get))
                    if let rows = (s["result"] as? [String: Any])?["rows"] as? [[String: Any]] { return try #require(rows.first?["days"] as? Double) }
                    try await Task.sleep(nanoseconds: 50_000_000)
                }
                throw CancellationError()
            }
            #expect(try await days("consignment") > days("block") + 1)
            let badService = try await c.execute(uri: "/v1/batch", method: .post, headers: [.authorization: "Bearer t"],
                                                 body: ByteBuffer(string: #"{"pairs": [{"from": "xian", "to": "baku"}], "service": "wagon"}"#))
            #expect(badService.status == .badRequest && String(buffer: badService.body).contains("service"))
        }
    }

    @Test("Jobs: an assignment runs in the background, reports progress, stores a reproducible run; cancel and delete work")
    func jobs() async throws {
        let (server, db) = try testServer()
        try await withClient(server) { c in
            let post = try await c.execute(uri: "/v1/jobs/assignment", method: .post, headers: [.authorization: "Bearer t"], body: ByteBuffer(string: #"{"scale": 2, "gap": 1e-5, "date": "2025-06-01"}"#))
            #expect(post.status == .accepted)
            let id = try #require(try object(post)["id"] as? String)
            var done: [String: Any] = [:]
            // Nine equilibrium classes (the China-EU market in seven value-of-time groups): a debug build needs tens of seconds.
            for _ in 0..<3600 {
                let s = try object(try await c.execute(uri: "/v1/jobs/\(id)", method: .get))
                if (s["job"] as? [String: Any])?["status"] as? String == "done" { done = s; break }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            let result = try #require(done["result"] as? [String: Any])
            #expect((result["relativeGap"] as? Double ?? 1) <= 1e-5)
            let job = try #require(done["job"] as? [String: Any])
            #expect((job["input"] as? String ?? "").contains("\"scale\":2"))
            let badBody = try await c.execute(uri: "/v1/jobs/assignment", method: .post, headers: [.authorization: "Bearer t"], body: ByteBuffer(string: #"{"scale": -1}"#))
            #expect(badBody.status == .badRequest && String(buffer: badBody.body).contains("scale"))
            let cancelDone = try await c.execute(uri: "/v1/jobs/\(id)", method: .delete, headers: [.authorization: "Bearer t"])
            #expect(cancelDone.status == .conflict)
            let runs = try await c.execute(uri: "/v1/runs", method: .get)
            #expect(String(buffer: runs.body).contains(id))
            let noAuth = try await c.execute(uri: "/v1/runs/\(id)", method: .delete)
            #expect(noAuth.status == .unauthorized)
            let del = try await c.execute(uri: "/v1/runs/\(id)", method: .delete, headers: [.authorization: "Bearer t"])
            #expect(del.status == .noContent)
        }
        // The file is in WAL mode and reopens with its migrations applied.
        let store = try SQLiteStore(path: db)
        #expect(try store.runs(limit: 100).isEmpty)
        #expect(FileManager.default.fileExists(atPath: db + "-wal"))
    }

    @Test("openapi.yaml describes exactly the routes the server has")
    func openAPIMatchesRoutes() throws {
        let spec = WebAssets.shared.openAPI
        let doc = try #require(try Yams.load(yaml: spec) as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        let paths = try #require(doc["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            for key in (item as? [String: Any] ?? [:]).keys where ["get", "post", "put", "delete", "patch"].contains(key) { documented.insert(key.uppercased() + " " + path) }
        }
        let served = Set(CaravanHTTP.routes.map { $0.method + " " + $0.path })
        #expect(documented == served, "documented only: \(documented.subtracting(served)); served only: \(served.subtracting(documented))")
    }
}
