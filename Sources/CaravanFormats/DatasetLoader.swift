import Foundation
import CaravanModel

/// Reads and validates a Caravan dataset folder (see docs/data-format.md).
///
/// Every problem is reported with file:line:column; loading fails when any is
/// found, so a dataset that loads is internally consistent and fully sourced.
public enum DatasetLoader {
    /// Loads a dataset folder; throws `InputErrors` listing every problem found.
    public static func load(folder: String) throws(InputErrors) -> Dataset {
        let url = URL(fileURLWithPath: folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder).sorted() else {
            throw InputErrors([Diagnostic(file: folder, line: 1, column: 1, message: "cannot read the folder: check the path given to --data")])
        }
        // The energy layer lives in the subfolder energy/ with file names of its own.
        let energyNames = ((try? FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent("energy").path)) ?? []).sorted()
        return try load(name: url.lastPathComponent, shownAs: folder, names: names, energyNames: energyNames) { (file: String) throws(InputErrors) -> String in
            try TextInput.read(path: url.appendingPathComponent(file).path, shownAs: file)
        }
    }

    /// Loads a dataset held in memory: file name → text (energy files as `energy/NAME`).
    /// The same checks as a folder; used by the fuzz harness and for uploaded datasets.
    public static func load(files: [String: String], name: String) throws(InputErrors) -> Dataset {
        let names = files.keys.filter { !$0.contains("/") }.sorted()
        let energy = files.keys.filter { $0.hasPrefix("energy/") }.map { String($0.dropFirst("energy/".count)) }.sorted()
        return try load(name: name, shownAs: name, names: names, energyNames: energy) { (file: String) throws(InputErrors) -> String in
            TextInput.normalize(files[file] ?? "")
        }
    }

    static func load(name datasetName: String, shownAs folder: String, names: [String], energyNames: [String],
                     text: (String) throws(InputErrors) -> String) throws(InputErrors) -> Dataset {
        let log = DiagnosticLog()
        func files(_ prefix: String) -> [String] {
            names.filter { $0.hasSuffix(".csv") && ($0 == prefix + ".csv" || $0.hasPrefix(prefix + "-") || $0.hasPrefix(prefix + "_")) }
        }
        func read(_ name: String) -> String? {
            do { return try text(name) } catch { log.items += error.diagnostics; return nil }
        }
        func tables(_ schema: TableSchema) -> [Table] {
            let found = files(schema.name)
            if found.isEmpty && schema.mandatory {
                log.add(Diagnostic(file: "\(folder)/\(schema.name).csv", line: 1, column: 1, message: "missing file: every dataset needs \(schema.name).csv (see docs/data-format.md)"))
            }
            return found.compactMap { name in read(name).flatMap { Table(text: $0, file: name, schema: schema, log: log) } }
        }
        func energyTables(_ schema: TableSchema) -> [Table] {
            energyNames.filter { $0.hasSuffix(".csv") && ($0 == schema.name + ".csv" || $0.hasPrefix(schema.name + "-")) }
                .compactMap { name in read("energy/" + name).flatMap { Table(text: $0, file: "energy/" + name, schema: schema, log: log) } }
        }

        var b = DatasetBuilder(log: log)
        b.readSources(tables(DatasetBuilder.sourcesTable) + energyTables(DatasetBuilder.sourcesTable))
        b.readCountries(tables(DatasetBuilder.countriesTable))
        b.readCorridors(tables(DatasetBuilder.corridorsTable))
        b.readEmissionFactors(tables(DatasetBuilder.emissionFactorsTable))
        b.readLinkClasses(tables(DatasetBuilder.linkClassesTable))
        b.readParameters(tables(DatasetBuilder.parametersTable))
        b.readPlaces(tables(DatasetBuilder.placesTable))
        b.readLinks(tables(DatasetBuilder.linksTable))
        b.readOrganisations(tables(DatasetBuilder.orgsTable))
        b.readMemberships(tables(DatasetBuilder.membershipsTable))
        b.readMeasures(tables(DatasetBuilder.measuresTable))
        b.readEvents(tables(DatasetBuilder.eventsTable))
        b.readObservations(tables(DatasetBuilder.observationsTable))
        b.readSpreads(tables(DatasetBuilder.reliabilityTable))
        b.readRisks(tables(DatasetBuilder.risksTable))
        b.readPlaceCapacities(tables(DatasetBuilder.placeCapacitiesTable))
        b.readSeaTracks(tables(DatasetBuilder.seaTracksTable))
        b.readLandMask(tables(DatasetBuilder.landMaskTable))
        b.readCrossings(tables(DatasetBuilder.crossingsTable))
        b.readFerries(tables(DatasetBuilder.ferriesTable))
        b.readFerryTariffs(tables(DatasetBuilder.ferryTariffsTable))
        b.readTariffIndex(tables(DatasetBuilder.tariffIndexTable))
        b.readFreightClasses(tables(DatasetBuilder.freightClassesTable))
        b.readModeVolumes(tables(DatasetBuilder.modeVolumesTable))
        b.readSourceFigures(tables(DatasetBuilder.sourceFiguresTable))
        if !energyNames.isEmpty {
            b.readEnergy(places: energyTables(DatasetBuilder.energyPlacesTable),
                         parameters: energyTables(DatasetBuilder.energyParametersTable),
                         assets: energyTables(DatasetBuilder.energyAssetsTable),
                         steps: energyTables(DatasetBuilder.energyCapacityTable),
                         supplies: energyTables(DatasetBuilder.energySupplyTable),
                         demands: energyTables(DatasetBuilder.energyDemandTable),
                         observed: energyTables(DatasetBuilder.energyObservedTable),
                         contracts: energyTables(DatasetBuilder.energyContractsTable))
        }
        b.checkReferences()
        if !log.items.isEmpty { throw InputErrors(log.items) }
        var dataset = Dataset(name: datasetName, places: b.places, links: b.links, linkClasses: b.classes,
                       emissionFactors: b.factors, corridors: b.corridors, parameters: Parameters(values: b.parameterValues, sources: b.parameterSources),
                       sources: b.sources, countries: b.countries, organisations: b.orgs, memberships: b.memberships,
                       measures: b.measures, events: b.events, observations: b.observations.filter { $0.measure != .planned })
        dataset.forecasts = b.observations.filter { $0.measure == .planned }
        dataset.spreads = b.spreads
        dataset.risks = b.risks
        dataset.placeCapacities = b.placeCapacities
        dataset.freightClasses = b.freightClasses
        dataset.tariffIndex = b.tariffIndex
        dataset.modeVolumes = b.modeVolumes
        dataset.crossings = b.crossings
        dataset.ferries = b.ferries
        dataset.ferryTariffs = b.ferryTariffs
        dataset.seaTracks = b.seaTracks
        dataset.land = b.land
        dataset.energy = b.energy
        dataset.sourceFigures = b.sourceFigures
        for (t, row, ids, column) in b.citations {
            for id in ids { dataset.citations[id, default: []].append(Citation(file: t.file, line: row.line, column: column)) }
        }
        return dataset
    }
}

