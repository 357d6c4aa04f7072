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
