import CaravanModel

/// A published annual volume beside the model's for the same year.
public struct EnergyHistoryRow: Sendable, Codable {
    /// The year (supply and demand of that year; assets in service during it, capacities averaged over it).
    public var year: Int
    /// Commodity measured.
    public var commodity: Commodity
    /// What is measured: `eu`, `market:PLACE`, `asset:ID` or `supply:ID`.
    public var what: String
    /// Unit of `published` and `modelled` (the commodity's flow unit).
    public var unit: String
    /// The published volume, converted to `unit`.
    public var published: Double
    /// The model's volume.
    public var modelled: Double
    /// (modelled − published) / published, in percent (nil when published is 0).
    public var errorPercent: Double?
    /// The model's volume with the contract basis: markets with contracts in force demand their
    /// contracts (take-or-pay first) instead of their published offtake; nil when no contract of
    /// the commodity is in force that year (the basis would change nothing).
    public var modelledFromContracts: Double?
    /// (modelledFromContracts − published) / published, in percent.
    public var contractsErrorPercent: Double?
    /// Ids of the sources of the published volume.
    public var sources: [String]
    /// Year of the supply rows the model used (the latest at or before `year`: rows carry
    /// forward); nil when the commodity has no supply row that early, so nothing can flow.
    public var suppliesOf: Int?
    /// Whether the comparison tests the model: false when a supply or demand row the model used
    /// for this target that year cites one of the published figure's (non-estimate) sources, so the
    /// figure was an input and agreement shows only that the network could carry it.
    public var independent: Bool = true
}

/// Year-by-year comparison of the energy flow model with what was published to have flowed
/// (`energy-observed.csv`): each year is solved with that year's supplies and demands, every
/// asset in service during the year, and capacities averaged over the year.
public enum EnergyHistory {
    /// Rows for every observation of the commodity (all when nil) within the years (all when nil), by year.
    public static func compare(_ ds: Dataset, commodity: Commodity? = nil, years: ClosedRange<Int>? = nil, scenarios: [String] = []) -> [EnergyHistoryRow] {
        let obs = ds.energy.observations.filter { o in commodity.map { o.commodity == $0 } ?? true && years.map { $0.contains(o.year) } ?? true }
        var rows: [EnergyHistoryRow] = []
        for year in Set(obs.map(\.year)).sorted() {
            guard let day = Day(year: year, month: 7, day: 1) else { continue }
            // A year's volume: assets in service for part of the year count with their capacity
            // averaged over it (a line opened in August carries five twelfths of its capacity).
            var model = EnergyFlowModel(data: ds.energy, day: day, year: year, places: ds.places)
            model.wholeYear = true
            let report = model.solve(scenarios: scenarios)
            var contractModel = model
            contractModel.basis = .contracts
            // The contract basis changes only commodities with a contract that replaces demand.
            let contractCommodities = Set(Commodity.allCases.filter { !contractModel.contractsInForce($0).isEmpty })
            let fromContracts = contractCommodities.isEmpty ? nil : contractModel.solve(scenarios: scenarios)
            func measure(_ o: EnergyObservation, in report: EnergyFlowReport) -> (Double, String) {
                switch o.target {
                case .euMembers:
                    return (servedAtEUMembers(report, ds, o.commodity), "eu")
                case .market(let place):
                    return (report.markets.filter { $0.commodity == o.commodity && $0.place == place }.reduce(0) { $0 + $1.served }, "market:\(place)")
                case .asset(let id):
                    return (report.assets.first { $0.id == id }?.flow ?? 0, "asset:\(id)")
                case .supply(let id):
                    return (report.supplies.filter { $0.id == id }.reduce(0) { $0 + $1.used }, "supply:\(id)")
                }
            }
            let estimates = ds.estimateSourceIDs
            func inputSources(_ o: EnergyObservation) -> Set<String> {
                let demands = model.rows(ds.energy.demands.filter { $0.commodity == o.commodity && $0.role == .model }, id: \.id, year: \.year)
                switch o.target {
                case .market(let place): return Set(demands.filter { $0.place == place }.flatMap(\.sources))
                case .euMembers:
                    let eu = Set(ds.memberships.filter { $0.org == "EU" && $0.role == .member && $0.validity.contains(day) }.map(\.country))
                    return Set(demands.filter { (ds.place($0.place)?.country ?? ds.energy.place($0.place)?.country).map(eu.contains) == true }.flatMap(\.sources))
                // The supply row caps the total and the demands draw it: an input when the demands were
                // derived from it, or when the cap binds and the row states the published figure.
                case .supply(let id):
                    let binding = report.supplies.contains { $0.id == id && $0.available > 0 && $0.used >= $0.available * 0.999 }
                    let rows = binding ? ds.energy.supplies.filter { $0.id == id && $0.year == report.supplies.first { $0.id == id }?.year } : []
                    return Set(demands.flatMap(\.sources) + rows.flatMap(\.sources))
                case .asset: return []
                }
            }
            for o in obs where o.year == year {
                let (modelled, what) = measure(o, in: report)
                let published = ds.energy.convert(o.volume, o.unit)
                let suppliesOf = ds.energy.supplies.filter { $0.commodity == o.commodity && $0.role == .model && $0.year <= year }.map(\.year).max()
                var row = EnergyHistoryRow(year: year, commodity: o.commodity, what: what, unit: o.commodity.unit, published: published, modelled: modelled,
                                           errorPercent: published > 0 ? (modelled - published) / published * 100 : nil, sources: o.sources,
                                           suppliesOf: suppliesOf)
                row.independent = inputSources(o).isDisjoint(with: Set(o.sources).subtracting(estimates))
                if let fromContracts, contractCommodities.contains(o.commodity) {
                    let m = measure(o, in: fromContracts).0
                    row.modelledFromContracts = m
                    row.contractsErrorPercent = published > 0 ? (m - published) / published * 100 : nil
                }
                rows.append(row)
            }
        }
        return rows
    }

    /// Demand of the commodity served at markets in EU member states on the report's date.
    public static func servedAtEUMembers(_ r: EnergyFlowReport, _ ds: Dataset, _ c: Commodity) -> Double {
        guard let day = Day(iso: r.date) else { return 0 }
        let members = Set(ds.memberships.filter { $0.org == "EU" && $0.role == .member && $0.validity.contains(day) }.map(\.country))
        func country(_ id: String) -> String? { ds.place(id)?.country ?? ds.energy.place(id)?.country }
        return r.markets.filter { $0.commodity == c && country($0.place).map(members.contains) == true }.reduce(0) { $0 + $1.served }
    }
}
