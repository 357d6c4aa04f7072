import Foundation
import CaravanModel

/// Dataset tables: Organisations, memberships, measures, the timeline, observations, reliability
/// spreads, risks and freight classes.
/// Each table's schema sits next to its reader.
extension DatasetBuilder {
    static let orgsTable = TableSchema("orgs", required: ["id", "name", "kind", "source"],
                                   optional: ["founded", "note"], mandatory: false)
    mutating func readOrganisations(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id", allowUppercase: true), unique("orgs", id, t, row), let name = t.string(row, "name"), let kind = t.string(row, "kind") else { continue }
                orgs.append(Organisation(id: id, name: name, kind: kind, founded: t.day(row, "founded"), sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    static let membershipsTable = TableSchema("memberships", required: ["org", "country", "role", "source"],
                                   optional: ["valid_from", "valid_to", "note"], mandatory: false)
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

    static let measuresTable = TableSchema("measures", required: ["id", "name", "kind", "applies_to", "source"],
                                   optional: ["border_time_factor", "border_time_add_h", "border_cost_factor", "border_cost_add_usd_teu", "risk_usd_teu", "closed", "modes", "valid_from", "valid_to", "months", "note"], mandatory: false)
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
                guard let validity = t.validity(row), let season = months(t, row) else { continue }
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
                measure.months = season
                measure.borderRiskUSDPerTEU = t.number(row, "risk_usd_teu", required: false, min: 0)
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

    static let eventsTable = TableSchema("events", required: ["date", "id", "kind", "title", "source"],
                                   optional: ["refs", "note"], mandatory: false)
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

    static let observationsTable = TableSchema("observations", required: ["id", "origin", "destination", "corridor", "date", "transit_days", "source"],
                                   optional: ["cargo", "note", "measure", "modes", "via", "origin_at", "destination_at", "drivers", "service"], mandatory: false)
    mutating func readObservations(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("observations", id, t, row), let o = t.string(row, "origin"), let d = t.string(row, "destination"),
                      let corridor = t.string(row, "corridor"), let date = t.day(row, "date", required: true),
                      let days = t.number(row, "transit_days", min: 0, exclusiveMin: true) else { continue }
                // An end off the network gives its position (`LAT;LON;CC`, e.g. a GeoNames city); `origin` is then its name.
                func point(_ column: String, name: String) -> OffNetworkPoint?? {
                    let text = t.raw(row, column)
                    guard !text.isEmpty else { return .some(nil) }
                    let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 3, let lat = Double(parts[0]), let lon = Double(parts[1]), (-90...90).contains(lat), (-180...180).contains(lon),
                          parts[2].count == 2, parts[2].allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                        t.error(row, column, "'\(TextInput.shown(text, limit: 40))' must be LAT;LON;CC (degrees and the ISO country code), e.g. 36.668;116.997;CN"); return nil
                    }
                    // Borders are found by country, so the code must be one the dataset knows.
                    guard countries.contains(where: { $0.code == parts[2] }) else {
                        t.error(row, column, "unknown country '\(parts[2])': add it to countries.csv"); return nil
                    }
                    return .some(OffNetworkPoint(name: name, country: parts[2], lat: lat, lon: lon, origin: .coordinates))
                }
                guard let originPoint = point("origin_at", name: o), let destinationPoint = point("destination_at", name: d) else { continue }
                // A network end is a place id; an end off the network is a name with its position.
                if originPoint == nil { guard t.id(row, "origin") != nil else { continue }; placeRefs.append((t, row, "origin", o)) }
                if destinationPoint == nil { guard t.id(row, "destination") != nil else { continue }; placeRefs.append((t, row, "destination", d)) }
                var drivers: Int?
                if let n = t.number(row, "drivers", required: false) {
                    guard n == 1 || n == 2 else { t.error(row, "drivers", "\(t.raw(row, "drivers")) drivers: write 1 or 2 (only when the source states the crew)"); continue }
                    drivers = Int(n)
                }
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
                obs.via = t.list(row, "via")
                obs.originPoint = originPoint; obs.destinationPoint = destinationPoint; obs.drivers = drivers
                obs.service = t.choice(row, "service", RailService.self, required: false)
                for v in obs.via { placeRefs.append((t, row, "via", v)) }
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

    static let reliabilityTable = TableSchema("reliability", required: ["applies_to", "p90_over_p50", "source"],
                                   optional: ["median_factor", "months", "note"], mandatory: false)
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

    static let risksTable = TableSchema("risks", required: ["id", "name", "applies_to", "probability", "delay_days_min", "delay_days_max", "source"],
                                   optional: ["months", "valid_from", "valid_to", "note"], mandatory: false)
    mutating func readRisks(_ tables: [Table]) {
        let placeIDs = Set(places.map(\.id)), classIDs = Set(classes.map(\.id)), linkIDs = Set(links.map(\.id)), codes = Set(countries.map(\.code))
        let corridorIDs = Set(corridors.map(\.id))
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("risks", id, t, row), let name = t.string(row, "name"), let text = t.string(row, "applies_to"),
                      let p = t.number(row, "probability", min: 0, max: 1), let lo = t.number(row, "delay_days_min", min: 0),
                      let hi = t.number(row, "delay_days_max", min: 0), let m = months(t, row), let v = t.validity(row) else { continue }
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
                risks.append(Risk(id: id, name: name, scope: scope, probability: p, months: m, validity: v, delayDaysMin: lo, delayDaysMax: hi, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    static let freightClassesTable = TableSchema("freight_classes", required: ["id", "name", "unit", "modes", "value_of_time_usd_day", "source"],
                                   optional: ["excluded_classes", "note", "vot_spread", "vot_groups", "demand_share",
                                              "sea_alternative", "logit_usd", "land_constant_usd", "corridors", "tonnes_per_teu"], mandatory: false)
    mutating func readFreightClasses(_ tables: [Table]) {
        let classIDs = Set(classes.map(\.id))
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("freight_classes", id, t, row), let name = t.string(row, "name"),
                      let unit = t.choice(row, "unit", FreightClass.Unit.self), let vot = t.number(row, "value_of_time_usd_day", min: 0) else { continue }
                var modes: Set<Mode> = []
                for m in t.list(row, "modes") {
                    guard let mode = Mode(rawValue: m) else { t.error(row, "modes", "unknown mode '\(m)': use \(Mode.valueList)"); continue }
                    modes.insert(mode)
                }
                if modes.isEmpty { t.error(row, "modes", "list at least one mode"); continue }
                let excluded = t.list(row, "excluded_classes")
                for c in excluded where !classIDs.contains(c) { t.error(row, "excluded_classes", "unknown link class '\(c)'\(suggest(c, Array(classIDs)))") }
                var fc = FreightClass(id: id, name: name, unit: unit, modes: modes, excludedLinkClasses: Set(excluded),
                                      valueOfTimeUSDPerDay: vot, sources: cite(t, row), note: t.raw(row, "note"))
                if let s = t.number(row, "vot_spread", required: false, min: 0, max: 3) { fc.valueOfTimeSpread = s }
                if let g = t.number(row, "vot_groups", required: false, min: 1, max: 25) {
                    guard g == g.rounded() else { t.error(row, "vot_groups", "a whole number of groups (1 to 25)"); continue }
                    fc.valueOfTimeGroups = Int(g)
                }
                if fc.valueOfTimeSpread > 0 && fc.valueOfTimeGroups < 2 { t.error(row, "vot_groups", "a spread needs at least 2 groups to show"); continue }
                fc.demandShare = t.number(row, "demand_share", required: false, min: 0, max: 1, exclusiveMin: true)
                let seaAlternative = t.list(row, "sea_alternative")
                for c in seaAlternative where !classIDs.contains(c) { t.error(row, "sea_alternative", "unknown link class '\(c)'\(suggest(c, Array(classIDs)))") }
                for c in seaAlternative where excluded.contains(c) { t.error(row, "sea_alternative", "link class '\(c)' is also in excluded_classes: the sea alternative must be a class the freight may use") }
                fc.seaAlternativeClasses = Set(seaAlternative)
                fc.logitScaleUSD = t.number(row, "logit_usd", required: false, min: 0, exclusiveMin: true)
                if let c = t.number(row, "land_constant_usd", required: false, min: -1_000_000, max: 1_000_000) { fc.landConstantUSD = c }
                let corridorIDs = Set(corridors.map(\.id))
                let onCorridors = t.list(row, "corridors")
                for c in onCorridors where !corridorIDs.contains(c) { t.error(row, "corridors", "unknown corridor '\(c)'\(suggest(c, Array(corridorIDs))): use ids from corridors.csv") }
                fc.corridors = Set(onCorridors)
                fc.tonnesPerTEU = t.number(row, "tonnes_per_teu", required: false, min: 0, max: 200, exclusiveMin: true)
                if fc.tonnesPerTEU != nil && unit != .tonnes {
                    t.error(row, "tonnes_per_teu", "only for a class in tonnes (a TEU class counts one TEU per unit, a truck class `truck_teu`): leave it empty"); continue
                }
                if fc.logitScaleUSD != nil && (fc.demandShare == nil || seaAlternative.isEmpty) {
                    t.error(row, "logit_usd", "a logit split needs demand_share (the rows are a share of a market) and sea_alternative (the link classes of the sea route)"); continue
                }
                if fc.logitScaleUSD == nil && (!seaAlternative.isEmpty || fc.landConstantUSD != 0) {
                    t.error(row, fc.landConstantUSD != 0 ? "land_constant_usd" : "sea_alternative", "only used by a logit split: give logit_usd too, or leave this empty"); continue
                }
                freightClasses.append(fc)
            }
        }
    }

    static let modeVolumesTable = TableSchema("mode-volumes", required: ["year", "class", "land_teu", "source"], optional: ["note"], mandatory: false)
    mutating func readModeVolumes(_ tables: [Table]) {
        var seen: Set<String> = []
        for t in tables {
            for row in t.rows {
                guard let y = t.number(row, "year", min: 1950, max: 2100), let id = t.string(row, "class"), let v = t.number(row, "land_teu", min: 0, exclusiveMin: true) else { continue }
                guard y == y.rounded() else { t.error(row, "year", "a calendar year, e.g. 2024"); continue }
                guard let fc = freightClasses.first(where: { $0.id == id }) else {
                    t.error(row, "class", "unknown freight class '\(id)'\(suggest(id, freightClasses.map(\.id)))"); continue
                }
                guard fc.demandShare != nil else { t.error(row, "class", "class '\(id)' has no demand_share: a land volume is compared only for a market class"); continue }
                guard seen.insert("\(id) \(Int(y))").inserted else { t.error(row, "year", "a second row for \(id) in \(Int(y)): keep one per class and year"); continue }
                modeVolumes.append(ModeVolume(year: Int(y), freightClass: id, landTEU: v, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    static let sourceFiguresTable = TableSchema("source-figures", required: ["source", "table", "row", "field", "figure"], optional: ["unit", "divide_by", "note"], mandatory: false)
    /// The figure each cited source states for a value (checked against the value by the tests).
    mutating func readSourceFigures(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let source = t.string(row, "source"), let table = t.string(row, "table"), let key = t.string(row, "row"),
                      let field = t.string(row, "field"), let figure = t.number(row, "figure") else { continue }
                if source.contains(";") { t.error(row, "source", "one source per row: give each source's figure on its own row"); continue }
                let divide = t.raw(row, "divide_by")
                if !divide.isEmpty && ParameterKey(rawValue: divide) == nil {
                    t.error(row, "divide_by", "unknown parameter '\(divide)'\(suggest(divide, ParameterKey.allCases.map(\.rawValue)))"); continue
                }
                citations.append((t, row, [source], "source"))
                sourceFigures.append(SourceFigure(source: source, table: table, row: key, field: field, figure: figure, unit: t.raw(row, "unit"),
                                                  divideBy: divide.isEmpty ? nil : divide, note: t.raw(row, "note")))
            }
        }
    }
}
