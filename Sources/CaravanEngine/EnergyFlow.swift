import Foundation
import CaravanModel

/// Flow of one energy asset in the solution.
public struct EnergyAssetFlow: Sendable, Codable {
    /// The asset's id (energy-assets.csv).
    public var id: String
    /// The asset's name.
    public var name: String
    /// Commodity the asset carries.
    public var commodity: Commodity
    /// Unit of flows and capacity: Mt/yr, bcm/yr or GW.
    public var unit: String
    /// First place of the asset's route.
    public var from: String
    /// Last place of the asset's route.
    public var to: String
    /// The asset's status in the data.
    public var status: EnergyStatus
    /// Capacity on the date in the commodity's unit; nil = not limited.
    public var capacity: Double?
    /// Largest flow over the asset's segments, forward and backward.
    public var flow: Double
    /// Largest backward flow over the asset's segments (0 for one-way assets).
    public var reverseFlow: Double
    /// Larger of forward and backward flow over capacity; nil when not capacity-limited.
    public var utilisation: Double?
    /// True when a segment is full and its capacity is worth more than a millionth of the reference price.
    public var binding: Bool
    /// USD per year gained by one more unit of capacity (0 when not binding).
    public var marginalValueUSD: Double
    /// Share of the flow lost along the asset, spread evenly over its segments.
    public var lossFraction: Double
}

/// Demand served and unmet at one market in the solution.
public struct EnergyMarketResult: Sendable, Codable {
    /// The demand row's id.
    public var id: String
    /// The market's name.
    public var name: String
    /// Commodity demanded.
    public var commodity: Commodity
    /// Place the market is attached to.
    public var place: String
    /// Year of the row used (the latest at or before the requested year); nil for open export markets.
    public var year: Int?
    /// nil = open export market.
    public var demand: Double?
    /// Volume served, in the commodity's unit.
    public var served: Double
    /// Demand not served, in the commodity's unit (0 for open export markets).
    public var unmet: Double
    /// Value of one unit served, USD: the market's sourced price, else the commodity's reference price.
    public var valueUSDPerUnit: Double
    /// Marginal value of one more unit delivered at the market's node (USD per unit).
    public var nodalValueUSD: Double
}

/// Supply available and used at one supply in the solution.
public struct EnergySupplyResult: Sendable, Codable {
    /// The supply row's id.
    public var id: String
    /// The supply's name.
    public var name: String
    /// Commodity supplied.
    public var commodity: Commodity
    /// Place where the supply enters the network.
    public var place: String
    /// Year of the row used (the latest at or before the requested year).
    public var year: Int
    /// Volume available, in the commodity's unit.
    public var available: Double
    /// Volume used in the solution, in the commodity's unit.
    public var used: Double
}

/// Totals of one commodity's linear program.
public struct EnergyCommoditySummary: Sendable, Codable {
    /// The commodity.
    public var commodity: Commodity
    /// Unit of its volumes: Mt/yr, bcm/yr or GW.
    public var unit: String
    /// Solver status of the commodity's linear program.
    public var status: LinearProgram.Status
    /// Value of served demand minus tariffs, USD per year.
    public var netValueUSD: Double
    /// Total supply used, in the commodity's unit.
    public var supplied: Double
    /// Total demand served, in the commodity's unit.
    public var delivered: Double
    /// Total demand not served, in the commodity's unit (open export markets count none).
    public var unmetDemand: Double
    /// Simplex pivots the solve took.
    public var pivots: Int
}

/// Least-cost (largest net value) energy flows on a date and year.
public struct EnergyFlowReport: Sendable, Codable {
    /// The as-of date of assets and capacities (yyyy-mm-dd).
    public var date: String
    /// The year of supply and demand.
    public var year: Int
    /// Names of the scenarios applied.
    public var scenarios: [String]
    /// One summary per commodity that has a problem to solve.
    public var commodities: [EnergyCommoditySummary]
    /// Flows of every asset in service.
    public var assets: [EnergyAssetFlow]
    /// Every market with its served and unmet demand.
    public var markets: [EnergyMarketResult]
    /// Every supply with its available and used volume.
    public var supplies: [EnergySupplyResult]
    /// Binding capacities, the most valuable first.
    public var bottlenecks: [EnergyAssetFlow]
    /// Assets in the data that cannot carry flow on the date, and why.
    public var unavailable: [String: String]
}

