import CaravanModel

/// An edit as applied, for provenance in results.
public struct AppliedEdit: Sendable, Codable, Hashable {
    /// `scenario:line`.
    public var id: String
    /// Name of the scenario the edit belongs to.
    public var scenario: String
    /// File the scenario was read from.
    public var file: String
    /// Line of the edit in that file.
    public var line: Int
    /// One-line description of the edit.
    public var summary: String
    /// Whether the edit is in force on the date (dated edits outside their dates are listed but inactive).
    public var inForce: Bool
    /// Dataset links whose values or availability the edit can change.
    public var links: [String]
}

/// Applies scenarios, in order, to a dataset as of a date. Later scenarios see and
/// may override the edits of earlier ones.
public enum ScenarioApplier {
    /// Applies the scenarios' edits to a copy of the dataset as of the day; returns it with each edit's provenance.
    public static func apply(_ scenarios: [Scenario], to base: Dataset, on day: Day) -> (dataset: Dataset, edits: [AppliedEdit]) {
        var ds = base
        var applied: [AppliedEdit] = []
        for sc in scenarios {
            ds.sources += sc.sources.filter { s in !ds.sources.contains { $0.id == s.id } }
            for edit in sc.edits {
                let id = "\(sc.name):\(edit.line)"
                let inForce = edit.validity.contains(day)
                var touched: [String] = []
                func linksAt(_ places: Set<String>) -> [String] { ds.links.filter { places.contains($0.from) || places.contains($0.to) }.map(\.id) }
                func borderLinks(_ scope: MeasureScope) -> [String] {
                    ds.links.filter { l in
                        guard let a = ds.place(l.from)?.country, let b = ds.place(l.to)?.country, a != b else { return false }
                        switch scope {
                        case .pair(let x, let y): return (a == x && b == y) || (a == y && b == x)
                        case .country(let c): return a == c || b == c
                        case .org(let o): return ds.isMember(a, of: o, on: day) && ds.isMember(b, of: o, on: day)
                        case .links(let ids): return ids.contains(l.id)
                        case .corridor(let c): if case .only(let t) = l.corridors { return t.contains(c) }; return false
                        case .place(let p): return l.from == p || l.to == p
                        }
                    }.map(\.id)
                }
                func scopeLinks(_ scope: MeasureScope) -> [String] {
                    switch scope {
                    case .links(let ids): return ids
                    case .corridor(let c): return ds.links.filter { if case .only(let t) = $0.corridors { return t.contains(c) }; return false }.map(\.id)
                    case .place(let p): return linksAt([p])
                    case .pair, .country, .org: return borderLinks(scope)
                    }
                }
                switch edit.action {
                case .close(let scope):
                    var m = Measure(id: id, name: "\(sc.title) [\(id)]", kind: .closure, scope: scope, closed: true,
                                    validity: edit.validity, sources: edit.sources, note: edit.note)
                    m.fromScenario = true
                    ds.measures.append(m)
                    touched = scopeLinks(scope)
                case .border(let scope, let c):
                    var m = Measure(id: id, name: "\(sc.title) [\(id)]", kind: .facilitation, scope: scope, borderTimeFactor: c.timeFactor,
                                    borderTimeAddHours: c.timeAddHours, borderCostAddUSDPerTEU: c.costAddUSDPerTEU, borderCostFactor: c.costFactor,
                                    validity: edit.validity, sources: edit.sources, note: edit.note)
                    m.fromScenario = true
                    ds.measures.append(m)
                    touched = borderLinks(scope)
                case .open(let ids):
                    for lid in ids { if let i = ds.linkIndex[lid] { ds.links[i].status = .open; ds.links[i].validity = edit.validity } }
                    touched = ids
                case .link(let ids, let c):
                    touched = ids
                    if inForce {
                        for lid in ids {
                            guard let i = ds.linkIndex[lid] else { continue }
                            var l = ds.links[i]
                            if let v = c.lengthKm { l.lengthKm = v }
                            let km = l.lengthKm ?? estimatedLength(l, ds)
                            if let v = c.speedKmh { l.timeHours = km / max(v, 1e-9) }
                            if let v = c.timeHours { l.timeHours = v }
                            if let f = c.timeFactor { l.timeHours = (l.timeHours ?? km / (ds.linkClass(l.linkClass)?.speedKmh ?? 1)) * f }
                            if let v = c.headwayHours { l.headwayHours = v }
                            if let f = c.headwayFactor { l.headwayHours = l.headwayHours.map { $0 * f } }
                            if let v = c.capacity { l.capacity = v }
                            if let f = c.capacityFactor { l.capacity = l.capacity.map { $0 * f } }
                            ds.links[i] = l
                            // Ferry operations (ferries.csv) set headway and capacity where they apply: edit them alike.
                            for k in ds.ferries.indices where ds.ferries[k].link == lid {
                                var fs = ds.ferries[k]
                                if let v = c.headwayHours { fs.sailingsPerWeek = 168 / max(v, 1e-9) }
                                if let f = c.headwayFactor { fs.sailingsPerWeek = fs.sailingsPerWeek.map { $0 / max(f, 1e-9) } }
                                if c.capacity != nil { fs.teuPerYear = nil; fs.teuPerSailing = nil; fs.wagonsPerSailing = nil }   // the edit's capacity rules
                                if let f = c.capacityFactor, let cap = ds.ferries[k].teuCapacityPerYear(ds.parameters) {
                                    fs.teuPerYear = cap * f
                                }
                                // A factor scales the whole line, its truck deck too; an absolute capacity is in TEU.
                                if let f = c.capacityFactor { fs.trucksPerSailing = fs.trucksPerSailing.map { $0 * f } }
                                ds.ferries[k] = fs
                            }
                        }
                    }
                case .linkClass(let ids, let c):
                    touched = ds.links.filter { ids.contains($0.linkClass) }.map(\.id)
                    if inForce {
                        for cid in ids {
                            guard let i = ds.classIndex[cid] else { continue }
                            if let v = c.speedKmh { ds.linkClasses[i].speedKmh = v }
                            if let f = c.speedFactor { ds.linkClasses[i].speedKmh *= f }
                            if let v = c.tariffIndex {
                                // First matching row wins in Dataset.tariffFactor: the edit's level overrides the dated index.
                                ds.tariffIndex.insert(TariffIndex(linkClass: cid, factor: v, validity: edit.validity, sources: edit.sources, note: edit.note), at: 0)
                            }
                            if let f = c.tariffFactor {
                                ds.linkClasses[i].tariffUSDPerTEUFixed *= f; ds.linkClasses[i].tariffUSDPerTEUKm *= f
                                ds.linkClasses[i].tariffUSDPerTonneFixed = ds.linkClasses[i].tariffUSDPerTonneFixed.map { $0 * f }
                                ds.linkClasses[i].tariffUSDPerTonneKm = ds.linkClasses[i].tariffUSDPerTonneKm.map { $0 * f }
                            }
                        }
                    }
                case .place(let ids, let h, let u, let f):
                    touched = linksAt(Set(ids))
                    if inForce {
                        for pid in ids {
                            guard let i = ds.placeIndex[pid] else { continue }
                            if let h { ds.places[i].transferHours = h }
                            if let u { ds.places[i].transferUSDPerTEU = u }
                            if h != nil || u != nil { ds.places[i].transferSources = [] }
                            if let f { ds.places[i].transferFactor *= f }
                        }
                    }
                case .placeCapacity(let ids, let c, let u, let f):
                    touched = []
                    if inForce {
                        for pid in ids {
                            let rows = ds.placeCapacities.indices.filter { ds.placeCapacities[$0].place == pid && ds.placeCapacities[$0].validity.contains(day) }
                            if let c, let u {
                                // A new value replaces the one in force on the date.
                                for i in rows.reversed() { ds.placeCapacities.remove(at: i) }
                                ds.placeCapacities.append(PlaceCapacity(place: pid, capacity: c, unit: u, validity: .always, sources: edit.sources, note: edit.note))
                            }
                            if let f { for i in ds.placeCapacities.indices where ds.placeCapacities[i].place == pid && ds.placeCapacities[i].validity.contains(day) { ds.placeCapacities[i].capacity *= f } }
                        }
                    }
                case .energy(let ids, let open, let close, let c, let f):
                    touched = []
                    for aid in ids {
                        guard let i = ds.energy.assets.firstIndex(where: { $0.id == aid }) else { continue }
                        if open {
                            // Commissioned from the edit's date (always, when undated); capacity steps stay as they are.
                            ds.energy.assets[i].status = .open
                            ds.energy.assets[i].validity = Validity(from: edit.validity.from, to: nil)
                        }
                        guard inForce else { continue }
                        if close { ds.energy.assets[i].status = .closed; ds.energy.assets[i].validity.to = day }
                        let steps = ds.energy.capacitySteps.indices.filter { ds.energy.capacitySteps[$0].asset == aid && ds.energy.capacitySteps[$0].validity.contains(day) }
                        let unit = steps.last.map { ds.energy.capacitySteps[$0].unit } ?? ds.energy.assets[i].capacityUnit ?? .bcmPerYear
                        let current = steps.last.map { ds.energy.capacitySteps[$0].capacity } ?? ds.energy.assets[i].capacity
                        var new: Double? = c ?? current
                        if let f { new = new.map { $0 * f } }
                        if (c != nil || f != nil), let new {
                            for s in steps.reversed() { ds.energy.capacitySteps.remove(at: s) }
                            ds.energy.capacitySteps.append(EnergyCapacityStep(asset: aid, capacity: new, unit: unit, validity: .always, status: .open, sources: edit.sources, note: edit.note))
                        }
                    }
                case .parameter(let k, let v, let f):
                    touched = []
                    if inForce {
                        if let v { ds.parameters.values[k] = v }
                        if let f { ds.parameters.values[k] = (ds.parameters.values[k] ?? 0) * f }
                    }
                case .addLink(var l):
                    l.validity = edit.validity; l.sources = edit.sources; l.note = edit.note
                    ds.links.append(l)
                    ds.reindex()   // the only edit that changes ids
                    touched = [l.id]
                case .membership(var m):
                    m.validity = edit.validity; m.sources = edit.sources; m.note = edit.note
                    ds.memberships.append(m)
                    touched = borderLinks(.country(m.country))
                case .endMembership(let org, let country):
                    for i in ds.memberships.indices where ds.memberships[i].org == org && ds.memberships[i].country == country {
                        if let end = edit.validity.from, ds.memberships[i].validity.to.map({ $0 > end }) ?? true { ds.memberships[i].validity.to = end }
                    }
                    touched = borderLinks(.country(country))
                case .endMeasure(let mid):
                    if let i = ds.measures.firstIndex(where: { $0.id == mid }), let end = edit.validity.from {
                        if ds.measures[i].validity.to.map({ $0 > end }) ?? true { ds.measures[i].validity.to = end }
                        touched = scopeLinks(ds.measures[i].scope)
                    }
                }
                applied.append(AppliedEdit(id: id, scenario: sc.name, file: sc.file, line: edit.line, summary: edit.summary, inForce: inForce, links: touched))
            }
        }
        return (ds, applied)
    }

    static func estimatedLength(_ l: Link, _ ds: Dataset) -> Double {
        guard let a = ds.place(l.from), let b = ds.place(l.to) else { return 0 }
        return Geo.distanceKm(lat1: a.lat, lon1: a.lon, lat2: b.lat, lon2: b.lon) * ds.parameters.circuity(l.mode)
    }
}
