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
        func tables(_ prefix: String, required: [String], optional: [String], mandatory: Bool) -> [Table] {
            let found = files(prefix)
            if found.isEmpty && mandatory {
                log.add(Diagnostic(file: "\(folder)/\(prefix).csv", line: 1, column: 1, message: "missing file: every dataset needs \(prefix).csv (see docs/data-format.md)"))
            }
            return found.compactMap { name in read(name).flatMap { Table(text: $0, file: name, required: required, optional: optional, log: log) } }
        }
        func energyTables(_ prefix: String, required: [String], optional: [String]) -> [Table] {
            energyNames.filter { $0.hasSuffix(".csv") && ($0 == prefix + ".csv" || $0.hasPrefix(prefix + "-")) }
                .compactMap { name in read("energy/" + name).flatMap { Table(text: $0, file: "energy/" + name, required: required, optional: optional, log: log) } }
        }
        let sourceColumns = (required: ["id", "kind", "title"], optional: ["publisher", "year", "url", "note"])

        var b = Builder(log: log)
        b.readSources(tables("sources", required: sourceColumns.required, optional: sourceColumns.optional, mandatory: true)
                      + energyTables("sources", required: sourceColumns.required, optional: sourceColumns.optional))
        b.readCountries(tables("countries", required: ["code", "name", "source"], optional: ["note"], mandatory: true))
        b.readCorridors(tables("corridors", required: ["id", "name"], optional: ["description", "source", "note"], mandatory: true))
        b.readEmissionFactors(tables("emission_factors", required: ["id", "mode", "co2e_g_tkm", "source"], optional: ["note"], mandatory: true))
        b.readLinkClasses(tables("link_classes", required: ["id", "mode", "speed_kmh", "tariff_usd_teu_fixed", "tariff_usd_teu_km", "emission_factor", "source"],
                                 optional: ["tariff_usd_t_fixed", "tariff_usd_t_km", "note"], mandatory: true))
        b.readParameters(tables("parameters", required: ["key", "value", "source"], optional: ["unit", "note"], mandatory: true))
        b.readPlaces(tables("places", required: ["id", "name", "country", "kind", "lat", "lon", "source"],
                            optional: ["functions", "aliases", "transfer_h", "transfer_usd_teu", "note"], mandatory: true))
        b.readLinks(tables("links", required: ["id", "from", "to", "mode", "class", "source"],
                           optional: ["gauge", "length_km", "time_h", "headway_h", "capacity", "capacity_unit", "valid_from", "valid_to",
                                      "status", "corridors", "note"], mandatory: true))
        b.readOrganisations(tables("orgs", required: ["id", "name", "kind", "source"], optional: ["founded", "note"], mandatory: false))
        b.readMemberships(tables("memberships", required: ["org", "country", "role", "source"], optional: ["valid_from", "valid_to", "note"], mandatory: false))
        b.readMeasures(tables("measures", required: ["id", "name", "kind", "applies_to", "source"],
                              optional: ["border_time_factor", "border_time_add_h", "border_cost_factor", "border_cost_add_usd_teu", "closed", "modes", "valid_from", "valid_to", "note"],
                              mandatory: false))
        b.readEvents(tables("events", required: ["date", "id", "kind", "title", "source"], optional: ["refs", "note"], mandatory: false))
        b.readObservations(tables("observations", required: ["id", "origin", "destination", "corridor", "date", "transit_days", "source"],
                                  optional: ["cargo", "note", "measure", "modes"], mandatory: false))
        b.readSpreads(tables("reliability", required: ["applies_to", "p90_over_p50", "source"], optional: ["median_factor", "months", "note"], mandatory: false))
        b.readRisks(tables("risks", required: ["id", "name", "applies_to", "probability", "delay_days_min", "delay_days_max", "source"],
                           optional: ["months", "note"], mandatory: false))
        b.readPlaceCapacities(tables("place-capacities", required: ["place", "capacity", "unit", "source"], optional: ["valid_from", "valid_to", "note"], mandatory: false))
        b.readSeaTracks(tables("sea-tracks", required: ["link", "points", "source"], optional: ["note"], mandatory: false))
        b.readCrossings(tables("crossings", required: ["link", "dwell_h", "source"],
                               optional: ["entering", "p90_over_p50", "cost", "cost_unit", "valid_from", "valid_to", "note"], mandatory: false))
        b.readFerries(tables("ferries", required: ["link", "source"],
                             optional: ["sailings_per_week", "teu_per_sailing", "wagons_per_sailing", "trucks_per_sailing", "teu_per_year", "valid_from", "valid_to", "note"],
                             mandatory: false))
        b.readTariffIndex(tables("tariff-index", required: ["link_class", "factor", "source"], optional: ["valid_from", "valid_to", "note"], mandatory: false))
        b.readFreightClasses(tables("freight_classes", required: ["id", "name", "unit", "modes", "value_of_time_usd_day", "source"],
                                    optional: ["excluded_classes", "note"], mandatory: false))
        if !energyNames.isEmpty {
            b.readEnergy(places: energyTables("energy-places", required: ["id", "name", "country", "kind", "lat", "lon", "source"], optional: ["functions", "aliases", "note"]),
                         parameters: energyTables("energy-parameters", required: ["key", "value", "source"], optional: ["unit", "note"]),
                         assets: energyTables("energy-assets", required: ["id", "name", "commodity", "from", "to", "status", "source"],
                                              optional: ["via", "length_km", "capacity", "capacity_unit", "loss_pct", "tariff", "tariff_unit", "valid_from", "valid_to",
                                                         "bidirectional", "operator", "note"]),
                         steps: energyTables("energy-capacity", required: ["asset", "capacity", "capacity_unit", "status", "source"], optional: ["valid_from", "valid_to", "note"]),
                         supplies: energyTables("energy-supply", required: ["id", "name", "commodity", "place", "year", "volume", "unit", "role", "source"], optional: ["status", "note"]),
                         demands: energyTables("energy-demand", required: ["id", "name", "commodity", "place", "unit", "role", "source"],
                                               optional: ["year", "volume", "price", "price_unit", "note"]))
        }
        b.checkReferences()
        if !log.items.isEmpty { throw InputErrors(log.items) }
        var dataset = Dataset(name: datasetName, places: b.places, links: b.links, linkClasses: b.classes,
                       emissionFactors: b.factors, corridors: b.corridors, parameters: Parameters(values: b.parameterValues, sources: b.parameterSources),
                       sources: b.sources, countries: b.countries, organisations: b.orgs, memberships: b.memberships,
                       measures: b.measures, events: b.events, observations: b.observations)
        dataset.spreads = b.spreads
        dataset.risks = b.risks
        dataset.placeCapacities = b.placeCapacities
        dataset.freightClasses = b.freightClasses
        dataset.tariffIndex = b.tariffIndex
        dataset.crossings = b.crossings
        dataset.ferries = b.ferries
        dataset.seaTracks = b.seaTracks
        dataset.energy = b.energy
        return dataset
    }
}