/// Validity periods per key across every file of one table (`NAME.csv` and its `NAME-*.csv`
/// parts), which may not overlap.
struct Periods {
    private var taken: [String: [(Validity, file: String, line: Int)]] = [:]
    /// Records the period, or reports the clash at `valid_from` (naming `what` and the earlier
    /// row: its line, and its file when another) and returns false.
    mutating func claim(_ key: String, _ v: Validity, _ t: Table, _ row: CSVRecord, _ what: String) -> Bool {
        if let clash = taken[key, default: []].first(where: { $0.0.overlaps(v) }) {
            let place = clash.file == t.file ? "line \(clash.line)" : "\(clash.file) line \(clash.line)"
            t.error(row, "valid_from", "overlaps \(what) on \(place): end one period where the next begins")
            return false
        }
        taken[key, default: []].append((v, t.file, row.line))
        return true
    }
}

/// Accumulates rows and checks cross-references once everything is read.
struct DatasetBuilder {
    let log: DiagnosticLog
    var sources: [Source] = [], countries: [Country] = [], corridors: [Corridor] = [], factors: [EmissionFactor] = []
    var classes: [LinkClass] = [], places: [Place] = [], links: [Link] = [], orgs: [Organisation] = []
    var memberships: [Membership] = [], measures: [Measure] = [], events: [TimelineEvent] = [], observations: [Observation] = []
    var parameterValues: [ParameterKey: Double] = [:], parameterSources: [ParameterKey: [String]] = [:]
    var spreads: [SpreadRule] = [], risks: [Risk] = []
    var placeCapacities: [PlaceCapacity] = [], freightClasses: [FreightClass] = [], tariffIndex: [TariffIndex] = []
    var modeVolumes: [ModeVolume] = []
    var seaTracks: [String: [[Double]]] = [:]
    var land: LandMask?
    var crossings: [Crossing] = []
    var ferries: [FerryService] = []
    var ferryTariffs: [FerryTariff] = []
    var energy = EnergyData()

