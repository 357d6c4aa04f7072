import Testing
import Foundation
@testable import CaravanServer

/// The PostgreSQL server the store tests may use: `CARAVAN_TEST_POSTGRES` (`.ci/run` starts
/// Debian's PostgreSQL and sets it). Each test gets a database of its own, dropped afterwards.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["CARAVAN_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// A fresh database on the server; returns its URL.
    static func create() throws -> String {
        let admin = try PostgresStore(url: url!, connections: 1)
        let name = "caravan_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try admin.query(.init(unsafeSQL: "CREATE DATABASE \(name)"))
        var c = URLComponents(string: url!)!
        c.path = "/" + name
        return c.string!
    }

    static func drop(_ dbURL: String) {
        guard let admin = try? PostgresStore(url: url!, connections: 1), let name = URLComponents(string: dbURL)?.path.dropFirst() else { return }
        _ = try? admin.query(.init(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
    }
}

/// Store backends under test: SQLite always, PostgreSQL when a server is given.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
    static var available: [Backend] { TestPostgres.url == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A fresh store's location; `open` gives another handle on the same data (a second replica).
    func fresh() throws -> String {
        switch self {
        case .sqlite: return FileManager.default.temporaryDirectory.appendingPathComponent("caravan-store-\(UUID().uuidString).sqlite").path
        case .postgres: return try TestPostgres.create()
        }
    }
    func open(_ location: String) throws -> any Store { try StoreFactory.open(location) }
    func cleanUp(_ location: String) {
        switch self {
        case .sqlite: for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: location + s) }
        case .postgres: TestPostgres.drop(location)
        }
    }
}

@Suite("Store: SQLite and PostgreSQL, scenarios, runs and leases")
struct StoreTests {
    @Test("PostgreSQL is tested when .ci/run provides it", .enabled(if: externalTestsEnabled, "CI only"))
    func postgresIsThere() {
        #expect(TestPostgres.url != nil, "CARAVAN_TEST_POSTGRES is not set: .ci/run starts PostgreSQL and sets it")
    }

    @Test("scenarios: saved once, listed, deleted; the generation moves with every change and only then", arguments: Backend.available)
    func scenarios(_ backend: Backend) throws {
        let loc = try backend.fresh(); defer { backend.cleanUp(loc) }
        let a = try backend.open(loc), b = try backend.open(loc)
        #expect(try a.scenarioGeneration() == 0)
        #expect(try a.saveScenario(name: "s1", yaml: "name: s1\n"))
        #expect(try !b.saveScenario(name: "s1", yaml: "other"), "a second save of a name must not overwrite")
        #expect(try b.scenario("s1")?.yaml == "name: s1\n")
        #expect(try b.scenarioGeneration() == 1, "the failed save must not move the generation")
        #expect(try b.saveScenario(name: "s0", yaml: "x"))
        #expect(try a.scenarios().map(\.name) == ["s0", "s1"])
        #expect(try a.deleteScenario("s1"))
        #expect(try !a.deleteScenario("s1"))
        #expect(try b.scenarioGeneration() == 3)
        #expect(try b.scenario("s1") == nil)
    }

    @Test("runs are claimed once, renewed and finished only by their owner; progress and results are shared", arguments: Backend.available)
    func claimsAndLeases(_ backend: Backend) throws {
        let loc = try backend.fresh(); defer { backend.cleanUp(loc) }
        let a = try backend.open(loc), b = try backend.open(loc)
        try a.createRun(id: "r1", kind: "assignment", input: "{}", datasetVersion: "v", anonymous: true)
        #expect(try b.unfinishedRuns() == (1, 1))
        let claimed = try #require(try a.claimRun(owner: "A", leaseSeconds: 30, maxAttempts: 3))
        #expect(claimed.id == "r1" && claimed.status == "running" && claimed.owner == "A" && claimed.attempts == 1)
        #expect(try b.claimRun(owner: "B", leaseSeconds: 30, maxAttempts: 3) == nil, "a run under a live lease is not claimed twice")
        #expect(try a.renewLease(id: "r1", owner: "A", leaseSeconds: 30, progress: 0.5, message: "half") == false)
        #expect(try b.renewLease(id: "r1", owner: "B", leaseSeconds: 30, progress: 0.9, message: "") == nil)
        #expect(try b.run("r1")?.progress == 0.5 && b.run("r1")?.message == "half", "progress is visible to every replica")
        #expect(try !b.finishRun(id: "r1", owner: "B", status: "done", result: "{}", error: nil))
        #expect(try a.finishRun(id: "r1", owner: "A", status: "done", result: "{\"ok\":true}", error: nil))
        #expect(try b.run("r1")?.status == "done" && b.run("r1")?.result == "{\"ok\":true}" && b.run("r1")?.progress == 1)
        #expect(try b.unfinishedRuns() == (0, 0))
        #expect(try b.runs(limit: 10).first?.result == nil, "lists leave results out")
    }

