import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

struct PlacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "places", abstract: "List places, or those matching a query (id, name or alias).")
    @Argument(help: "Text to search for (case- and diacritic-insensitive).") var query: String = ""
    @OptionGroup var dataOptions: DataOptions
    @Option(help: formatHelp()) var format: OutputFormat = .table

    func run() throws {
        try guarded {
            let ds = try dataOptions.prepare().dataset
            let hits = PlaceResolver(places: ds.places).search(query).map { ds.places[$0] }.sorted { $0.id < $1.id }
            if hits.isEmpty && !query.isEmpty {
                // Not a network place: a city of the gazetteer can still be an origin or destination.
                var full: EndpointResolver?
                let shown = TextInput.shown(query, limit: 64)
                switch CityGazetteer.resolve(query, places: ds.places, datasetFolder: dataOptions.folder, full: &full) {
                case .found(.point(let p), let note)?:
                    printOut("\(p.name) (\(p.country), \(String(format: "%.4f, %.4f", p.lat, p.lon))): a city off the network (GeoNames \(p.geonameID ?? 0)); "
                             + "routes reach it by estimated road legs from its nearest terminals" + (note.map { "\n" + $0 } ?? ""))
                    return
                case .ambiguous(let options)?:
                    // Several cities bear the name (Candia is Heraklion's and Chania's): list them as `route` does.
                    printOut("'\(shown)' names \(options.count) cities off the network; type one of:\n" + options.map { "  \($0.typed)   — \($0.label)" }.joined(separator: "\n"))
                    return
                case .notFound(let suggestions)? where !suggestions.isEmpty:
                    throw CLIFailure.usage("no place matches '\(shown)'; nearest matches:\n" + suggestions.map { "  " + $0 }.joined(separator: "\n"))
                default:
                    let near = PlaceResolver(places: ds.places).nearest(PlaceResolver.normalize(query), limit: 5).map { ds.places[$0].id }
                    throw CLIFailure.usage("no place matches '\(shown)'" + (near.isEmpty ? "" : "; nearest: \(near.joined(separator: ", "))"))
                }
            }
            switch format {
            case .json: printOut(try encodeJSON(hits))
            case .geojson:
                let features: [GeoJSON.Object] = hits.map { ["type": "Feature", "geometry": ["type": "Point", "coordinates": [$0.lon, $0.lat]],
                                                             "properties": ["id": $0.id, "name": $0.name, "country": $0.country, "kind": $0.kind.rawValue]] }
                printOut(GeoJSON.serialize(["type": "FeatureCollection", "features": features]))
            case .csv:
                printOut(([CSVWriter.line(["id", "name", "country", "kind", "lat", "lon", "functions", "aliases"])] + hits.map {
                    CSVWriter.line([$0.id, $0.name, $0.country, $0.kind.rawValue, String($0.lat), String($0.lon), $0.functions.names.joined(separator: ";"), $0.aliases.joined(separator: ";")])
                }).joined(separator: "\n"))
            case .table:
                var t = TextTable([("id", .left, 18), ("name", .left, 22), ("cc", .left, 2), ("kind", .left, 14), ("functions", .left, 19)])
                for p in hits { t.add([p.id, p.name, p.country, p.kind.rawValue, p.functions.names.joined(separator: ",")]) }
                printOut(t.render() + "\n\(hits.count) place\(hits.count == 1 ? "" : "s")")
            }
        }
    }
}

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "data", abstract: "Dataset tools.", subcommands: [Validate.self, Sources.self])

    struct Sources: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sources", abstract: "Where a value comes from: a source's publisher, title, year and address, the figures it states, and every row citing it.")
        @Argument(help: "Source ids, as routes and tables show them (e.g. x-xinhua-2023-alashankou).") var ids: [String] = []
        @Option(help: ArgumentHelp("List the sources whose id, publisher, title or address contains every word of TEXT.", valueName: "TEXT")) var search: String?
        @Option(name: .long, help: ArgumentHelp("Dataset folder (default: the bundled dataset).", valueName: "DIR")) var data: String?
        @Option(help: formatHelp()) var format: TableOrJSON = .table

        func validate() throws {
            if ids.isEmpty && search == nil { throw ValidationError("give one or more source ids, or --search TEXT") }
            if !ids.isEmpty && search != nil { throw ValidationError("give source ids or --search, not both") }
        }

        func run() throws {
            try guarded {
                var options = try DataOptions.parse([])
                options.data = data
                let ds = try options.load()
                if let search {
                    let hits = ds.searchSources(search)
                    if hits.isEmpty { throw CLIFailure.usage("no source matches '\(TextInput.shown(search, limit: 64))'") }
                    switch format {
                    case .json: printOut(try encodeJSON(hits))
                    case .table:
                        var t = TextTable([("id", .left, 34), ("kind", .left, 11), ("year", .right, 4), ("publisher and title", .left, 60)])
                        for s in hits { t.add([s.id, s.kind.rawValue, s.year.map(String.init) ?? "", [s.publisher, s.title].filter { !$0.isEmpty }.joined(separator: ": ")]) }
                        printOut(t.render() + "\n\(hits.count) source\(hits.count == 1 ? "" : "s")")
                    }
                    return
                }
                var reports: [SourceReport] = []
                for id in ids {
                    guard let r = ds.sourceReport(id) else {
                        throw CLIFailure.usage("unknown source '\(TextInput.shown(id, limit: 64))'\(Suggest.hint(id, in: ds.sources.map(\.id))); --search TEXT lists sources by words")
                    }
                    reports.append(r)
                }
                switch format {
                case .json: printOut(try encodeJSON(reports))
                case .table: printOut(reports.map(Self.text).joined(separator: "\n\n"))
                }
            }
        }

        /// One source as text: what it is, what it states, where it is cited.
        static func text(_ r: SourceReport) -> String {
            let s = r.source
            var out = "\(s.id) (\(s.kind.rawValue))"
            if s.kind == .estimate {
                out += "\n  method: " + s.title
            } else {
                out += "\n  " + [s.publisher, s.title, s.year.map(String.init)].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            }
            if !s.url.isEmpty { out += "\n  " + s.url }
            if !s.note.isEmpty { out += "\n" + RouteText.wrap("note: " + s.note, width: 78).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") }
            for f in r.figures {
                let figure = f.figure == f.figure.rounded() && abs(f.figure) < 1e15 ? String(Int(f.figure)) : String(f.figure)
                out += "\n  states \(figure)\(f.unit.isEmpty ? "" : " " + f.unit) for \(f.table) \(f.row) \(f.field)"
                    + (f.divideBy.map { " (divided by \($0))" } ?? "") + (f.note.isEmpty ? "" : ": " + f.note)
            }
            let byFile = Dictionary(grouping: r.citations, by: \.file)
            out += "\n  cited by \(r.citations.count) row\(r.citations.count == 1 ? "" : "s")" + (r.citations.isEmpty ? "" : ":")
            for file in byFile.keys.sorted() {
                let rows = byFile[file]!.map { $0.column == "source" ? String($0.line) : "\($0.line) (\($0.column))" }
                let shown = rows.prefix(12).joined(separator: ", ") + (rows.count > 12 ? ", … (\(rows.count) in all)" : "")
                out += "\n    \(file): line \(shown)"
            }
            return out
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check a dataset: format, references, sources; print a summary.")
        @Argument(help: "Dataset folder (default: the bundled dataset).") var dir: String?
        @Flag(name: .customLong("list-fallbacks"), help: "Also list the border crossings and transfer stops on the od-pairs.csv best routes that use general times (no measured dwell).")
        var listFallbacks = false

        func run() throws {
            try guarded {
                let folder = dir ?? BundledData.path()
                var options = try DataOptions.parse([])
                options.data = folder
                let ds = try options.load()
                let estimated = ds.links.filter { $0.lengthKm == nil }.count, estimatedWritten = ds.links.filter { $0.lengthKm != nil && ds.lengthIsEstimated($0) }.count
                let estimateSources = ds.estimateSourceIDs
                let linksOnEstimates = ds.links.filter { $0.sources.allSatisfy(estimateSources.contains) }.count
                var connected = Set<String>()
                for l in ds.links { connected.insert(l.from); connected.insert(l.to) }
                let isolated = ds.places.filter { !connected.contains($0.id) }.map(\.id)
                var shares = ""
                let pairsPath = (folder as NSString).appendingPathComponent("od-pairs.csv")
                // One compiled network of today for the route shares and the capacity check below.
                let day = Day.today(), engine = RouteEngine(dataset: ds, day: day)
                if FileManager.default.fileExists(atPath: pairsPath), let pairs = try? PairsReader.load(path: pairsPath, dataset: ds) {
                    var km = 0.0, estKm = 0.0, dwell = 0.0, estDwell = 0.0
                    var fallbackBorders = Set<String>(), allBorders = Set<String>(), oneSide = Set<String>(), derived = Set<String>()
                    var allTransfers = Set<String>(), generalTransfers = Set<String>()
                    for p in pairs {
                        guard let r = engine.best(from: p.origin, to: p.destination, cargo: Cargo(), weights: .defaults(ds.parameters), corridor: nil) else { continue }
                        for l in r.legs { km += l.km; estKm += l.estimatedKm }
                        for s in r.stops where s.estimated != nil {
                            // A border measured on one side counts only its general half.
                            dwell += s.days; estDwell += s.generalDays
                            if s.kind == .border {
                                // Listed as "A -> B" under headings that already say border.
                                let key = "\(s.place) -> \(s.toPlace ?? "")" + (s.generalParameter.map { " (\($0))" } ?? "")
                                allBorders.insert(key)
                                if s.oneSideGeneral == true { oneSide.insert(key) } else if s.estimated == true { fallbackBorders.insert(key) } else if s.estimateMethods != nil { derived.insert(key) }
                            } else {
                                let key = s.label + (s.generalParameter.map { " (\($0))" } ?? "")
                                allTransfers.insert(key)
                                if s.estimated == true { generalTransfers.insert(key) }
                            }
                        }
                    }
                    shares = "\n  on the \(pairs.count) od-pairs.csv best routes as of \(day): \(Fmt.dec(km > 0 ? 100 * estKm / km : 0, 0))% of route-km on estimated lengths, "
                        + "\(Fmt.dec(dwell > 0 ? 100 * estDwell / dwell : 0, 0))% of border and transfer dwell-hours on general parameters; "
                        + "\(fallbackBorders.count) of \(allBorders.count) border crossings without a measured dwell, \(oneSide.count) more measured on one side only, "
                        + "\(derived.count) more derived through a stated estimation method (e.g. a country average); "
                        + "\(generalTransfers.count) of \(allTransfers.count) transfer stops (ports, gauge changes, transshipments) on general times"
                    if listFallbacks {
                        shares += fallbackBorders.sorted().map { "\n    general border time: \($0)" }.joined()
                        shares += oneSide.sorted().map { "\n    one side measured, the other half the general time: \($0)" }.joined()
                        shares += derived.sorted().map { "\n    derived through an estimation method: \($0)" }.joined()
                        shares += generalTransfers.sorted().map { "\n    general transfer time: \($0)" }.joined()
                    }
                }
                // Place capacities bind only where the network transfers (transshipment, gauge change, port).
                let network = engine.network
                let transferring = Set(network.edgeKind.indices.filter { network.edgeKind[$0].isTransfer }.map { Int(network.edgeRef[$0]) })
                let idle = Set(ds.placeCapacities.filter { $0.validity.contains(day) }.map(\.place))
                    .filter { id in ds.placeIndex[id].map { !transferring.contains($0) } ?? true }.sorted()
                let idleNote = idle.isEmpty ? "" : "\n  warning: capacities that cannot bind on \(day) (no transfer at the place, so no resource in the assignment): \(idle.joined(separator: ", "))"
                // A modelled energy supply or demand must sit where an asset of its commodity passes, or it can never flow.
                let stranded = ds.energy.strandedModelRows
                let strandedNote = stranded.isEmpty ? "" : "\n  warning: energy supplies or demands (role model) where no asset of their commodity passes, so nothing can flow: \(stranded.joined(separator: ", "))"
                let noTrucks = Set(ds.ferries.filter { $0.trucksPerSailing == 0 && $0.validity.contains(day) }.map(\.link))
                let noTrucksNote = noTrucks.isEmpty ? "" : "; \(noTrucks.count) take no trucks on \(day) (\(noTrucks.sorted().joined(separator: ", ")))"
                let portRows = Set(ds.crossings.filter { $0.link == Crossing.seaArrivals }.compactMap(\.entering))
                let ports = portRows.isEmpty ? "" : " and \(portRows.count) \(portRows.count == 1 ? "port's" : "ports'") import clearance"
                printOut("""
                \(folder): valid
                  \(ds.places.count) places, \(ds.links.count) links (\(estimated) with length estimated from coordinates, \(estimatedWritten) more whose length cites only an estimation method), \(ds.linkClasses.count) link classes
                  \(ds.corridors.count) corridors, \(ds.countries.count) countries, \(ds.organisations.count) organisations, \(ds.memberships.count) memberships
                  \(ds.measures.count) measures, \(ds.events.count) timeline events, \(ds.observations.count) calibration observations\(ds.forecasts.isEmpty ? "" : " (and \(ds.forecasts.count) launch-day forecasts or targets, not scored)")
                  \(ds.tariffIndex.count) tariff-index rows\(ds.tariffIndex.isEmpty ? "" : " (" + Set(ds.tariffIndex.map(\.linkClass)).sorted().joined(separator: ", ") + ")")
                  \(ds.crossings.count) measured crossing dwells (crossings.csv) on \(Set(ds.crossings.map(\.link)).subtracting([Crossing.seaArrivals]).count) border links\(ports)
                  \(ds.ferryTariffs.count) ro-ro vehicle tariffs (ferry-tariffs.csv) on \(Set(ds.ferryTariffs.map(\.link)).count) of \(ds.links.filter { $0.mode == .ferry }.count) ferry links; the others charge a truck the class tariff per TEU\(noTrucksNote)
                  \(ds.sources.count) sources (\(estimateSources.count) estimate methods); \(linksOnEstimates) links cite only estimates\(shares)
                """ + idleNote + strandedNote + (isolated.isEmpty ? "" : "\n  warning: places without links: \(isolated.joined(separator: ", "))"))
            }
        }
    }
}

struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "network", abstract: "Export the network (places and links, with service status on the date).")
    @OptionGroup var dataOptions: DataOptions
    @Option(help: formatHelp("table is a summary.")) var format: OutputFormat = .geojson

    func run() throws {
        try guarded {
            let prep = try dataOptions.prepare()
            let ds = prep.dataset, day = prep.day
            let snapshot = NetworkSnapshot(dataset: ds, day: day)
            let available = Set(snapshot.availableLinks.map(\.index))
            switch format {
            case .geojson, .json: printOut(GeoJSON.serialize(GeoJSON.network(ds, day: day, available: { available.contains($0) })))
            case .csv:
                var lines = [CSVWriter.line(["id", "from", "to", "mode", "class", "gauge", "length_km", "status", "in_service"])]
                for (i, l) in ds.links.enumerated() {
                    lines.append(CSVWriter.line([l.id, l.from, l.to, l.mode.rawValue, l.linkClass, l.gauge.map { String($0.rawValue) } ?? "",
                                                 l.lengthKm.map { String($0) } ?? "", l.status.rawValue, available.contains(i) ? "yes" : "no"]))
                }
                printOut(lines.joined(separator: "\n"))
            case .table:
                let compiled = CompiledNetwork(snapshot)
                printOut("\(ds.name) as of \(day): \(snapshot.availableLinks.count) of \(ds.links.count) links in service; compiled to \(compiled.stateCount) states and \(compiled.edgeCount) edges")
            }
        }
    }
}