/// Validity periods per key within one file, which may not overlap.
private struct Periods {
    private var taken: [String: [(Validity, line: Int)]] = [:]
    /// Records the period, or reports the clash at `valid_from` (naming `what` and the earlier line) and returns false.
    mutating func claim(_ key: String, _ v: Validity, _ t: Table, _ row: CSVRecord, _ what: String) -> Bool {
        if let clash = taken[key, default: []].first(where: { $0.0.overlaps(v) }) {
            t.error(row, "valid_from", "overlaps \(what) on line \(clash.line): end one period where the next begins")
            return false
        }
        taken[key, default: []].append((v, row.line))
        return true
    }
}

/// Accumulates rows and checks cross-references once everything is read.
private struct Builder {
    let log: DiagnosticLog
    var sources: [Source] = [], countries: [Country] = [], corridors: [Corridor] = [], factors: [EmissionFactor] = []
    var classes: [LinkClass] = [], places: [Place] = [], links: [Link] = [], orgs: [Organisation] = []
    var memberships: [Membership] = [], measures: [Measure] = [], events: [TimelineEvent] = [], observations: [Observation] = []
    var parameterValues: [String: Double] = [:], parameterSources: [String: [String]] = [:]
    var spreads: [SpreadRule] = [], risks: [Risk] = []
    var placeCapacities: [PlaceCapacity] = [], freightClasses: [FreightClass] = [], tariffIndex: [TariffIndex] = []
    var seaTracks: [String: [[Double]]] = [:]
    var crossings: [Crossing] = []
    var ferries: [FerryService] = []
    var energy = EnergyData()

