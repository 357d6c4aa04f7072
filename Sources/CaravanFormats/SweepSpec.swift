import Foundation
import Yams
import CaravanModel

/// A parameter sweep (docs/sweeps.md): O-D pairs routed under every combination of scenario set,
/// date, cargo unit, value of time and seed. Each combination is a numbered unit; units split
/// into contiguous shards that separate processes (Kubernetes indexed jobs, Slurm array tasks)
/// run, and `merge` joins the shards' part files into one table.
public struct SweepSpec: Sendable {
    public struct Pair: Sendable, Hashable { public var origin: String; public var destination: String; public var line: Int; public var column: Int }
    /// A scenario set as written ("base" is no scenario), with its position for messages.
    public struct ScenarioSet: Sendable, Hashable { public var names: [String]; public var line: Int; public var column: Int
        public var label: String { names.isEmpty ? "base" : names.joined(separator: "+") }
    }
    public struct Unit: Sendable, Hashable {
        public var index: Int
        public var scenarios: ScenarioSet
        public var date: Day
        public var cargo: CargoUnit
        /// USD per TEU-day; nil = the dataset's parameter.
        public var valueOfTime: Double?
        public var seed: UInt64
    }

    public var name: String
    public var pairs: [Pair]
    public var scenarioSets: [ScenarioSet]
    public var dates: [Day]
    public var cargo: [CargoUnit]
    public var valuesOfTime: [Double?]
    public var seeds: [UInt64]
    /// Monte Carlo samples per route for p50/p90 (0: none).
    public var samples: Int

    public static let maxUnits = 10_000_000
    public static let maxSamples = 20_000