    @Test("a run whose lease lapsed is taken over; the old owner can no longer write; after three tries it is interrupted", arguments: Backend.available)
    func expiredLeases(_ backend: Backend) throws {
        let loc = try backend.fresh(); defer { backend.cleanUp(loc) }
        let a = try backend.open(loc), b = try backend.open(loc)
        try a.createRun(id: "r", kind: "criticality", input: "{}", datasetVersion: "v", anonymous: false)
        _ = try #require(try a.claimRun(owner: "A", leaseSeconds: 0.2, maxAttempts: 3))
        Thread.sleep(forTimeInterval: 0.3)
        let taken = try #require(try b.claimRun(owner: "B", leaseSeconds: 0.2, maxAttempts: 3))
        #expect(taken.id == "r" && taken.owner == "B" && taken.attempts == 2)
        #expect(try a.renewLease(id: "r", owner: "A", leaseSeconds: 10, progress: 1, message: "") == nil)
        #expect(try !a.finishRun(id: "r", owner: "A", status: "done", result: "stale", error: nil))
        Thread.sleep(forTimeInterval: 0.3)
        _ = try #require(try a.claimRun(owner: "A", leaseSeconds: 0.2, maxAttempts: 3))
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try b.claimRun(owner: "B", leaseSeconds: 0.2, maxAttempts: 3) == nil)
        #expect(try a.run("r")?.status == "interrupted" && a.run("r")?.attempts == 3)
    }

    @Test("cancel: a queued run at once, a running one at its owner's next renewal", arguments: Backend.available)
    func cancel(_ backend: Backend) throws {
        let loc = try backend.fresh(); defer { backend.cleanUp(loc) }
        let s = try backend.open(loc)
        try s.createRun(id: "q", kind: "batch", input: "{}", datasetVersion: "v", anonymous: false)
        try s.createRun(id: "r", kind: "batch", input: "{}", datasetVersion: "v", anonymous: false)
        #expect(try s.requestCancel("q"))
        #expect(try s.run("q")?.status == "cancelled")
        let r = try #require(try s.claimRun(owner: "A", leaseSeconds: 30, maxAttempts: 3))
        #expect(r.id == "r", "a cancelled run is not claimed")
        #expect(try s.requestCancel("r"))
        #expect(try s.renewLease(id: "r", owner: "A", leaseSeconds: 30, progress: 0, message: "") == true)
        #expect(try !s.requestCancel("nope"))
    }

    @Test("two replicas claiming at once from 40 queued runs take each exactly once", arguments: Backend.available)
    func concurrentClaims(_ backend: Backend) async throws {
        let loc = try backend.fresh(); defer { backend.cleanUp(loc) }
        let setup = try backend.open(loc)
        for i in 0..<40 { try setup.createRun(id: String(format: "r%02d", i), kind: "batch", input: "{}", datasetVersion: "v", anonymous: false) }
        let stores = [try backend.open(loc), try backend.open(loc)]
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for (k, store) in stores.enumerated() {
                for t in 0..<3 {
                    group.addTask {
                        var mine: [String] = []
                        while let r = try store.claimRun(owner: "R\(k)-\(t)", leaseSeconds: 60, maxAttempts: 3) { mine.append(r.id) }
                        return mine
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 40 && Set(claimed).count == 40)
    }

    @Test("a run left running by a killed process is claimed again from the same file or database", arguments: Backend.available)
    func durability(_ backend: Backend) throws {
        let loc = try backend.fresh(); defer { backend.cleanUp(loc) }
        let store = try backend.open(loc)
        try store.createRun(id: "r1", kind: "assignment", input: "{}", datasetVersion: "v", anonymous: false)
        _ = try store.claimRun(owner: "dead", leaseSeconds: 30, maxAttempts: 3)
        #expect(try store.finishRun(id: "r1", owner: "dead", status: "done", result: "{\"ok\":true}", error: nil))
        try store.createRun(id: "r2", kind: "assignment", input: "{}", datasetVersion: "v", anonymous: false)
        _ = try store.claimRun(owner: "dead", leaseSeconds: 0.1, maxAttempts: 3)
        // A second handle opens the data while the first still holds it (as after a kill -9).
        let reopened = try backend.open(loc)
        #expect(try reopened.run("r1")?.result == "{\"ok\":true}")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try reopened.claimRun(owner: "alive", leaseSeconds: 30, maxAttempts: 3)?.id == "r2")
    }
}
