import Foundation
import CaravanModel

/// GeoJSON (RFC 7946) for routes and networks: longitude before latitude, WGS84.
public enum GeoJSON {
    public typealias Object = [String: Any]

    static func point(_ p: Place) -> [Double] { [p.lon, p.lat] }

    /// A link's line from `start` (one of its ends) to the other end: through its sea track
    /// when the dataset has one, else straight.
    public static func line(_ link: Link, from start: String, dataset: Dataset) -> [[Double]] {
        guard let a = dataset.place(link.from), let b = dataset.place(link.to) else { return [] }
        let forward = [point(a)] + (dataset.seaTracks[link.id] ?? []) + [point(b)]
        return start == link.from ? forward : Array(forward.reversed())
    }

    static func feature(_ geometry: Object, _ properties: Object) -> Object {
        ["type": "Feature", "geometry": geometry, "properties": properties]
    }

    /// One LineString per leg (through its via places) and one Point per stop.
    public static func routes(_ routes: [Route], dataset: Dataset) -> Object {
        var features: [Object] = []
        for (ri, r) in routes.enumerated() {
            for (li, leg) in r.legs.enumerated() {
                // Walk the leg's links from its start, each drawn in the direction travelled.
                var coords: [[Double]] = [], at = leg.from, tracked = false
                for id in leg.links {
                    guard let link = dataset.link(id) else { continue }
                    let part = line(link, from: at, dataset: dataset)
                    coords += coords.isEmpty ? part : Array(part.dropFirst())
                    tracked = tracked || dataset.seaTracks[id] != nil
                    at = at == link.from ? link.to : link.from
                }
                if coords.isEmpty { coords = ([leg.from] + leg.via + [leg.to]).compactMap { dataset.place($0) }.map(point) }
                let note = !leg.mode.isWater ? "through the places passed" : tracked ? "sea track for drawing (searoute), not the exact sailing line" : "straight line between ports, not the sailing track"
                features.append(feature(["type": "LineString", "coordinates": coords], [
                    "route": ri, "leg": li, "corridor": r.corridor ?? "", "mode": leg.mode.rawValue, "class": leg.linkClass,
                    "from": leg.from, "to": leg.to, "km": leg.km, "days": leg.days, "usd": leg.usd, "co2e_kg": leg.co2eKg,
                    "links": leg.links, "geometry_note": note,
                ]))
            }
            for s in r.stops {
                guard let p = dataset.place(s.place) else { continue }
                features.append(feature(["type": "Point", "coordinates": point(p)], [
                    "route": ri, "stop": s.kind.rawValue, "place": s.place, "days": s.days, "usd": s.usd, "detail": s.detail,
                ]))
            }
        }
        return ["type": "FeatureCollection", "features": features]
    }

    /// Every place as a Point and every link as a LineString, with its status on the date.
    /// With `day`, each border link lists the measured crossings in force that day (direction and
    /// dwell); without, every dated row.
    public static func network(_ dataset: Dataset, day: Day? = nil, available: (Int) -> Bool) -> Object {
        // A place's rank for labelling: its links (hubs first), ports and gauge-change stations up.
        var degree: [String: Int] = [:]
        for l in dataset.links { degree[l.from, default: 0] += 1; degree[l.to, default: 0] += 1 }
        // Features carry source ids; the citations are listed once, in a foreign member "sources".
        let byID = Dictionary(dataset.sources.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var cited: Object = [:]
        func cite(_ ids: [String]) -> [String] {
            for id in ids where cited[id] == nil {
                cited[id] = byID[id].map { "\($0.publisher): \($0.title)" + ($0.year.map { " (\($0))" } ?? "") } ?? id
            }
            return ids
        }
        func crossingObjects(_ cs: [Crossing]) -> [Object] {
            cs.map { c -> Object in
                var o: Object = ["entering": c.entering ?? "", "dwell_h": c.dwellHours, "sources": cite(c.sources)]
                if let side = c.side { o["side"] = side }
                if let d = c.validity.from { o["valid_from"] = d.description }
                if let d = c.validity.to { o["valid_to"] = d.description }
                return o
            }
        }
        var crossings: [String: [Crossing]] = [:], clearance: [String: [Crossing]] = [:]
        for c in dataset.crossings where day.map(c.validity.contains) ?? true {
            if c.link == Crossing.seaArrivals { clearance[c.entering ?? "", default: []].append(c) } else { crossings[c.link, default: []].append(c) }
        }
        var features: [Object] = dataset.places.map { p in
            var props: Object = ["id": p.id, "name": p.name, "country": p.country, "kind": p.kind.rawValue, "functions": p.functions.names,
                                 "rank": (degree[p.id] ?? 0) + 2 * p.functions.names.count, "sources": cite(p.sources)]
            if let h = p.transferHours { props["transfer_h"] = h }
            if let u = p.transferUSDPerTEU { props["transfer_usd_teu"] = u }
            if let cs = clearance[p.id] { props["crossings"] = crossingObjects(cs) }
            return feature(["type": "Point", "coordinates": point(p)], props)
        }
        for (i, l) in dataset.links.enumerated() {
            guard dataset.place(l.from) != nil, dataset.place(l.to) != nil else { continue }
            var props: Object = ["id": l.id, "from": l.from, "to": l.to, "mode": l.mode.rawValue, "class": l.linkClass,
                                 "status": l.status.rawValue, "in_service": available(i), "sources": cite(l.sources)]
            if let g = l.gauge { props["gauge"] = g.rawValue }
            if let km = l.lengthKm { props["length_km"] = km }
            if dataset.lengthIsEstimated(l) { props["length_estimated"] = true }
            if let h = l.timeHours { props["time_h"] = h }
            if let h = l.headwayHours { props["headway_h"] = h }
            if let c = l.capacity { props["capacity"] = c; props["capacity_unit"] = l.capacityUnit?.rawValue ?? "" }
            if let d = l.validity.from { props["valid_from"] = d.description }
            if let d = l.validity.to { props["valid_to"] = d.description }
            if let cs = crossings[l.id] { props["crossings"] = crossingObjects(cs) }
            switch l.corridors { case .all: props["corridors"] = ["*"]; case .only(let ids): props["corridors"] = ids }
            features.append(feature(["type": "LineString", "coordinates": line(l, from: l.from, dataset: dataset)], props))
        }
        return ["type": "FeatureCollection", "features": features, "sources": cited]
    }

    /// Assigned flows: a LineString per link with flow, and a Point per capacity-limited place.
    public static func flows(links: [(id: String, from: String, to: String, properties: Object)],
                             places: [(id: String, properties: Object)], dataset: Dataset) -> Object {
        var features: [Object] = []
        for l in links {
            guard let a = dataset.place(l.from), let b = dataset.place(l.to) else { continue }
            let coords = dataset.link(l.id).map { line($0, from: l.from, dataset: dataset) } ?? [point(a), point(b)]
            features.append(feature(["type": "LineString", "coordinates": coords], l.properties.merging(["id": l.id, "from": l.from, "to": l.to]) { a, _ in a }))
        }
        for p in places {
            guard let pl = dataset.place(p.id) else { continue }
            features.append(feature(["type": "Point", "coordinates": point(pl)], p.properties.merging(["id": p.id, "name": pl.name]) { a, _ in a }))
        }
        return ["type": "FeatureCollection", "features": features]
    }

    /// Serialises with sorted keys so the output is stable for diffs and tests.
    public static func serialize(_ object: Object) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// CSV output (RFC 4180): fields with commas, quotes or newlines are quoted.
public enum CSVWriter {
    public static func line(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }
}
