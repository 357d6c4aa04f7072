import Foundation
import CaravanFormats
import GRDB

/// Saved scenarios and runs (jobs with their inputs, status, progress and results), shared by
/// every replica that opens the same database. Jobs are rows that a replica claims with a
/// lease and renews while it works; a run whose lease expires (its replica died) is claimed
/// again by another. Two implementations: `SQLiteStore` (one file, the embedded default) and
/// `PostgresStore` (a server that several hosts share).
public protocol Store: Sendable {
    /// Where the data lives, for logs (a path, or the URL without its password).
    var location: String { get }

    /// Saves a scenario; false when one of that name exists (nothing is overwritten).
    func saveScenario(name: String, yaml: String) throws -> Bool
    func scenario(_ name: String) throws -> SavedScenario?
    func scenarios() throws -> [SavedScenario]
    func deleteScenario(_ name: String) throws -> Bool
    /// Bumped in the same transaction as every save or delete: part of every cache key that may
    /// involve a saved scenario, so no replica answers from an old text.
    func scenarioGeneration() throws -> Int

    func createRun(id: String, kind: String, input: String, datasetVersion: String, anonymous: Bool) throws
    func run(_ id: String) throws -> Run?
    /// Newest first, without results (they can be large).
    func runs(limit: Int) throws -> [Run]
    func deleteRun(_ id: String) throws -> Bool
    /// Runs queued or running, all and those of clients without the token (the job quotas).
    func unfinishedRuns() throws -> (all: Int, anonymous: Int)

    /// Claims the oldest queued run, or a running one whose lease has expired, for `owner`
    /// until now + `leaseSeconds`. Runs already tried `maxAttempts` times are marked
    /// `interrupted` instead. Nil when there is nothing to do.
    func claimRun(owner: String, leaseSeconds: Double, maxAttempts: Int) throws -> Run?
    /// Extends the lease and records progress; nil when the run is no longer this owner's
    /// (another replica took it over, or it finished), else whether a cancel was requested.
    func renewLease(id: String, owner: String, leaseSeconds: Double, progress: Double, message: String) throws -> Bool?
    /// Writes the outcome if the run is still this owner's; false when it is not (nothing written).
    func finishRun(id: String, owner: String, status: String, result: String?, error: String?) throws -> Bool
    /// A queued run is cancelled at once; a running one is asked to stop (its owner sees it at
    /// the next renewal). False when the run is unknown or finished.
    func requestCancel(_ id: String) throws -> Bool
}

public struct SavedScenario: Sendable, Codable {
    public var name: String
    public var yaml: String
    public var createdAt: String
}

public struct Run: Sendable, Codable {
    public var id: String
    public var kind: String
    /// What reproduces the run: dataset version, date, scenarios (with the YAML of saved ones), parameters, seed.
    public var input: String
    public var datasetVersion: String
    /// queued, running, done, failed, cancelled or interrupted.
    public var status: String
    public var result: String?
    public var error: String?
    public var createdAt: String
    public var finishedAt: String?
    /// The replica that runs it (or ran it last), its progress (0–1) and last message.
    public var owner: String?
    public var progress: Double
    public var message: String
    /// How many times a replica claimed it.
    public var attempts: Int
}

/// Opens the store a configuration names: a `postgres://` URL, else an SQLite file path.
public enum StoreFactory {
    public static func open(_ location: String) throws -> any Store {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") { return try PostgresStore(url: location) }
        return try SQLiteStore(path: location)
    }

    /// The default SQLite file: $XDG_DATA_HOME/caravan/caravan.sqlite (or ~/.local/share/caravan/caravan.sqlite).
    public static func defaultPath() -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("caravan/caravan.sqlite")
    }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }
    /// A row when a run is queued, or running on a lapsed lease (to claim, or to mark interrupted);
    /// both stores ask it before taking a write lock. `?` is the time now (PostgreSQL: `$1`).
    static let anythingToClaim = "SELECT 1 FROM run WHERE status = 'queued' OR (status = 'running' AND COALESCE(leaseUntil, 0) < ?) LIMIT 1"
}

