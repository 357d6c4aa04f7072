import CaravanModel

/// A published transit time beside the model's for the same O-D, corridor and date.
public struct CalibrationRow: Sendable, Codable {
    public var id: String
    public var origin: String
    public var destination: String
    public var corridor: String
    public var date: Day
    public var publishedDays: Double
    /// The fastest route of the corridor on that date (nil when none exists).
    public var modelDays: Double?
    /// (model - published) / published, in percent.
    public var errorPercent: Double?
    public var sources: [String]
}

public enum Calibration {
    /// Routes every observation on its own date, within its corridor, by least time.
    public static func compare(_ ds: Dataset) -> [CalibrationRow] {
        var engines: [Day: RouteEngine] = [:]
        return ds.observations.map { o in
            let engine = engines[o.date] ?? RouteEngine(dataset: ds, day: o.date)
            engines[o.date] = engine
            var row = CalibrationRow(id: o.id, origin: o.origin, destination: o.destination, corridor: o.corridor, date: o.date,
                                     publishedDays: o.transitDays, modelDays: nil, errorPercent: nil, sources: o.sources)
            guard let a = ds.placeIndex[o.origin], let b = ds.placeIndex[o.destination] else { return row }
            let cargo = Cargo(unit: .teu)
            var costs = engine.edgeCosts(cargo: cargo, weights: .defaults(ds.parameters))
            costs.generalised = costs.days
            var ws = DijkstraWorkspace(nodeCount: engine.network.stateCount)
            let corridor = o.corridor == "any" ? nil : o.corridor
            if let r = engine.best(from: a, to: b, costs: costs, cargo: cargo, weights: .defaults(ds.parameters), corridor: corridor, workspace: &ws) {
                row.modelDays = r.totals.days
                row.errorPercent = (r.totals.days - o.transitDays) / o.transitDays * 100
            }
            return row
        }
    }

    /// Median of absolute errors in percent over the routed observations.
    public static func medianAbsoluteError(_ rows: [CalibrationRow]) -> Double? {
        let e = rows.compactMap(\.errorPercent).map(abs).sorted()
        guard !e.isEmpty else { return nil }
        return e.count % 2 == 1 ? e[e.count / 2] : (e[e.count / 2 - 1] + e[e.count / 2]) / 2
    }
}

/// A general parameter that calibration may change, within bounds.
public struct CalibrationKnob: Sendable, Hashable {
    public enum Target: Sendable, Hashable { case parameter(String), classSpeed(String) }
    public var target: Target
    public var lower: Double
    public var upper: Double
    public init(_ target: Target, lower: Double, upper: Double) { self.target = target; self.lower = lower; self.upper = upper }
    public var name: String {
        switch target { case .parameter(let k): return k; case .classSpeed(let c): return "speed_kmh[\(c)]" }
    }
    func value(in ds: Dataset) -> Double {
        switch target {
        case .parameter(let k): return ds.parameters[k]
        case .classSpeed(let c): return ds.linkClass(c)?.speedKmh ?? 0
        }
    }
    func apply(_ v: Double, to ds: inout Dataset) {
        switch target {
        case .parameter(let k): ds.parameters.values[k] = v
        case .classSpeed(let c): if let i = ds.classIndex[c] { ds.linkClasses[i].speedKmh = v }
        }
    }
}

public struct CalibrationFit: Sendable {
    public var knobs: [CalibrationKnob]
    public var initial: [Double]
    public var fitted: [Double]
    public var before: [CalibrationRow]
    public var after: [CalibrationRow]
    public var evaluations: Int
}

extension Calibration {
    /// Mean absolute log error of the routed observations, each capped at log(1.5) so
    /// that the few observations defined differently from the model (e.g. a ferry's
    /// crossing time without the wait for a sailing) cannot dominate the fit.
    static func objective(_ rows: [CalibrationRow]) -> Double {
        let cap = log(1.5)
        let e = rows.compactMap { r in r.modelDays.map { min(cap, abs(log($0 / r.publishedDays))) } }
        guard !e.isEmpty else { return .infinity }
        return e.reduce(0, +) / Double(e.count)
    }

    /// Coordinate search over general parameters, each on a geometric grid within its
    /// bounds, repeated until no single change improves the objective. Deterministic.
    public static func fit(_ dataset: Dataset, knobs: [CalibrationKnob], rounds: Int = 6, steps: Int = 24) -> CalibrationFit {
        var ds = dataset
        let initial = knobs.map { $0.value(in: ds) }
        let before = compare(ds)
        var best = objective(before)
        var evaluations = 1
        for _ in 0..<rounds {
            var improved = false
            for k in knobs {
                let current = k.value(in: ds)
                var bestValue = current
                for i in 0...steps {
                    let v = k.lower * pow(k.upper / max(k.lower, 1e-9), Double(i) / Double(steps))
                    var trial = ds
                    k.apply(v, to: &trial)
                    let o = objective(compare(trial))
                    evaluations += 1
                    if o < best - 1e-12 { best = o; bestValue = v; improved = true }
                }
                k.apply(bestValue, to: &ds)
            }
            if !improved { break }
        }
        return CalibrationFit(knobs: knobs, initial: initial, fitted: knobs.map { $0.value(in: ds) }, before: before, after: compare(ds),
                              evaluations: evaluations)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