    /// Source citations to check once all sources are known.
    var citations: [(Table, CSVRecord, [String])] = []
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
        citations.append((t, row, ids))
        return ids
    }

    mutating func readSources(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("sources", id, t, row), let kind = t.choice(row, "kind", Source.Kind.self),
                      let title = t.string(row, "title") else { continue }
                let publisher = t.string(row, "publisher", required: kind != .estimate) ?? ""
                let yearValue = t.number(row, "year", required: kind != .estimate, min: 1800, max: 2100)
                let url = t.string(row, "url", required: kind != .estimate) ?? ""
                if !url.isEmpty && !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                    t.error(row, "url", "'\(url)' is not a web address: start it with https://")
                }
                sources.append(Source(id: id, kind: kind, publisher: publisher, title: title, year: yearValue.map { Int($0) }, url: url, note: t.raw(row, "note")))
            }
        }
    }

    mutating func readCountries(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let code = t.string(row, "code"), let name = t.string(row, "name") else { continue }
                guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                    t.error(row, "code", "'\(code)' is not an ISO 3166-1 alpha-2 code (two capital letters)"); continue
                }
                guard unique("countries", code, t, row, column: "code") else { continue }
                countries.append(Country(code: code, name: name, sources: cite(t, row)))
            }
        }
    }

    mutating func readCorridors(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("corridors", id, t, row), let name = t.string(row, "name") else { continue }
                if !t.raw(row, "source").isEmpty { _ = cite(t, row) }
                corridors.append(Corridor(id: id, name: name, description: t.raw(row, "description")))
            }
        }
        if corridors.count > 64 { log.add(Diagnostic(file: "corridors.csv", line: 1, column: 1, message: "at most 64 corridors are supported")) }
    }

    mutating func readEmissionFactors(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("emission factors", id, t, row), let mode = t.choice(row, "mode", Mode.self),
                      let g = t.number(row, "co2e_g_tkm", min: 0) else { continue }
                factors.append(EmissionFactor(id: id, mode: mode, co2eGramsPerTonneKm: g, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readLinkClasses(_ tables: [Table]) {
        let factorIDs = Set(factors.map(\.id))
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("link classes", id, t, row), let mode = t.choice(row, "mode", Mode.self),
                      let speed = t.number(row, "speed_kmh", min: 0, exclusiveMin: true),
                      let fixed = t.number(row, "tariff_usd_teu_fixed", min: 0), let perKm = t.number(row, "tariff_usd_teu_km", min: 0),
                      let factor = t.id(row, "emission_factor") else { continue }
                let tf = t.number(row, "tariff_usd_t_fixed", required: false, min: 0)
                let tk = t.number(row, "tariff_usd_t_km", required: false, min: 0)
                if (tf == nil) != (tk == nil) && (t.raw(row, "tariff_usd_t_fixed").isEmpty != t.raw(row, "tariff_usd_t_km").isEmpty) {
                    t.error(row, "tariff_usd_t_km", "give both per-tonne tariff columns or neither")
                }
                if !factorIDs.contains(factor) {
                    t.error(row, "emission_factor", "unknown emission factor '\(factor)'\(suggest(factor, Array(factorIDs)))")
                } else if let f = factors.first(where: { $0.id == factor }), f.mode != mode {
                    t.error(row, "emission_factor", "emission factor '\(factor)' is for mode \(f.mode.rawValue), but the class is \(mode.rawValue)")
                }
                classes.append(LinkClass(id: id, mode: mode, speedKmh: speed, tariffUSDPerTEUFixed: fixed, tariffUSDPerTEUKm: perKm,
                                         tariffUSDPerTonneFixed: tf, tariffUSDPerTonneKm: tk, emissionFactor: factor,
                                         sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readParameters(_ tables: [Table]) {
        let known = Dictionary(uniqueKeysWithValues: (Parameters.keys + Parameters.assignmentKeys + Parameters.optionalKeys).map { ($0.key, $0.unit) })
        for t in tables {
            for row in t.rows {
                guard let key = t.id(row, "key", allowUnderscore: true) else { continue }
                guard known[key] != nil else {
                    t.error(row, "key", "unknown parameter '\(key)'\(suggest(key, Array(known.keys)))"); continue
                }
                guard unique("parameters", key, t, row, column: "key") else { continue }
                let b = Parameters.bounds(of: key)
                guard let v = t.number(row, "value", min: b.min, max: b.max, exclusiveMin: b.exclusiveMin) else { continue }
                parameterValues[key] = v
                parameterSources[key] = cite(t, row)
            }
        }
        if !tables.isEmpty {
            for (key, _) in Parameters.keys where parameterValues[key] == nil && !seen["parameters", default: []].contains(key) {
                log.add(Diagnostic(file: tables[0].file, line: 1, column: 1, message: "missing parameter '\(key)': add a row for it"))
            }
        }
    }

    mutating func readPlaces(_ tables: [Table]) {
        let countryCodes = Set(countries.map(\.code))
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("places", id, t, row), let name = t.string(row, "name"),
                      let country = t.string(row, "country"), let kind = t.choice(row, "kind", PlaceKind.self),
                      let lat = t.number(row, "lat", min: -90, max: 90), let lon = t.number(row, "lon", min: -180, max: 180) else { continue }
                if !countryCodes.contains(country) { t.error(row, "country", "unknown country '\(country)': add it to countries.csv") }
                var functions: PlaceFunctions = []
                for f in t.list(row, "functions") {
                    if let (_, value) = PlaceFunctions.names.first(where: { $0.0 == f }) { functions.insert(value) } else {
                        t.error(row, "functions", "unknown function '\(f)': use \(PlaceFunctions.names.map(\.0).joined(separator: ", "))")
                    }
                }
                places.append(Place(id: id, name: name, country: country, kind: kind, lat: lat, lon: lon, functions: functions,
                                    aliases: t.list(row, "aliases"), transferHours: t.number(row, "transfer_h", required: false, min: 0),
                                    transferUSDPerTEU: t.number(row, "transfer_usd_teu", required: false, min: 0),
                                    sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readLinks(_ tables: [Table]) {
        let placeIDs = Set(places.map(\.id)), classByID = Dictionary(classes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let corridorIDs = Set(corridors.map(\.id))
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("links", id, t, row), let from = t.id(row, "from"), let to = t.id(row, "to"),
                      let mode = t.choice(row, "mode", Mode.self), let cls = t.id(row, "class") else { continue }
                var ok = true
                for (col, p) in [("from", from), ("to", to)] where !placeIDs.contains(p) {
                    t.error(row, col, "unknown place '\(p)'\(suggest(p, Array(placeIDs)))"); ok = false
                }
                if from == to { t.error(row, "to", "a link cannot join '\(from)' to itself"); ok = false }
                if let c = classByID[cls] {
                    if c.mode != mode { t.error(row, "class", "class '\(cls)' is for mode \(c.mode.rawValue), but the link is \(mode.rawValue)"); ok = false }
                } else { t.error(row, "class", "unknown link class '\(cls)'\(suggest(cls, Array(classByID.keys)))"); ok = false }
                var gauge: Gauge?
                if let g = t.string(row, "gauge", required: mode == .rail) {
                    if mode != .rail { t.error(row, "gauge", "only rail links have a gauge: leave it empty"); ok = false }
                    else if let n = Int(g), let v = Gauge(rawValue: n) { gauge = v }
                    else { t.error(row, "gauge", "'\(g)' is not a supported gauge: 1435, 1520 or 1668"); ok = false }
                } else if mode == .rail { ok = false }
                let length = t.number(row, "length_km", required: false, min: 0, exclusiveMin: true)
                let time = t.number(row, "time_h", required: false, min: 0, exclusiveMin: true)
                let headway = t.number(row, "headway_h", required: false, min: 0, exclusiveMin: true)
                let capacity = t.number(row, "capacity", required: false, min: 0, exclusiveMin: true)
                let unit = t.choice(row, "capacity_unit", CapacityUnit.self, required: capacity != nil)
                if capacity == nil && unit != nil { t.error(row, "capacity", "a capacity unit without a capacity: give the number too") }
                for col in ["length_km", "time_h", "headway_h", "capacity"] where !t.raw(row, col).isEmpty && Double(t.raw(row, col)) == nil { ok = false }
                let validity = t.validity(row)
                if validity == nil { ok = false }
                let status = t.raw(row, "status").isEmpty ? .open : t.choice(row, "status", LinkStatus.self)
                if status == nil { ok = false }
                var membership = CorridorMembership.all
                let tags = t.list(row, "corridors")
                if tags.isEmpty || tags == ["*"] { membership = .all } else {
                    for tag in tags where !corridorIDs.contains(tag) {
                        t.error(row, "corridors", "unknown corridor '\(tag)'\(suggest(tag, Array(corridorIDs)))"); ok = false
                    }
                    membership = .only(tags)
                }
                let cites = cite(t, row)
                guard ok, let validity, let status else { continue }
                links.append(Link(id: id, from: from, to: to, mode: mode, linkClass: cls, gauge: gauge, lengthKm: length, timeHours: time,
                                  headwayHours: headway, capacity: capacity, capacityUnit: unit, validity: validity, status: status,
                                  corridors: membership, sources: cites, note: t.raw(row, "note")))
            }
        }
    }

    mutating func readOrganisations(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id", allowUppercase: true), unique("orgs", id, t, row), let name = t.string(row, "name"), let kind = t.string(row, "kind") else { continue }
                orgs.append(Organisation(id: id, name: name, kind: kind, founded: t.day(row, "founded"), sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readMemberships(_ tables: [Table]) {
        let orgIDs = Set(orgs.map(\.id)), codes = Set(countries.map(\.code))
        for t in tables {
            for row in t.rows {
                guard let org = t.string(row, "org"), let country = t.string(row, "country"), let role = t.choice(row, "role", MembershipRole.self),
                      let validity = t.validity(row) else { continue }
                if !orgIDs.contains(org) { t.error(row, "org", "unknown organisation '\(org)'\(suggest(org, Array(orgIDs)))"); continue }
                if !codes.contains(country) { t.error(row, "country", "unknown country '\(country)': add it to countries.csv"); continue }
                memberships.append(Membership(org: org, country: country, role: role, validity: validity, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readMeasures(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("measures", id, t, row), let name = t.string(row, "name"),
                      let kind = t.choice(row, "kind", MeasureKind.self), let scopeText = t.string(row, "applies_to") else { continue }
                guard let scope = parseScope(scopeText, t, row) else { continue }
                let factor = t.number(row, "border_time_factor", required: false, min: 0)
                let add = t.number(row, "border_time_add_h", required: false)
                let cost = t.number(row, "border_cost_add_usd_teu", required: false)
                let costFactor = t.number(row, "border_cost_factor", required: false, min: 0)
                let closedText = t.raw(row, "closed").lowercased()
                guard ["", "yes", "no"].contains(closedText) else { t.error(row, "closed", "'\(closedText)' must be yes or no"); continue }
                guard let validity = t.validity(row) else { continue }
                var modes: [Mode] = []
                for m in t.list(row, "modes") {
                    guard let mode = Mode(rawValue: m) else { t.error(row, "modes", "unknown mode '\(TextInput.shown(m))': use \(Mode.allCases.map(\.rawValue).joined(separator: ", ")) separated by ';'"); continue }
                    modes.append(mode)
                }
                measureRows.append((t, row))
                var measure = Measure(id: id, name: name, kind: kind, scope: scope, borderTimeFactor: factor, borderTimeAddHours: add,
                                      borderCostAddUSDPerTEU: cost, borderCostFactor: costFactor, closed: closedText == "yes", validity: validity,
                                      sources: cite(t, row), note: t.raw(row, "note"))
                measure.modes = modes
                measures.append(measure)
            }
        }
    }

    func parseScope(_ text: String, _ t: Table, _ row: CSVRecord) -> MeasureScope? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else {
            t.error(row, "applies_to", "'\(text)' must be org:ID, pair:AA-BB, country:AA, link:ID;ID, corridor:ID or place:ID"); return nil
        }
        switch parts[0] {
        case "org": return .org(parts[1])
        case "pair":
            let cc = parts[1].split(separator: "-").map(String.init)
            guard cc.count == 2 else { t.error(row, "applies_to", "'\(text)': a pair is two country codes, e.g. pair:KZ-AZ"); return nil }
            return .pair(cc[0], cc[1])
        case "country": return .country(parts[1])
        case "link": return .links(parts[1].split(separator: ";").map { String($0).trimmingSpaces() })
        case "corridor": return .corridor(parts[1])
        case "place": return .place(parts[1])
        default:
            t.error(row, "applies_to", "unknown scope '\(parts[0])': use org, pair, country, link, corridor or place"); return nil
        }
    }

    mutating func readEvents(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let date = t.day(row, "date", required: true), let id = t.id(row, "id"), unique("events", id, t, row),
                      let kind = t.string(row, "kind"), let title = t.string(row, "title") else { continue }
                eventRows.append((t, row))
                events.append(TimelineEvent(date: date, id: id, kind: kind, title: title, refs: t.list(row, "refs"), sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readObservations(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("observations", id, t, row), let o = t.id(row, "origin"), let d = t.id(row, "destination"),
                      let corridor = t.string(row, "corridor"), let date = t.day(row, "date", required: true),
                      let days = t.number(row, "transit_days", min: 0, exclusiveMin: true) else { continue }
                placeRefs.append((t, row, "origin", o)); placeRefs.append((t, row, "destination", d))
                observationRows.append((t, row))
                var modes: [Mode] = []
                for m in t.list(row, "modes") {
                    guard let mode = Mode(rawValue: m) else { t.error(row, "modes", "unknown mode '\(TextInput.shown(m))': use \(Mode.allCases.map(\.rawValue).joined(separator: ", ")) separated by ';'"); continue }
                    modes.append(mode)
                }
                var obs = Observation(id: id, origin: o, destination: d, corridor: corridor, date: date, transitDays: days,
                                      cargo: t.raw(row, "cargo"), sources: cite(t, row), note: t.raw(row, "note"))
                obs.measure = t.choice(row, "measure", ObservationMeasure.self, required: false)
                obs.modes = modes
                observations.append(obs)
            }
        }
    }

    func months(_ t: Table, _ row: CSVRecord) -> Set<Int>?? {
        let items = t.list(row, "months")
        if items.isEmpty { return .some(nil) }
        var out = Set<Int>()
        for m in items {
            guard let v = Int(m), (1...12).contains(v) else { t.error(row, "months", "'\(m)' is not a month 1-12"); return nil }
            out.insert(v)
        }
        return .some(out)
    }

    mutating func readSpreads(_ tables: [Table]) {
        let placeIDs = Set(places.map(\.id)), classIDs = Set(classes.map(\.id)), linkIDs = Set(links.map(\.id)), codes = Set(countries.map(\.code))
        for t in tables {
            for row in t.rows {
                guard let text = t.string(row, "applies_to"), let ratio = t.number(row, "p90_over_p50", min: 1) else { continue }
                let factor = t.raw(row, "median_factor").isEmpty ? 1 : t.number(row, "median_factor", min: 0, exclusiveMin: true)
                guard let factor, let m = months(t, row) else { continue }
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                var target: SpreadTarget?
                if parts.count == 2 {
                    let v = parts[1]
                    switch parts[0] {
                    case "mode": target = Mode(rawValue: v).map { .mode($0) }
                    case "class": target = classIDs.contains(v) ? .linkClass(v) : nil
                    case "link": target = linkIDs.contains(v) ? .link(v) : nil
                    case "transfer": target = ["port_handling", "gauge_change", "transshipment"].contains(v) ? .transfer(v) : nil
                    case "place": target = placeIDs.contains(v) ? .place(v) : nil
                    case "border": target = Mode(rawValue: v).map { .border($0) }
                    case "pair":
                        let cc = v.split(separator: "-").map(String.init)
                        if cc.count == 2, codes.contains(cc[0]), codes.contains(cc[1]) { target = .pair(cc[0], cc[1]) }
                    default: break
                    }
                }
                guard let target else {
                    t.error(row, "applies_to", "'\(text)' must be mode:M, class:ID, link:ID, transfer:port_handling|gauge_change|transshipment, place:ID, border:M or pair:AA-BB with existing ids")
                    continue
                }
                spreads.append(SpreadRule(target: target, p90OverP50: ratio, medianFactor: factor, months: m, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readRisks(_ tables: [Table]) {
        let placeIDs = Set(places.map(\.id)), classIDs = Set(classes.map(\.id)), linkIDs = Set(links.map(\.id)), codes = Set(countries.map(\.code))
        let corridorIDs = Set(corridors.map(\.id))
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("risks", id, t, row), let name = t.string(row, "name"), let text = t.string(row, "applies_to"),
                      let p = t.number(row, "probability", min: 0, max: 1), let lo = t.number(row, "delay_days_min", min: 0),
                      let hi = t.number(row, "delay_days_max", min: 0), let m = months(t, row) else { continue }
                if hi < lo { t.error(row, "delay_days_max", "must be >= delay_days_min"); continue }
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                var scope: RiskScope?
                if parts.count == 2 {
                    let v = parts[1]
                    switch parts[0] {
                    case "link":
                        let ids = v.split(separator: ";").map(String.init)
                        if ids.allSatisfy(linkIDs.contains) { scope = .links(ids) }
                    case "class": scope = classIDs.contains(v) ? .linkClass(v) : nil
                    case "corridor": scope = corridorIDs.contains(v) ? .corridor(v) : nil
                    case "country": scope = codes.contains(v) ? .country(v) : nil
                    case "place": scope = placeIDs.contains(v) ? .place(v) : nil
                    default: break
                    }
                }
                guard let scope else {
                    t.error(row, "applies_to", "'\(text)' must be link:ID;ID, class:ID, corridor:ID, country:AA or place:ID with existing ids"); continue
                }
                risks.append(Risk(id: id, name: name, scope: scope, probability: p, months: m, delayDaysMin: lo, delayDaysMax: hi, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readPlaceCapacities(_ tables: [Table]) {
        let placeIDs = Set(places.map(\.id))
        for t in tables {
            var periods = Periods()
            for row in t.rows {
                guard let place = t.string(row, "place"), let c = t.number(row, "capacity", min: 0),
                      let unit = t.choice(row, "unit", CapacityUnit.self), let v = t.validity(row) else { continue }
                guard placeIDs.contains(place) else { t.error(row, "place", "unknown place '\(place)'\(suggest(place, Array(placeIDs)))"); continue }
                guard periods.claim(place + " " + unit.rawValue, v, t, row, "the \(unit.rawValue) capacity of \(place)") else { continue }
                placeCapacities.append(PlaceCapacity(place: place, capacity: c, unit: unit, validity: v, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readCrossings(_ tables: [Table]) {
        let linkByID = Dictionary(links.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let country = Dictionary(places.map { ($0.id, $0.country) }, uniquingKeysWith: { a, _ in a })
        var periods = Periods()
        for t in tables {
            for row in t.rows {
                guard let id = t.string(row, "link"), let dwell = t.number(row, "dwell_h", min: 0, max: 24 * 365),
                      let v = t.validity(row) else { continue }
                guard let link = linkByID[id] else { t.error(row, "link", "unknown link '\(TextInput.shown(id))'\(suggest(id, Array(linkByID.keys)))"); continue }
                guard let a = country[link.from], let b = country[link.to], a != b else {
                    t.error(row, "link", "'\(id)' does not cross a border (both ends in one country): give dwell at a place with transfer_h in places.csv"); continue
                }
                let entering = t.raw(row, "entering")
                guard entering.isEmpty || entering == link.from || entering == link.to else {
                    t.error(row, "entering", "'\(TextInput.shown(entering))' is not an end of \(id): use \(link.from), \(link.to) or leave it empty for both directions"); continue
                }
                let spread = t.number(row, "p90_over_p50", required: false, min: 1, max: 100)
                let cost = t.number(row, "cost", required: false, min: 0)
                let unit = t.choice(row, "cost_unit", Crossing.CostUnit.self, required: cost != nil)
                if cost == nil && unit != nil { t.error(row, "cost", "a cost_unit without a cost: give both or neither"); continue }
                if cost != nil && unit == nil { continue }
                if let key = unit?.teuParameter, parameterValues[key] == nil {
                    t.error(row, "cost_unit", "\(unit!.rawValue) needs the parameter \(key) (TEU per unit) in parameters.csv"); continue
                }
                let direction = entering.isEmpty ? "both directions" : "entering \(entering)"
                guard periods.claim("\(id) \(entering)", v, t, row, "the dwell of \(id) (\(direction))") else { continue }
                crossings.append(Crossing(link: id, entering: entering.isEmpty ? nil : entering, dwellHours: dwell, p90OverP50: spread,
                                          cost: cost, costUnit: unit, validity: v, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readFerries(_ tables: [Table]) {
        let linkByID = Dictionary(links.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var periods = Periods()
        for t in tables {
            for row in t.rows {
                guard let id = t.string(row, "link"), let v = t.validity(row) else { continue }
                guard let link = linkByID[id] else { t.error(row, "link", "unknown link '\(TextInput.shown(id))'\(suggest(id, Array(linkByID.keys)))"); continue }
                guard link.mode.isWater else { t.error(row, "link", "'\(id)' is a \(link.mode.rawValue) link: ferries.csv is for ferry and sea links"); continue }
                let s = t.number(row, "sailings_per_week", required: false, min: 0, max: 1000, exclusiveMin: true)
                let teu = t.number(row, "teu_per_sailing", required: false, min: 0, max: 100_000)
                let wagons = t.number(row, "wagons_per_sailing", required: false, min: 0, max: 10_000)
                let trucks = t.number(row, "trucks_per_sailing", required: false, min: 0, max: 10_000)
                let year = t.number(row, "teu_per_year", required: false, min: 0, exclusiveMin: true)
                if wagons != nil && parameterValues["wagon_teu"] == nil {
                    t.error(row, "wagons_per_sailing", "wagons need the parameter wagon_teu (TEU per wagon) in parameters.csv"); continue
                }
                guard s != nil || year != nil || teu != nil || wagons != nil || trucks != nil else {
                    t.error(row, "sailings_per_week", "the row gives nothing: give sailings_per_week, a load per sailing or teu_per_year"); continue
                }
                guard periods.claim(id, v, t, row, "the operations of \(id)") else { continue }
                ferries.append(FerryService(link: id, sailingsPerWeek: s, teuPerSailing: teu, wagonsPerSailing: wagons, trucksPerSailing: trucks,
                                            teuPerYear: year, validity: v, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readSeaTracks(_ tables: [Table]) {
        let modes = Dictionary(links.map { ($0.id, $0.mode) }, uniquingKeysWith: { a, _ in a })
        for t in tables {
            for row in t.rows {
                guard let id = t.string(row, "link"), let text = t.string(row, "points") else { continue }
                guard let mode = modes[id] else { t.error(row, "link", "unknown link '\(id)'\(suggest(id, Array(modes.keys)))"); continue }
                var points: [[Double]] = []
                for (i, pair) in text.split(separator: ";").enumerated() {
                    let xy = pair.split(separator: " ").compactMap { Double($0) }
                    guard xy.count == 2, (-180...180).contains(xy[0]), (-90...90).contains(xy[1]) else {
                        t.error(row, "points", "point \(i + 1) '\(pair)' is not 'lon lat' in degrees (e.g. '32.35 31.25'); separate points with ';'"); points = []; break
                    }
                    points.append(xy)
                }
                guard !points.isEmpty else { continue }
                guard mode.isWater else { t.error(row, "link", "'\(id)' is a \(mode.rawValue) link: tracks are for sea and ferry links"); continue }
                guard seaTracks[id] == nil else { t.error(row, "link", "a second track for '\(id)': keep one row per link"); continue }
                seaTracks[id] = points; _ = cite(t, row)
            }
        }
    }

    mutating func readTariffIndex(_ tables: [Table]) {
        let classIDs = Set(classes.map(\.id))
        for t in tables {
            var periods = Periods()
            for row in t.rows {
                guard let cls = t.string(row, "link_class"), let f = t.number(row, "factor", min: 0), let v = t.validity(row) else { continue }
                guard classIDs.contains(cls) else { t.error(row, "link_class", "unknown link class '\(cls)'\(suggest(cls, Array(classIDs)))"); continue }
                guard f > 0 else { t.error(row, "factor", "a tariff factor must be above 0 (a free link is a tariff of 0 in link_classes.csv)"); continue }
                guard periods.claim(cls, v, t, row, "the \(cls) index row") else { continue }
                tariffIndex.append(TariffIndex(linkClass: cls, factor: f, validity: v, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readEnergy(places pt: [Table], parameters kt: [Table], assets at: [Table], steps st: [Table], supplies ut: [Table], demands dt: [Table]) {
        let codes = Set(countries.map(\.code))
        let known = Dictionary(uniqueKeysWithValues: EnergyData.parameterKeys.map { ($0.key, $0.unit) })
        for t in kt {
            for row in t.rows {
                guard let key = t.id(row, "key", allowUnderscore: true) else { continue }
                guard known[key] != nil else { t.error(row, "key", "unknown energy parameter '\(key)'\(suggest(key, Array(known.keys)))"); continue }
                guard unique("energy parameters", key, t, row, column: "key"), let v = t.number(row, "value", min: 0) else { continue }
                energy.parameters[key] = v; energy.parameterSources[key] = cite(t, row)
            }
        }
        if !kt.isEmpty {
            for (key, _) in EnergyData.parameterKeys where energy.parameters[key] == nil && !seen["energy parameters", default: []].contains(key) {
                log.add(Diagnostic(file: kt[0].file, line: 1, column: 1, message: "missing energy parameter '\(key)': add a row for it"))
            }
        }
        for t in pt {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("places", id, t, row), let name = t.string(row, "name"), let country = t.string(row, "country"),
                      let kind = t.string(row, "kind"), let lat = t.number(row, "lat", min: -90, max: 90), let lon = t.number(row, "lon", min: -180, max: 180) else { continue }
                let kinds = ["terminal", "field", "compressor", "border_point", "market", "junction", "grid"]
                if !kinds.contains(kind) { t.error(row, "kind", "unknown energy place kind '\(kind)': use \(kinds.joined(separator: ", "))") }
                if !codes.contains(country) { t.error(row, "country", "unknown country '\(country)': add it to countries.csv") }
                energy.places.append(EnergyPlace(id: id, name: name, country: country, kind: kind, lat: lat, lon: lon, aliases: t.list(row, "aliases"),
                                                 sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
        let placeIDs = Set(places.map(\.id)).union(energy.places.map(\.id))
        func checkPlace(_ t: Table, _ row: CSVRecord, _ col: String, _ id: String) -> Bool {
            if placeIDs.contains(id) { return true }
            t.error(row, col, "unknown place '\(id)'\(suggest(id, Array(placeIDs))): add it to energy/energy-places.csv"); return false
        }
        func unitFits(_ t: Table, _ row: CSVRecord, _ col: String, _ unit: EnergyUnit, _ c: Commodity) -> Bool {
            if unit.commodity == c { return true }
            t.error(row, col, "\(unit.rawValue) is not a unit of \(c.rawValue)"); return false
        }
        for t in at {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("energy assets", id, t, row), let name = t.string(row, "name"),
                      let c = t.choice(row, "commodity", Commodity.self), let from = t.id(row, "from"), let to = t.id(row, "to"),
                      let status = t.choice(row, "status", EnergyStatus.self), let v = t.validity(row) else { continue }
                let via = t.list(row, "via")
                var ok = checkPlace(t, row, "from", from) && checkPlace(t, row, "to", to)
                for p in via where !checkPlace(t, row, "via", p) { ok = false }
                let cap = t.number(row, "capacity", required: false, min: 0)
                var unit: EnergyUnit?
                if !t.raw(row, "capacity_unit").isEmpty { unit = t.choice(row, "capacity_unit", EnergyUnit.self) }
                if cap != nil && unit == nil { t.error(row, "capacity_unit", "give the unit of the capacity (\(EnergyUnit.allCases.map(\.rawValue).joined(separator: ", ")))"); ok = false }
                if let unit, !unitFits(t, row, "capacity_unit", unit, c) { ok = false }
                let loss = t.number(row, "loss_pct", required: false, min: 0, max: 100) ?? 0
                var tariff: Double?
                if let value = t.number(row, "tariff", required: false, min: 0) {
                    tariff = energy.priceUSD(value, unit: t.raw(row, "tariff_unit"), commodity: c)
                    if tariff == nil { t.error(row, "tariff_unit", "unknown tariff unit '\(t.raw(row, "tariff_unit"))': use usd_per_bbl, usd_per_tonne, usd_per_mcm, eur_per_mwh or usd_per_mwh") }
                }
                let bidi = t.raw(row, "bidirectional")
                if !["", "yes", "no"].contains(bidi) { t.error(row, "bidirectional", "write yes or no") }
                guard ok else { continue }
                energy.assets.append(EnergyAsset(id: id, name: name, commodity: c, from: from, to: to, via: via, lengthKm: t.number(row, "length_km", required: false, min: 0),
                                                 capacity: cap, capacityUnit: unit, lossFraction: loss / 100, tariffUSD: tariff, status: status, validity: v,
                                                 bidirectional: bidi == "yes", sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
        let assetByID = Dictionary(energy.assets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for t in st {
            var periods = Periods()
            for row in t.rows {
                guard let id = t.id(row, "asset"), let cap = t.number(row, "capacity", min: 0), let unit = t.choice(row, "capacity_unit", EnergyUnit.self),
                      let status = t.choice(row, "status", EnergyStatus.self), let v = t.validity(row) else { continue }
                guard let asset = assetByID[id] else { t.error(row, "asset", "unknown energy asset '\(id)'\(suggest(id, Array(assetByID.keys)))"); continue }
                guard unitFits(t, row, "capacity_unit", unit, asset.commodity) else { continue }
                // Proposed and undated planned steps are never applied by date (scenarios use them), so they cannot overlap.
                let dated = status != .proposed && !(v.from == nil && (status == .planned || status == .underConstruction))
                if dated && !periods.claim(id, v, t, row, "the capacity of \(id)") { continue }
                energy.capacitySteps.append(EnergyCapacityStep(asset: id, capacity: cap, unit: unit, validity: v, status: status, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
        for t in ut {
            var seenYear: Set<String> = []
            for row in t.rows {
                guard let id = t.id(row, "id"), let name = t.string(row, "name"), let c = t.choice(row, "commodity", Commodity.self),
                      let place = t.id(row, "place"), let year = t.number(row, "year", min: 1900, max: 2100), let volume = t.number(row, "volume", min: 0),
                      let unit = t.choice(row, "unit", EnergyUnit.self), let role = t.choice(row, "role", EnergyRole.self) else { continue }
                guard checkPlace(t, row, "place", place), unitFits(t, row, "unit", unit, c) else { continue }
                if !seenYear.insert("\(id) \(Int(year))").inserted { t.error(row, "year", "'\(id)' already has a row for \(Int(year))"); continue }
                energy.supplies.append(EnergySupply(id: id, name: name, commodity: c, place: place, year: Int(year), volume: volume, unit: unit,
                                                    status: t.raw(row, "status"), role: role, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
        for t in dt {
            var seenYear: Set<String> = []
            for row in t.rows {
                guard let id = t.id(row, "id"), let name = t.string(row, "name"), let c = t.choice(row, "commodity", Commodity.self),
                      let place = t.id(row, "place"), let unit = t.choice(row, "unit", EnergyUnit.self), let role = t.choice(row, "role", EnergyRole.self) else { continue }
                let year = t.number(row, "year", required: false, min: 1900, max: 2100).map { Int($0) }
                let volume = t.number(row, "volume", required: false, min: 0)
                guard checkPlace(t, row, "place", place), unitFits(t, row, "unit", unit, c) else { continue }
                if volume == nil && year != nil { t.error(row, "volume", "an open export market (no volume) takes every year: leave year empty too"); continue }
                if !seenYear.insert("\(id) \(year.map(String.init) ?? "*")").inserted { t.error(row, "year", "'\(id)' already has a row for this year"); continue }
                var price: Double?
                if let p = t.number(row, "price", required: false, min: 0) {
                    price = p
                    if energy.priceUSD(p, unit: t.raw(row, "price_unit"), commodity: c) == nil {
                        t.error(row, "price_unit", "unknown price unit '\(t.raw(row, "price_unit"))' for \(c.rawValue): use usd_per_bbl, usd_per_tonne, usd_per_mcm, eur_per_mwh or usd_per_mwh")
                    }
                }
                energy.demands.append(EnergyDemand(id: id, name: name, commodity: c, place: place, year: year, volume: volume, unit: unit, price: price,
                                                   priceUnit: t.raw(row, "price_unit"), role: role, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    mutating func readFreightClasses(_ tables: [Table]) {
        let classIDs = Set(classes.map(\.id))
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("freight_classes", id, t, row), let name = t.string(row, "name"),
                      let unit = t.choice(row, "unit", FreightClass.Unit.self), let vot = t.number(row, "value_of_time_usd_day", min: 0) else { continue }
                var modes: Set<Mode> = []
                for m in t.list(row, "modes") {
                    guard let mode = Mode(rawValue: m) else { t.error(row, "modes", "unknown mode '\(m)': use rail, road, sea, ferry or iww"); continue }
                    modes.insert(mode)
                }
                if modes.isEmpty { t.error(row, "modes", "list at least one mode"); continue }
                let excluded = t.list(row, "excluded_classes")
                for c in excluded where !classIDs.contains(c) { t.error(row, "excluded_classes", "unknown link class '\(c)'\(suggest(c, Array(classIDs)))") }
                freightClasses.append(FreightClass(id: id, name: name, unit: unit, modes: modes, excludedLinkClasses: Set(excluded),
                                                   valueOfTimeUSDPerDay: vot, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    /// Checks every reference that needs the whole dataset: sources, places, scopes.
    func checkReferences() {
        let sourceIDs = Set(sources.map(\.id)), placeIDs = Set(places.map(\.id)), linkIDs = Set(links.map(\.id))
        let corridorIDs = Set(corridors.map(\.id)), orgIDs = Set(orgs.map(\.id)), codes = Set(countries.map(\.code))
        let measureIDs = Set(measures.map(\.id)), eventIDs = Set(events.map(\.id))
        for (t, row, ids) in citations {
            for id in ids where !sourceIDs.contains(id) {
                t.error(row, "source", "unknown source '\(id)'\(suggest(id, Array(sourceIDs))): add it to a sources*.csv file")
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
