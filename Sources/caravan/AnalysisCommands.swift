import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

/// A one-line progress bar on stderr, shown only on a terminal and without --quiet.
struct ProgressBar {
    let label: String
    let enabled: Bool
    init(_ label: String, quiet: Bool) { self.label = label; enabled = !quiet && isatty(STDERR_FILENO) == 1 }
    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let width = 30, filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

struct PairOptions: ParsableArguments {
    @Option(help: ArgumentHelp("O-D pairs CSV (origin,destination[,weight][,group]); default: the dataset's od-pairs.csv.", valueName: "FILE"))
    var pairs: String?

    func load(_ ds: Dataset, folder: String) throws -> [ODPair] {
        let path = pairs ?? (folder as NSString).appendingPathComponent("od-pairs.csv")
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIFailure.usage("--pairs: no file '\(path)'" + (pairs == nil ? " (this dataset has no od-pairs.csv: give --pairs FILE)" : ""))
        }
        do { return try PairsReader.load(path: path, dataset: ds).map { ODPair(origin: $0.origin, destination: $0.destination, weight: $0.weight, group: $0.group) } }
        catch { throw CLIFailure.usage("the pairs file is invalid:\n" + error.diagnostics.map { "  " + $0.description }.joined(separator: "\n")) }
    }
}

struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scenario", abstract: "What-if scenarios: list, show, validate, diff.",
                                                    subcommands: [List.self, Show.self, Validate.self, Diff.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The bundled scenarios.")
        @OptionGroup var dataOptions: DataOptions
        func run() throws {
            try guarded {
                let ds = try dataOptions.load()
                var t = TextTable([("name", .left, 24), ("title", .left, 54)])
                for (name, path) in ScenarioReader.available(datasetFolder: dataOptions.folder) {
                    let title = (try? ScenarioReader.load(path, datasetFolder: dataOptions.folder, dataset: ds).title) ?? "(invalid: run scenario validate)"
                    t.add([name, title])
                }
                printOut(t.render())
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A scenario's rationale, sources and edits.")
        @Argument(help: "Scenario name or file.") var name: String
        @OptionGroup var dataOptions: DataOptions
        func run() throws {
            try guarded {
                var opts = dataOptions
                opts.scenarios = [name]
                let ds = try opts.load()
                guard let sc = try opts.loadScenarios(ds).first else { return }
                var out = ["\(sc.name): \(sc.title)", "", sc.description, "", "edits:"]
                for e in sc.edits { out.append("  line \(e.line): \(e.summary)" + (e.note.isEmpty ? "" : " — \(e.note)")) }
                if !sc.sources.isEmpty {
                    out.append("sources:")
                    for s in sc.sources { out.append("  \(s.id): \(s.publisher.isEmpty ? "" : s.publisher + ", ")\(s.title)\(s.year.map { " (\($0))" } ?? "") \(s.url)") }
                }
                printOut(out.joined(separator: "\n"))
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check scenario files (all bundled ones when none is given).")
        @Argument(help: "Scenario names or files.") var names: [String] = []
        @OptionGroup var dataOptions: DataOptions
        func run() throws {
            try guarded {
                let ds = try dataOptions.load()
                let list = names.isEmpty ? ScenarioReader.available(datasetFolder: dataOptions.folder).map(\.path) : names
                var bad = 0
                for n in list {
                    do {
                        let sc = try ScenarioReader.load(n, datasetFolder: dataOptions.folder, dataset: ds)
                        printOut("\(sc.name): valid, \(sc.edits.count) edit\(sc.edits.count == 1 ? "" : "s")")
                    } catch {
                        bad += 1
                        let text = (error as? InputErrors)?.diagnostics.map(\.description).joined(separator: "\n") ?? "\(error)"
                        FileHandle.standardError.write(Data((text + "\n").utf8))
                    }
                }
                if bad > 0 { throw CLIFailure.data("\(bad) scenario file\(bad == 1 ? " is" : "s are") invalid") }
            }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time, cost, CO2e and corridor of O-D pairs under two scenarios, and the change.",
                                                        discussion: "BASE and OTHER are `base` (no scenario) or scenario names joined with +, e.g. red-sea-closure+caspian-storm.")
        @Argument(help: "The reference: base or scenario[+scenario…].") var baseline: String
        @Argument(help: "The alternative: base or scenario[+scenario…].") var other: String
        @OptionGroup var pairOptions: PairOptions
        @OptionGroup var dataOptions: DataOptions
        @OptionGroup var cargoOptions: CargoOptions
        @Option(help: formatHelp()) var format: TableJSONOrCSV = .table

        func run() throws {
            try guarded {
                guard dataOptions.scenarios.isEmpty else {
                    throw CLIFailure.usage("scenario diff takes its scenarios as BASE and OTHER (e.g. base red-sea-closure+caspian-storm), not --scenario")
                }
                let base = try dataOptions.load(), day = try dataOptions.day()
                func scenarios(_ spec: String) throws -> [Scenario] {
                    if spec == "base" { return [] }
                    var o = dataOptions
                    o.scenarios = spec.split(separator: "+").map(String.init)
                    return try o.loadScenarios(base)
                }
                let a = try scenarios(baseline), b = try scenarios(other)
                let (dsA, _) = ScenarioApplier.apply(a, to: base, on: day)
                let (dsB, editsB) = ScenarioApplier.apply(b, to: base, on: day)
                let pairs = try pairOptions.load(base, folder: dataOptions.folder)
                let cargo = try cargoOptions.cargoValue(), weights = try cargoOptions.weights(base.parameters)
                var engine = RouteEngine(dataset: dsA, day: day)
                let before = pairs.map { engine.best(from: $0.origin, to: $0.destination, cargo: cargo, weights: weights) }
                // The other side patches the compiled base network when the structure allows.
                if !engine.retarget(to: NetworkSnapshot(dataset: dsB, day: day)) { engine = RouteEngine(dataset: dsB, day: day) }
                let after = pairs.map { engine.best(from: $0.origin, to: $0.destination, cargo: cargo, weights: weights) }
                let rows = zip(pairs, zip(before, after)).map { p, r in DiffRow(origin: base.places[p.origin].id, destination: base.places[p.destination].id, group: p.group, before: r.0, after: r.1) }
                switch format {
                case .json: printOut(try encodeJSON(DiffOutput(asOf: day, baseline: baseline, other: other, otherEdits: editsB, pairs: rows)))
                case .csv:
                    var lines = [CSVWriter.line(["origin", "destination", "group", "base_days", "base_usd", "base_co2e_kg", "base_corridor", "other_days", "other_usd", "other_co2e_kg", "other_corridor", "delta_days", "delta_usd", "delta_co2e_kg"])]
                    for r in rows {
                        func f(_ v: Double?, _ p: Int) -> String { v.map { Fmt.dec($0, p) } ?? "" }
                        lines.append(CSVWriter.line([r.origin, r.destination, r.group, f(r.before?.totals.days, 3), f(r.before?.totals.usd, 2), f(r.before?.totals.co2eKg, 1),
                                                     r.before.map { $0.corridor ?? "mixed" } ?? "no route", f(r.after?.totals.days, 3), f(r.after?.totals.usd, 2),
                                                     f(r.after?.totals.co2eKg, 1), r.after.map { $0.corridor ?? "mixed" } ?? "no route",
                                                     f(r.deltaDays, 3), f(r.deltaUSD, 2), f(r.deltaCO2eKg, 1)]))
                    }
                    printOut(lines.joined(separator: "\n"))
                case .table:
                    printOut("\(baseline) → \(other), as of \(day); \(pairs.count) pairs")
                    var t = TextTable([("pair", .left, 22), ("base", .left, 15), ("days", .right, 5), ("other", .left, 15), ("days", .right, 5), ("Δdays", .right, 6), ("ΔUSD", .right, 6)])
                    for r in rows {
                        t.add(["\(r.origin)→\(r.destination)", r.before.map { $0.corridor ?? "mixed" } ?? "no route", r.before.map { Fmt.days($0.totals.days) } ?? "-",
                               r.after.map { $0.corridor ?? "mixed" } ?? "no route", r.after.map { Fmt.days($0.totals.days) } ?? "-",
                               r.deltaDays.map { ($0 >= 0 ? "+" : "") + Fmt.days($0) } ?? "-", r.deltaUSD.map { ($0 >= 0 ? "+" : "") + Fmt.int($0) } ?? "-"])
                    }
                    printOut(t.render())
                    let changed = rows.filter { ($0.before?.corridor) != ($0.after?.corridor) || $0.before == nil || $0.after == nil }.count
                    printOut("\(changed) of \(rows.count) pairs change corridor or lose/gain a route")
                }
            }
        }
    }
}

struct DiffRow: Encodable {
    var origin: String
    var destination: String
    var group: String
    var before: Route?
    var after: Route?
    var deltaDays: Double? { guard let a = before, let b = after else { return nil }; return b.totals.days - a.totals.days }
    var deltaUSD: Double? { guard let a = before, let b = after else { return nil }; return b.totals.usd - a.totals.usd }
    var deltaCO2eKg: Double? { guard let a = before, let b = after else { return nil }; return b.totals.co2eKg - a.totals.co2eKg }
    enum CodingKeys: String, CodingKey { case origin, destination, group, before, after, deltaDays, deltaUSD, deltaCO2eKg }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(origin, forKey: .origin); try c.encode(destination, forKey: .destination); try c.encode(group, forKey: .group)
        try c.encode(before, forKey: .before); try c.encode(after, forKey: .after)
        try c.encode(deltaDays, forKey: .deltaDays); try c.encode(deltaUSD, forKey: .deltaUSD); try c.encode(deltaCO2eKg, forKey: .deltaCO2eKg)
    }
}

struct DiffOutput: Encodable { var asOf: Day; var baseline: String; var other: String; var otherEdits: [AppliedEdit]; var pairs: [DiffRow] }

struct CriticalityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "criticality",
        abstract: "Remove each place and link in turn; rank by O-D pairs left without a route and by added demand-weighted generalised cost.")
    @OptionGroup var pairOptions: PairOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var cargoOptions: CargoOptions
    @Option(help: "Which items to remove: all, places or links.") var items: String = "all"
    @Option(help: ArgumentHelp("Remove only these places or links (comma-separated ids).", valueName: "IDS")) var only: String?
    @Option(help: "Rows to print in the table (JSON and CSV have all).") var top: Int = 15
    func validate() throws { guard (0...1_000_000).contains(top) else { throw ValidationError("--top must be between 0 and 1,000,000") } }
    @Flag(help: "No progress bar.") var quiet = false
    @Option(help: formatHelp()) var format: TableJSONOrCSV = .table

    func run() throws {
        try guarded {
            guard ["all", "places", "links"].contains(items) else { throw CLIFailure.usage("--items must be all, places or links") }
            let prep = try dataOptions.prepare()
            let pairs = try pairOptions.load(prep.dataset, folder: dataOptions.folder)
            let cargo = try cargoOptions.cargoValue(), weights = try cargoOptions.weights(prep.dataset.parameters)
            let engine = RouteEngine(dataset: prep.dataset, day: prep.day)
            var placeSet: [Int]?, linkSet: [Int]?
            if let only {
                let ids = only.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                var ps: [Int] = [], ls: [Int] = []
                for id in ids {
                    if let p = prep.dataset.placeIndex[id] { ps.append(p) } else if let l = prep.dataset.linkIndex[id] { ls.append(l) }
                    else { throw CLIFailure.usage("--only: '\(id)' is neither a place id nor a link id (see `caravan places` and `caravan network --format csv`)") }
                }
                placeSet = ps; linkSet = ls
            }
            let bar = ProgressBar("criticality", quiet: quiet)
            let report = engine.criticality(pairs: pairs, cargo: cargo, weights: weights, places: placeSet, links: linkSet,
                                            includePlaces: items != "links" && (placeSet.map { !$0.isEmpty } ?? true),
                                            includeLinks: items != "places" && (linkSet.map { !$0.isEmpty } ?? true), progress: bar.update)
            switch format {
            case .json: printOut(try encodeJSON(report))
            case .csv:
                printOut(([CSVWriter.line(["rank", "kind", "id", "name", "pairs_using", "pairs_lost", "weight_lost", "added_cost_usd", "examples"])] +
                          report.items.enumerated().map { i, it in
                              CSVWriter.line([String(i + 1), it.kind.rawValue, it.id, it.name, String(it.pairsUsing), String(it.pairsLost), Fmt.dec(it.weightLost, 3),
                                              Fmt.dec(it.addedCostUSD, 2), it.examples.joined(separator: "; ")])
                          }).joined(separator: "\n"))
            case .table:
                printOut("Criticality as of \(prep.day): \(report.pairsRouted) of \(report.pairs) pairs routed; \(report.items.count) items removed in turn, \(report.searches) searches")
                var t = TextTable([("#", .right, 3), ("kind", .left, 5), ("item", .left, 28), ("used", .right, 4), ("lost", .right, 4), ("+USD", .right, 9), ("", .left, 19)])
                for (i, it) in report.items.prefix(top).enumerated() {
                    t.add([String(i + 1), it.kind.rawValue, it.name, String(it.pairsUsing), String(it.pairsLost), Fmt.int(it.addedCostUSD), it.id])
                }
                printOut(t.render())
                printOut("\nwhy the top items matter:")
                for it in report.items.prefix(min(5, top)) where !it.examples.isEmpty {
                    printOut("  \(it.name): on the best route of \(it.pairsUsing) pair\(it.pairsUsing == 1 ? "" : "s"); without it " + it.examples.joined(separator: ", "))
                }
            }
        }
    }
}