/// The store in one SQLite file (GRDB, WAL mode): readers never block the writer, a killed
/// process loses no committed transaction, and several processes on one host may share it
/// (claims take the write lock first, so two cannot claim one run).
public final class SQLiteStore: Store {
    public let path: String
    let pool: DatabasePool
    public var location: String { path }

    public init(path: String) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        var config = Configuration()
        config.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: config)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: scenarios and runs") { db in
            try db.create(table: "scenario") { t in
                t.primaryKey("name", .text)
                t.column("yaml", .text).notNull()
                t.column("createdAt", .text).notNull()
            }
            try db.create(table: "run") { t in
                t.primaryKey("id", .text)
                t.column("kind", .text).notNull()
                t.column("input", .text).notNull()
                t.column("datasetVersion", .text).notNull()
                t.column("status", .text).notNull()
                t.column("result", .text)
                t.column("error", .text)
                t.column("createdAt", .text).notNull()
                t.column("finishedAt", .text)
            }
            try db.create(index: "run_createdAt", on: "run", columns: ["createdAt"])
        }
        migrator.registerMigration("v2: leases, progress, shared scenario generation") { db in
            try db.alter(table: "run") { t in
                t.add(column: "owner", .text)
                t.add(column: "leaseUntil", .double)
                t.add(column: "attempts", .integer).notNull().defaults(to: 0)
                t.add(column: "progress", .double).notNull().defaults(to: 0)
                t.add(column: "message", .text).notNull().defaults(to: "")
                t.add(column: "cancelRequested", .boolean).notNull().defaults(to: false)
                t.add(column: "anonymous", .boolean).notNull().defaults(to: false)
            }
            try db.create(index: "run_status", on: "run", columns: ["status", "createdAt"])
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('scenarioGeneration', 0)")
        }
        try migrator.migrate(pool)
    }

    // MARK: Scenarios

    public func saveScenario(name: String, yaml: String) throws -> Bool {
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM scenario WHERE name = ?", arguments: [name]) == true { return false }
            try db.execute(sql: "INSERT INTO scenario (name, yaml, createdAt) VALUES (?, ?, ?)", arguments: [name, yaml, StoreFactory.now()])
            try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'scenarioGeneration'")
            return true
        }
    }

    public func scenario(_ name: String) throws -> SavedScenario? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT name, yaml, createdAt FROM scenario WHERE name = ?", arguments: [name]).map {
                SavedScenario(name: $0["name"], yaml: $0["yaml"], createdAt: $0["createdAt"])
            }
        }
    }

    public func scenarios() throws -> [SavedScenario] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, yaml, createdAt FROM scenario ORDER BY name").map {
                SavedScenario(name: $0["name"], yaml: $0["yaml"], createdAt: $0["createdAt"])
            }
        }
    }

    public func deleteScenario(_ name: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM scenario WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'scenarioGeneration'")
            return true
        }
    }

    public func scenarioGeneration() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'scenarioGeneration'") ?? 0 }
    }

    // MARK: Runs

    public func createRun(id: String, kind: String, input: String, datasetVersion: String, anonymous: Bool) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO run (id, kind, input, datasetVersion, status, createdAt, anonymous) VALUES (?, ?, ?, ?, 'queued', ?, ?)",
                           arguments: [id, kind, input, datasetVersion, StoreFactory.now(), anonymous])
        }
    }

    static func run(_ r: Row) -> Run {
        Run(id: r["id"], kind: r["kind"], input: r["input"], datasetVersion: r["datasetVersion"], status: r["status"], result: r["result"],
            error: r["error"], createdAt: r["createdAt"], finishedAt: r["finishedAt"], owner: r["owner"], progress: r["progress"],
            message: r["message"], attempts: r["attempts"])
    }

    public func run(_ id: String) throws -> Run? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map(SQLiteStore.run) }
    }

    public func runs(limit: Int) throws -> [Run] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, kind, input, datasetVersion, status, NULL AS result, error, createdAt, finishedAt, owner, progress, message, attempts
                FROM run ORDER BY createdAt DESC, id LIMIT ?
                """, arguments: [limit]).map(SQLiteStore.run)
        }
    }

    public func deleteRun(_ id: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func unfinishedRuns() throws -> (all: Int, anonymous: Int) {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(anonymous), 0) AS a FROM run WHERE status IN ('queued', 'running')")
            return ((row?["n"] as Int?) ?? 0, (row?["a"] as Int?) ?? 0)
        }
    }

    public func claimRun(owner: String, leaseSeconds: Double, maxAttempts: Int) throws -> Run? {
        let now = Date().timeIntervalSince1970
        // Replicas poll a few times a second: a read first, so an idle store is never written.
        guard try pool.read({ db in try Bool.fetchOne(db, sql: StoreFactory.anythingToClaim, arguments: [now]) }) == true else { return nil }
        // An immediate transaction takes the write lock before reading, so two processes
        // sharing the file cannot both claim one run.
        return try pool.writeWithoutTransaction { db in
            var claimed: String?
            try db.inTransaction(.immediate) {
                try db.execute(sql: """
                    UPDATE run SET status = 'interrupted', finishedAt = ?, error = 'its replica stopped \(maxAttempts) times while running it'
                    WHERE status = 'running' AND COALESCE(leaseUntil, 0) < ? AND attempts >= ?
                    """, arguments: [StoreFactory.now(), now, maxAttempts])
                claimed = try String.fetchOne(db, sql: """
                    SELECT id FROM run WHERE cancelRequested = 0 AND (status = 'queued' OR (status = 'running' AND COALESCE(leaseUntil, 0) < ?))
                    ORDER BY createdAt, id LIMIT 1
                    """, arguments: [now])
                if let claimed {
                    try db.execute(sql: "UPDATE run SET status = 'running', owner = ?, leaseUntil = ?, attempts = attempts + 1, progress = 0, message = '' WHERE id = ?",
                                   arguments: [owner, now + leaseSeconds, claimed])
                }
                return .commit
            }
            return try claimed.flatMap { try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [$0]).map(SQLiteStore.run) }
        }
    }

    public func renewLease(id: String, owner: String, leaseSeconds: Double, progress: Double, message: String) throws -> Bool? {
        try pool.write { db in
            try db.execute(sql: "UPDATE run SET leaseUntil = ?, progress = ?, message = ? WHERE id = ? AND owner = ? AND status = 'running'",
                           arguments: [Date().timeIntervalSince1970 + leaseSeconds, progress, message, id, owner])
            guard db.changesCount > 0 else { return nil }
            return try Bool.fetchOne(db, sql: "SELECT cancelRequested FROM run WHERE id = ?", arguments: [id]) ?? false
        }
    }

    public func finishRun(id: String, owner: String, status: String, result: String?, error: String?) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE run SET status = ?, result = ?, error = ?, finishedAt = ?, progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END, leaseUntil = NULL
                WHERE id = ? AND owner = ? AND status = 'running'
                """, arguments: [status, result, error, StoreFactory.now(), status, id, owner])
            return db.changesCount > 0
        }
    }

    public func requestCancel(_ id: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "UPDATE run SET status = 'cancelled', finishedAt = ? WHERE id = ? AND status = 'queued'", arguments: [StoreFactory.now(), id])
            if db.changesCount > 0 { return true }
            try db.execute(sql: "UPDATE run SET cancelRequested = 1 WHERE id = ? AND status = 'running'", arguments: [id])
            return db.changesCount > 0
        }
    }
}
