import Foundation
import Yams
import CaravanModel

/// Reads and validates scenario files (YAML, see docs/scenarios.md) against a dataset:
/// every problem is reported as file:line:column with the fix, before anything runs.
public enum ScenarioReader {
    /// The edit kinds, by their key in a scenario file. `action(_:_:from:)` switches over all of
    /// them, so a kind added here without its reader does not compile.
    enum EditKind: String, CaseIterable {
        case close, open, link, `class`, place, capacity, energy, border, parameter
        case addLink = "add_link", membership, endMembership = "end_membership", endMeasure = "end_measure"
    }
    static let actions = EditKind.allCases.map(\.rawValue)

    /// Loads a scenario by path, or by name from the dataset's `scenarios/` folder.
    public static func load(_ nameOrPath: String, datasetFolder: String, dataset: Dataset) throws(InputErrors) -> Scenario {
        let path = resolve(nameOrPath, datasetFolder: datasetFolder)
        guard let path, FileManager.default.fileExists(atPath: path) else {
            let known = available(datasetFolder: datasetFolder).map(\.name)
            let hint = known.isEmpty ? "" : "; bundled scenarios: \(known.joined(separator: ", "))"
            throw InputErrors([Diagnostic(file: TextInput.shown(nameOrPath), line: 1, column: 1, message: "no such scenario file or name\(hint)")])
        }
        return try parse(try TextInput.read(path: path, shownAs: path), file: path, dataset: dataset)
    }

    static func resolve(_ nameOrPath: String, datasetFolder: String) -> String? {
        let fm = FileManager.default
        if fm.fileExists(atPath: nameOrPath) { return nameOrPath }
        let byName = (datasetFolder as NSString).appendingPathComponent("scenarios/\(nameOrPath).yaml")
        return fm.fileExists(atPath: byName) ? byName : nil
    }

    /// The bundled scenarios: (name, path), sorted by name.
    public static func available(datasetFolder: String) -> [(name: String, path: String)] {
        let dir = (datasetFolder as NSString).appendingPathComponent("scenarios")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        return names.map { (String($0.dropLast(5)), (dir as NSString).appendingPathComponent($0)) }
    }

