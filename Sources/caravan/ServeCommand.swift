import ArgumentParser
import Foundation
import Logging
import CaravanServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve",
        abstract: "HTTP API (/v1, OpenAPI at /openapi.yaml), web map at /, and a SQLite store of scenarios and runs.")
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port (0 = any free port; the chosen one is logged).") var port: Int = 8080
    @Option(help: ArgumentHelp("The store: an SQLite file, or postgres://user:password@host:port/database shared by several replicas (default: $CARAVAN_DB, else ~/.local/share/caravan/caravan.sqlite).", valueName: "FILE|URL")) var db: String?
    @Option(name: .customLong("job-lease"), help: ArgumentHelp("Seconds a replica holds a job between renewals; a job whose replica stopped is taken over after this.", valueName: "S"))
    var jobLease: Double = 15
    @Option(help: ArgumentHelp("Bearer token that writes need (default: $CARAVAN_TOKEN; none = writes refused).", valueName: "TOKEN")) var token: String?
    @Option(name: .long, help: ArgumentHelp("Dataset folder (default: the bundled Eurasian dataset).", valueName: "DIR")) var data: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String = "info"
    @Option(name: .customLong("cache-entries"), help: ArgumentHelp("Deterministic answers (route, compare, reliability, scenario diffs) kept in memory, least recently used dropped first; 0 = no cache.", valueName: "N"))
    var cacheEntries: Int = 4096

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (0...1_000_000).contains(cacheEntries) else { throw ValidationError("--cache-entries must be between 0 and 1,000,000, got \(cacheEntries)") }
        guard jobLease >= 0.5 && jobLease <= 3600 else { throw ValidationError("--job-lease must be between 0.5 and 3600 seconds, got \(jobLease)") }
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("--log-level: use trace, debug, info, notice, warning, error or critical") }
        var config = ServerConfiguration(datasetFolder: data ?? BundledData.path())
        config.host = host; config.port = port
        config.responseCacheEntries = cacheEntries
        config.jobLeaseSeconds = jobLease
        config.databasePath = db ?? env["CARAVAN_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? config.databasePath
        config.token = token ?? env["CARAVAN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        var logger = Logger(label: "caravan")
        logger.logLevel = level
        let server: CaravanHTTP
        do { server = try CaravanHTTP(config: config) } catch {
            FileHandle.standardError.write(Data("error: cannot start: \(error)\n".utf8))
            throw ExitCode(3)
        }
        logger.notice("caravan serve", metadata: ["db": "\(server.service.store.location)", "replica": "\(server.jobs.owner)", "dataset": "\(server.service.datasetVersion)",
                                                  "writes": "\(config.token == nil ? "disabled (no token)" : "need a bearer token")"])
        let log = logger, host = config.host
        try await server.run(logger: log) { port in
            log.notice("listening", metadata: ["url": "http://\(host):\(port)/"])
        }
    }
}
