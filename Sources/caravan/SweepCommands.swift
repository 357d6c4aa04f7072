import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Parameter sweeps split into shards: plan the units, run one shard, merge the parts (docs/sweeps.md).",
        subcommands: [SweepPlanCommand.self, SweepRunCommand.self, SweepMergeCommand.self])
}

/// Reads the spec file, with its problems as file:line:column.
func loadSweepSpec(_ path: String) throws -> SweepSpec {
    do { return try SweepSpec.load(path: path) } catch {
        throw CLIFailure.usage("the sweep is invalid:\n" + error.diagnostics.map { "  " + $0.description }.joined(separator: "\n"))
    }
}

struct SweepPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Expand a sweep into numbered units and check its scenarios and places.")

    @Argument(help: ArgumentHelp("The sweep file (YAML, docs/sweeps.md).", valueName: "SPEC")) var spec: String
    @Option(help: ArgumentHelp("Also show how the units split into N shards.", valueName: "N")) var shards: Int?
    @Option(help: ArgumentHelp("Dataset folder (default: the bundled one).", valueName: "DIR")) var data: String?
    @Option(help: formatHelp("table: a summary; csv: every unit.")) var format: TableJSONOrCSV = .table

    func run() throws {
        try guarded {
            let s = try loadSweepSpec(spec)
            let folder = data ?? BundledData.path()
            try SweepRunner.check(s, file: spec, datasetFolder: folder)
            if let n = shards, !(1...100_000).contains(n) { throw CLIFailure.usage("--shards must be between 1 and 100,000") }
            switch format {
            case .csv:
                var lines = [CSVWriter.line(["unit", "scenarios", "date", "cargo", "value_of_time", "seed"] + (shards == nil ? [] : ["shard"]))]
                for i in 0..<s.unitCount {
                    let u = s.unit(i)
                    var row = [String(i), u.scenarios.label, u.date.description, u.cargo.rawValue, SweepRunner.vot(u.valueOfTime), String(u.seed)]
                    if let n = shards { row.append(String(s.shardOf(i, count: n))) }
                    lines.append(CSVWriter.line(row))
                }
                printOut(lines.joined(separator: "\n"))
            case .json:
                var out: [String: Any] = ["name": s.name, "plan": s.fingerprint, "units": s.unitCount, "pairs": s.pairs.count,
                                          "rows": s.unitCount * s.pairs.count, "samples": s.samples]
                if let n = shards { out["shards"] = (0..<n).map { let r = s.shard($0, of: n); return ["shard": $0, "first": r.lowerBound, "end": r.upperBound] } }
                printOut(String(decoding: try JSONSerialization.data(withJSONObject: out, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
            case .table:
                var lines = ["sweep \(s.name): \(s.unitCount) units = \(s.scenarioSets.count) scenario sets × \(s.dates.count) dates × \(s.cargo.count) cargo × \(s.valuesOfTime.count) values of time × \(s.seeds.count) seeds",
                             "each unit routes \(s.pairs.count) pair\(s.pairs.count == 1 ? "" : "s")\(s.samples > 0 ? " with \(s.samples) Monte Carlo samples" : ""): \(s.unitCount * s.pairs.count) rows; plan \(s.fingerprint)"]
                if let n = shards {
                    for k in 0..<n { let r = s.shard(k, of: n); lines.append("shard \(k)/\(n): units \(r.lowerBound)…\(r.upperBound - 1) (\(r.count))") }
                }
                printOut(lines.joined(separator: "\n"))
            }
        }
    }
}

struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run one shard of a sweep and write its part file.",
        discussion: "Without --shard, the index comes from JOB_COMPLETION_INDEX (a Kubernetes indexed Job) or SLURM_ARRAY_TASK_ID (a Slurm array task, less SLURM_ARRAY_TASK_MIN), and the count from --shards, SLURM_ARRAY_TASK_COUNT or CARAVAN_SWEEP_SHARDS.")

    @Argument(help: ArgumentHelp("The sweep file (YAML).", valueName: "SPEC")) var spec: String
    @Option(help: ArgumentHelp("Which shard: I/N, e.g. 0/4 (0-based).", valueName: "I/N")) var shard: String?
    @Option(help: ArgumentHelp("Number of shards when the index comes from the environment.", valueName: "N")) var shards: Int?
    @Option(help: ArgumentHelp("Folder for the part files (default: sweep-NAME).", valueName: "DIR")) var out: String?
    @Option(help: ArgumentHelp("Dataset folder (default: the bundled one).", valueName: "DIR")) var data: String?

    /// (index, count) from --shard, else the environment.
    func shardIndex() throws -> (Int, Int) {
        let env = ProcessInfo.processInfo.environment
        if let shard {
            let parts = shard.split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, n <= 100_000, i >= 0, i < n else {
                throw CLIFailure.usage("--shard: '\(TextInput.shown(shard, limit: 20))' must be I/N with 0 ≤ I < N ≤ 100,000, e.g. 0/4")
            }
            return (i, n)
        }
        var index: Int?, source = ""
        if let v = env["JOB_COMPLETION_INDEX"] { index = Int(v); source = "JOB_COMPLETION_INDEX" }
        else if let v = env["SLURM_ARRAY_TASK_ID"] { index = Int(v).map { $0 - (env["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0) }; source = "SLURM_ARRAY_TASK_ID" }
        guard !source.isEmpty else { throw CLIFailure.usage("give --shard I/N, or run as a Kubernetes indexed Job (JOB_COMPLETION_INDEX) or a Slurm array task (SLURM_ARRAY_TASK_ID)") }
        guard let i = index, i >= 0 else { throw CLIFailure.usage("\(source) is not a shard index (a whole number from 0)") }
        guard let n = shards ?? env["SLURM_ARRAY_TASK_COUNT"].flatMap({ Int($0) }) ?? env["CARAVAN_SWEEP_SHARDS"].flatMap({ Int($0) }) else {
            throw CLIFailure.usage("the shard index comes from \(source); give the number of shards with --shards N (or CARAVAN_SWEEP_SHARDS)")
        }
        guard n >= 1, n <= 100_000, i < n else { throw CLIFailure.usage("shard \(i) of \(n): the index must be below the number of shards") }
        return (i, n)
    }

    func run() throws {
        try guarded {
            let s = try loadSweepSpec(spec)
            let (i, n) = try shardIndex()
            let folder = data ?? BundledData.path()
            let dir = out ?? "sweep-\(s.name)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let started = Date()
            let range = s.shard(i, of: n)
            // Rows stream to a temporary file, renamed when whole: a killed shard leaves no part,
            // so merge names its units as missing.
            let path = (dir as NSString).appendingPathComponent(SweepTable.partName(i, of: n))
            let tmp = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
            guard FileManager.default.createFile(atPath: tmp, contents: nil), let handle = FileHandle(forWritingAtPath: tmp) else { throw CLIFailure.data("cannot write \(tmp)") }
            var buffer = SweepTable.partHeader(s, shard: i, of: n) + "\n" + CSVWriter.line(SweepTable.columns) + "\n"
            let rows = try SweepRunner.run(s, units: range, file: spec, datasetFolder: folder) { line in
                buffer += line + "\n"
                if buffer.utf8.count >= 1 << 20 { try handle.write(contentsOf: Data(buffer.utf8)); buffer = "" }
            }
            try handle.write(contentsOf: Data(buffer.utf8))
            try handle.close()
            _ = try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: tmp, toPath: path)
            FileHandle.standardError.write(Data("shard \(i)/\(n): units \(range.lowerBound)…\(max(range.lowerBound, range.upperBound - 1)) (\(range.count)), \(rows) rows in \(String(format: "%.1f", Date().timeIntervalSince(started))) s → \(path)\n".utf8))
        }
    }
}

struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Join a sweep's part files into one table, checking every unit is there exactly once.")

    @Argument(help: ArgumentHelp("The sweep file (YAML).", valueName: "SPEC")) var spec: String
    @Option(name: .customLong("in"), help: ArgumentHelp("Folder of part files (default: sweep-NAME).", valueName: "DIR")) var input: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Write the table here (default: standard output).", valueName: "FILE")) var output: String?

    func run() throws {
        try guarded {
            let s = try loadSweepSpec(spec)
            let table: String
            do { table = try SweepTable.merge(s, folder: input ?? "sweep-\(s.name)") } catch let error as InputErrors {
                throw CLIFailure.data("the parts do not make the sweep:\n" + error.diagnostics.map { "  " + $0.description }.joined(separator: "\n"))
            }
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: Data(table.utf8)) else { throw CLIFailure.data("cannot write \(output)") }
                FileHandle.standardError.write(Data("\(s.unitCount) units, \(s.unitCount * s.pairs.count) rows → \(output)\n".utf8))
            } else {
                FileHandle.standardOutput.write(Data(table.utf8))
            }
        }
    }
}

