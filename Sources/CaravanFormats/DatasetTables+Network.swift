import Foundation
import CaravanModel

/// Dataset tables: Sources, countries, corridors, link classes, parameters, places, links and their
/// operations (capacities, crossings, ferries, sea tracks, tariff index).
/// Each table's schema sits next to its reader.
extension DatasetBuilder {
    static let sourcesTable = TableSchema("sources", required: ["id", "kind", "title"], optional: ["publisher", "year", "url", "note"], mandatory: true)
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

    static let countriesTable = TableSchema("countries", required: ["code", "name", "source"],
                                   optional: ["note"], mandatory: true)
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

    static let corridorsTable = TableSchema("corridors", required: ["id", "name"],
                                   optional: ["description", "source", "note"], mandatory: true)
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

    static let emissionFactorsTable = TableSchema("emission_factors", required: ["id", "mode", "co2e_g_tkm", "source"],
                                   optional: ["note"], mandatory: true)
    mutating func readEmissionFactors(_ tables: [Table]) {
        for t in tables {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("emission factors", id, t, row), let mode = t.choice(row, "mode", Mode.self),
                      let g = t.number(row, "co2e_g_tkm", min: 0) else { continue }
                factors.append(EmissionFactor(id: id, mode: mode, co2eGramsPerTonneKm: g, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    static let linkClassesTable = TableSchema("link_classes", required: ["id", "mode", "speed_kmh", "tariff_usd_teu_fixed", "tariff_usd_teu_km", "emission_factor", "source"],
                                   optional: ["tariff_usd_t_fixed", "tariff_usd_t_km", "note"], mandatory: true)
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

    static let parametersTable = TableSchema("parameters", required: ["key", "value", "source"],
                                   optional: ["unit", "note"], mandatory: true)
    mutating func readParameters(_ tables: [Table]) {
        var rowOf: [ParameterKey: (Table, CSVRecord)] = [:]
        for t in tables {
            for row in t.rows {
                guard let text = t.id(row, "key", allowUnderscore: true) else { continue }
                guard let key = ParameterKey(rawValue: text) else {
                    t.error(row, "key", "unknown parameter '\(text)'\(suggest(text, ParameterKey.allCases.map(\.rawValue)))"); continue
                }
                guard unique("parameters", text, t, row, column: "key") else { continue }
                let unit = t.raw(row, "unit")
                if !unit.isEmpty && unit != key.unit { t.error(row, "unit", "\(key.rawValue) is in \(key.unit), not '\(TextInput.shown(unit, limit: 40))': convert the value or fix the unit"); continue }
                let b = key.bounds
                guard let v = t.number(row, "value", min: b.min, max: b.max, exclusiveMin: b.exclusiveMin) else { continue }
                parameterValues[key] = v
                parameterSources[key] = cite(t, row)
                rowOf[key] = (t, row)
            }
        }
        for (key, (t, row)) in rowOf.sorted(by: { $0.key < $1.key }) {
            if let needed = key.requires, parameterValues[needed] == nil {
                t.error(row, "key", "\(key.rawValue) needs the parameter \(needed.rawValue) (\(needed.unit)) to convert to USD per TEU: add it")
            }
        }
        if !tables.isEmpty {
            for key in ParameterKey.all(.always) where parameterValues[key] == nil && !seen["parameters", default: []].contains(key.rawValue) {
                log.add(Diagnostic(file: tables[0].file, line: 1, column: 1, message: "missing parameter '\(key.rawValue)': add a row for it (\(key.unit))"))
            }
        }
    }

    static let placesTable = TableSchema("places", required: ["id", "name", "country", "kind", "lat", "lon", "source"],
                                   optional: ["functions", "aliases", "transfer_h", "transfer_usd_teu", "transfer_source", "note"], mandatory: true)
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
                var place = Place(id: id, name: name, country: country, kind: kind, lat: lat, lon: lon, functions: functions,
                                  aliases: t.list(row, "aliases"), transferHours: t.number(row, "transfer_h", required: false, min: 0),
                                  transferUSDPerTEU: t.number(row, "transfer_usd_teu", required: false, min: 0),
                                  sources: cite(t, row), note: t.raw(row, "note"))
                // A transfer time or cost has its own source, apart from the place's coordinates.
                if place.transferHours != nil || place.transferUSDPerTEU != nil {
                    place.transferSources = cite(t, row, column: "transfer_source")
                } else if !t.list(row, "transfer_source").isEmpty {
                    t.error(row, "transfer_source", "a transfer source without transfer_h or transfer_usd_teu: give the value it sources, or leave the column empty")
                }
                places.append(place)
            }
        }
    }

    static let linksTable = TableSchema("links", required: ["id", "from", "to", "mode", "class", "source"],
                                   optional: ["gauge", "length_km", "time_h", "headway_h", "capacity", "capacity_unit", "valid_from", "valid_to", "status", "corridors", "note"], mandatory: true)
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
                if let g = t.string(row, "gauge", required: mode.hasGauge) {
                    if !mode.hasGauge { t.error(row, "gauge", "only rail links have a gauge: leave it empty"); ok = false }
                    else if let n = Int(g), let v = Gauge(rawValue: n) { gauge = v }
                    else { t.error(row, "gauge", "'\(g)' is not a supported gauge: 1435, 1520 or 1668"); ok = false }
                } else if mode.hasGauge { ok = false }
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

    static let placeCapacitiesTable = TableSchema("place-capacities", required: ["place", "capacity", "unit", "source"],
                                   optional: ["valid_from", "valid_to", "note"], mandatory: false)
    mutating func readPlaceCapacities(_ tables: [Table]) {
        let placeIDs = Set(places.map(\.id))
        var periods = Periods()
        for t in tables {
            for row in t.rows {
                guard let place = t.string(row, "place"), let c = t.number(row, "capacity", min: 0),
                      let unit = t.choice(row, "unit", CapacityUnit.self), let v = t.validity(row) else { continue }
                guard placeIDs.contains(place) else { t.error(row, "place", "unknown place '\(place)'\(suggest(place, Array(placeIDs)))"); continue }
                guard periods.claim(place + " " + unit.rawValue, v, t, row, "the \(unit.rawValue) capacity of \(place)") else { continue }
                placeCapacities.append(PlaceCapacity(place: place, capacity: c, unit: unit, validity: v, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    static let crossingsTable = TableSchema("crossings", required: ["link", "dwell_h", "source"],
                                   optional: ["entering", "side", "queue", "p90_over_p50", "cost", "cost_unit", "valid_from", "valid_to", "note"], mandatory: false)
    mutating func readCrossings(_ tables: [Table]) {
        let linkByID = Dictionary(links.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let country = Dictionary(places.map { ($0.id, $0.country) }, uniquingKeysWith: { a, _ in a })
        var periods = Periods()
        for t in tables {
            for row in t.rows {
                guard let id = t.string(row, "link"), let dwell = t.number(row, "dwell_h", min: 0, max: 24 * 365),
                      let v = t.validity(row) else { continue }
                // A port's import clearance: every sea arrival from abroad, on the port's side.
                let port = id == Crossing.seaArrivals
                if port {
                    let entering = t.raw(row, "entering")
                    guard let place = places.first(where: { $0.id == entering }), place.functions.contains(.port) else {
                        t.error(row, "entering", entering.isEmpty ? "a '*' row (a port's import clearance on every sea arrival) needs entering = the port's id"
                                : "'\(TextInput.shown(entering))' is not a port in places.csv: a '*' row gives a port's import clearance"); continue
                    }
                    guard t.raw(row, "side").isEmpty else {
                        t.error(row, "side", "a port's import clearance is the whole crossing (export clearance is in the origin port's handling): leave side empty"); continue
                    }
                }
                guard port || linkByID[id] != nil else { t.error(row, "link", "unknown link '\(TextInput.shown(id))'\(suggest(id, Array(linkByID.keys))); '*' gives a port's import clearance"); continue }
                // A port row has no link: both its ends are the port, so the checks below hold.
                let link = linkByID[id] ?? Link(id: id, from: t.raw(row, "entering"), to: t.raw(row, "entering"), mode: .sea, linkClass: "")
                guard port || country[link.from] != country[link.to] else {
                    t.error(row, "link", "'\(id)' does not cross a border (both ends in one country): give dwell at a place with transfer_h in places.csv"); continue
                }
                let entering = t.raw(row, "entering")
                guard entering.isEmpty || entering == link.from || entering == link.to else {
                    t.error(row, "entering", "'\(TextInput.shown(entering))' is not an end of \(id): use \(link.from), \(link.to) or leave it empty for both directions"); continue
                }
                let side = t.raw(row, "side")
                guard side.isEmpty || side == link.from || side == link.to else {
                    t.error(row, "side", "'\(TextInput.shown(side))' is not an end of \(id): name the end whose border station was measured (\(link.from) or \(link.to)), or leave it empty for the whole crossing"); continue
                }
                let queueText = t.raw(row, "queue")
                guard ["", "yes", "no"].contains(queueText) else {
                    t.error(row, "queue", "'\(TextInput.shown(queueText))' must be yes (the dwell is a queue under that period's traffic), no or empty"); continue
                }
                let spread = t.number(row, "p90_over_p50", required: false, min: 1, max: 100)
                let cost = t.number(row, "cost", required: false, min: 0)
                let unit = t.choice(row, "cost_unit", Crossing.CostUnit.self, required: cost != nil)
                if cost == nil && unit != nil { t.error(row, "cost", "a cost_unit without a cost: give both or neither"); continue }
                if cost != nil && unit == nil { continue }
                if let key = unit?.teuParameter, parameterValues[key] == nil {
                    t.error(row, "cost_unit", "\(unit!.rawValue) needs the parameter \(key.rawValue) (TEU per unit) in parameters.csv"); continue
                }
                let direction = entering.isEmpty ? "both directions" : "entering \(entering)"
                let part = side.isEmpty ? "" : ", \(side) side"
                guard periods.claim("\(id) \(entering) \(side)", v, t, row, "the dwell of \(id) (\(direction)\(part))") else { continue }
                var crossing = Crossing(link: id, entering: entering.isEmpty ? nil : entering, side: side.isEmpty ? nil : side, dwellHours: dwell, p90OverP50: spread,
                                          cost: cost, costUnit: unit, validity: v, sources: cite(t, row), note: t.raw(row, "note"))
                crossing.queue = queueText == "yes" ? true : nil
                crossings.append(crossing)
            }
        }
    }

    static let ferriesTable = TableSchema("ferries", required: ["link", "source"],
                                   optional: ["sailings_per_week", "teu_per_sailing", "wagons_per_sailing", "trucks_per_sailing", "teu_per_year", "valid_from", "valid_to", "note"], mandatory: false)
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
                if wagons != nil && parameterValues[.wagonTEU] == nil {
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

    static let ferryTariffsTable = TableSchema("ferry-tariffs", required: ["link", "vehicle", "amount", "currency", "source"],
                                   optional: ["entering", "valid_from", "valid_to", "note"], mandatory: false)
    mutating func readFerryTariffs(_ tables: [Table]) {
        let linkByID = Dictionary(links.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var periods = Periods()
        for t in tables {
            for row in t.rows {
                guard let id = t.string(row, "link"), let vehicle = t.choice(row, "vehicle", FerryTariff.Vehicle.self),
                      let amount = t.number(row, "amount", min: 0, max: 1_000_000, exclusiveMin: true),
                      let currency = t.choice(row, "currency", FerryTariff.Currency.self), let v = t.validity(row) else { continue }
                guard let link = linkByID[id] else { t.error(row, "link", "unknown link '\(TextInput.shown(id))'\(suggest(id, Array(linkByID.keys)))"); continue }
                guard link.mode == .ferry else {
                    t.error(row, "link", "'\(id)' is a \(link.mode.rawValue) link: ferry-tariffs.csv prices road vehicles on ro-ro ferry links (mode ferry)"); continue
                }
                let entering = t.raw(row, "entering")
                guard entering.isEmpty || entering == link.from || entering == link.to else {
                    t.error(row, "entering", "'\(TextInput.shown(entering))' is not an end of \(id): use \(link.from), \(link.to) or leave it empty for both directions"); continue
                }
                if currency == .eur && parameterValues[.usdPerEUR] == nil {
                    t.error(row, "currency", "a price in EUR needs the parameter usd_per_eur in parameters.csv"); continue
                }
                let direction = entering.isEmpty ? "both directions" : "to \(entering)"
                guard periods.claim("\(id) \(entering) \(vehicle.rawValue)", v, t, row, "the \(vehicle.rawValue) tariff of \(id) (\(direction))") else { continue }
                ferryTariffs.append(FerryTariff(link: id, entering: entering.isEmpty ? nil : entering, vehicle: vehicle, amount: amount, currency: currency,
                                                validity: v, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }

    static let seaTracksTable = TableSchema("sea-tracks", required: ["link", "points", "source"],
                                   optional: ["note"], mandatory: false)
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

    static let landMaskTable = TableSchema("land-mask", required: ["lat_from", "lat_to", "lon_runs", "source"],
                                   optional: ["countries", "note"], mandatory: false)
    mutating func readLandMask(_ tables: [Table]) {
        var bands: [LandMask.Band] = [], allNames = Set<String>()
        for t in tables {
            var previous: Double?
            for row in t.rows {
                guard let a = t.number(row, "lat_from", min: -90), let b = t.number(row, "lat_to", min: -90), let text = t.string(row, "lon_runs") else { continue }
                guard b > a, b <= 90 else { t.error(row, "lat_to", "lat_to \(b) must be above lat_from \(a) and at most 90"); continue }
                if let p = previous, a < p { t.error(row, "lat_from", "bands must not overlap and must run from south to north: this one starts at \(a), below the previous band's end \(p)"); continue }
                var runs: [Double] = [], ok = true
                for (i, pair) in text.split(separator: ";").enumerated() {
                    let xy = pair.split(separator: " ").compactMap { Double($0) }
                    guard xy.count == 2, (-180...180).contains(xy[0]), (-180...180).contains(xy[1]), xy[0] < xy[1], xy[0] >= (runs.last ?? -180) else {
                        t.error(row, "lon_runs", "run \(i + 1) '\(pair)' is not 'from to' in degrees east, west to east and after the previous run (e.g. '26.1 44.8;45.0 48.3')"); ok = false; break
                    }
                    runs += xy
                }
                guard ok else { continue }
                var names: [String]?
                // A file with the column names every run: an unnamed run would pass for the first country.
                if let text = t.string(row, "countries", required: t.columnIndex["countries"] != nil) {
                    let codes = text.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                    guard codes.count * 2 == runs.count else {
                        t.error(row, "countries", "\(codes.count) countries for \(runs.count / 2) runs: give one ISO code per run of lon_runs, separated by ';'"); continue
                    }
                    if let bad = codes.first(where: { $0.count != 2 || !$0.allSatisfy { $0.isASCII && $0.isUppercase } }) {
                        t.error(row, "countries", "'\(bad)' is not a country code: use ISO 3166-1 alpha-2 in capitals (e.g. 'AZ')"); continue
                    }
                    names = codes
                    allNames.formUnion(codes)
                }
                previous = b
                bands.append(LandMask.Band(latFrom: a, latTo: b, runs: runs, countries: names)); _ = cite(t, row)
            }
        }
        let cells = LandMask.cellCount(bands.sorted { $0.latFrom < $1.latFrom })
        if cells > Double(LandMask.maxCells), let t = tables.first, let row = t.rows.first {
            t.error(row, "lat_from", "the land mask's grid would have \(Int(cells)) cells (its finest band's height, in degrees, across all its latitudes and longitudes), more than \(LandMask.maxCells): use bands of 0.1 degree or more")
            return
        }
        if Set(tables.map { $0.columnIndex["countries"] != nil }).count > 1, let t = tables.first, let row = t.rows.first {
            t.error(row, "countries", "some land-mask files name the runs' countries and some do not: give every file the countries column, or none")
            return
        }
        if allNames.count > LandMask.maxCountries, let t = tables.first, let row = t.rows.first {
            t.error(row, "countries", "the land mask names \(allNames.count) countries, more than \(LandMask.maxCountries)")
            return
        }
        land = bands.isEmpty ? nil : LandMask(bands: bands)
    }

    static let tariffIndexTable = TableSchema("tariff-index", required: ["link_class", "factor", "source"],
                                   optional: ["valid_from", "valid_to", "note"], mandatory: false)
    mutating func readTariffIndex(_ tables: [Table]) {
        let classIDs = Set(classes.map(\.id))
        var periods = Periods()
        for t in tables {
            for row in t.rows {
                guard let cls = t.string(row, "link_class"), let f = t.number(row, "factor", min: 0), let v = t.validity(row) else { continue }
                guard classIDs.contains(cls) else { t.error(row, "link_class", "unknown link class '\(cls)'\(suggest(cls, Array(classIDs)))"); continue }
                guard f > 0 else { t.error(row, "factor", "a tariff factor must be above 0 (a free link is a tariff of 0 in link_classes.csv)"); continue }
                guard periods.claim(cls, v, t, row, "the \(cls) index row") else { continue }
                tariffIndex.append(TariffIndex(linkClass: cls, factor: f, validity: v, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }
}
