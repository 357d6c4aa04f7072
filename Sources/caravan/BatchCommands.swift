import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

/// Many O-D pairs in one run: every endpoint resolved once (network place, gazetteer city or
/// LAT,LON), off-network ends attached once, the network compiled once, then one search per
/// pair (and corridor). A bad row is reported with its line and skipped.
struct BatchRunner {
    struct Row: Codable {
        var line: Int
        var origin: String
        var destination: String
        var corridor: String?
        var status: String
        var route: Route?
        var error: String?
    }

    /// Resolves every row; returns the dataset with off-network points attached and, per row,
    /// the endpoints or the problem.
    static func resolve(_ rows: [PairsReader.TypedRow], prep: Prepared, cargo: CargoOptions, folder: String) throws -> (Dataset, [(Int, Int)?], [String?]) {
        var ds = try cargo.restrict(prep.dataset)
        let gazetteer = CityGazetteer.load(datasetFolder: folder)
        let resolver = EndpointResolver(places: ds.places, gazetteer: gazetteer, indexed: rows.count > 50)
        // Resolve every distinct (role, text) once, then attach all off-network points in one pass.
        var resolved: [String: Result<Endpoint, CLIFailure>] = [:]
        var pending: [(OffNetworkPoint, FirstLastMile.Role)] = [], pendingKeys: [String] = []
        for r in rows {
            for (text, role) in [(r.origin, FirstLastMile.Role.origin), (r.destination, .destination)] where !text.isEmpty {
                let key = "\(role.rawValue)|\(text)"
                guard resolved[key] == nil else { continue }
                let resolution = resolver.resolve(text)
                if case .found(let e, _) = resolution {
                    resolved[key] = .success(e)
                    if case .point(let p) = e { pending.append((p, role)); pendingKeys.append(key) }
                } else {
                    resolved[key] = .failure(.usage(resolution.problem(role: role.rawValue, shown: TextInput.shown(text, limit: 64)) ?? ""))
                }
            }
        }
        var attached: [String: Int] = [:]   // "role|typed text" -> place index
        for (key, result) in zip(pendingKeys, FirstLastMile.attach(pending, to: &ds)) {
            switch result {
            case .success(let i): attached[key] = i
            case .failure(let e): resolved[key] = .failure(.noRoute(key.prefix { $0 != "|" } + ": " + e.description))
            }
        }
        var ends: [(Int, Int)?] = [], problems: [String?] = []
        func endpoint(_ text: String, _ role: FirstLastMile.Role) -> Result<Int, CLIFailure> {
            let key = "\(role.rawValue)|\(text)"
            switch resolved[key] {
            case .success(.place(let i)): return .success(i)
            case .success(.point): return attached[key].map { .success($0) } ?? .failure(.noRoute("cannot attach '\(text)'"))
            case .failure(let e): return .failure(e)
            case nil: return .failure(.usage("origin and destination are required"))
            }
        }
        for r in rows {
            guard !r.origin.isEmpty, !r.destination.isEmpty else { ends.append(nil); problems.append("origin and destination are required"); continue }
            switch (endpoint(r.origin, .origin), endpoint(r.destination, .destination)) {
            case (.success(let o), .success(let d)):
                if ds.places[o].id == ds.places[d].id || (ds.places[o].lat == ds.places[d].lat && ds.places[o].lon == ds.places[d].lon) {
                    ends.append(nil); problems.append("origin and destination are the same place")
                } else { ends.append((o, d)); problems.append(nil) }
            case (.failure(let e), _), (_, .failure(let e)): ends.append(nil); problems.append(e.message)
            }
        }
        return (ds, ends, problems)
    }

    /// Best route per row (or per row and corridor when `compare`), with progress on stderr for long runs.
    static func run(_ rows: [PairsReader.TypedRow], prep: Prepared, cargo: CargoOptions, folder: String, compare: Bool) throws -> [Row] {
        let (ds, ends, problems) = try resolve(rows, prep: prep, cargo: cargo, folder: folder)
        let engine = RouteEngine(dataset: ds, day: prep.day)
        let c = try cargo.cargoValue(), w = try cargo.weights(ds.parameters)
        let costs = engine.edgeCosts(cargo: c, weights: w)
        var ws = DijkstraWorkspace(nodeCount: engine.network.stateCount)
        var out: [Row] = []
        let corridors: [String?] = compare ? ds.corridors.map(\.id) : [nil]
        let showProgress = rows.count >= 2_000 && isatty(2) == 1
        for (k, r) in rows.enumerated() {
            if showProgress && k % 1_000 == 0 { FileHandle.standardError.write(Data("\r\(k) of \(rows.count) pairs".utf8)) }
            guard let (o, d) = ends[k] else {
                out.append(Row(line: r.line, origin: r.origin, destination: r.destination, corridor: nil, status: "invalid", route: nil, error: problems[k])); continue
            }
            for corridor in corridors {
                if let route = engine.best(from: o, to: d, costs: costs, cargo: c, weights: w, corridor: corridor, workspace: &ws) {
                    out.append(Row(line: r.line, origin: r.origin, destination: r.destination, corridor: corridor, status: "ok", route: prep.annotate(route), error: nil))
                } else {
                    let why = corridor.map { engine.explainMissingCorridor($0, from: o, to: d, costs: costs, workspace: &ws) } ?? engine.explainNoRoute(from: o, to: d)
                    out.append(Row(line: r.line, origin: r.origin, destination: r.destination, corridor: corridor, status: "no route", route: nil, error: why))
                }
            }
        }
        if showProgress { FileHandle.standardError.write(Data("\r\(rows.count) of \(rows.count) pairs\n".utf8)) }
        return out
    }