/// Builds and solves the energy flow problem of each commodity as a linear program:
/// maximise the value of served demand minus tariffs, subject to node balances (with
/// losses), asset capacities (shared by both directions), supply volumes and demands.
/// It is a min-cost flow with gains; duals give the marginal value of capacity.
public struct EnergyFlowModel: Sendable {
    /// The energy data: places, assets, capacity steps, supplies, demands and parameters.
    public let data: EnergyData
    /// The date that decides which assets and capacities are in force.
    public let day: Day
    /// The year of supply and demand (the latest row at or before it is used).
    public let year: Int

    /// What a market's demand is: its published offtake rows, or its contracts in force.
    public enum DemandBasis: String, Sendable, Codable, CaseIterable {
        /// The demand rows of energy-demand.csv (for past years, mostly the published offtake).
        case published
        /// At markets with contracts in force on the date, the contracts replace the demand rows:
        /// each contract's annual quantity is demand, its take-or-pay share served first.
        case contracts
    }
    /// The demand basis; `.published` unless set.
    public var basis: DemandBasis = .published

    /// Coordinates of the freight places, for distances (energy places carry their own).
    public let placeCoordinates: [String: (lat: Double, lon: Double)]

    /// Creates a model; `places` gives the coordinates of freight places that assets use.
    public init(data: EnergyData, day: Day, year: Int, places: [Place] = []) {
        self.data = data; self.day = day; self.year = year
        var c: [String: (lat: Double, lon: Double)] = [:]
        for p in places { c[p.id] = (p.lat, p.lon) }
        for p in data.places { c[p.id] = (p.lat, p.lon) }
        placeCoordinates = c
    }

    func coordinates(_ id: String) -> (lat: Double, lon: Double)? { placeCoordinates[id] }

    /// Annual volumes: an asset in service for part of the model's year counts with its capacity
    /// averaged over the whole year (0 on the days it is out of service), so a line opened in
    /// August carries five twelfths of a year's capacity. Off: assets and capacities of `day`.
    public var wholeYear = false

    /// The days of the model's year.
    var daysOfYear: [Day] {
        guard let first = Day(year: year, month: 1, day: 1), let next = Day(year: year + 1, month: 1, day: 1) else { return [day] }
        return (first.daysSinceEpoch..<next.daysSinceEpoch).map { Day(daysSinceEpoch: $0) }
    }

    /// Why an asset cannot be used on the date (with `wholeYear`: on any day of the year), or nil when it can.
    public func unavailability(_ a: EnergyAsset) -> String? {
        guard wholeYear else { return unavailability(a, on: day) }
        let days = daysOfYear
        return days.contains { unavailability(a, on: $0) == nil } ? nil : unavailability(a, on: days[days.count / 2])
    }

    /// Why an asset cannot be used on a given day, or nil when it can.
    public func unavailability(_ a: EnergyAsset, on day: Day) -> String? {
        if let from = a.validity.from, day < from { return "opens \(from)" }
        if let to = a.validity.to, day >= to { return a.status == .closed ? "closed since \(to)" : "ends \(to)" }
        switch a.status {
        case .open: return nil
        case .closed: return a.validity.to == nil ? "closed" : nil
        case .planned, .underConstruction: return a.validity.from == nil ? "\(a.status.rawValue), no date" : nil
        case .proposed: return "proposed (not decided; a scenario can open it)"
        }
    }

    /// Capacity on the date in the commodity's unit (a dated step wins); nil = not limited. With
    /// `wholeYear`, the mean over the year's days of the capacity in force (0 out of service).
    public func capacity(_ a: EnergyAsset) -> Double? {
        guard wholeYear else { return capacity(a, on: day) }
        var sum = 0.0
        let days = daysOfYear
        for d in days where unavailability(a, on: d) == nil {
            guard let c = capacity(a, on: d) else { return nil }
            sum += c
        }
        return sum / Double(days.count)
    }

    /// Capacity on a given day, in the commodity's unit; nil = not limited.
    public func capacity(_ a: EnergyAsset, on day: Day) -> Double? {
        if let step = data.capacitySteps.last(where: { $0.asset == a.id && $0.validity.contains(day) && EnergyFlowModel.applies($0) }) {
            return data.convert(step.capacity, step.unit)
        }
        return a.capacity.map { data.convert($0, a.capacityUnit ?? .bcmPerYear) }
    }

    /// Whether a capacity step takes effect by its dates: proposed and undated plans do not.
    public static func applies(_ s: EnergyCapacityStep) -> Bool {
        s.status != .proposed && !(s.validity.from == nil && (s.status == .planned || s.status == .underConstruction))
    }