    public static func parse(_ text: String, file: String, dataset: Dataset) throws(InputErrors) -> Scenario {
        var p = Parser(file: file, dataset: dataset)
        let root = try YAMLInput.compose(text, file: file)
        guard let root, let top = root.mapping else {
            throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "a scenario is a mapping with name, title, description, sources and edits")])
        }
        let scenario = p.scenario(top, root)
        if !p.problems.isEmpty { throw InputErrors(p.problems) }
        return scenario!
    }

    struct Parser: YAMLFieldReader {
        let file: String
        let dataset: Dataset
        var problems: [Diagnostic] = []
        var scenarioSourceIDs: Set<String> = []

        /// The unit of a capacity edit: required with a capacity, one of `CapacityUnit`.
        mutating func capacityUnit(_ g: [String: Node], key: String, needed: Bool, _ body: Node, what: String) -> CapacityUnit? {
            let units = CapacityUnit.allCases.map(\.rawValue).joined(separator: ", ")
            guard let n = g[key] else {
                if needed { problem(body, "\(what): give \(key) with the capacity (\(units))") }
                return nil
            }
            guard let unit = n.string.flatMap(CapacityUnit.init(rawValue:)) else { problem(n, "\(key): use \(units)"); return nil }
            return unit
        }

        mutating func scenario(_ top: Node.Mapping, _ root: Node) -> Scenario? {
            let f = keys(top, root, allowed: ["name", "title", "description", "sources", "edits"], required: ["name", "title", "description", "edits"], what: "scenario")
            let name = string(f["name"], "name") ?? ""
            let expected = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            if !name.isEmpty && file.hasSuffix(".yaml") && name != expected { problem(f["name"], "name '\(name)' must match the file name '\(expected)'") }
            var sources: [Source] = []
            if let s = f["sources"] {
                for n in s.sequence ?? [] {
                    guard let m = n.mapping else { problem(n, "sources: each source is a mapping"); continue }
                    let g = keys(m, n, allowed: ["id", "kind", "publisher", "title", "year", "url", "note"], required: ["id", "kind", "title"], what: "source")
                    guard let id = string(g["id"], "id"), let kindText = string(g["kind"], "kind"), let title = string(g["title"], "title") else { continue }
                    guard let kind = Source.Kind(rawValue: kindText) else { problem(g["kind"], "kind: use publication, dataset or estimate"); continue }
                    if kind != .estimate {
                        for k in ["publisher", "year", "url"] where g[k] == nil { problem(n, "source \(id): '\(k)' is required for a \(kind.rawValue)") }
                    }
                    if dataset.sources.contains(where: { $0.id == id }) { problem(g["id"], "source id '\(id)' is already a dataset source: cite it directly") }
                    scenarioSourceIDs.insert(id)
                    sources.append(Source(id: id, kind: kind, publisher: g["publisher"]?.string ?? "", title: title,
                                          year: g["year"].flatMap { $0.int }, url: g["url"]?.string ?? "", note: g["note"]?.string ?? ""))
                }
            }
            var edits: [ScenarioEdit] = []
            if let e = f["edits"] {
                guard let seq = e.sequence else { problem(e, "edits: expected a list of edits"); return nil }
                for n in seq { if let edit = self.edit(n) { edits.append(edit) } }
            }
            checkConflicts(edits)
            return Scenario(name: name, title: string(f["title"], "title") ?? "", description: string(f["description"], "description") ?? "",
                            sources: sources, edits: edits, file: file)
        }

        mutating func edit(_ n: Node) -> ScenarioEdit? {
            guard let m = n.mapping else { problem(n, "an edit is a mapping such as {close: {links: [id]}, from: 2025-01-01}"); return nil }
            let f = keys(m, n, allowed: ScenarioReader.actions + ["from", "to", "source", "note"], what: "edit")
            let present = ScenarioReader.actions.filter { f[$0] != nil }
            guard present.count == 1, let actionKey = present.first, let body = f[actionKey] else {
                problem(n, "an edit has exactly one action of: \(ScenarioReader.actions.joined(separator: ", "))"); return nil
            }
            let from = day(f["from"], "from"), to = day(f["to"], "to")
            if let from, let to, to <= from { problem(f["to"], "to: \(to) must be after from \(from)") }
            let cites = list(f["source"], "source")
            for c in cites where !scenarioSourceIDs.contains(c) && !dataset.sources.contains(where: { $0.id == c }) {
                problem(f["source"], "source: unknown source '\(c)': declare it under sources: or cite a dataset source")
            }
            if cites.isEmpty { problem(n, "edit: missing 'source': cite the evidence or an estimate source for this edit") }
            let mark = n.mark
            guard let kind = EditKind(rawValue: actionKey), let action = self.action(kind, body, from: from) else { return nil }
            return ScenarioEdit(action: action, validity: Validity(from: from, to: to), sources: cites, note: f["note"]?.string ?? "",
                                line: mark?.line ?? 0, column: mark?.column ?? 0)
        }

        mutating func linkIDs(_ node: Node?) -> [String] {
            let ids = list(node, "links")
            for id in ids where dataset.link(id) == nil { problem(node, "unknown link '\(id)'\(suggest(id, dataset.links.map(\.id)))") }
            return ids
        }
        mutating func placeIDs(_ node: Node?) -> [String] {
            let ids = list(node, "places")
            for id in ids where dataset.place(id) == nil { problem(node, "unknown place '\(id)'\(suggest(id, dataset.places.map(\.id)))") }
            return ids
        }
        mutating func country(_ node: Node?) -> String? {
            guard let c = string(node, "country") else { return nil }
            if dataset.country(c) == nil { problem(node, "unknown country '\(c)': use a code from countries.csv") }
            return c
        }

        /// A border or place scope: {pair: AA-BB} | {country: AA} | {org: ID}.
        mutating func borderScope(_ g: [String: Node], _ node: Node) -> MeasureScope? {
            if let pair = string(g["pair"], "pair") {
                let cc = pair.split(separator: "-").map(String.init)
                guard cc.count == 2 else { problem(g["pair"], "pair: write two country codes like AZ-GE"); return nil }
                for c in cc where dataset.country(c) == nil { problem(g["pair"], "unknown country '\(c)'") }
                return .pair(cc[0], cc[1])
            }
            if g["country"] != nil { return country(g["country"]).map { .country($0) } }
            if let org = string(g["org"], "org") {
                if !dataset.organisations.contains(where: { $0.id == org }) { problem(g["org"], "unknown organisation '\(org)'\(suggest(org, dataset.organisations.map(\.id)))") }
                return .org(org)
            }
            problem(node, "border: give pair: AA-BB, country: AA or org: ID"); return nil
        }

        mutating func action(_ kind: EditKind, _ body: Node, from: Day?) -> ScenarioEdit.Action? {
            let key = kind.rawValue, m = body.mapping
            func need() -> Node.Mapping? { if m == nil { problem(body, "\(key): expected a mapping") }; return m }
            switch kind {
            case .close:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: ["links", "corridor", "places", "pair", "country", "org"], what: "close")
                if g["links"] != nil { return .close(.links(linkIDs(g["links"]))) }
                if let c = string(g["corridor"], "corridor") {
                    if dataset.corridor(c) == nil { problem(g["corridor"], "unknown corridor '\(c)'\(suggest(c, dataset.corridors.map(\.id)))") }
                    return .close(.corridor(c))
                }
                if g["places"] != nil {
                    let ids = placeIDs(g["places"])
                    return ids.count == 1 ? .close(.place(ids[0])) : .close(.links(dataset.links.filter { ids.contains($0.from) || ids.contains($0.to) }.map(\.id)))
                }
                return borderScope(g, body).map { .close($0) }
            case .open:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: ["links"], required: ["links"], what: "open")
                return .open(linkIDs(g["links"]))
            case .link:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: ["links", "length_km", "speed_kmh", "time_h", "time_factor", "headway_h", "headway_factor", "capacity", "capacity_factor"],
                             required: ["links"], what: "link")
                let c = LinkChanges(lengthKm: number(g["length_km"], "length_km", min: 0), speedKmh: number(g["speed_kmh"], "speed_kmh", min: 0),
                                    timeHours: number(g["time_h"], "time_h", min: 0), timeFactor: number(g["time_factor"], "time_factor", min: 0),
                                    headwayHours: number(g["headway_h"], "headway_h", min: 0), headwayFactor: number(g["headway_factor"], "headway_factor", min: 0),
                                    capacity: number(g["capacity"], "capacity", min: 0), capacityFactor: number(g["capacity_factor"], "capacity_factor", min: 0))
                if c == LinkChanges() { problem(body, "link: give at least one change (speed_kmh, time_h, time_factor, headway_h, …)") }
                return .link(linkIDs(g["links"]), c)
            case .class:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: ["classes", "speed_kmh", "speed_factor", "tariff_factor", "tariff_index"], required: ["classes"], what: "class")
                let ids = list(g["classes"], "classes")
                for id in ids where dataset.linkClass(id) == nil { problem(g["classes"], "unknown link class '\(id)'\(suggest(id, dataset.linkClasses.map(\.id)))") }
                let c = ClassChanges(speedKmh: number(g["speed_kmh"], "speed_kmh", min: 0), speedFactor: number(g["speed_factor"], "speed_factor", min: 0),
                                     tariffFactor: number(g["tariff_factor"], "tariff_factor", min: 0),
                                     tariffIndex: number(g["tariff_index"], "tariff_index", min: 0))
                if c == ClassChanges() { problem(body, "class: give speed_kmh, speed_factor, tariff_factor or tariff_index") }
                return .linkClass(ids, c)
            case .place:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: ["places", "transfer_h", "transfer_usd_teu", "transfer_factor"], required: ["places"], what: "place")
                let h = number(g["transfer_h"], "transfer_h", min: 0), u = number(g["transfer_usd_teu"], "transfer_usd_teu", min: 0)
                let f = number(g["transfer_factor"], "transfer_factor", min: 0)
                if h == nil && u == nil && f == nil { problem(body, "place: give transfer_h, transfer_usd_teu or transfer_factor") }
                return .place(placeIDs(g["places"]), hours: h, usdPerTEU: u, factor: f)
            case .capacity:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: ["places", "capacity", "unit", "capacity_factor"], required: ["places"], what: "capacity")
                let c = number(g["capacity"], "capacity", min: 0), f = number(g["capacity_factor"], "capacity_factor", min: 0)
                let unit = capacityUnit(g, key: "unit", needed: c != nil, body, what: "capacity")
                if c == nil && f == nil { problem(body, "capacity: give capacity (with unit) or capacity_factor") }
                return .placeCapacity(placeIDs(g["places"]), capacity: c, unit: unit, factor: f)
            case .energy:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: ["assets", "open", "close", "capacity", "capacity_factor"], required: ["assets"], what: "energy")
                let ids = list(g["assets"], "assets")
                for id in ids where !dataset.energy.assets.contains(where: { $0.id == id }) {
                    problem(g["assets"], "unknown energy asset '\(id)'\(suggest(id, dataset.energy.assets.map(\.id)))")
                }
                func flag(_ key: String) -> Bool {
                    guard let n = g[key] else { return false }
                    guard let s = n.string, s == "true" || s == "false" else { problem(n, "\(key): write true or false"); return false }
                    return s == "true"
                }
                let open = flag("open"), close = flag("close")
                let c = number(g["capacity"], "capacity", min: 0), f = number(g["capacity_factor"], "capacity_factor", min: 0)
                if !open && !close && c == nil && f == nil { problem(body, "energy: give open: true, close: true, capacity (in the asset's unit) or capacity_factor") }
                if open && close { problem(body, "energy: an edit cannot both open and close assets; use two edits with dates") }
                return .energy(ids, open: open, close: close, capacity: c, factor: f)
            case .border:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: ["pair", "country", "org", "time_factor", "time_add_h", "cost_factor", "cost_add_usd_teu"], what: "border")
                let c = BorderChanges(timeFactor: number(g["time_factor"], "time_factor", min: 0), timeAddHours: number(g["time_add_h"], "time_add_h"),
                                      costFactor: number(g["cost_factor"], "cost_factor", min: 0), costAddUSDPerTEU: number(g["cost_add_usd_teu"], "cost_add_usd_teu"))
                if c == BorderChanges() { problem(body, "border: give time_factor, time_add_h, cost_factor or cost_add_usd_teu") }
                return borderScope(g, body).map { .border($0, c) }
            case .parameter:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: ["key", "value", "factor"], required: ["key"], what: "parameter")
                guard let text = string(g["key"], "key") else { return nil }
                let settable = ParameterKey.allCases.filter { $0.need != .assignment }.map(\.rawValue)
                guard let k = ParameterKey(rawValue: text), k.need != .assignment else {
                    problem(g["key"], "unknown parameter '\(TextInput.shown(text, limit: 40))'\(suggest(text, settable))"); return nil
                }
                let b = k.bounds
                let v = number(g["value"], "value", min: b.min, max: b.max), f = number(g["factor"], "factor", min: 0)
                if (v == nil) == (f == nil) { problem(body, "parameter: give either value or factor") }
                if b.exclusiveMin && (v == b.min || f == 0) { problem(body, "parameter: \(k.rawValue) must stay above \(Table.format(b.min))") }
                return .parameter(k, value: v, factor: f)
            case .addLink:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: ["id", "from", "to", "mode", "class", "gauge", "length_km", "time_h", "headway_h", "capacity", "capacity_unit", "corridors"],
                             required: ["id", "from", "to", "mode", "class"], what: "add_link")
                guard let id = string(g["id"], "id"), let a = string(g["from"], "from"), let b = string(g["to"], "to"),
                      let modeText = string(g["mode"], "mode"), let cls = string(g["class"], "class") else { return nil }
                if dataset.link(id) != nil { problem(g["id"], "link '\(id)' already exists: use link: to change it") }
                for (k, pid) in [("from", a), ("to", b)] where dataset.place(pid) == nil { problem(g[k], "unknown place '\(pid)'\(suggest(pid, dataset.places.map(\.id)))") }
                if a == b { problem(g["to"], "a link cannot join a place to itself") }
                guard let mode = Mode(rawValue: modeText) else { problem(g["mode"], "mode: use \(Mode.valueList)"); return nil }
                if let c = dataset.linkClass(cls) { if c.mode != mode { problem(g["class"], "class '\(cls)' is for \(c.mode.rawValue)") } }
                else { problem(g["class"], "unknown link class '\(cls)'\(suggest(cls, dataset.linkClasses.map(\.id)))") }
                var gauge: Gauge?
                if mode.hasGauge {
                    guard let gt = string(g["gauge"], "gauge"), let gi = Int(gt), let gv = Gauge(rawValue: gi) else { problem(body, "add_link: rail needs gauge 1435, 1520 or 1668"); return nil }
                    gauge = gv
                }
                let tags = list(g["corridors"], "corridors")
                for t in tags where t != "*" && dataset.corridor(t) == nil { problem(g["corridors"], "unknown corridor '\(t)'") }
                let unit = capacityUnit(g, key: "capacity_unit", needed: g["capacity"] != nil, body, what: "add_link")
                return .addLink(Link(id: id, from: a, to: b, mode: mode, linkClass: cls, gauge: gauge, lengthKm: number(g["length_km"], "length_km", min: 0),
                                     timeHours: number(g["time_h"], "time_h", min: 0), headwayHours: number(g["headway_h"], "headway_h", min: 0),
                                     capacity: number(g["capacity"], "capacity", min: 0), capacityUnit: unit, validity: .always, status: .open,
                                     corridors: tags.isEmpty || tags == ["*"] ? .all : .only(tags), sources: []))
            case .membership, .endMembership:
                guard let m = need() else { return nil }
                let g = keys(m, body, allowed: kind == .membership ? ["org", "country", "role"] : ["org", "country"], required: ["org", "country"], what: key)
                guard let org = string(g["org"], "org"), let c = country(g["country"]) else { return nil }
                if !dataset.organisations.contains(where: { $0.id == org }) { problem(g["org"], "unknown organisation '\(org)'\(suggest(org, dataset.organisations.map(\.id)))") }
                if kind == .endMembership {
                    if from == nil { problem(body, "end_membership needs from: the date the membership ends") }
                    return .endMembership(org: org, country: c)
                }
                let roleText = g["role"]?.string ?? "member"
                guard let role = MembershipRole(rawValue: roleText) else { problem(g["role"], "role: use \(MembershipRole.allCases.map(\.rawValue).joined(separator: ", "))"); return nil }
                return .membership(Membership(org: org, country: c, role: role, validity: .always))
            case .endMeasure:
                guard let id = string(body, "end_measure") else { return nil }
                if !dataset.measures.contains(where: { $0.id == id }) { problem(body, "unknown measure '\(id)'\(suggest(id, dataset.measures.map(\.id)))") }
                if from == nil { problem(body, "end_measure needs from: the date the measure ends") }
                return .endMeasure(id)
            }
        }

        /// Two edits of one scenario conflict when they set the same thing differently over overlapping dates.
        mutating func checkConflicts(_ edits: [ScenarioEdit]) {
            func overlap(_ a: Validity, _ b: Validity) -> Bool {
                let aFrom = a.from?.daysSinceEpoch ?? Int.min, aTo = a.to?.daysSinceEpoch ?? Int.max
                let bFrom = b.from?.daysSinceEpoch ?? Int.min, bTo = b.to?.daysSinceEpoch ?? Int.max
                return aFrom < bTo && bFrom < aTo
            }
            for i in edits.indices {
                for j in edits.indices where j > i && overlap(edits[i].validity, edits[j].validity) {
                    var clash: String?
                    switch (edits[i].action, edits[j].action) {
                    case (.open(let a), .close(.links(let b))), (.close(.links(let b)), .open(let a)):
                        if let id = a.first(where: b.contains) { clash = "link '\(id)' is both opened and closed" }
                    case (.link(let a, let ca), .link(let b, let cb)):
                        let shared = a.filter(b.contains)
                        let both = [("speed_kmh", ca.speedKmh != nil && cb.speedKmh != nil), ("time_h", ca.timeHours != nil && cb.timeHours != nil),
                                    ("headway_h", ca.headwayHours != nil && cb.headwayHours != nil), ("capacity", ca.capacity != nil && cb.capacity != nil),
                                    ("length_km", ca.lengthKm != nil && cb.lengthKm != nil)].filter(\.1).map(\.0)
                        if let id = shared.first, let field = both.first { clash = "link '\(id)' gets \(field) twice" }
                    case (.parameter(let a, _, _), .parameter(let b, _, _)) where a == b: clash = "parameter '\(a.rawValue)' is set twice"
                    case (.addLink(let a), .addLink(let b)) where a.id == b.id: clash = "link '\(a.id)' is added twice"
                    default: break
                    }
                    if let clash {
                        problems.append(Diagnostic(file: file, line: edits[j].line, column: edits[j].column,
                                                   message: "conflicting edits: \(clash) over overlapping dates (see line \(edits[i].line)); give them disjoint from/to dates or merge them"))
                    }
                }
            }
        }
    }
}