    /// Units in the grid (saturates at Int.max rather than trapping; the reader rejects over `maxUnits`).
    public var unitCount: Int {
        [scenarioSets.count, dates.count, cargo.count, valuesOfTime.count, seeds.count].reduce(1) { a, b in
            let (p, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? Int.max : p
        }
    }

    /// Unit `i`: seeds vary fastest, then value of time, cargo, date and scenario set, so a
    /// contiguous shard needs few route engines (one per scenario set and date it meets).
    public func unit(_ i: Int) -> Unit {
        var k = i
        let s = k % seeds.count; k /= seeds.count
        let v = k % valuesOfTime.count; k /= valuesOfTime.count
        let c = k % cargo.count; k /= cargo.count
        let d = k % dates.count; k /= dates.count
        return Unit(index: i, scenarios: scenarioSets[k], date: dates[d], cargo: cargo[c], valueOfTime: valuesOfTime[v], seed: seeds[s])
    }

    /// Shard `index` of `count`: a contiguous block of units, sizes differing by at most one.
    public func shard(_ index: Int, of count: Int) -> Range<Int> {
        let n = unitCount
        return (index * n / count)..<((index + 1) * n / count)
    }

    /// The shard of `count` that holds unit `i`: the last shard whose first unit is at most `i`.
    public func shardOf(_ i: Int, count: Int) -> Int { ((i + 1) * count - 1) / unitCount }

    /// Identifies the expanded plan (every dimension and the samples): part files carry it, so
    /// `merge` refuses parts written for another plan. FNV-1a 64 over a canonical text.
    public var fingerprint: String {
        let canonical = [name, pairs.map { "\($0.origin)>\($0.destination)" }.joined(separator: ";"), scenarioSets.map(\.label).joined(separator: ";"),
                         dates.map(\.description).joined(separator: ";"), cargo.map(\.rawValue).joined(separator: ";"),
                         valuesOfTime.map { $0.map { SweepTable.number($0, 6) } ?? "default" }.joined(separator: ";"),
                         seeds.map(String.init).joined(separator: ";"), String(samples)].joined(separator: "|")
        var h: UInt64 = 0xcbf29ce484222325
        for b in canonical.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(format: "%016llx", h)
    }

    public static func load(path: String) throws(InputErrors) -> SweepSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([Diagnostic(file: path, line: 1, column: 1, message: "cannot read the sweep file")])
        }
        guard data.count <= 1 << 20 else { throw InputErrors([Diagnostic(file: path, line: 1, column: 1, message: "the sweep file is over 1 MiB")]) }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws(InputErrors) -> SweepSpec {
        guard let root = try YAMLInput.compose(text, file: file), let top = root.mapping else {
            throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "a sweep is a mapping with name, pairs and dates (docs/sweeps.md)")])
        }
        var p = Reader(file: file)
        let spec = p.spec(top, root)
        if !p.problems.isEmpty { throw InputErrors(p.problems) }
        return spec!
    }

    struct Reader: YAMLFieldReader {
        let file: String
        var problems: [Diagnostic] = []

        mutating func spec(_ top: Node.Mapping, _ root: Node) -> SweepSpec? {
            let f = keys(top, root, allowed: ["name", "pairs", "scenarios", "dates", "cargo", "value_of_time", "seeds", "samples"],
                         required: ["name", "pairs", "dates"], what: "sweep")
            let name = string(f["name"], "name") ?? ""
            if let n = f["name"], !name.isEmpty, !(name.count <= 64 && name.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" })) {
                problem(n, "name: '\(TextInput.shown(name, limit: 40))' must be lowercase letters, digits and '-' (at most 64)")
            }
            let spec = SweepSpec(name: name, pairs: pairs(f["pairs"]), scenarioSets: scenarioSets(f["scenarios"]), dates: dates(f["dates"]),
                                 cargo: cargo(f["cargo"]), valuesOfTime: valuesOfTime(f["value_of_time"]), seeds: seeds(f["seeds"]),
                                 samples: f["samples"].flatMap { number($0, "samples", min: 0, max: Double(SweepSpec.maxSamples)) }.map { Int($0) } ?? 0)
            if let n = f["samples"], let v = n.scalar.flatMap({ Double($0.string) }), v != v.rounded() { problem(n, "samples: expected a whole number") }
            if problems.isEmpty && spec.unitCount > SweepSpec.maxUnits {
                problem(root, "the grid has \(spec.unitCount == Int.max ? "too many" : String(spec.unitCount)) units: at most \(SweepSpec.maxUnits) (split it into several sweeps)")
            }
            return spec
        }

        /// `[[origin, destination], …]`.
        mutating func pairs(_ node: Node?) -> [Pair] {
            guard let node else { return [] }
            guard let seq = node.sequence, !seq.isEmpty else { problem(node, "pairs: expected a list of [origin, destination]"); return [] }
            var out: [Pair] = []
            for n in seq {
                guard let two = n.sequence, two.count == 2, let o = string(two[0], "pairs: origin"), let d = string(two[1], "pairs: destination") else {
                    problem(n, "pairs: each pair is [origin, destination], e.g. [xian, duisburg]"); continue
                }
                out.append(Pair(origin: o, destination: d, line: n.mark?.line ?? 0, column: n.mark?.column ?? 0))
            }
            if out.count > 10_000 { problem(node, "pairs: at most 10,000 pairs, got \(out.count)") }
            return out
        }

        /// Scenario sets: `base`, a name, or names joined with `+` (applied in order). Default: base.
        mutating func scenarioSets(_ node: Node?) -> [ScenarioSet] {
            guard let node else { return [ScenarioSet(names: [], line: 0, column: 0)] }
            let items = node.sequence.map(Array.init) ?? [node]
            var out: [ScenarioSet] = []
            for n in items {
                guard let s = string(n, "scenarios") else { continue }
                let names = s == "base" ? [] : s.split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) }
                if names.contains(where: \.isEmpty) || names.contains("base") { problem(n, "scenarios: '\(TextInput.shown(s, limit: 60))': write base, a name, or names joined with +"); continue }
                out.append(ScenarioSet(names: names, line: n.mark?.line ?? 0, column: n.mark?.column ?? 0))
            }
            if out.isEmpty { problem(node, "scenarios: give at least one (base for none)") }
            return out
        }

        /// A list of dates, or `{from, to, step_days}` (to inclusive).
        mutating func dates(_ node: Node?) -> [Day] {
            guard let node else { return [] }
            if let m = node.mapping {
                let g = keys(m, node, allowed: ["from", "to", "step_days"], required: ["from", "to", "step_days"], what: "dates")
                guard let a = day(g["from"], "dates: from"), let b = day(g["to"], "dates: to"),
                      let step = number(g["step_days"], "dates: step_days", min: 1, max: 36_500) else { return [] }
                guard a <= b else { problem(node, "dates: from must not be after to"); return [] }
                var out: [Day] = [], d = a
                while d <= b && out.count <= 100_000 { out.append(d); d = Day(daysSinceEpoch: d.daysSinceEpoch + Int(step)) }
                return out
            }
            let out = list(node, "dates").compactMap { s -> Day? in
                guard let d = Day(iso: s) else { problem(node, "dates: '\(TextInput.shown(s, limit: 20))' is not a date YYYY-MM-DD"); return nil }
                return d
            }
            if out.isEmpty { problem(node, "dates: give at least one date") }
            return out
        }

        mutating func cargo(_ node: Node?) -> [CargoUnit] {
            guard let node else { return [.teu] }
            let out = list(node, "cargo").compactMap { s -> CargoUnit? in
                // A truck needs a network of its own (road and ferries aboard): route trucks with `caravan route --cargo truck`.
                guard let c = CargoUnit(rawValue: s), c.roadVehicle == nil else { problem(node, "cargo: '\(TextInput.shown(s, limit: 20))': use teu, feu or tonnes"); return nil }
                return c
            }
            if out.isEmpty { problem(node, "cargo: give at least one of teu, feu, tonnes") }
            return out
        }

        /// USD per TEU-day: a list, or `{from, to, step}` (to inclusive). Default: the dataset's.
        mutating func valuesOfTime(_ node: Node?) -> [Double?] {
            guard let node else { return [nil] }
            let out = numbers(node, "value_of_time", max: 10_000_000)
            if out.isEmpty { problem(node, "value_of_time: give at least one value") }
            return out
        }

        /// A list, or `{from, count}` (consecutive seeds). Default: [1].
        mutating func seeds(_ node: Node?) -> [UInt64] {
            guard let node else { return [1] }
            if let m = node.mapping {
                let g = keys(m, node, allowed: ["from", "count"], required: ["from", "count"], what: "seeds")
                guard let a = number(g["from"], "seeds: from", min: 0, max: 1e15), let n = number(g["count"], "seeds: count", min: 1, max: 1_000_000) else { return [] }
                return (0..<Int(n)).map { UInt64(a) + UInt64($0) }
            }
            let out = numbers(node, "seeds", max: 1e15).map { UInt64($0) }
            if out.isEmpty { problem(node, "seeds: give at least one seed") }
            return out
        }

        mutating func numbers(_ node: Node, _ what: String, max: Double) -> [Double] {
            if let m = node.mapping {
                let g = keys(m, node, allowed: ["from", "to", "step"], required: ["from", "to", "step"], what: what)
                guard let a = number(g["from"], "\(what): from", min: 0, max: max), let b = number(g["to"], "\(what): to", min: 0, max: max),
                      let step = number(g["step"], "\(what): step", min: 1e-9, max: max) else { return [] }
                guard a <= b, (b - a) / step <= 1_000_000 else { problem(node, "\(what): from must not exceed to, with at most 1,000,000 steps"); return [] }
                return (0...Int(((b - a) / step + 1e-9).rounded(.down))).map { a + Double($0) * step }
            }
            let items = node.sequence.map(Array.init) ?? [node]
            return items.compactMap { number($0, what, min: 0, max: max) }
        }
    }
}

