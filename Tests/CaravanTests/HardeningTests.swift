import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import CaravanModel
@testable import CaravanFormats
@testable import CaravanEngine
@testable import CaravanServer

/// Regression tests for the hostile inputs of the hardening review: each once trapped, froze
/// or printed garbage.
@Suite("Hardening")
struct HardeningTests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-hard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("CRLF, CR and a UTF-8 BOM read like LF text in CSV, YAML and TNTP")
    func lineEndings() throws {
        #expect(TextInput.normalize("\u{FEFF}a,b\r\n1,2\r3,4\n") == "a,b\n1,2\n3,4\n")
        let (header, rows) = try CSVReader.parse("\u{FEFF}# c\r\nid,name\r\nx,\"y, z\"\r\n", file: "t.csv")
        #expect(header.fields == ["id", "name"] && rows.count == 1 && rows[0].fields == ["x", "y, z"] && rows[0].line == 3)
        let ds = try DatasetLoader.load(folder: bundledFolder)
        let yaml = "\u{FEFF}name: t\r\ntitle: T\r\ndescription: d\r\nedits:\r\n  - close: {links: [kuryk-alat-ferry]}\r\n    source: e-est-gc-circuity\r\n"
        #expect(try ScenarioReader.parse(yaml, file: "t.yaml", dataset: ds).edits.count == 1)
        let dir = try tempDir()
        let net = "<NUMBER OF ZONES> 1\r\n<NUMBER OF NODES> 2\r\n<FIRST THRU NODE> 1\r\n<NUMBER OF LINKS> 1\r\n<END OF METADATA>\r\n~ init term cap len fft b p s t ty ;\r\n1 2 10 1 1 0.15 4 0 0 1 ;\r\n"
        try net.write(to: dir.appendingPathComponent("T_net.tntp"), atomically: true, encoding: .utf8)
        #expect(try TNTPReader.load(folder: dir.path).linkCount == 1)
    }

    @Test("TNTP headers with NaN, inf, 1e20 or zero nodes are errors with a line, not traps")
    func tntpHeaders() throws {
        for bad in ["nan", "inf", "1e20", "-3", "2.5"] {
            let text = "<NUMBER OF NODES> \(bad)\n<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 2 1 1 1 0 1 0 0 1\n"
            #expect(throws: InputErrors.self) { try TNTPReader.readNet(text, file: "x_net.tntp", name: "x") }
        }
        let zero = "<NUMBER OF NODES> 0\n<NUMBER OF LINKS> 0\n<END OF METADATA>\n"
        let e = try #require(throws: InputErrors.self) { try TNTPReader.readNet(zero, file: "x_net.tntp", name: "x") }
        #expect(e.description.contains("x_net.tntp:1:1") && e.description.contains("at least 1"))
        let huge = "<NUMBER OF NODES> 2\n<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 2 1e300 1 1 0 1 0 0 1\n"
        #expect(throws: InputErrors.self) { try TNTPReader.readNet(huge, file: "x_net.tntp", name: "x") }
        // Barcelona's published network has BPR powers up to 16.83; a bound must not reject it.
        let steep = "<NUMBER OF NODES> 2\n<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 2 1 0.48 0.48 2.49e-65 16.83 0 0 1\n"
        #expect(try TNTPReader.readNet(steep, file: "x_net.tntp", name: "x").power == [16.83])
        let tooSteep = "<NUMBER OF NODES> 2\n<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 2 1 1 1 0.15 40 0 0 1\n"
        #expect(throws: InputErrors.self) { try TNTPReader.readNet(tooSteep, file: "x_net.tntp", name: "x") }
    }

    @Test("Dataset numbers beyond ±1e9 are rejected at file:line:column")
    func datasetBounds() throws {
        let dir = try tempDir()
        let src = URL(fileURLWithPath: bundledFolder)
        for f in try FileManager.default.contentsOfDirectory(atPath: src.path) where f.hasSuffix(".csv") {
            try FileManager.default.copyItem(at: src.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        let links = dir.appendingPathComponent("links-west.csv")
        var text = try String(contentsOf: links, encoding: .utf8)
        let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("alat-") })
        var fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[6] = "1e308"
        text = text.replacingOccurrences(of: String(row), with: fields.joined(separator: ","))
        // Windows line endings on top: the one real problem is still reported alone.
        try text.replacingOccurrences(of: "\n", with: "\r\n").write(to: links, atomically: true, encoding: .utf8)
        let e = try #require(throws: InputErrors.self) { try DatasetLoader.load(folder: dir.path) }
        #expect(e.diagnostics.count == 1)
        #expect(e.description.contains("links-west.csv:") && e.description.contains("length_km") && e.description.contains("out of range"))
    }

    @Test("Scenario values beyond ±1e9, unknown units and duplicate keys fail validation with a position")
    func scenarioBounds() throws {
        let ds = try DatasetLoader.load(folder: bundledFolder)
        let huge = "name: t\ntitle: T\ndescription: d\nedits:\n  - border: {pair: KZ-CN, time_add_h: 1e308}\n    source: e-est-gc-circuity\n"
        let e1 = try #require(throws: InputErrors.self) { try ScenarioReader.parse(huge, file: "t.yaml", dataset: ds) }
        #expect(e1.description.contains("t.yaml:5:") && e1.description.contains("out of range"))
        let unit = "name: t\ntitle: T\ndescription: d\nedits:\n  - add_link: {id: x-y, from: alat, to: baku, mode: road, class: road-truck, capacity: 5, capacity_unit: bogus_unit}\n    source: e-est-gc-circuity\n"
        let e2 = try #require(throws: InputErrors.self) { try ScenarioReader.parse(unit, file: "t.yaml", dataset: ds) }
        #expect(e2.description.contains("capacity_unit"))
        let dup = "name: t\nname: u\ntitle: T\ndescription: d\nedits: []\n"
        let e3 = try #require(throws: InputErrors.self) { try ScenarioReader.parse(dup, file: "t.yaml", dataset: ds) }
        #expect(e3.diagnostics.allSatisfy { $0.line >= 1 } && e3.description.contains("duplicate key"))
    }

    @Test("Suggestions are bounded: a 300 KB unknown id gets no quadratic search and is not echoed whole")
    func boundedSuggestions() throws {
        let long = String(repeating: "x", count: 300_000)
        #expect(Suggest.closest(long, in: ["xian", "alat"]).isEmpty)
        #expect(PlaceResolver.editDistance(long, long + "y") == 0)   // compared on 64 bytes only
        #expect(TextInput.shown(long).count <= 81)
        #expect(TextInput.shown("\u{1B}]0;pwned\u{07}") == "\\u{1b}]0;pwned\\u{7}")
    }

    @Test("CLI: extreme numbers, negative counts and unsupported formats exit 2 with a message; terminal escapes are not echoed")
    func cliArguments() throws {
        for args in [["route", "xian", "duisburg", "--value-of-time", "1e19"], ["route", "xian", "duisburg", "--weight", "1e300"],
                     ["hubs", "--top=-1"], ["criticality", "--top=-1"], ["orgs", "--format", "csv"], ["timeline", "--format", "geojson"],
                     ["reliability", "xian", "duisburg", "--deadline", "inf"], ["reliability", "xian", "duisburg", "--samples", "50000000"],
                     ["assign", "--scale", "1e308"], ["route", "xian"]] {
            let r = try CLI.run(args)
            #expect(r.status == 2, "\(args): status \(r.status)")
            #expect(!r.err.isEmpty)
        }
        let esc = try CLI.run(["places", "\u{1B}]0;pwned\u{07}"])
        #expect(!esc.err.contains("\u{1B}") && !esc.out.contains("\u{1B}"))
    }

    @Test("Server: a huge quantity is a 400, not a freeze; 405 with Allow; no internals or scenario lists in errors")
    func serverInputs() async throws {
        let (server, _) = try testServer()
        try await withClient(server) { c in
            let q = try await c.execute(uri: "/v1/reliability?from=xian&to=duisburg&samples=100&date=2024-06-01&quantity=1e308", method: .get)
            #expect(q.status == .badRequest && String(buffer: q.body).contains("quantity"))
            let many = try await c.execute(uri: "/v1/route?from=xian&to=duisburg&scenario=" + Array(repeating: "caspian-storm", count: 50).joined(separator: ","), method: .get)
            #expect(many.status == .badRequest)
            for method in [HTTPRequest.Method.put, .options, .head] {
                let r = try await c.execute(uri: "/v1/route", method: method)
                #expect(r.status == .methodNotAllowed && r.headers[.allow] == "GET", "\(method)")
            }
            let unknown = try await c.execute(uri: "/v1/scenarios/nope", method: .get)
            #expect(unknown.status == .notFound && !String(buffer: unknown.body).contains("red-sea-closure"))
            let wrongToken = try await c.execute(uri: "/v1/jobs/criticality", method: .post, headers: [.authorization: "Bearer x"], body: ByteBuffer(string: "{}"))
            #expect(wrongToken.status == .unauthorized)
            let cancel = try await c.execute(uri: "/v1/jobs/any", method: .delete)
            #expect(cancel.status == .unauthorized)
        }
    }

    @Test("Server: a burst of anonymous job submissions cannot pass the anonymous quota or the queue limit")
    func jobBurst() async throws {
        let (server, _) = try testServer()
        try await withClient(server) { c in
            let codes = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await c.execute(uri: "/v1/jobs/reliability", method: .post,
                                            body: ByteBuffer(string: #"{"from": "xian", "to": "duisburg", "samples": 2000000, "date": "2024-06-01"}"#)).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            let accepted = codes.filter { $0 == .accepted }.count
            #expect(accepted <= 4, "accepted \(accepted) anonymous jobs")
            #expect(codes.filter { $0 == .tooManyRequests }.count >= 36)
        }
    }
}
