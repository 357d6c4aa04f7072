import Foundation
import CaravanModel

/// Dataset tables: The energy layer (`energy/` folder).
/// Each table's schema sits next to its reader.
extension DatasetBuilder {
    static let energyPlacesTable = TableSchema("energy-places", required: ["id", "name", "country", "kind", "lat", "lon", "source"],
                                   optional: ["functions", "aliases", "note"], mandatory: false)
    static let energyParametersTable = TableSchema("energy-parameters", required: ["key", "value", "source"],
                                   optional: ["unit", "note"], mandatory: false)
    static let energyAssetsTable = TableSchema("energy-assets", required: ["id", "name", "commodity", "from", "to", "status", "source"],
                                   optional: ["via", "length_km", "capacity", "capacity_unit", "loss_pct", "tariff", "tariff_unit", "valid_from", "valid_to", "bidirectional", "operator", "note"], mandatory: false)
    static let energyCapacityTable = TableSchema("energy-capacity", required: ["asset", "capacity", "capacity_unit", "status", "source"],
                                   optional: ["valid_from", "valid_to", "note"], mandatory: false)
    static let energySupplyTable = TableSchema("energy-supply", required: ["id", "name", "commodity", "place", "year", "volume", "unit", "role", "source"],
                                   optional: ["status", "note"], mandatory: false)
    static let energyDemandTable = TableSchema("energy-demand", required: ["id", "name", "commodity", "place", "unit", "role", "source"],
                                   optional: ["year", "volume", "price", "price_unit", "note"], mandatory: false)
    static let energyContractsTable = TableSchema("energy-contracts", required: ["id", "name", "commodity", "seller", "buyer", "volume", "unit", "source"],
                                   optional: ["min_share", "valid_from", "valid_to", "note"], mandatory: false)
    static let energyObservedTable = TableSchema("energy-observed", required: ["year", "commodity", "what", "volume", "unit", "source"],
                                   optional: ["note"], mandatory: false)
    mutating func readEnergy(places pt: [Table], parameters kt: [Table], assets at: [Table], steps st: [Table], supplies ut: [Table], demands dt: [Table],
                             observed ot: [Table] = [], contracts ct: [Table] = []) {
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
        var periods = Periods()
        for t in st {
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
        let supplyIDs = Set(energy.supplies.map(\.id))
        for t in ct {
            for row in t.rows {
                guard let id = t.id(row, "id"), unique("energy contracts", id, t, row), let name = t.string(row, "name"),
                      let c = t.choice(row, "commodity", Commodity.self), let seller = t.id(row, "seller"), let buyer = t.id(row, "buyer"),
                      let volume = t.number(row, "volume", min: 0, exclusiveMin: true), let unit = t.choice(row, "unit", EnergyUnit.self),
                      unitFits(t, row, "unit", unit, c), checkPlace(t, row, "buyer", buyer), let validity = t.validity(row) else { continue }
                if !supplyIDs.contains(seller) && !placeIDs.contains(seller) {
                    t.error(row, "seller", "unknown seller '\(seller)'\(suggest(seller, Array(supplyIDs))): use a supply id of energy-supply.csv or a place"); continue
                }
                let share = t.number(row, "min_share", required: false, min: 0, max: 1)
                energy.contracts.append(EnergyContract(id: id, name: name, commodity: c, seller: seller, buyer: buyer, volume: volume, unit: unit,
                                                       minShare: share, validity: validity, sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
        let assetCommodity = Dictionary(energy.assets.map { ($0.id, $0.commodity) }, uniquingKeysWith: { a, _ in a })
        for t in ot {
            var seen: Set<String> = []
            for row in t.rows {
                guard let year = t.number(row, "year", min: 1900, max: 2100), let c = t.choice(row, "commodity", Commodity.self),
                      let what = t.string(row, "what"), let volume = t.number(row, "volume", min: 0),
                      let unit = t.choice(row, "unit", EnergyUnit.self), unitFits(t, row, "unit", unit, c) else { continue }
                let target: EnergyObservation.Target
                if what == "eu" {
                    target = .euMembers
                } else if what.hasPrefix("market:"), case let place = String(what.dropFirst(7)), !place.isEmpty {
                    guard checkPlace(t, row, "what", place) else { continue }
                    target = .market(place)
                } else if what.hasPrefix("asset:"), case let id = String(what.dropFirst(6)), !id.isEmpty {
                    guard let ac = assetCommodity[id] else {
                        t.error(row, "what", "unknown asset '\(TextInput.shown(id, limit: 40))'\(suggest(id, Array(assetCommodity.keys)))"); continue
                    }
                    guard ac == c else { t.error(row, "what", "asset '\(id)' carries \(ac.rawValue), not \(c.rawValue)"); continue }
                    target = .asset(id)
                } else if what.hasPrefix("supply:"), case let id = String(what.dropFirst(7)), !id.isEmpty {
                    let ids = Set(energy.supplies.filter { $0.commodity == c }.map(\.id))
                    guard ids.contains(id) else {
                        t.error(row, "what", "unknown \(c.rawValue) supply '\(TextInput.shown(id, limit: 40))'\(suggest(id, Array(ids)))"); continue
                    }
                    target = .supply(id)
                } else {
                    t.error(row, "what", "'\(TextInput.shown(what, limit: 40))' is not eu, market:PLACE, asset:ID or supply:ID"); continue
                }
                if !seen.insert("\(Int(year)) \(c.rawValue) \(what)").inserted { t.error(row, "what", "\(what) already has a \(c.rawValue) row for \(Int(year))"); continue }
                energy.observations.append(EnergyObservation(year: Int(year), commodity: c, target: target, volume: volume, unit: unit,
                                                             sources: cite(t, row), note: t.raw(row, "note")))
            }
        }
    }
}