    /// The row of each id used for the year: the latest at or before it.
    func rows<T>(_ all: [T], id: (T) -> String, year y: (T) -> Int?) -> [T] {
        var best: [String: T] = [:], order: [String] = []
        for r in all {
            let k = id(r)
            guard let ry = y(r) else { if best[k] == nil { order.append(k) }; best[k] = r; continue }
            guard ry <= year else { continue }
            if let b = best[k], let by = y(b), by >= ry { continue }
            if best[k] == nil { order.append(k) }
            best[k] = r
        }
        return order.map { best[$0]! }
    }

    /// The contracts of the commodity that replace demand rows on the contract basis: in force on
    /// the date, at a buyer that is not an open market (a demand row without a volume stays open).
    public func contractsInForce(_ c: Commodity) -> [EnergyContract] {
        let demands = rows(data.demands.filter { $0.commodity == c && $0.role == .model }, id: \.id, year: \.year)
        let openMarkets = Set(demands.filter { $0.volume == nil }.map(\.place))
        return data.contracts.filter { $0.commodity == c && $0.validity.contains(day) && !openMarkets.contains($0.buyer) }
    }

    /// The linear program of one commodity, and what its variables and rows mean.
    public struct Problem: Sendable {
        /// The linear program: minimise tariffs (and the distance tie-break) minus the value of served demand, in million USD.
        public var lp: LinearProgram
        /// Per variable: what it is.
        public enum Variable: Sendable { case segment(asset: Int, segment: Int, reverse: Bool), supply(Int), demand(Int) }
        /// What each variable of the program is.
        public var variables: [Variable]
        /// Capacity rows: (row, asset, segment).
        public var capacityRows: [(row: Int, asset: Int, segment: Int)]
        /// Row of each place's balance constraint, by place id.
        public var nodeRows: [String: Int]
        /// The supply rows used for the year, indexed by the `.supply` variables.
        public var supplies: [EnergySupply]
        /// The demand rows used for the year, indexed by the `.demand` variables.
        public var demands: [EnergyDemand]
        /// Value of each demand, USD per unit (sourced price, else the reference price).
        public var demandValue: [Double]
        /// Take-or-pay volume of each demand (contracts), served before the rest; 0 for none.
        public var demandFloor: [Double] = []
        /// The variables of take-or-pay parts, and the priority (USD per unit) added to their value.
        public var floorVariables: Set<Int> = [], priority = 0.0
        /// Indices in `data.assets` of the commodity's assets in service on the date.
        public var assets: [Int]
        /// Capacity of each asset of `assets` (nil = not limited), as the program uses it.
        public var capacities: [Double?] = []
        /// Objective scale: the LP is in million USD.
        public static let scale = 1e6
    }

