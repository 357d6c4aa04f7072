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
            throw InputErrors([Diagnostic(file: folder, line: 1, column: 1, message: "no *_net.tntp file in the folder")])
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
        try TextInput.read(path: (folder as NSString).appendingPathComponent(name), shownAs: name)
    }

    /// Splits a line into whitespace-separated tokens with their 1-based columns.
    static func tokens(_ line: Substring) -> [(String, Int)] {
        var out: [(String, Int)] = []
        var current = "", start = 0, col = 0
        for ch in line {
            col += 1
            if ch == " " || ch == "\t" {
                if !current.isEmpty { out.append((current, start)); current = "" }
            } else {
                if current.isEmpty { start = col }
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append((current, start)) }
        return out
    }

    /// Largest count a TNTP header may state (nodes, links, zones): far above any published network.
    static let maxCount = 50_000_000
    /// Largest magnitude of any number in a TNTP file (capacities, lengths, times, demands).
    static let maxValue = 1e12

    static func metadata(_ lines: [Substring], file: String) throws(InputErrors) -> (values: [String: Int], body: Int) {
        var values: [String: Int] = [:]
        for (i, line) in lines.enumerated() {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("<END OF METADATA>") { return (values, i + 1) }
            if t.hasPrefix("<"), let close = t.firstIndex(of: ">") {
                let key = String(t[t.index(after: t.startIndex)..<close])
                let rest = t[t.index(after: close)...].trimmingCharacters(in: .whitespaces)
                guard ["NUMBER OF NODES", "NUMBER OF LINKS", "NUMBER OF ZONES", "FIRST THRU NODE"].contains(key) else { continue }
                // Integral, finite and in range: Int(Double) would trap on NaN, inf or 1e20.
                guard let d = Double(rest), d.isFinite, d == d.rounded(), d >= 0, d <= Double(maxCount) else {
                    throw InputErrors([Diagnostic(file: file, line: i + 1, column: 1,
                                                  message: "<\(key)> must be a whole number between 0 and \(maxCount), found '\(TextInput.shown(rest, limit: 40))'")])
                }
                values[key] = Int(d)
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
        guard nodes >= 1 else { throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "<NUMBER OF NODES> must be at least 1")]) }
        if let z = meta["NUMBER OF ZONES"], z > nodes {
            throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "<NUMBER OF ZONES> \(z) exceeds <NUMBER OF NODES> \(nodes)")])
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
                guard let d = Double(s), d.isFinite, abs(d) <= maxValue else {
                    errors.append(Diagnostic(file: file, line: i + 1, column: c, message: "field \(k + 1) '\(TextInput.shown(s, limit: 40))' is not a number within ±1e12")); break
                }
                v.append(d)
            }
            guard v.count == 10 else { continue }
            let a = Int(v[0]), bNode = Int(v[1])
            guard (1...nodes).contains(a), (1...nodes).contains(bNode), v[0] == v[0].rounded(), v[1] == v[1].rounded() else {
                errors.append(Diagnostic(file: file, line: i + 1, column: tok[0].1, message: "node out of range 1...\(nodes)")); continue
            }
            if v[2] < 0 || v[3] < 0 || v[4] < 0 || v[5] < 0 || v[6] < 0 || v[6] > 32 {
                errors.append(Diagnostic(file: file, line: i + 1, column: tok[2].1, message: "capacity, length, free-flow time and b must be >= 0 and power within 0...32 (Barcelona has 16.83)")); continue
            }
            net.tail.append(Int32(a - 1)); net.head.append(Int32(bNode - 1))
            net.capacity.append(v[2]); net.length.append(v[3]); net.freeFlowTime.append(v[4]); net.b.append(v[5]); net.power.append(v[6])
            net.speed.append(v[7]); net.toll.append(v[8]); net.linkType.append(Int(v[9]))
        }
        if errors.isEmpty && net.linkCount != links {
            errors.append(Diagnostic(file: file, line: 1, column: 1, message: "metadata says \(links) links, found \(net.linkCount)"))
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
                    throw InputErrors([Diagnostic(file: file, line: i + 1, column: 1, message: "bad origin line '\(TextInput.shown(t, limit: 40))': write 'Origin N' with N a zone number")])
                }
                origin = o - 1; continue
            }
            guard origin >= 0 else { throw InputErrors([Diagnostic(file: file, line: i + 1, column: 1, message: "demand before any 'Origin' line")]) }
            for entry in t.split(separator: ";") {
                let parts = entry.split(separator: ":")
                if parts.count != 2 { if entry.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                    throw InputErrors([Diagnostic(file: file, line: i + 1, column: 1, message: "expected 'destination : flow;' entries")]) }
                guard let d = Int(parts[0].trimmingCharacters(in: .whitespaces)), let f = Double(parts[1].trimmingCharacters(in: .whitespaces)),
                      (1...max(zones, 1)).contains(d), f >= 0, f <= maxValue else {
                    throw InputErrors([Diagnostic(file: file, line: i + 1, column: 1, message: "bad entry '\(TextInput.shown(String(entry), limit: 40))': write 'destination : flow;' with a zone number and a flow within 0...1e12")])
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
            guard (1...max(1, nodeCount)).contains(n), let x = Double(tok[1].0), let y = Double(tok[2].0), x.isFinite, y.isFinite else {
                throw InputErrors([Diagnostic(file: file, line: i + 1, column: tok[0].1, message: "bad node line")])
            }
            coords[n - 1] = (x, y)
        }
        return coords
    }

    /// Reads a `_flow.tntp` file: (tail, head) 0-based with volume and cost.
    public static func readFlows(path: String) throws(InputErrors) -> [(tail: Int32, head: Int32, volume: Double, cost: Double)] {
        let text = try TextInput.read(path: path, shownAs: path)
        var out: [(tail: Int32, head: Int32, volume: Double, cost: Double)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
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
        var params: [ParameterKey: Double] = [:]
        for k in ParameterKey.all(.always) { params[k] = 0 }
        params[.circuityRail] = 1; params[.circuityRoad] = 1; params[.circuitySea] = 1; params[.circuityFerry] = 1
        params[.teuPayloadT] = 1; params[.feuTEU] = 2; params[.valueOfTimeUSDPerTEUDay] = 0
        return Dataset(name: net.name, places: places, links: links,
                       linkClasses: [LinkClass(id: "tntp", mode: .road, speedKmh: 1, tariffUSDPerTEUFixed: 0, tariffUSDPerTEUKm: 0, emissionFactor: "none", sources: [src])],
                       emissionFactors: [EmissionFactor(id: "none", mode: .road, co2eGramsPerTonneKm: 0, sources: [src])],
                       corridors: [], parameters: Parameters(values: params),
                       sources: [Source(id: src, kind: .dataset, publisher: "Transportation Networks for Research Core Team", title: "Transportation Networks for Research (\(net.name))", year: 2016, url: "https://github.com/bstabler/TransportationNetworks")],
                       countries: [Country(code: "ZZ", name: "TNTP network")])
    }
}
