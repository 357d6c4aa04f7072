import Foundation
import CaravanModel

public enum TNTPReader {
    /// True when the folder holds a `*_net.tntp` file.
    public static func isTNTPFolder(_ folder: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains { $0.hasSuffix("_net.tntp") }
    }

    public static func load(folder: String) throws(InputErrors) -> TNTPNetwork {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        guard let netName = names.first(where: { $0.hasSuffix("_net.tntp") }) else {
            throw InputErrors([Diagnostic(file: folder, line: 0, column: 0, message: "no *_net.tntp file in the folder")])
        }
        let stem = String(netName.dropLast("_net.tntp".count))
        var net = try readNet(try text(folder, netName), file: netName, name: stem)
        if let trips = names.first(where: { $0.hasSuffix("_trips.tntp") }) {
            net.trips = try readTrips(try text(folder, trips), file: trips, zones: net.zoneCount)
        }
        if let nodes = names.first(where: { $0.hasSuffix("_node.tntp") }) {
            net.coordinates = try readNodes(try text(folder, nodes), file: nodes, nodeCount: net.nodeCount)
        }
        return net
    }

    static func text(_ folder: String, _ name: String) throws(InputErrors) -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([Diagnostic(file: name, line: 0, column: 0, message: "cannot read the file")])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Splits a line into whitespace-separated tokens with their 1-based columns.
    static func tokens(_ line: Substring) -> [(String, Int)] {
        var out: [(String, Int)] = []
        var current = "", start = 0, col = 0
        for ch in line {
            col += 1
            if ch == " " || ch == "\t" || ch == "\r" {
                if !current.isEmpty { out.append((current, start)); current = "" }
            } else {
                if current.isEmpty { start = col }
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append((current, start)) }
        return out
    }

    static func metadata(_ lines: [Substring], file: String) throws(InputErrors) -> (values: [String: Int], body: Int) {
        var values: [String: Int] = [:]
        for (i, line) in lines.enumerated() {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("<END OF METADATA>") { return (values, i + 1) }
            if t.hasPrefix("<"), let close = t.firstIndex(of: ">") {
                let key = String(t[t.index(after: t.startIndex)..<close])
                let rest = t[t.index(after: close)...].trimmingCharacters(in: .whitespaces)
                if let v = Int(rest) ?? Double(rest).map({ Int($0) }) { values[key] = v }
            }
        }
        throw InputErrors([Diagnostic(file: file, line: lines.count, column: 1, message: "missing <END OF METADATA> line")])
    }

    static func readNet(_ text: String, file: String, name: String) throws(InputErrors) -> TNTPNetwork {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let (meta, body) = try metadata(lines, file: file)
        guard let nodes = meta["NUMBER OF NODES"], let links = meta["NUMBER OF LINKS"] else {
            throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "metadata needs <NUMBER OF NODES> and <NUMBER OF LINKS>")])
        }
        var net = TNTPNetwork(name: name, zoneCount: meta["NUMBER OF ZONES"] ?? 0, nodeCount: nodes, firstThruNode: meta["FIRST THRU NODE"] ?? 1)
        var errors: [Diagnostic] = []
        for i in body..<lines.count {
            var line = lines[i]
            if let tilde = line.firstIndex(of: "~") { line = line[..<tilde] }
            if let semi = line.firstIndex(of: ";") { line = line[..<semi] }
            let tok = tokens(line)
            if tok.isEmpty { continue }
            guard tok.count >= 10 else {
                errors.append(Diagnostic(file: file, line: i + 1, column: tok[0].1, message: "a link line needs 10 fields (init term capacity length fft b power speed toll type), found \(tok.count)"))
                continue
            }
            var v: [Double] = []
            for (k, (s, c)) in tok.prefix(10).enumerated() {
                guard let d = Double(s), d.isFinite else {
                    errors.append(Diagnostic(file: file, line: i + 1, column: c, message: "field \(k + 1) '\(s)' is not a number")); break
                }
                v.append(d)
            }
            guard v.count == 10 else { continue }
            let a = Int(v[0]), bNode = Int(v[1])
            guard (1...nodes).contains(a), (1...nodes).contains(bNode) else {
                errors.append(Diagnostic(file: file, line: i + 1, column: tok[0].1, message: "node out of range 1...\(nodes)")); continue
            }
            if v[2] < 0 || v[3] < 0 || v[4] < 0 {
                errors.append(Diagnostic(file: file, line: i + 1, column: tok[2].1, message: "negative capacity, length or free-flow time")); continue
            }
            net.tail.append(Int32(a - 1)); net.head.append(Int32(bNode - 1))
            net.capacity.append(v[2]); net.length.append(v[3]); net.freeFlowTime.append(v[4]); net.b.append(v[5]); net.power.append(v[6])
            net.speed.append(v[7]); net.toll.append(v[8]); net.linkType.append(Int(v[9]))
        }
        if errors.isEmpty && net.linkCount != links {
            errors.append(Diagnostic(file: file, line: 0, column: 0, message: "metadata says \(links) links, found \(net.linkCount)"))
        }
        if !errors.isEmpty { throw InputErrors(Array(errors.prefix(50))) }
        return net
    }

    static func readTrips(_ text: String, file: String, zones: Int) throws(InputErrors) -> [(origin: Int32, destination: Int32, flow: Double)] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let (_, body) = try metadata(lines, file: file)
        var trips: [(origin: Int32, destination: Int32, flow: Double)] = []
        var origin = -1
        for i in body..<lines.count {
            var line = lines[i]
            if let tilde = line.firstIndex(of: "~") { line = line[..<tilde] }
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            if t.hasPrefix("Origin") {
                guard let o = Int(t.dropFirst(6).trimmingCharacters(in: .whitespaces)), (1...max(zones, 1)).contains(o) else {
                    throw InputErrors([Diagnostic(file: file, line: i + 1, column: 1, message: "bad origin line '\(t)'")])
                }
                origin = o - 1; continue
            }
            guard origin >= 0 else { throw InputErrors([Diagnostic(file: file, line: i + 1, column: 1, message: "demand before any 'Origin' line")]) }
            for entry in t.split(separator: ";") {
                let parts = entry.split(separator: ":")
                if parts.count != 2 { if entry.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                    throw InputErrors([Diagnostic(file: file, line: i + 1, column: 1, message: "expected 'destination : flow;' entries")]) }
                guard let d = Int(parts[0].trimmingCharacters(in: .whitespaces)), let f = Double(parts[1].trimmingCharacters(in: .whitespaces)),
                      (1...max(zones, 1)).contains(d), f >= 0 else {
                    throw InputErrors([Diagnostic(file: file, line: i + 1, column: 1, message: "bad entry '\(entry)'")])
                }
                if f > 0 { trips.append((Int32(origin), Int32(d - 1), f)) }
            }
        }
        return trips
    }

    static func readNodes(_ text: String, file: String, nodeCount: Int) throws(InputErrors) -> [(x: Double, y: Double)] {
        var coords = [(x: Double, y: Double)](repeating: (0, 0), count: nodeCount)
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw
            if let semi = line.firstIndex(of: ";") { line = line[..<semi] }
            let tok = tokens(line)
            guard tok.count >= 3, let n = Int(tok[0].0) else { continue } // header or blank
            guard (1...nodeCount).contains(n), let x = Double(tok[1].0), let y = Double(tok[2].0) else {
                throw InputErrors([Diagnostic(file: file, line: i + 1, column: tok[0].1, message: "bad node line")])
            }
            coords[n - 1] = (x, y)
        }
        return coords
    }

    /// Reads a `_flow.tntp` file: (tail, head) 0-based with volume and cost.
    public static func readFlows(path: String) throws(InputErrors) -> [(tail: Int32, head: Int32, volume: Double, cost: Double)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([Diagnostic(file: path, line: 0, column: 0, message: "cannot read the file")])
        }
        var out: [(tail: Int32, head: Int32, volume: Double, cost: Double)] = []
        for (i, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw
            if let semi = line.firstIndex(of: ";") { line = line[..<semi] }
            let tok = tokens(line)
            guard tok.count >= 3, let a = Int(tok[0].0) else { continue }
            guard let b = Int(tok[1].0), let v = Double(tok[2].0) else {
                throw InputErrors([Diagnostic(file: path, line: i + 1, column: tok[0].1, message: "bad flow line")])
            }
            out.append((Int32(a - 1), Int32(b - 1), v, tok.count > 3 ? Double(tok[3].0) ?? 0 : 0))
        }
        return out
    }

    /// Presents a TNTP network as a Caravan dataset so every command runs on it:
    /// nodes become places `n1…nN`, links road links whose time is the free-flow time
    /// and whose cost is the toll. Coordinates are only meaningful when the node file is in degrees.
    public static func dataset(_ net: TNTPNetwork) -> Dataset {
        let src = "tntp"
        var places: [Place] = []
        for i in 0..<net.nodeCount {
            let c: (x: Double, y: Double) = net.coordinates?[i] ?? (x: 0, y: 0)
            let degrees = abs(c.x) <= 180 && abs(c.y) <= 90
            places.append(Place(id: "n\(i + 1)", name: "Node \(i + 1)", country: "ZZ", kind: i + 1 < net.firstThruNode ? .city : .junction,
                                lat: degrees ? c.y : 0, lon: degrees ? c.x : 0, functions: [.intermodal], aliases: ["\(i + 1)"], sources: [src]))
        }
        var links: [Link] = []
        for k in 0..<net.linkCount {
            links.append(Link(id: "l\(k + 1)", from: "n\(net.tail[k] + 1)", to: "n\(net.head[k] + 1)", mode: .road, linkClass: "tntp",
                              lengthKm: net.length[k] > 0 ? net.length[k] : nil, timeHours: max(net.freeFlowTime[k], 1e-9),
                              capacity: net.capacity[k], sources: [src]))
            links[k].bidirectional = false
        }
        var params: [String: Double] = [:]
        for (k, _) in Parameters.keys { params[k] = 0 }
        params["circuity_rail"] = 1; params["circuity_road"] = 1; params["circuity_sea"] = 1; params["circuity_ferry"] = 1
        params["teu_payload_t"] = 1; params["feu_teu"] = 2; params["value_of_time_usd_teu_day"] = 0
        return Dataset(name: net.name, places: places, links: links,
                       linkClasses: [LinkClass(id: "tntp", mode: .road, speedKmh: 1, tariffUSDPerTEUFixed: 0, tariffUSDPerTEUKm: 0, emissionFactor: "none", sources: [src])],
                       emissionFactors: [EmissionFactor(id: "none", mode: .road, co2eGramsPerTonneKm: 0, sources: [src])],
                       corridors: [], parameters: Parameters(values: params),
                       sources: [Source(id: src, kind: .dataset, publisher: "Transportation Networks for Research Core Team", title: "Transportation Networks for Research (\(net.name))", year: 2016, url: "https://github.com/bstabler/TransportationNetworks")],
                       countries: [Country(code: "ZZ", name: "TNTP network")])
    }
}