/// Runs units of a sweep: one route engine per scenario set and date met, the pairs resolved
/// once per engine (as batches do), then per unit the cargo, value of time and seed.
enum SweepRunner {
    static func vot(_ v: Double?) -> String { v.map { SweepTable.number($0, 2) } ?? "default" }

    /// Every scenario named exists and is valid, and every pair resolves (on the base network).
    static func check(_ s: SweepSpec, file: String, datasetFolder: String) throws {
        let base = try DataOptions.parse(["--data", datasetFolder]).load()
        _ = try scenarios(s, file: file, datasetFolder: datasetFolder, base: base)
        let prep = Prepared(base: base, dataset: base, day: s.dates[0], scenarios: [], edits: [])
        let (_, _, problems) = try BatchRunner.resolve(typedRows(s), prep: prep, cargo: try CargoOptions.parse([]), folder: datasetFolder)
        let bad = zip(s.pairs, problems).compactMap { p, why in why.map { "  \(file):\(p.line):\(p.column): pairs: \($0)" } }
        if !bad.isEmpty { throw CLIFailure.usage("the sweep is invalid:\n" + bad.joined(separator: "\n")) }
    }

    /// The spec's pairs as the batch resolver takes them.
    static func typedRows(_ s: SweepSpec) -> [PairsReader.TypedRow] {
        s.pairs.enumerated().map { PairsReader.TypedRow(line: $0.offset, origin: $0.element.origin, destination: $0.element.destination) }
    }