    /// Prints the rows and ends with the batch's status: 2 when a row was invalid, 1 when a
    /// pair has no route, else 0.
    static func print(_ rows: [Row], format: OutputFormat, file: String) throws {
        switch format {
        case .json: printOut(try encodeJSON(rows))
        case .csv, .table:
            var lines = [CSVWriter.line(["line", "origin", "destination", "corridor", "status", "route_corridor", "days", "usd", "co2e_kg", "km", "border_crossings", "carriage", "error"])]
            for r in rows {
                let t = r.route?.totals
                let carriage = r.route.map { $0.legs.compactMap(\.carriage).joined(separator: ";") } ?? ""
                lines.append(CSVWriter.line([String(r.line), r.origin, r.destination, r.corridor ?? "", r.status, r.route.map { $0.corridor ?? "mixed" } ?? "",
                                             t.map { Fmt.dec($0.days, 2) } ?? "", t.map { Fmt.dec($0.usd, 0) } ?? "", t.map { Fmt.dec($0.co2eKg, 0) } ?? "",
                                             t.map { Fmt.dec($0.km, 0) } ?? "", t.map { String($0.borderCrossings) } ?? "", carriage, r.error ?? ""]))
            }
            printOut(lines.joined(separator: "\n"))
        case .geojson: throw CLIFailure.usage("--format geojson is not supported for batches")
        }
        let invalid = rows.filter { $0.status == "invalid" }
        for r in invalid { FileHandle.standardError.write(Data("\(file):\(r.line): \(TextInput.safeMessage(r.error ?? "", limit: 300)) (row skipped)\n".utf8)) }
        if !invalid.isEmpty { throw ExitCode(2) }
        if rows.contains(where: { $0.status != "ok" && $0.corridor == nil }) { throw ExitCode(1) }
    }

    /// `route --pairs FILE` and `compare --pairs FILE`: the batch, printed (a table is the CSV).
    static func run(pairsFile: String, prep: Prepared, cargo: CargoOptions, folder: String, format: OutputFormat, compare: Bool) throws {
        try print(try run(try load(pairsFile), prep: prep, cargo: cargo, folder: folder, compare: compare),
                  format: format == .table ? .csv : format, file: pairsFile)
    }

    static func load(_ path: String) throws -> [PairsReader.TypedRow] {
        do {
            let rows = try PairsReader.typedRows(path: path)
            guard rows.count <= 1_000_000 else { throw CLIFailure.usage("--pairs: at most 1,000,000 rows, got \(rows.count)") }
            return rows
        } catch let e as InputErrors {
            throw CLIFailure.usage("the pairs file is invalid:\n" + e.diagnostics.map { "  " + $0.description }.joined(separator: "\n"))
        }
    }
}

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "matrix", abstract: "Best routes for every origin × destination (CSV or JSON, one row per pair).")

    @Option(help: ArgumentHelp("Origins, comma-separated (places, cities or LAT,LON pairs separated by ';').", valueName: "A,B,…")) var from: String
    @Option(help: ArgumentHelp("Destinations, comma-separated.", valueName: "C,D,…")) var to: String
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var cargoOptions: CargoOptions
    @Option(help: formatHelp("table is the CSV.")) var format: TableJSONOrCSV = .csv

    static func split(_ s: String) -> [String] {
        // ';' separates when present (so LAT,LON can be given), else ','.
        (s.contains(";") ? s.split(separator: ";") : s.split(separator: ",")).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() throws {
        try guarded {
            let origins = MatrixCommand.split(from), destinations = MatrixCommand.split(to)
            guard !origins.isEmpty, !destinations.isEmpty else { throw CLIFailure.usage("--from and --to need at least one place each") }
            guard origins.count * destinations.count <= 1_000_000 else { throw CLIFailure.usage("at most 1,000,000 pairs") }
            var rows: [PairsReader.TypedRow] = []
            for o in origins { for d in destinations { rows.append(.init(line: rows.count + 1, origin: o, destination: d)) } }
            let prep = try dataOptions.prepare()
            try BatchRunner.print(try BatchRunner.run(rows, prep: prep, cargo: cargoOptions, folder: dataOptions.folder, compare: false), format: format.output, file: "matrix")
        }
    }
}