struct HubsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hubs", abstract: "Share of best routes and ton-km through each country and place, for weighted O-D pairs.")
    @OptionGroup var pairOptions: PairOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var cargoOptions: CargoOptions
    @Option(help: "Rows per table.") var top: Int = 12
    func validate() throws { guard (0...1_000_000).contains(top) else { throw ValidationError("--top must be between 0 and 1,000,000") } }
    @Option(help: formatHelp()) var format: TableJSONOrCSV = .table

    func run() throws {
        try guarded {
            let prep = try dataOptions.prepare()
            let pairs = try pairOptions.load(prep.dataset, folder: dataOptions.folder)
            let cargo = try cargoOptions.cargoValue(), weights = try cargoOptions.weights(prep.dataset.parameters)
            let report = RouteEngine(dataset: prep.dataset, day: prep.day).hubs(pairs: pairs, cargo: cargo, weights: weights)
            switch format {
            case .json: printOut(try encodeJSON(report))
            case .csv:
                printOut(([CSVWriter.line(["kind", "id", "name", "route_share", "ton_km_share"])] +
                          report.countries.map { CSVWriter.line(["country", $0.id, $0.name, Fmt.dec($0.routeShare, 4), Fmt.dec($0.tonKmShare, 4)]) } +
                          report.places.map { CSVWriter.line(["place", $0.id, $0.name, Fmt.dec($0.routeShare, 4), Fmt.dec($0.tonKmShare, 4)]) }).joined(separator: "\n"))
            case .table:
                printOut("Hub roles as of \(prep.day), best routes of \(report.pairsRouted) pairs (weighted)")
                var c = TextTable([("country", .left, 30), ("routes", .right, 7), ("ton-km", .right, 7)])
                for s in report.countries.prefix(top) { c.add(["\(s.name) (\(s.id))", Fmt.dec(s.routeShare * 100, 0) + "%", Fmt.dec(s.tonKmShare * 100, 1) + "%"]) }
                var p = TextTable([("place", .left, 30), ("routes", .right, 7), ("ton-km", .right, 7)])
                for s in report.places.prefix(top) { p.add([s.name, Fmt.dec(s.routeShare * 100, 0) + "%", Fmt.dec(s.tonKmShare * 100, 1) + "%"]) }
                printOut(c.render() + "\n\n" + p.render())
            }
        }
    }
}
