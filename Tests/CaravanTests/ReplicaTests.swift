import Testing
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import CaravanServer

func nginx() -> String? {
    for p in ["/usr/sbin/nginx", "/usr/bin/nginx"] where FileManager.default.isExecutableFile(atPath: p) { return p }
    return nil
}

/// nginx in front of replicas on loopback, from a config written to a temporary folder.
final class NginxProcess {
    let process = Process()
    let port: Int
    let dir: String

    init(upstreams: [Int]) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-nginx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        port = Int.random(in: 20_000...40_000)
        // As root (CI), nginx's workers would otherwise run as nobody, who cannot write the temp folders.
        let user = getuid() == 0 ? "user root;\n" : ""
        let config = """
            \(user)worker_processes 1;
            daemon off;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path \(dir)/body; proxy_temp_path \(dir)/proxy; fastcgi_temp_path \(dir)/fastcgi;
              uwsgi_temp_path \(dir)/uwsgi; scgi_temp_path \(dir)/scgi;
              upstream caravan {
            \(upstreams.map { "    server 127.0.0.1:\($0) max_fails=1 fail_timeout=10s;" }.joined(separator: "\n"))
              }
              server {
                listen 127.0.0.1:\(port);
                location / {
                  proxy_pass http://caravan;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_connect_timeout 1s;
                  # A replica that refuses or drops a connection: GETs go to the other. POSTs are not
                  # retried (they may have been applied): the client sees 502 and may retry.
                  proxy_next_upstream error timeout http_502;
                }
              }
            }
            """
        try config.write(toFile: dir + "/nginx.conf", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: nginx()!)
        process.arguments = ["-p", dir, "-c", dir + "/nginx.conf"]
        process.standardOutput = FileHandle.nullDevice; process.standardError = FileHandle.nullDevice
        try process.run()
    }
    var base: String { "http://127.0.0.1:\(port)" }
    func stop() { if process.isRunning { process.terminate() }; process.waitUntilExit() }
}

func httpRequest(_ url: String, method: String = "GET", body: String? = nil, token: String? = nil) async throws -> (Int, String) {
    var req = URLRequest(url: URL(string: url)!)
    req.httpMethod = method
    req.httpBody = body.map { Data($0.utf8) }
    if let token { req.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if method == "POST" && url.hasSuffix("/v1/scenarios") { req.setValue("application/yaml", forHTTPHeaderField: "Content-Type") }
    let (data, response) = try await URLSession.shared.data(for: req)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

@Suite("Replicas behind nginx on one PostgreSQL store", .serialized, .tags(.browser),
       .enabled(if: externalTestsEnabled && TestPostgres.url != nil && nginx() != nil,
                "needs PostgreSQL (CARAVAN_TEST_POSTGRES) and nginx: run by .ci/run"))
struct ReplicaTests {
    @Test("a replica killed with SIGKILL while it runs a job: the other finishes it; every write that got a 2xx is there")
    func killedReplica() async throws {
        let db = try TestPostgres.create()
        defer { TestPostgres.drop(db) }
        var env = ProcessInfo.processInfo.environment
        env["CARAVAN_TOKEN"] = "t"
        let replicas = [try ServerProcess(environment: env, database: db, arguments: ["--job-lease", "2"]),
                        try ServerProcess(environment: env, database: db, arguments: ["--job-lease", "2"])]
        defer { for r in replicas { r.kill() } }
        for r in replicas { try await r.waitUntilUp() }
        let proxy = try NginxProcess(upstreams: replicas.map(\.port))
        defer { proxy.stop() }
        var up = false
        for _ in 0..<100 where !up {
            up = (try? await httpRequest(proxy.base + "/health"))?.0 == 200
            if !up { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        #expect(up, "nginx did not answer")

        // Writes through nginx, each acknowledged with a 2xx.
        var saved: [String] = []
        for i in 0..<6 {
            let name = "replica-test-\(i)"
            let yaml = "name: \(name)\ntitle: Replica test \(i)\ndescription: A closure for the replica test.\nsources:\n  - id: s-test\n    kind: estimate\n    publisher: test\n    title: test\n    year: 2026\n    url: \"\"\nedits:\n  - close: {links: [brest-malaszewicze]}\n    source: [s-test]\n"
            let (code, body) = try await httpRequest(proxy.base + "/v1/scenarios", method: "POST", body: yaml, token: "t")
            #expect(code == 201, "\(body)")
            if (200..<300).contains(code) { saved.append(name) }
        }
        // A scenario saved through nginx is used by each replica directly (shared store, no stale cache).
        for r in replicas {
            let (code, body) = try await httpRequest(r.base + "/v1/route?from=xian&to=duisburg&date=2024-06-01&scenario=replica-test-0")
            #expect(code == 200 && !body.contains("brest-malaszewicze"), "replica on \(r.port): \(code)")
        }

        // A job long enough to be running when its replica is killed.
        let (code, body) = try await httpRequest(proxy.base + "/v1/jobs/reliability", method: "POST",
                                                 body: #"{"from": "xian", "to": "duisburg", "date": "2024-06-01", "samples": 120000, "seed": 5}"#, token: "t")
        #expect(code == 202, "\(body)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["id"] as? String)
        func status() async throws -> [String: Any] {
            let (_, text) = try await httpRequest(proxy.base + "/v1/jobs/\(id)")
            return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["job"] as? [String: Any] ?? [:]
        }
        var owner = ""
        for _ in 0..<200 where owner.isEmpty {
            let s = try await status()
            if s["status"] as? String == "running" { owner = s["owner"] as? String ?? "" }
            else { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        let victim = try #require(replicas.first { owner.contains("-\($0.process.processIdentifier)-") }, "owner \(owner)")
        let survivor = replicas.first { $0 !== victim }!
        victim.kill()

        // The survivor takes the job over once the lease lapses and finishes it.
        var final: [String: Any] = [:]
        for _ in 0..<1800 {
            final = try await status()
            if ["done", "failed", "interrupted", "cancelled"].contains(final["status"] as? String ?? "") { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(final["status"] as? String == "done", "\(final)")
        #expect(final["attempts"] as? Int == 2)
        #expect((final["owner"] as? String)?.contains("-\(survivor.process.processIdentifier)-") == true)
        let (_, done) = try await httpRequest(proxy.base + "/v1/jobs/\(id)")
        #expect(done.contains("fastestMean"), "the result is the reliability report")

        // Every acknowledged write is still there, read through nginx (now only the survivor).
        let (listCode, list) = try await httpRequest(proxy.base + "/v1/scenarios")
        #expect(listCode == 200)
        for name in saved { #expect(list.contains("\"\(name)\""), "\(name) lost") }
        let (runCode, run) = try await httpRequest(proxy.base + "/v1/runs/\(id)")
        #expect(runCode == 200 && run.contains(id))
    }
}
