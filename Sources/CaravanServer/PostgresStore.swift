import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The store on a PostgreSQL server (postgres-nio), shared by replicas on several hosts. The
/// same tables and migrations as `SQLiteStore` (v1 scenarios and runs; v2 leases, progress and
/// the scenario generation), applied under an advisory lock so replicas starting together do
/// not race. A run is claimed with `SELECT … FOR UPDATE SKIP LOCKED` inside one statement.
///
/// The `Store` calls are synchronous, as SQLite's are: each waits for its query on one of a few
/// connections (never on an event loop: handlers run on Swift tasks and the job threads).
public final class PostgresStore: Store {
    public let location: String
    let configuration: PostgresConnection.Configuration
    let slots: [Slot]
    let counter = Mutex(0)
    let logger = Logger(label: "caravan.postgres")

    /// One connection, used by one caller at a time; reconnects after a failure.
    /// @unchecked: `connection` is only touched while `lock` is held.
    final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var connection: PostgresConnection?
    }

    /// `postgres://user:password@host:port/database` (TLS off: for loopback and private networks).
    public init(url: String, connections: Int = 4) throws {
        guard let u = URLComponents(string: url), let host = u.host, !host.isEmpty, let user = u.user, !user.isEmpty else {
            throw StoreError("--db: '\(url.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression))' is not postgres://user:password@host:port/database")
        }
        let database = u.path.hasPrefix("/") ? String(u.path.dropFirst()) : u.path
        configuration = .init(host: host, port: u.port ?? 5432, username: user, password: u.password, database: database.isEmpty ? user : database, tls: .disable)
        location = "postgres://\(user)@\(host):\(u.port ?? 5432)/\(database.isEmpty ? user : database)"
        slots = (0..<max(1, connections)).map { _ in Slot() }
        try migrate()
    }

    /// Connections are closed before they are released (postgres-nio requires it).
    deinit {
        for slot in slots {
            slot.lock.lock()
            if let c = slot.connection, !c.isClosed { try? c.close().wait() }
            slot.lock.unlock()
        }
    }

    struct StoreError: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let slot = slots[counter.withLock { c in c &+= 1; return c } % slots.count]
        slot.lock.lock(); defer { slot.lock.unlock() }
        if slot.connection == nil || slot.connection!.isClosed {
            do {
                slot.connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                                                 id: Int.random(in: 0..<1_000_000), logger: logger).wait()
            } catch { throw StoreError("cannot connect to \(location): \(String(reflecting: error))") }
        }
        do { return try body(slot.connection!) } catch {
            // A broken connection is replaced at the next call; a query error leaves it usable.
            if slot.connection?.isClosed ?? true { slot.connection = nil }
            throw StoreError("\(location): \(String(reflecting: error))")
        }
    }

    @discardableResult
    func query(_ q: PostgresQuery) throws -> PostgresQueryResult {
        try withConnection { c in try c.query(q, logger: logger).wait() }
    }

    static let migrations: [(version: Int, sql: [String])] = [
        (1, ["CREATE TABLE scenario (name TEXT PRIMARY KEY, yaml TEXT NOT NULL, createdAt TEXT NOT NULL)",
             "CREATE TABLE run (id TEXT PRIMARY KEY, kind TEXT NOT NULL, input TEXT NOT NULL, datasetVersion TEXT NOT NULL, status TEXT NOT NULL, result TEXT, error TEXT, createdAt TEXT NOT NULL, finishedAt TEXT)",
             "CREATE INDEX run_createdAt ON run (createdAt)"]),
        (2, ["ALTER TABLE run ADD COLUMN owner TEXT, ADD COLUMN leaseUntil DOUBLE PRECISION, ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0, ADD COLUMN progress DOUBLE PRECISION NOT NULL DEFAULT 0, ADD COLUMN message TEXT NOT NULL DEFAULT '', ADD COLUMN cancelRequested BOOLEAN NOT NULL DEFAULT false, ADD COLUMN anonymous BOOLEAN NOT NULL DEFAULT false",
             "CREATE INDEX run_status ON run (status, createdAt)",
             "CREATE TABLE meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL)",
             "INSERT INTO meta (key, value) VALUES ('scenarioGeneration', 0)"]),
    ]

    /// Applies missing migrations in one transaction under an advisory lock.
    func migrate() throws {
        try withConnection { c in
            func run(_ sql: String) throws { _ = try c.query(PostgresQuery(unsafeSQL: sql), logger: logger).wait() }
            try run("BEGIN")
            do {
                try run("SELECT pg_advisory_xact_lock(7461626)")
                try run("CREATE TABLE IF NOT EXISTS caravan_migrations (version INTEGER PRIMARY KEY, appliedAt TEXT NOT NULL)")
                let done = Set(try c.query("SELECT version FROM caravan_migrations", logger: logger).wait().map { try $0.decode(Int.self) })
                for m in Self.migrations where !done.contains(m.version) {
                    for sql in m.sql { try run(sql) }
                    _ = try c.query("INSERT INTO caravan_migrations (version, appliedAt) VALUES (\(m.version), \(StoreFactory.now()))", logger: logger).wait()
                }
                try run("COMMIT")
            } catch {
                _ = try? c.query(PostgresQuery(unsafeSQL: "ROLLBACK"), logger: logger).wait()
                throw error
            }
        }
    }

    // MARK: Scenarios

    public func saveScenario(name: String, yaml: String) throws -> Bool {
        // One statement: the insert and the generation bump commit together.
        let r = try query("""
            WITH added AS (INSERT INTO scenario (name, yaml, createdAt) VALUES (\(name), \(yaml), \(StoreFactory.now())) ON CONFLICT (name) DO NOTHING RETURNING name)
            UPDATE meta SET value = value + 1 WHERE key = 'scenarioGeneration' AND EXISTS (SELECT 1 FROM added) RETURNING value
            """)
        return !r.isEmpty
    }

    public func scenario(_ name: String) throws -> SavedScenario? {
        try query("SELECT name, yaml, createdAt FROM scenario WHERE name = \(name)").first.map {
            let (n, y, c) = try $0.decode((String, String, String).self)
            return SavedScenario(name: n, yaml: y, createdAt: c)
        }
    }

    public func scenarios() throws -> [SavedScenario] {
        try query("SELECT name, yaml, createdAt FROM scenario ORDER BY name").map {
            let (n, y, c) = try $0.decode((String, String, String).self)
            return SavedScenario(name: n, yaml: y, createdAt: c)
        }
    }

    public func deleteScenario(_ name: String) throws -> Bool {
        let r = try query("""
            WITH gone AS (DELETE FROM scenario WHERE name = \(name) RETURNING name)
            UPDATE meta SET value = value + 1 WHERE key = 'scenarioGeneration' AND EXISTS (SELECT 1 FROM gone) RETURNING value
            """)
        return !r.isEmpty
    }

    public func scenarioGeneration() throws -> Int {
        try query("SELECT value FROM meta WHERE key = 'scenarioGeneration'").first.map { try $0.decode(Int.self) } ?? 0
    }

    // MARK: Runs

    static let runColumns = "id, kind, input, datasetVersion, status, result, error, createdAt, finishedAt, owner, progress, message, attempts"

    static func run(_ row: PostgresRow) throws -> Run {
        let (id, kind, input, version, status, result, error, created, finished, owner, progress, message, attempts) =
            try row.decode((String, String, String, String, String, String?, String?, String, String?, String?, Double, String, Int).self)
        return Run(id: id, kind: kind, input: input, datasetVersion: version, status: status, result: result, error: error, createdAt: created,
                   finishedAt: finished, owner: owner, progress: progress, message: message, attempts: attempts)
    }

    public func createRun(id: String, kind: String, input: String, datasetVersion: String, anonymous: Bool) throws {
        try query("INSERT INTO run (id, kind, input, datasetVersion, status, createdAt, anonymous) VALUES (\(id), \(kind), \(input), \(datasetVersion), 'queued', \(StoreFactory.now()), \(anonymous))")
    }

    public func run(_ id: String) throws -> Run? {
        try query(PostgresQuery(unsafeSQL: "SELECT \(Self.runColumns) FROM run WHERE id = $1", binds: try binds(id))).first.map(Self.run)
    }

    public func runs(limit: Int) throws -> [Run] {
        let columns = Self.runColumns.replacingOccurrences(of: "result,", with: "NULL::TEXT AS result,")
        return try query(PostgresQuery(unsafeSQL: "SELECT \(columns) FROM run ORDER BY createdAt DESC, id LIMIT $1", binds: try binds(limit))).map(Self.run)
    }

    public func deleteRun(_ id: String) throws -> Bool {
        try query("DELETE FROM run WHERE id = \(id) RETURNING id").count > 0
    }

    public func unfinishedRuns() throws -> (all: Int, anonymous: Int) {
        let row = try query("SELECT COUNT(*)::BIGINT, COUNT(*) FILTER (WHERE anonymous)::BIGINT FROM run WHERE status IN ('queued', 'running')").first
        let (n, a) = try row?.decode((Int, Int).self) ?? (0, 0)
        return (n, a)
    }

    public func claimRun(owner: String, leaseSeconds: Double, maxAttempts: Int) throws -> Run? {
        let now = Date().timeIntervalSince1970
        // Replicas poll a few times a second: a read first, so an idle store is never written.
        guard try !query(PostgresQuery(unsafeSQL: StoreFactory.anythingToClaim.replacingOccurrences(of: "?", with: "$1"), binds: try binds(now))).isEmpty else { return nil }
        try query("""
            UPDATE run SET status = 'interrupted', finishedAt = \(StoreFactory.now()), error = \("its replica stopped \(maxAttempts) times while running it")
            WHERE status = 'running' AND COALESCE(leaseUntil, 0) < \(now) AND attempts >= \(maxAttempts)
            """)
        let sql = """
            UPDATE run SET status = 'running', owner = $1, leaseUntil = $2, attempts = attempts + 1, progress = 0, message = ''
            WHERE id = (SELECT id FROM run WHERE NOT cancelRequested AND (status = 'queued' OR (status = 'running' AND COALESCE(leaseUntil, 0) < $3))
                        ORDER BY createdAt, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING \(Self.runColumns)
            """
        return try query(PostgresQuery(unsafeSQL: sql, binds: try binds(owner, now + leaseSeconds, now))).first.map(Self.run)
    }

    public func renewLease(id: String, owner: String, leaseSeconds: Double, progress: Double, message: String) throws -> Bool? {
        try query("""
            UPDATE run SET leaseUntil = \(Date().timeIntervalSince1970 + leaseSeconds), progress = \(progress), message = \(message)
            WHERE id = \(id) AND owner = \(owner) AND status = 'running' RETURNING cancelRequested
            """).first.map { try $0.decode(Bool.self) }
    }

    public func finishRun(id: String, owner: String, status: String, result: String?, error: String?) throws -> Bool {
        try query("""
            UPDATE run SET status = \(status), result = \(result), error = \(error), finishedAt = \(StoreFactory.now()),
                progress = CASE WHEN \(status) = 'done' THEN 1 ELSE progress END, leaseUntil = NULL
            WHERE id = \(id) AND owner = \(owner) AND status = 'running' RETURNING id
            """).count > 0
    }

    public func requestCancel(_ id: String) throws -> Bool {
        if try query("UPDATE run SET status = 'cancelled', finishedAt = \(StoreFactory.now()) WHERE id = \(id) AND status = 'queued' RETURNING id").count > 0 { return true }
        return try query("UPDATE run SET cancelRequested = true WHERE id = \(id) AND status = 'running' RETURNING id").count > 0
    }

    func binds(_ values: any PostgresEncodable...) throws -> PostgresBindings {
        var b = PostgresBindings()
        for v in values { try b.append(v) }
        return b
    }
}