/// An ISO code or a country name ("Azerbaijan", "türkiye", "az") to the code in countries.csv.
func countryCode(_ text: String, _ ds: Dataset) throws -> String {
    if ds.country(text.uppercased()) != nil { return text.uppercased() }
    let key = PlaceResolver.normalize(text)
    if let c = ds.countries.first(where: { PlaceResolver.normalize($0.name) == key }) { return c.code }
    let near = Suggest.closest(key, in: ds.countries.map { PlaceResolver.normalize($0.name) })
        .compactMap { n in ds.countries.first { PlaceResolver.normalize($0.name) == n } }.map { "\($0.name) (\($0.code))" }
    throw CLIFailure.usage("unknown country '\(TextInput.shown(text, limit: 40))': use an ISO 3166-1 alpha-2 code or a name from countries.csv" + (near.isEmpty ? "" : "; nearest: \(near.joined(separator: ", "))"))
}

struct OrgsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orgs", abstract: "A country's memberships on a date, or every organisation's members.")
    @Argument(help: "Country code (ISO 3166-1 alpha-2) or name; omit for all organisations.") var country: String?
    @OptionGroup var dataOptions: DataOptions
    @Option(help: formatHelp()) var format: TableOrJSON = .table

    func run() throws {
        try guarded {
            let prep = try dataOptions.prepare()
            let ds = prep.dataset, day = prep.day
            if let country {
                let c = ds.country(try countryCode(country, ds))!
                let ms = ds.memberships(of: c.code, on: day)
                switch format {
                case .json: printOut(try encodeJSON(ms))
                case .table:
                    var t = TextTable([("organisation", .left, 40), ("role", .left, 16), ("since", .left, 10)])
                    for m in ms { t.add([ds.organisations.first { $0.id == m.org }?.name ?? m.org, m.role.rawValue, m.validity.from?.description ?? "-"]) }
                    printOut("\(c.name) (\(c.code)) on \(day):\n" + t.render())
                }
            } else {
                switch format {
                case .json: printOut(try encodeJSON(ds.organisations))
                case .table:
                    var t = TextTable([("org", .left, 8), ("name", .left, 34), ("members on date", .left, 36)])
                    for o in ds.organisations {
                        let members = ds.memberships.filter { $0.org == o.id && $0.role == .member && $0.validity.contains(day) }.map(\.country).sorted()
                        t.add([o.id, o.name, members.joined(separator: " ")])
                    }
                    printOut(t.render())
                }
            }
        }
    }
}

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Why a border costs what it costs: base plus the measures in force on the date.")
    @Argument(help: "Country on one side: ISO code or name.") var a: String
    @Argument(help: "Country on the other side: ISO code or name.") var b: String
    @Option(help: ArgumentHelp("Mode of the crossing: \(Mode.valueList).")) var mode: Mode = .rail
    @OptionGroup var dataOptions: DataOptions
    @Option(help: formatHelp()) var format: TableOrJSON = .table

    func run() throws {
        try guarded {
            let prep = try dataOptions.prepare()
            let ds = prep.dataset, day = prep.day
            let ca = try countryCode(a, ds), cb = try countryCode(b, ds)
            // The general parameter of this pair's borders: one-gauge rail handovers have their own.
            let pairLinks = ds.links.filter { l in
                guard l.mode == mode, let f = ds.place(l.from)?.country, let t = ds.place(l.to)?.country, f != t else { return false }
                return Set([f, t]) == Set([ca, cb])
            }
            let keys = Set(pairLinks.map { ds.generalBorderKey($0) })
            let generalKey = keys.count == 1 ? keys.first! : mode.borderHoursKey
            let cost = NetworkSnapshot.borderCost(dataset: ds, day: day, measures: ds.measures, from: ca, to: cb, mode: mode, link: nil, generalKey: generalKey)
            // Crossings of this pair and mode with a measured dwell on the date, each direction.
            let snapshot = NetworkSnapshot(dataset: ds, day: day)
            var measured: [PolicyCrossing] = []
            for r in snapshot.links {
                let l = ds.links[r.index]
                guard l.mode == mode, let f = ds.place(l.from)?.country, let t = ds.place(l.to)?.country, Set([f, t]) == Set([ca, cb]) else { continue }
                for (b, from, to) in [(r.border, l.from, l.to), (r.borderBack, l.to, l.from)] {
                    guard let b, let c = b.crossing else { continue }
                    measured.append(PolicyCrossing(link: l.id, from: from, to: to, dwellHours: c.dwellHours, hours: b.hours, usdPerTEU: b.usdPerTEU,
                                                   costMeasured: !b.costFallback, sources: c.sources, measures: b.applied.map(\.measure), closed: b.closed))
                }
            }
            // A seasonal measure within its dates but out of season is named, so a summer answer does not hide a winter closure.
            let outOfSeason = ds.measures.filter { m in
                m.covers(mode) && m.validity.contains(day) && !m.inForce(on: day) && m.months != nil
                    && NetworkSnapshot.applies(m, from: ca, to: cb, link: nil, dataset: ds, day: day)
            }
            switch format {
            case .json: printOut(try encodeJSON(PolicyOutput(general: cost, measuredCrossings: measured, outOfSeason: outOfSeason.map(\.id)))); return
            case .table: break
            }
            var lines = ["Border \(ds.country(ca)!.name) – \(ds.country(cb)!.name), \(mode.rawValue), as of \(day):",
                         "  base: \(Fmt.dec(cost.baseHours, 1)) h, \(Fmt.int(cost.baseUSDPerTEU)) USD/TEU (parameters \(generalKey.rawValue), \(ParameterKey.borderUSDPerTEU.rawValue): the fallback for crossings without a measured dwell)"]
            if keys.count > 1, let other = keys.subtracting([generalKey]).sorted().first {
                let ids = pairLinks.filter { ds.generalBorderKey($0) == other }.map(\.id).sorted()
                lines.append("  at \(ids.joined(separator: ", ")) (no gauge change at either end): \(Fmt.dec(ds.parameters[other], 1)) h base (\(other.rawValue))")
            }
            for m in cost.applied { lines.append("  \(m.name) [\(m.measure)]: \(m.effect)") }
            if cost.applied.isEmpty { lines.append("  no measure in force for this pair") }
            for m in outOfSeason {
                let months = m.months ?? []
                lines.append("  out of season on this date: \(m.name) [\(m.id)], in force in months \(months.sorted().map(String.init).joined(separator: ", "))")
            }
            lines.append(cost.closed ? "  result: CLOSED" : "  result: \(Fmt.dec(cost.hours, 1)) h, \(Fmt.int(cost.usdPerTEU)) USD/TEU")
            let shared = ds.organisations.filter { ds.isMember(ca, of: $0.id, on: day) && ds.isMember(cb, of: $0.id, on: day) }.map(\.id)
            lines.append("  both members of: \(shared.isEmpty ? "-" : shared.joined(separator: ", "))")
            if !measured.isEmpty { lines.append("  measured crossings (crossings.csv), used by routes instead of the base:") }
            for m in measured {
                let cost = m.costMeasured ? "\(Fmt.int(m.usdPerTEU)) USD/TEU" : "\(Fmt.int(m.usdPerTEU)) USD/TEU (general cost)"
                lines.append("    \(m.link) \(m.from) → \(m.to): measured \(Fmt.dec(m.dwellHours, 1)) h → \(m.closed ? "CLOSED" : "\(Fmt.dec(m.hours, 1)) h, \(cost)") (\(m.sources.joined(separator: ", ")))")
            }
            printOut(lines.joined(separator: "\n"))
        }
    }
}

