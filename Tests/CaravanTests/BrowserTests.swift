import Testing
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import CaravanServer

/// Starts the built `caravan serve` on a free port with a fresh database; stops it with SIGKILL.
final class ServerProcess {
    let process = Process()
    let port: Int
    let db: String
    init() throws {
        db = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-e2e-\(UUID().uuidString).sqlite").path
        process.executableURL = CLI.executable
        // Port 0: the server picks a free port and logs it; read it from stderr.
        process.arguments = ["serve", "--port", "0", "--db", db, "--log-level", "notice"]
        var env = ProcessInfo.processInfo.environment
        env["CARAVAN_DATA"] = bundledFolder
        process.environment = env
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        var text = "", found: Int?
        let deadline = Date().addingTimeInterval(60)
        while found == nil && Date() < deadline && process.isRunning {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let r = text.range(of: #"url=http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                found = Int(text[r].split(separator: ":").last!.dropLast())
            }
        }
        guard let found else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "server did not start: \(text)"]) }
        port = found
        // Keep draining stderr so the server never blocks on a full pipe.
        err.fileHandleForReading.readabilityHandler = { h in _ = h.availableData }
    }
    var base: String { "http://127.0.0.1:\(port)" }

    func request(_ path: String, method: String = "GET", body: String? = nil) async throws -> (Int, String) {
        var req = URLRequest(url: URL(string: base + path)!)
        req.httpMethod = method
        req.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: req)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    func waitUntilUp() async throws {
        for _ in 0..<300 {
            if let (status, _) = try? await request("/health"), status == 200 { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw CocoaError(.fileReadUnknown)
    }

    func kill() { if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }; process.waitUntilExit() }
}


func chromium() -> String? {
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: p) { return p }
    return nil
}

@Suite("Web page in a browser", .serialized, .tags(.browser),
       .enabled(if: externalTestsEnabled, "needs headless Chromium: run by .ci/run (CARAVAN_TEST_EXTERNAL=1)"))
struct BrowserTests {
    @Test("Headless Chromium shows the map and a computed route; a killed server loses no committed run")
    func pageShowsMapAndRoute() async throws {
        let browser = try #require(chromium(), "headless Chromium is needed (apt-get install chromium; .ci/run installs it)")
        let server = try ServerProcess()
        defer { server.kill() }
        try await server.waitUntilUp()
        let url = server.base + "/?from=xian&to=duisburg&date=2024-06-01"
        let (status, dom) = try PythonTools.shell([browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000", "--dump-dom", url])
        #expect(status == 0)
        let countries = dom.components(separatedBy: "class=\"country\"").count - 1
        let routes = dom.components(separatedBy: "class=\"route\"").count - 1
        let links = dom.components(separatedBy: "class=\"link ").count - 1
        #expect(countries > 50, "basemap countries drawn: \(countries)")
        #expect(links > 100, "network links drawn: \(links)")
        #expect(routes >= 3, "corridor routes drawn: \(routes)")
        #expect(dom.contains("corridors with a route"), "status line missing")
        #expect(dom.contains("Northern corridor via Russia"))
        // A best route that mixes corridors is drawn too (no corridor alone reaches Baku from Nakhchivan).
        let (mixedStatus, mixedDOM) = try PythonTools.shell([browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000", "--dump-dom",
                                                             server.base + "/?from=nakhchivan&to=baku"])
        #expect(mixedStatus == 0)
        #expect(mixedDOM.contains("data-best=\"mixed\""), "the mixed best route is not drawn")
        #expect(mixedDOM.contains("best overall"))
        // A job committed before the kill is in the file afterwards.
        let (code, body) = try await server.request("/v1/jobs/criticality", method: "POST", body: #"{"date": "2025-01-01"}"#)
        #expect(code == 202)
        let id = try #require((try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["id"] as? String)
        var finished = false
        for _ in 0..<300 {
            let (_, s) = try await server.request("/v1/jobs/\(id)")
            if s.contains("\"status\":\"done\"") { finished = true; break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(finished)
        server.kill()
        let store = try Store(path: server.db)
        #expect(try store.run(id)?.status == "done")
        #expect((try store.run(id)?.result?.count ?? 0) > 100)
    }
}