    /// Builds the linear program of one commodity for the model's date and year.
    public func problem(_ c: Commodity) -> Problem {
        let assetIdx = data.assets.indices.filter { data.assets[$0].commodity == c && unavailability(data.assets[$0]) == nil }
        // Computed once: with `wholeYear` each is a mean over the year's days.
        let capacities = assetIdx.map { capacity(data.assets[$0]) }
        let supplies = rows(data.supplies.filter { $0.commodity == c && $0.role == .model }, id: \.id, year: { $0.year })
        var demands = rows(data.demands.filter { $0.commodity == c && $0.role == .model }, id: \.id, year: \.year)
        var floors = [Double](repeating: 0, count: demands.count)
        if basis == .contracts {
            let inForce = contractsInForce(c)
            let buyers = Set(inForce.map(\.buyer))
            let priced = Dictionary(demands.filter { buyers.contains($0.place) && $0.price != nil }.map { ($0.place, $0) }, uniquingKeysWith: { a, _ in a })
            demands.removeAll { buyers.contains($0.place) }
            floors = [Double](repeating: 0, count: demands.count)
            for k in inForce {
                let p = priced[k.buyer]
                demands.append(EnergyDemand(id: k.id, name: k.name, commodity: c, place: k.buyer, year: nil, volume: k.volume, unit: k.unit,
                                            price: p?.price, priceUnit: p?.priceUnit ?? "", role: .model, sources: k.sources, note: "contract"))
                floors.append((k.minShare ?? 0) * data.convert(k.volume, k.unit))
            }
        }
        var nodes: [String] = []
        var nodeIndex: [String: Int] = [:]
        func node(_ p: String) -> Int {
            if let i = nodeIndex[p] { return i }
            nodeIndex[p] = nodes.count; nodes.append(p); return nodes.count - 1
        }
        for i in assetIdx { for p in data.assets[i].places { _ = node(p) } }
        for s in supplies { _ = node(s.place) }
        for d in demands { _ = node(d.place) }
        var variables: [Problem.Variable] = []
        var cost: [Double] = []
        var balance = [[(Int, Double)]](repeating: [], count: nodes.count)
        var capacityRows: [(Int, Int, Int)] = []
        var upper: [(terms: [(Int, Double)], rhs: Double, capacity: (Int, Int)?)] = []
        // Without a sourced tariff, a nominal 1 USD per unit per 1,000 km breaks ties towards shorter
        // routes and keeps flows off pointless detours; it is far below any binding value.
        func km(_ a: String, _ b: String) -> Double {
            guard let p = coordinates(a), let q = coordinates(b) else { return 0 }
            return Geo.distanceKm(lat1: p.lat, lon1: p.lon, lat2: q.lat, lon2: q.lon)
        }
        for (n, i) in assetIdx.enumerated() {
            let a = data.assets[i], places = a.places, segments = places.count - 1
            let gain = segments > 0 ? pow(1 - a.lossFraction, 1 / Double(segments)) : 1
            let tariff = (a.tariffUSD ?? 0) / Problem.scale / Double(max(1, segments))
            let cap = capacities[n]
            for s in 0..<segments {
                var terms: [(Int, Double)] = []
                for reverse in a.bidirectional ? [false, true] : [false] {
                    let u = node(places[reverse ? s + 1 : s]), v = node(places[reverse ? s : s + 1])
                    let x = variables.count
                    variables.append(.segment(asset: i, segment: s, reverse: reverse)); cost.append(tariff + 1e-6 * km(places[s], places[s + 1]) / 1000)
                    balance[u].append((x, -1)); balance[v].append((x, gain))
                    terms.append((x, 1))
                }
                if let cap { upper.append((terms, cap, (i, s))) }
            }
        }
        for (k, s) in supplies.enumerated() {
            let x = variables.count
            variables.append(.supply(k)); cost.append(0)
            balance[node(s.place)].append((x, 1))
            upper.append(([(x, 1)], data.convert(s.volume, s.unit), nil))
        }
        let values = demands.map { d in d.price.flatMap { data.priceUSD($0, unit: d.priceUnit, commodity: c) } ?? data.referencePriceUSD(c) }
        // Take-or-pay parts are worth more than any market's price, so they are served first.
        let priority = (values.max() ?? 0) + data.referencePriceUSD(c)
        var floorVariables = Set<Int>()
        for (k, d) in demands.enumerated() {
            let value = values[k]
            let floor = floors[k]
            if floor > 0 {
                let x = variables.count
                floorVariables.insert(x)
                variables.append(.demand(k)); cost.append(-(value + priority) / Problem.scale)
                balance[node(d.place)].append((x, -1))
                upper.append(([(x, 1)], floor, nil))
            }
            let x = variables.count
            variables.append(.demand(k)); cost.append(-value / Problem.scale)
            balance[node(d.place)].append((x, -1))
            if let v = d.volume { upper.append(([(x, 1)], max(0, data.convert(v, d.unit) - floor), nil)) }
        }
        var lp = LinearProgram(variableCount: variables.count)
        lp.objective = cost
        var nodeRows: [String: Int] = [:]
        for (n, terms) in balance.enumerated() {
            nodeRows[nodes[n]] = lp.rows.count
            lp.rows.append(LinearProgram.Row(terms.map { (variable: $0.0, coefficient: $0.1) }, .equal, 0))
        }
        for u in upper {
            if let (a, s) = u.capacity { capacityRows.append((lp.rows.count, a, s)) }
            lp.rows.append(LinearProgram.Row(u.terms.map { (variable: $0.0, coefficient: $0.1) }, .lessOrEqual, u.rhs))
        }
        return Problem(lp: lp, variables: variables, capacityRows: capacityRows.map { (row: $0.0, asset: $0.1, segment: $0.2) }, nodeRows: nodeRows,
                       supplies: supplies, demands: demands, demandValue: values, demandFloor: floors,
                       floorVariables: floorVariables, priority: priority, assets: assetIdx, capacities: capacities)
    }