/// The part files shards write and the merged table: CSV, one row per unit and pair, numbers
/// with fixed decimals so the same inputs give the same bytes.
public enum SweepTable {
    public static let columns = ["unit", "scenarios", "date", "cargo", "value_of_time", "seed", "origin", "destination", "status",
                                 "corridor", "days", "usd", "co2e_kg", "p50_days", "p90_days", "estimates", "error"]

    public static func number(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }

    /// The first line of a part file: the plan it belongs to and which units it holds.
    public static func partHeader(_ spec: SweepSpec, shard: Int, of count: Int) -> String {
        let r = spec.shard(shard, of: count)
        return "# caravan sweep \(spec.name) plan=\(spec.fingerprint) units=\(spec.unitCount) shard=\(shard)/\(count) first=\(r.lowerBound) end=\(r.upperBound)"
    }

    public static func partName(_ shard: Int, of count: Int) -> String { String(format: "part-%05d-of-%05d.csv", shard, count) }

    /// Joins the part files in `folder` into one table, checking that every unit of the plan is
    /// present exactly once (with one row per pair) and that every part belongs to the plan.
    public static func merge(_ spec: SweepSpec, folder: String) throws(InputErrors) -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("part-") && $0.hasSuffix(".csv") }.sorted()
        guard !names.isEmpty else { throw InputErrors([Diagnostic(file: folder, line: 1, column: 1, message: "no part files (part-*.csv): run `caravan sweep run` first")]) }
        var rows: [Int: (file: String, line: Int, lines: [String])] = [:]
        var problems: [Diagnostic] = []
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard lines.count >= 2, lines[0].hasPrefix("# caravan sweep "), lines[1] == CSVWriter.line(columns) else {
                problems.append(Diagnostic(file: path, line: 1, column: 1, message: "not a sweep part file (a '# caravan sweep' line, then the header)")); continue
            }
            guard lines[0].contains(" plan=\(spec.fingerprint) ") else {
                problems.append(Diagnostic(file: path, line: 1, column: 1, message: "written for another plan (the spec or its grid changed): run this shard again")); continue
            }
            for (k, line) in lines.enumerated().dropFirst(2) where !line.isEmpty {
                guard let unit = Int(line.prefix { $0 != "," }), unit >= 0, unit < spec.unitCount else {
                    problems.append(Diagnostic(file: path, line: k + 1, column: 1, message: "unit: not a unit of this plan (0…\(spec.unitCount - 1))")); continue
                }
                if let seen = rows[unit], seen.file != path || seen.lines.count >= spec.pairs.count {
                    problems.append(Diagnostic(file: path, line: k + 1, column: 1, message: "unit \(unit) appears twice: also \(seen.file):\(seen.line)")); continue
                }
                rows[unit, default: (path, k + 1, [])].lines.append(line)
            }
        }
        var missing: [Int] = []
        for u in 0..<spec.unitCount {
            guard let r = rows[u] else { missing.append(u); continue }
            if r.lines.count != spec.pairs.count {
                problems.append(Diagnostic(file: r.file, line: r.line, column: 1, message: "unit \(u) has \(r.lines.count) rows, expected one per pair (\(spec.pairs.count))"))
            }
        }
        if !missing.isEmpty {
            let shown = missing.prefix(20).map(String.init).joined(separator: ", ") + (missing.count > 20 ? " … (\(missing.count) in all)" : "")
            problems.append(Diagnostic(file: folder, line: 1, column: 1, message: "unit\(missing.count == 1 ? "" : "s") missing: \(shown); run the shards that hold them again"))
        }
        if !problems.isEmpty { throw InputErrors(problems) }
        var out = CSVWriter.line(columns) + "\n"
        for u in 0..<spec.unitCount { for l in rows[u]!.lines { out += l + "\n" } }
        return out
    }
}
