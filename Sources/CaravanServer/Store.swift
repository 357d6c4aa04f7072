import Foundation
import CaravanFormats
import GRDB

/// The server's SQLite file: saved scenarios and runs (inputs, status, results), with
/// schema migrations. WAL mode (GRDB's DatabasePool): readers never block the writer, and a
/// killed process loses no committed transaction.
public final class Store: Sendable {
    public let path: String
    let pool: DatabasePool

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
        public var status: String
        public var result: String?
        public var error: String?
        public var createdAt: String
        public var finishedAt: String?
    }

    public init(path: String) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        var config = Configuration()
        config.busyMode = .timeout(5)
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
        try migrator.migrate(pool)
        // Runs that were in progress when a previous server stopped can never finish.
        try pool.write { db in
            try db.execute(sql: "UPDATE run SET status = 'interrupted', finishedAt = ? WHERE status IN ('queued', 'running')", arguments: [Store.now()])
        }
    }

    /// The default file: $XDG_DATA_HOME/caravan/caravan.sqlite (or ~/.local/share/caravan/caravan.sqlite).
    public static func defaultPath() -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("caravan/caravan.sqlite")
    }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    // MARK: Scenarios

    /// Saves a scenario; false when one of that name exists (nothing is overwritten).
    public func saveScenario(name: String, yaml: String) throws -> Bool {
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM scenario WHERE name = ?", arguments: [name]) == true { return false }
            try db.execute(sql: "INSERT INTO scenario (name, yaml, createdAt) VALUES (?, ?, ?)", arguments: [name, yaml, Store.now()])
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
            return db.changesCount > 0
        }
    }

    // MARK: Runs

    public func createRun(id: String, kind: String, input: String, datasetVersion: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO run (id, kind, input, datasetVersion, status, createdAt) VALUES (?, ?, ?, ?, 'queued', ?)",
                           arguments: [id, kind, input, datasetVersion, Store.now()])
        }
    }

    public func updateRun(id: String, status: String, result: String? = nil, error: String? = nil) throws {
        let finished = ["done", "failed", "cancelled"].contains(status) ? Store.now() : nil
        try pool.write { db in
            try db.execute(sql: "UPDATE run SET status = ?, result = COALESCE(?, result), error = COALESCE(?, error), finishedAt = COALESCE(?, finishedAt) WHERE id = ?",
                           arguments: [status, result, error, finished, id])
        }
    }

    static func run(_ r: Row) -> Run {
        Run(id: r["id"], kind: r["kind"], input: r["input"], datasetVersion: r["datasetVersion"], status: r["status"], result: r["result"],
            error: r["error"], createdAt: r["createdAt"], finishedAt: r["finishedAt"])
    }

    public func run(_ id: String) throws -> Run? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map(Store.run) }
    }

    /// Newest first, without results (they can be large).
    public func runs(limit: Int = 100) throws -> [Run] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, kind, input, datasetVersion, status, NULL AS result, error, createdAt, finishedAt FROM run ORDER BY createdAt DESC, id LIMIT ?",
                             arguments: [limit]).map(Store.run)
        }
    }

    public func deleteRun(_ id: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