    /// Solves every commodity and reports flows, markets, supplies and bottlenecks.
    public func solve(scenarios: [String] = []) -> EnergyFlowReport {
        var summaries: [EnergyCommoditySummary] = [], assets: [EnergyAssetFlow] = [], markets: [EnergyMarketResult] = [], supplies: [EnergySupplyResult] = []
        var unavailable: [String: String] = [:]
        for a in data.assets { if let why = unavailability(a) { unavailable[a.id] = why } }
        for c in Commodity.allCases {
            let p = problem(c)
            guard !p.variables.isEmpty else { continue }
            let sol = p.lp.solve()
            var flowF: [Int: [Double]] = [:], flowR: [Int: [Double]] = [:]
            var supplied = 0.0, delivered = 0.0, unmet = 0.0
            var servedOf = [Double](repeating: 0, count: p.demands.count)
            for (j, v) in p.variables.enumerated() {
                switch v {
                case .segment(let a, let s, let reverse):
                    let n = data.assets[a].places.count - 1
                    if reverse { flowR[a, default: [Double](repeating: 0, count: n)][s] = sol.x[j] } else { flowF[a, default: [Double](repeating: 0, count: n)][s] = sol.x[j] }
                case .supply(let k):
                    let s = p.supplies[k]
                    supplied += sol.x[j]
                    supplies.append(EnergySupplyResult(id: s.id, name: s.name, commodity: c, place: s.place, year: s.year, available: data.convert(s.volume, s.unit), used: sol.x[j]))
                case .demand(let k):
                    servedOf[k] += sol.x[j]
                }
            }
            for (k, d) in p.demands.enumerated() {
                let volume = d.volume.map { data.convert($0, d.unit) }, served = servedOf[k]
                delivered += served; unmet += max(0, (volume ?? 0) - served)
                let nodal = -(sol.duals[p.nodeRows[d.place]!]) * EnergyFlowModel.Problem.scale
                markets.append(EnergyMarketResult(id: d.id, name: d.name, commodity: c, place: d.place, year: d.year, demand: volume, served: served,
                                                  unmet: max(0, (volume ?? 0) - served), valueUSDPerUnit: p.demandValue[k], nodalValueUSD: nodal))
            }
            var marginal: [Int: Double] = [:], binding: [Int: Bool] = [:]
            for (row, a, s) in p.capacityRows {
                let m = -sol.duals[row] * Problem.scale
                marginal[a, default: 0] += m > 1e-6 * data.referencePriceUSD(c) ? m : 0
                let used = (flowF[a]?[s] ?? 0) + (flowR[a]?[s] ?? 0)
                // Binding: full, with a value above the tie-breaking costs (a millionth of the commodity's price).
                if used >= p.lp.rows[row].rhs * (1 - 1e-9) - 1e-12 && m > 1e-6 * data.referencePriceUSD(c) { binding[a] = true }
            }
            for (n, a) in p.assets.enumerated() {
                let asset = data.assets[a], cap = p.capacities[n]
                let f = flowF[a]?.max() ?? 0, r = flowR[a]?.max() ?? 0
                assets.append(EnergyAssetFlow(id: asset.id, name: asset.name, commodity: c, unit: c.unit, from: asset.from, to: asset.to, status: asset.status,
                                              capacity: cap, flow: f, reverseFlow: r, utilisation: cap.map { $0 > 0 ? max(f, r) / $0 : 0 },
                                              binding: binding[a] ?? false, marginalValueUSD: marginal[a] ?? 0, lossFraction: asset.lossFraction))
            }
            // The take-or-pay priority orders the solution; it is not value delivered.
            let priorityPaid = p.floorVariables.reduce(0) { $0 + sol.x[$1] } * p.priority
            let net = sol.status == .optimal ? -sol.objective * Problem.scale - priorityPaid : .nan
            summaries.append(EnergyCommoditySummary(commodity: c, unit: c.unit, status: sol.status, netValueUSD: net, supplied: supplied, delivered: delivered,
                                                    unmetDemand: unmet, pivots: sol.pivots))
        }
        let bottlenecks = assets.filter(\.binding).sorted { ($0.marginalValueUSD, $0.id) > ($1.marginalValueUSD, $1.id) }
        return EnergyFlowReport(date: day.description, year: year, scenarios: scenarios, commodities: summaries, assets: assets, markets: markets,
                                supplies: supplies, bottlenecks: bottlenecks, unavailable: unavailable)
    }
}