struct PolicyCrossing: Codable {
    var link: String; var from: String; var to: String
    var dwellHours: Double; var hours: Double; var usdPerTEU: Double; var costMeasured: Bool
    var sources: [String]; var measures: [String]; var closed: Bool
}
/// `policy --format json`: the general border cost of the pair, and its measured crossings.
struct PolicyOutput: Codable { var general: BorderCost; var measuredCrossings: [PolicyCrossing]; var outOfSeason: [String] }

extension Mode: ExpressibleByArgument {}

struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "timeline", abstract: "Dated events of the dataset, optionally between two dates.")
    @Option(help: "First date (YYYY-MM-DD).") var since: String?
    @Option(help: "Last date (YYYY-MM-DD).") var until: String?
    @OptionGroup var dataOptions: DataOptions
    @Option(help: formatHelp()) var format: TableOrJSON = .table

    func run() throws {
        try guarded {
            let ds = try dataOptions.prepare().dataset
            func parse(_ s: String?, _ flag: String) throws -> Day? {
                guard let s else { return nil }
                guard let d = Day(iso: s) else { throw CLIFailure.usage("\(flag): '\(s)' is not a date: write YYYY-MM-DD") }
                return d
            }
            let lo = try parse(since, "--since"), hi = try parse(until, "--until")
            let events = ds.events.filter { e in (lo.map { e.date >= $0 } ?? true) && (hi.map { e.date <= $0 } ?? true) }.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
            switch format {
            case .json: printOut(try encodeJSON(events))
            case .table:
                var t = TextTable([("date", .left, 10), ("kind", .left, 11), ("event", .left, 57)])
                for e in events { t.add([e.date.description, e.kind, e.title]) }
                printOut(t.render())
            }
        }
    }
}