    static func scenarios(_ s: SweepSpec, file: String, datasetFolder: String, base: Dataset) throws -> [String: Scenario] {
        var out: [String: Scenario] = [:]
        for set in s.scenarioSets {
            for name in set.names where out[name] == nil {
                do { out[name] = try ScenarioReader.load(name, datasetFolder: datasetFolder, dataset: base) } catch {
                    throw CLIFailure.usage("\(file):\(set.line):\(set.column): scenarios: '\(TextInput.shown(name, limit: 64))': " +
                                           error.diagnostics.map(\.description).joined(separator: "; "))
                }
            }
        }
        return out
    }

    /// Runs the units, handing each CSV row to `emit`; returns the number of rows.
    static func run(_ s: SweepSpec, units: Range<Int>, file: String, datasetFolder: String, emit: (String) throws -> Void) throws -> Int {
        let base = try DataOptions.parse(["--data", datasetFolder]).load()
        let loaded = try scenarios(s, file: file, datasetFolder: datasetFolder, base: base)
        let typed = typedRows(s)
        let cargoOptions = try CargoOptions.parse([])
        var rows = 0
        var groupKey = "", engine: RouteEngine?, ends: [(Int, Int)?] = [], problems: [String?] = []
        var lastRouteKey = "", routes: [Route?] = [], whyNone: [String?] = [], sampling: [(components: [TimeComponent], risks: [TripRisk])?] = []
        for i in units {
            let u = s.unit(i)
            let key = "\(u.scenarios.label)|\(u.date)"
            if key != groupKey {
                groupKey = key
                let list = u.scenarios.names.map { loaded[$0]! }
                let (edited, edits) = ScenarioApplier.apply(list, to: base, on: u.date)
                let prep = Prepared(base: base, dataset: edited, day: u.date, scenarios: list, edits: edits)
                let (ds, e, p) = try BatchRunner.resolve(typed, prep: prep, cargo: cargoOptions, folder: datasetFolder)
                engine = RouteEngine(dataset: ds, day: u.date); ends = e; problems = p; lastRouteKey = ""
            }
            guard let engine else { continue }
            // Routes depend on the cargo and value of time, not the seed (which varies fastest):
            // computed once per run of seeds, with what their transit times are sampled from.
            let routeKey = "\(key)|\(u.cargo)|\(vot(u.valueOfTime))"
            if routeKey != lastRouteKey {
                lastRouteKey = routeKey
                let cargo = Cargo(unit: u.cargo, quantity: 1)
                var weights = CostWeights.defaults(engine.dataset.parameters)
                if let v = u.valueOfTime { weights.valueOfTimeUSDPerTEUDay = v }
                routes = ends.map { e in e.flatMap { engine.best(from: $0.0, to: $0.1, cargo: cargo, weights: weights, corridor: nil) } }
                whyNone = zip(ends, routes).map { e, r in r == nil ? e.map { engine.explainNoRoute(from: $0.0, to: $0.1) } : nil }
                sampling = s.samples > 0 ? routes.map { $0.map(engine.timeComponents(of:)) } : []
            }
            let head = [String(i), u.scenarios.label, u.date.description, u.cargo.rawValue, vot(u.valueOfTime), String(u.seed)]
            for (k, pair) in s.pairs.enumerated() {
                var row = head + [pair.origin, pair.destination]
                rows += 1
                guard ends[k] != nil else { try emit(CSVWriter.line(row + ["invalid"] + Array(repeating: "", count: 7) + [problems[k] ?? ""])); continue }
                guard let r = routes[k] else { try emit(CSVWriter.line(row + ["no route"] + Array(repeating: "", count: 7) + [whyNone[k] ?? ""])); continue }
                let dist = s.samples > 0 ? sampling[k].map { MonteCarlo.summarize(MonteCarlo.sample($0.components, risks: $0.risks, samples: s.samples, seed: u.seed), seed: u.seed, deadline: nil) } : nil
                row += ["ok", r.corridor ?? "mixed", SweepTable.number(r.totals.days, 4), SweepTable.number(r.totals.usd, 2), SweepTable.number(r.totals.co2eKg, 2),
                        dist.map { SweepTable.number($0.p50, 4) } ?? "", dist.map { SweepTable.number($0.p90, 4) } ?? "", r.estimates, ""]
                try emit(CSVWriter.line(row))
            }
        }
        return rows
    }
}