    /// Source citations to check once all sources are known.
    var citations: [(Table, CSVRecord, [String], column: String)] = []
    var sourceFigures: [SourceFigure] = []
    var placeRefs: [(Table, CSVRecord, String, String)] = []
    var seen: [String: Set<String>] = [:]
    var measureRows: [(Table, CSVRecord)] = [], eventRows: [(Table, CSVRecord)] = [], observationRows: [(Table, CSVRecord)] = []

    init(log: DiagnosticLog) { self.log = log }

    mutating func unique(_ kind: String, _ id: String, _ t: Table, _ row: CSVRecord, column: String = "id") -> Bool {
        if seen[kind, default: []].contains(id) { t.error(row, column, "duplicate id '\(id)': ids must be unique across all \(kind) files"); return false }
        seen[kind, default: []].insert(id)
        return true
    }

    /// Reads the `source` column: required, non-empty; ids checked later.
    mutating func cite(_ t: Table, _ row: CSVRecord, column: String = "source") -> [String] {
        let ids = t.list(row, column)
        if ids.isEmpty { t.error(row, column, "missing source: cite an id from sources*.csv, or an estimate source that states the method"); return [] }
        citations.append((t, row, ids, column))
        return ids
    }

    /// Checks every reference that needs the whole dataset: sources, places, scopes.
    func checkReferences() {
        let sourceIDs = Set(sources.map(\.id)), placeIDs = Set(places.map(\.id)), linkIDs = Set(links.map(\.id))
        let corridorIDs = Set(corridors.map(\.id)), orgIDs = Set(orgs.map(\.id)), codes = Set(countries.map(\.code))
        let measureIDs = Set(measures.map(\.id)), eventIDs = Set(events.map(\.id))
        for (t, row, ids, column) in citations {
            for id in ids where !sourceIDs.contains(id) {
                t.error(row, column, "unknown source '\(id)'\(suggest(id, Array(sourceIDs))): add it to a sources*.csv file")
            }
        }
        for (t, row, col, id) in placeRefs where !placeIDs.contains(id) {
            t.error(row, col, "unknown place '\(id)'\(suggest(id, Array(placeIDs)))")
        }
        for (i, m) in measures.enumerated() {
            let bad: String?
            switch m.scope {
            case .org(let id): bad = orgIDs.contains(id) ? nil : "unknown organisation '\(id)'"
            case .pair(let a, let b): bad = codes.contains(a) && codes.contains(b) ? nil : "unknown country in pair \(a)-\(b)"
            case .country(let c): bad = codes.contains(c) ? nil : "unknown country '\(c)'"
            case .links(let ids): bad = ids.first { !linkIDs.contains($0) }.map { "unknown link '\($0)'\(suggest($0, Array(linkIDs)))" }
            case .corridor(let id): bad = corridorIDs.contains(id) ? nil : "unknown corridor '\(id)'"
            case .place(let id): bad = placeIDs.contains(id) ? nil : "unknown place '\(id)'"
            }
            if let bad { measureRows[i].0.error(measureRows[i].1, "applies_to", bad) }
        }
        for (i, e) in events.enumerated() {
            for ref in e.refs {
                let parts = ref.split(separator: ":", maxSplits: 1).map(String.init)
                let ok: Bool
                if parts.count == 2 {
                    switch parts[0] {
                    case "link": ok = linkIDs.contains(parts[1])
                    case "place": ok = placeIDs.contains(parts[1])
                    case "measure": ok = measureIDs.contains(parts[1])
                    case "org": ok = orgIDs.contains(parts[1])
                    case "event": ok = eventIDs.contains(parts[1])
                    case "corridor": ok = corridorIDs.contains(parts[1])
                    case "country": ok = codes.contains(parts[1])
                    default: ok = false
                    }
                } else { ok = false }
                if !ok { eventRows[i].0.error(eventRows[i].1, "refs", "'\(ref)' does not name an existing link:, place:, measure:, org:, event:, corridor: or country: id") }
            }
        }
        for (i, o) in observations.enumerated() where o.corridor != "any" && !corridorIDs.contains(o.corridor) {
            observationRows[i].0.error(observationRows[i].1, "corridor", "unknown corridor '\(o.corridor)' (use a corridor id or 'any')")
        }
    }

    func suggest(_ id: String, _ candidates: [String]) -> String { Suggest.hint(id, in: candidates) }
}