struct CalibrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calibration", abstract: "Published transit times beside the model's, with errors.")
    @OptionGroup var dataOptions: DataOptions
    @Option(help: formatHelp()) var format: TableJSONOrCSV = .table
        @Flag(help: "Search general parameters (border and handling times, network speeds) that minimise the weighted mean absolute log error (each capped at log 1.5) plus a pull towards each source's value, and print them.")
    var fit = false
    @Flag(help: "With --fit: also refit once per observation without it (leave-one-out) and print in-sample and out-of-sample errors per corridor family (with --format csv: one row per observation). Takes minutes; progress on stderr.")
    var leaveOneOut = false
    @Option(name: .customLong("holdout-from"), help: ArgumentHelp("With --fit: fit only on the observations dated before this day and print the errors of the later ones, out of sample, beside their errors with the data's values (fitted on all), per corridor family. Takes about as long as --fit.", valueName: "YYYY-MM-DD"))
    var holdoutFrom: String?
    @Flag(help: "Instead of one row per observation, one row per border or transfer stop that the observations' routes pass on a general time: how many observations, their days on it, and their median error (where a measured figure would help most).")
    var fallbacks = false

    func validate() throws {
        if fallbacks && (fit || leaveOneOut) { throw ValidationError("--fallbacks lists the general-time stops of the routed observations; it does not combine with --fit or --leave-one-out") }
        if leaveOneOut && !fit { throw ValidationError("--leave-one-out refits once per observation: add --fit") }
        if let h = holdoutFrom {
            if !fit { throw ValidationError("--holdout-from fits on the earlier observations: add --fit") }
            if leaveOneOut { throw ValidationError("--holdout-from and --leave-one-out are two different out-of-sample tests: run them one at a time") }
            if fallbacks { throw ValidationError("--fallbacks does not combine with --holdout-from") }
            if Day(iso: h) == nil { throw ValidationError("--holdout-from '\(h)' is not a date: give YYYY-MM-DD, e.g. 2023-01-01") }
        }
    }

    func run() throws {
        try guarded {
            let ds = try dataOptions.prepare().dataset
            if fallbacks {
                let uses = Calibration.fallbackUses(Calibration.compare(ds))
                switch format {
                case .json: printOut(try encodeJSON(uses))
                case .csv:
                    printOut(([CSVWriter.line(["stop", "observations", "general_days", "median_abs_error_pct", "median_error_pct", "observation_ids"])] + uses.map {
                        CSVWriter.line([$0.stop, String($0.observations.count), Fmt.dec($0.generalDays, 2), Fmt.dec($0.medianAbsoluteErrorPercent, 1),
                                        Fmt.dec($0.medianErrorPercent, 1), $0.observations.joined(separator: ";")])
                    }).joined(separator: "\n"))
                case .table:
                    var t = TextTable([("stop on a general time", .left, 40), ("obs", .right, 3), ("days", .right, 5), ("|err|", .right, 6), ("err", .right, 6)])
                    for u in uses {
                        t.add([u.stop, String(u.observations.count), Fmt.dec(u.generalDays, 1), Fmt.dec(u.medianAbsoluteErrorPercent, 0) + "%",
                               Fmt.dec(u.medianErrorPercent, 0) + "%"])
                    }
                    printOut(t.render() + "\nobs: routed observations passing the stop on a general time; days: their days on it, summed; |err|, err: their median absolute and signed error"
                             + "\n(a border measured on one side counts its general half; caravan data validate --list-fallbacks lists the default pairs' stops)")
                }
                return
            }
            if fit {
                let perFit = Calibration.maxEvaluations(knobs: CalibrationKnob.standard.count)
                var heldOut: Set<String> = []
                if let cutoff = holdoutFrom.flatMap({ Day(iso: $0) }) {
                    heldOut = try Self.heldOut(ds, from: cutoff)
                }
                let f = Calibration.fit(ds, knobs: CalibrationKnob.standard, leavingOut: heldOut) { n in
                    if n % 100 == 0 { FileHandle.standardError.write(Data("fit: \(n) evaluations (at most \(perFit))\n".utf8)) }
                }
                var t = TextTable([("parameter", .left, 26), ("data", .right, 8), ("fitted", .right, 8), ("", .left, 12)])
                for (i, k) in f.knobs.enumerated() {
                    let atBound = abs(f.fitted[i] - k.lower) < 1e-9 || abs(f.fitted[i] - k.upper) < 1e-9
                    t.add([k.name, Fmt.dec(f.initial[i], 2), Fmt.dec(f.fitted[i], 2), atBound ? "at a bound" : ""])
                }
                if let cutoff = holdoutFrom.flatMap({ Day(iso: $0) }) {
                    printOut(try Self.holdoutReport(f, heldOut: heldOut, cutoff: cutoff, parameters: t, format: format))
                    return
                }
                let b = Calibration.medianAbsoluteError(f.before) ?? 0, a = Calibration.medianAbsoluteError(f.after) ?? 0
                var out = t.render() + "\nmedian absolute error: \(Fmt.dec(b, 1))% with the data's values, \(Fmt.dec(a, 1))% fitted (\(f.evaluations) evaluations)"
                // The whole-trip spread, fitted to the tails with the fitted values (docs/reliability.md).
                FileHandle.standardError.write(Data("fit: model_error_floor and model_error_sigma on their grids\n".utf8))
                let m = Calibration.fitModelError(f.dataset)
                let share = { (n: Int, of: Int) in Fmt.dec(100 * Double(n) / Double(max(1, of)), 0) + "%" }
                out += "\nmodel_error_floor: \(Fmt.dec(ds.parameters.values[.modelErrorFloor] ?? 0, 2)) in the data, \(Fmt.dec(m.floor, 2)) fitted (at most \(Fmt.dec(m.floorCap, 2)), the smallest ratio of a published time to the model's)"
                out += "\nmodel_error_sigma: \(Fmt.dec(ds.parameters.values[.modelErrorSigma] ?? 0, 2)) in the data, \(Fmt.dec(m.sigma, 2)) fitted (published times below the model's 10th percentile \(share(m.check.belowP10, m.check.observations)), above its 90th \(share(m.check.aboveP90, m.check.observations)); \(share(m.without.belowP10, m.without.observations)) and \(share(m.without.aboveP90, m.without.observations)) without it)"
                if leaveOneOut {
                    let rows = Calibration.leaveOneOut(f, knobs: CalibrationKnob.standard) { i, n in
                        if i % 10 == 0 || i == n { FileHandle.standardError.write(Data("leave-one-out: \(i) of \(n) routings of all observations\n".utf8)) }
                    }
                    if format == .csv {
                        // One row per observation, for residual plots; the parameter table goes to stderr.
                        FileHandle.standardError.write(Data((out + "\n").utf8))
                        printOut(Self.outOfSampleCSV(rows))
                        return
                    }
                    out += "\n\nmedian absolute error by corridor family, fitted on all observations (in-sample) and refitted without each one (out-of-sample):\n" + Self.familyTable(rows).render()
                    // How precise the overall medians are: the absolute errors just below and above them.
                    let band = { (v: [Double]) -> String in
                        guard let lo = Calibration.absoluteQuantile(v, 0.45), let hi = Calibration.absoluteQuantile(v, 0.55) else { return "-" }
                        return "\(Fmt.dec(lo, 1))–\(Fmt.dec(hi, 1))%"
                    }
                    out += "\nall: 45th to 55th percentile of the absolute errors \(band(rows.compactMap(\.inSampleErrorPercent))) in sample, \(band(rows.compactMap(\.outOfSampleErrorPercent))) out of sample (how far a few observations can move the medians)"
                }
                printOut(out)
                return
            }
            // 20,000 samples with seed 1, as compare's p50 and p90: where each published time falls in the spread.
            let rows = Calibration.compare(ds, spreadSamples: 20_000)
            // Launch-day forecasts and targets: the model's time beside them, outside every score.
            var forecastData = ds
            forecastData.observations = ds.forecasts
            let forecasts = ds.forecasts.isEmpty ? [] : Calibration.compare(forecastData, spreadSamples: 20_000)
            switch format {
            case .json: printOut(try encodeJSON(rows + forecasts))
            case .csv:
                printOut(([CSVWriter.line(["id", "origin", "destination", "corridor", "date", "published_days", "model_days", "error_pct", "drivers",
                                           "general_dwell_days", "estimated_km_pct", "source", "path", "model_p50_days", "model_p90_days", "published_percentile",
                                           "weight"])] + (rows + forecasts).map {
                    CSVWriter.line([$0.id, $0.origin, $0.destination, $0.corridor, $0.date.description, Fmt.dec($0.publishedDays, 1),
                                    $0.modelDays.map { Fmt.dec($0, 1) } ?? "", $0.errorPercent.map { Fmt.dec($0, 1) } ?? "", Self.crew($0),
                                    $0.generalDwellDays.map { Fmt.dec($0, 2) } ?? "", $0.estimatedKmShare.map { Fmt.dec(100 * $0, 0) } ?? "", $0.sources.joined(separator: ";"),
                                    ($0.path ?? []).joined(separator: ";"), $0.modelP50Days.map { Fmt.dec($0, 2) } ?? "",
                                    $0.modelP90Days.map { Fmt.dec($0, 2) } ?? "", $0.publishedPercentile.map { Fmt.dec($0, 1) } ?? "", Fmt.dec($0.weight, 1)])
                }).joined(separator: "\n"))
            case .table:
                var t = TextTable([("observation", .left, 28), ("family", .left, 15), ("date", .left, 10), ("pub", .right, 5), ("model", .right, 5), ("err%", .right, 6),
                                   ("p90", .right, 5), ("pct", .right, 3), ("w", .right, 3), ("gen d", .right, 5), ("est km", .right, 6), ("crew", .left, 11)])
                for r in rows {
                    t.add([r.id, r.family, r.date.description, Fmt.days(r.publishedDays), r.modelDays.map(Fmt.days) ?? "-", r.errorPercent.map { Fmt.dec($0, 0) } ?? "-",
                           r.modelP90Days.map(Fmt.days) ?? "-", r.publishedPercentile.map { Fmt.dec($0, 0) } ?? "-", Fmt.dec(r.weight, 1),
                           r.generalDwellDays.map { Fmt.dec($0, 1) } ?? "-", r.estimatedKmShare.map { Fmt.dec(100 * $0, 0) + "%" } ?? "-", Self.crew(r)])
                }
                let routed = rows.filter { $0.errorPercent != nil }.count
                var foot = "\n\(routed) of \(rows.count) observations routed; median absolute error \(Fmt.dec(Calibration.medianAbsoluteError(rows) ?? 0, 1))%"
                let spread = Calibration.spreadCheck(rows)
                if spread.observations > 0 {
                    let share = { (n: Int) in Fmt.dec(100 * Double(n) / Double(spread.observations), 0) + "%" }
                    foot += "\npublished time below the model's 10th percentile: \(spread.belowP10) (\(share(spread.belowP10))), above its 90th: \(spread.aboveP90) (\(share(spread.aboveP90))), median percentile \(Fmt.dec(spread.medianPercentile ?? 0, 0)); an honest spread puts about 10% in each tail and the median at 50"
                    let byFamily = Dictionary(grouping: rows, by: \.family).sorted { $0.key < $1.key }.map { fam, rs in
                        let c = Calibration.spreadCheck(rs)
                        return "\(fam) \(c.belowP10)/\(c.aboveP90)/\(Fmt.dec(c.medianPercentile ?? 0, 0))"
                    }
                    foot += "\nby family (below p10 / above p90 / median percentile): " + byFamily.joined(separator: ", ")
                }
                foot += "\np90: the route's sampled 90th percentile (reliability model, 20,000 samples, seed 1); pct: where the published time falls in that spread (percent of samples at or below it)"
                foot += "\ngen d: days of the route's border and transfer stops on general parameters (no figure of the crossing's own); est km: share of km on estimated lengths"
                if rows.contains(where: \.driversInferred) {
                    foot += "\n2 inferred: crew not stated; one driver could not have driven the route in the published time within the drivers' hours at truck_speed_limit_kmh"
                }
                if !forecasts.isEmpty {
                    var ft = TextTable([("forecast or target", .left, 28), ("family", .left, 15), ("date", .left, 10), ("pub", .right, 5), ("model", .right, 5), ("err%", .right, 6)])
                    for r in forecasts {
                        ft.add([r.id, r.family, r.date.description, Fmt.days(r.publishedDays), r.modelDays.map(Fmt.days) ?? "-", r.errorPercent.map { Fmt.dec($0, 0) } ?? "-"])
                    }
                    foot += "\n\n\(forecasts.count) launch-day forecasts and targets (measure planned), beside the model but not observations: neither fitted nor in any error above\n" + ft.render()
                }
                printOut(t.render() + foot)
            }
        }
    }

    /// Ids of the observations dated on or after the cutoff; an error naming the observations' dates when either side is empty.
    static func heldOut(_ ds: Dataset, from cutoff: Day) throws -> Set<String> {
        let dates = ds.observations.map(\.date).sorted()
        guard let first = dates.first, let last = dates.last else { throw CLIFailure.usage("--holdout-from: the dataset has no observations to fit") }
        let later = Set(ds.observations.filter { $0.date >= cutoff }.map(\.id))
        if later.isEmpty || later.count == ds.observations.count {
            throw CLIFailure.usage("--holdout-from \(cutoff): \(later.isEmpty ? "no observation is dated on or after it" : "no observation is dated before it"); the observations run from \(first) to \(last), so give a day between")
        }
        return later
    }

    /// The holdout test: the parameters fitted without the later observations, then per corridor family the median absolute
    /// error of the held-out observations with that fit (out of sample) and with the data's values (in sample, fitted on all).
    static func holdoutReport(_ f: CalibrationFit, heldOut: Set<String>, cutoff: Day, parameters: TextTable, format: TableJSONOrCSV) throws -> String {
        let before = Dictionary(uniqueKeysWithValues: f.before.map { ($0.id, $0.modelDays) })
        let training = f.after.filter { !heldOut.contains($0.id) }
        let held = f.after.filter { heldOut.contains($0.id) }.map {
            LeaveOneOutRow(id: $0.id, family: $0.family, publishedDays: $0.publishedDays, inSampleDays: before[$0.id] ?? nil, outOfSampleDays: $0.modelDays)
        }
        if format == .csv {
            FileHandle.standardError.write(Data((parameters.render() + "\n").utf8))
            return outOfSampleCSV(held)
        }
        let trainingError = Calibration.medianAbsoluteError(training).map { Fmt.dec($0, 1) + "%" } ?? "-"
        return "fitted on the \(training.count) observations dated before \(cutoff) (\(f.evaluations) evaluations); \(held.count) held out\n"
            + parameters.render()
            + "\nmedian absolute error on the \(training.count) fitted observations: \(trainingError)"
            + "\n\nmedian absolute error of the \(held.count) observations dated on or after \(cutoff), by corridor family, with the data's values (fitted on all, in-sample) and with the fit that did not see them (out-of-sample):\n"
            + familyTable(held).render()
            + "\n(the data's values are the full fit's where the data is at its fixed point: caravan calibration --fit shows both)"
    }

    /// Median absolute error per corridor family and over all, in and out of sample (leave-one-out and holdout).
    static func familyTable(_ rows: [LeaveOneOutRow]) -> TextTable {
        var ft = TextTable([("family", .left, 16), ("n", .right, 3), ("in-sample", .right, 9), ("out-of-sample", .right, 13)])
        for fam in Array(Set(rows.map(\.family))).sorted() + ["all"] {
            let rs = fam == "all" ? rows : rows.filter { $0.family == fam }
            let i = Calibration.median(rs.compactMap(\.inSampleErrorPercent)), o = Calibration.median(rs.compactMap(\.outOfSampleErrorPercent))
            ft.add([fam, String(rs.count), i.map { Fmt.dec($0, 1) + "%" } ?? "-", o.map { Fmt.dec($0, 1) + "%" } ?? "-"])
        }
        return ft
    }

    /// One CSV row per observation with its in-sample and out-of-sample days and errors.
    static func outOfSampleCSV(_ rows: [LeaveOneOutRow]) -> String {
        ([CSVWriter.line(["id", "family", "published_days", "in_sample_days", "out_of_sample_days", "in_sample_error_pct", "out_of_sample_error_pct"])] + rows.map {
            CSVWriter.line([$0.id, $0.family, Fmt.dec($0.publishedDays, 2), $0.inSampleDays.map { Fmt.dec($0, 2) } ?? "", $0.outOfSampleDays.map { Fmt.dec($0, 2) } ?? "",
                            $0.inSampleErrorPercent.map { Fmt.dec($0, 1) } ?? "", $0.outOfSampleErrorPercent.map { Fmt.dec($0, 1) } ?? ""])
        }).joined(separator: "\n")
    }

    /// Truck crew of a row: "1", "2", "2 inferred"; empty for trains and ships.
    static func crew(_ r: CalibrationRow) -> String {
        guard let d = r.drivers else { return "" }
        return r.driversInferred ? "\(d) inferred" : String(d)
    }
}
