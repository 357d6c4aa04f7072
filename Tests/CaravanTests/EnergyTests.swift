import Testing
import Foundation
import CaravanModel
import CaravanFormats
@testable import CaravanEngine

/// A random feasible, bounded LP: rows built around a non-negative point x0.
func randomLP(seed: UInt64) -> LinearProgram {
    var rng = SplitMix64(seed: seed)
    let n = Int.random(in: 2...7, using: &rng)
    var lp = LinearProgram(variableCount: n)
    lp.objective = (0..<n).map { _ in Double(Int.random(in: -9...9, using: &rng)) }
    let x0 = (0..<n).map { _ in Bool.random(using: &rng) ? 0 : Double(Int.random(in: 0...5, using: &rng)) }
    for _ in 0..<Int.random(in: 1...5, using: &rng) {
        let terms = (0..<n).compactMap { j -> (variable: Int, coefficient: Double)? in Int.random(in: 0..<3, using: &rng) == 0 ? nil : (j, Double(Int.random(in: -4...4, using: &rng))) }
        let ax = terms.reduce(0) { $0 + $1.coefficient * x0[$1.variable] }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: lp.rows.append(.init(terms, .equal, ax))
        case 1: lp.rows.append(.init(terms, .lessOrEqual, ax + Double(Int.random(in: 0...3, using: &rng))))
        default: lp.rows.append(.init(terms, .greaterOrEqual, ax - Double(Int.random(in: 0...3, using: &rng))))
        }
    }
    for j in 0..<n { lp.rows.append(.init([(j, 1)], .lessOrEqual, 10)) }   // bounded
    return lp
}

/// Checks an optimality certificate: primal feasibility, dual sign and reduced-cost conditions, equal objectives.
func certify(_ lp: LinearProgram, _ s: LinearProgram.Solution, tol: Double = 1e-7) -> String? {
    guard s.status == .optimal else { return "status \(s.status)" }
    for (i, r) in lp.rows.enumerated() {
        let ax = r.terms.reduce(0) { $0 + $1.coefficient * s.x[$1.variable] }
        switch r.relation {
        case .equal: if abs(ax - r.rhs) > tol * max(1, abs(r.rhs)) { return "row \(i) = violated" }
        case .lessOrEqual: if ax > r.rhs + tol * max(1, abs(r.rhs)) { return "row \(i) <= violated" }; if s.duals[i] > tol { return "row \(i) dual sign" }
        case .greaterOrEqual: if ax < r.rhs - tol * max(1, abs(r.rhs)) { return "row \(i) >= violated" }; if s.duals[i] < -tol { return "row \(i) dual sign" }
        }
    }
    if s.x.contains(where: { $0 < -tol }) { return "negative variable" }
    var reduced = lp.objective
    for (i, r) in lp.rows.enumerated() { for (j, a) in r.terms { reduced[j] -= s.duals[i] * a } }
    if let j = reduced.indices.first(where: { reduced[$0] < -tol }) { return "reduced cost of x\(j) is \(reduced[j])" }
    let dualObjective = lp.rows.enumerated().reduce(0) { $0 + s.duals[$1.offset] * $1.element.rhs }
    if abs(dualObjective - s.objective) > tol * max(1, abs(s.objective)) { return "duality gap \(s.objective) vs \(dualObjective)" }
    return nil
}

@Suite("Linear programs")
struct LinearProgramTests {
    @Test("Random feasible LPs: the solution carries an optimality certificate (primal, dual, equal objectives)")
    func certificates() {
        for seed in 0..<300 as Range<UInt64> {
            let lp = randomLP(seed: seed &* 2654435761 &+ 17)
            let s = lp.solve()
            #expect(certify(lp, s) == nil, "seed \(seed): \(certify(lp, s) ?? "")")
        }
    }

    @Test("Infeasible and unbounded programs are reported as such")
    func statuses() {
        var infeasible = LinearProgram(variableCount: 2)
        infeasible.rows = [.init([(0, 1), (1, 1)], .equal, -1)]
        #expect(infeasible.solve().status == .infeasible)
        var unbounded = LinearProgram(variableCount: 2)
        unbounded.objective = [-1, 0]
        unbounded.rows = [.init([(1, 1)], .lessOrEqual, 3)]
        #expect(unbounded.solve().status == .unbounded)
    }
}

/// A random energy network: places p0..p5, random assets (some lossy, some both ways), supplies and demands.
func randomEnergy(seed: UInt64) -> EnergyData {
    var rng = SplitMix64(seed: seed)
    var d = EnergyData()
    d.parameters = ["crude_bbl_per_t": 7.33, "gas_mwh_per_mcm": 10.7, "usd_per_eur": 1.08, "price_crude_oil_usd_per_bbl": 80,
                    "price_natural_gas_eur_per_mwh": 34, "price_electricity_eur_per_mwh": 100]
    for i in 0..<6 { d.places.append(EnergyPlace(id: "p\(i)", name: "P\(i)", country: "AZ", kind: "junction", lat: Double(i), lon: Double(i * i % 5))) }
    for k in 0..<Int.random(in: 4...9, using: &rng) {
        let a = Int.random(in: 0..<6, using: &rng); var b = Int.random(in: 0..<5, using: &rng); if b >= a { b += 1 }
        let via = Bool.random(using: &rng) ? ["p\((a + b) % 6)"].filter { $0 != "p\(a)" && $0 != "p\(b)" } : []
        d.assets.append(EnergyAsset(id: "a\(k)", name: "A\(k)", commodity: .naturalGas, from: "p\(a)", to: "p\(b)", via: via,
                                    capacity: Double(Int.random(in: 1...20, using: &rng)), capacityUnit: .bcmPerYear,
                                    lossFraction: Bool.random(using: &rng) ? Double(Int.random(in: 1...5, using: &rng)) / 100 : 0,
                                    tariffUSD: Bool.random(using: &rng) ? Double(Int.random(in: 1...50, using: &rng)) * 1e6 : nil,
                                    bidirectional: Int.random(in: 0..<3, using: &rng) == 0))
    }
    for i in 0..<2 { d.supplies.append(EnergySupply(id: "s\(i)", name: "S\(i)", commodity: .naturalGas, place: "p\(Int.random(in: 0..<6, using: &rng))", year: 2024,
                                                    volume: Double(Int.random(in: 5...25, using: &rng)), unit: .bcmPerYear)) }
    for i in 0..<3 { d.demands.append(EnergyDemand(id: "d\(i)", name: "D\(i)", commodity: .naturalGas, place: "p\(Int.random(in: 0..<6, using: &rng))", year: 2024,
                                                   volume: Double(Int.random(in: 2...15, using: &rng)), unit: .bcmPerYear,
                                                   price: Double(Int.random(in: 20...60, using: &rng)), priceUnit: "eur_per_mwh")) }
    return d
}

@Suite("Energy flows")
struct EnergyFlowTests {
    static let day = Day(iso: "2024-07-01")!

    @Test("Random energy networks: flows respect capacities and balances; the LP optimum is certified")
    func randomNetworks() {
        for seed in 0..<150 as Range<UInt64> {
            let data = randomEnergy(seed: seed &* 97 &+ 1)
            let model = EnergyFlowModel(data: data, day: Self.day, year: 2024)
            let p = model.problem(.naturalGas)
            let s = p.lp.solve()
            #expect(certify(p.lp, s, tol: 1e-6) == nil, "seed \(seed): \(certify(p.lp, s, tol: 1e-6) ?? "")")
            let report = model.solve()
            for a in report.assets { if let c = a.capacity { #expect(max(a.flow, a.reverseFlow) <= c * (1 + 1e-9) + 1e-9, "seed \(seed) \(a.id)") } }
            for m in report.markets { #expect(m.served <= (m.demand ?? .infinity) * (1 + 1e-9) + 1e-9) }
            // Delivered never exceeds supplied (losses only remove gas).
            if let g = report.commodities.first { #expect(g.delivered <= g.supplied * (1 + 1e-9) + 1e-9, "seed \(seed)") }
        }
    }

    @Test("Bundled 2024 gas with TAP at its firm 10 bcm/yr: TAP binds and one more bcm of it is worth the Italian gas price; the SGC expansion relieves it")
    func bundledTAP() throws {
        var data = bundled.energy
        data.capacitySteps.removeAll { $0.asset == "tap" && $0.capacity == 12 }   // the short-term products of 2022-2025
        data.capacitySteps = data.capacitySteps.map { s in
            var s = s
            if s.asset == "tap" && s.capacity == 10 { s.validity.to = Day(iso: "2026-01-01") }
            return s
        }
        let model = EnergyFlowModel(data: data, day: Self.day, year: 2024, places: bundled.places)
        let r = model.solve()
        let tap = try #require(r.assets.first { $0.id == "tap" })
        #expect(tap.binding && abs(tap.flow - 10) < 1e-6)
        // One more bcm through TAP serves one more bcm of Italy's unmet demand, valued at Italy's sourced price.
        let italy = try #require(r.markets.first { $0.id == "it-gas-tap" })
        #expect(italy.unmet > 0)
        #expect(abs(tap.marginalValueUSD - italy.valueUSDPerUnit) <= 1e-6 * tap.marginalValueUSD)
        let sgc = try ScenarioReader.load("sgc-expansion", datasetFolder: bundledFolder, dataset: bundled)
        var firm = bundled
        firm.energy = data
        let (expanded, _) = ScenarioApplier.apply([sgc], to: firm, on: Self.day)
        let r2 = EnergyFlowModel(data: expanded.energy, day: Self.day, year: 2024, places: bundled.places).solve()
        #expect(r2.assets.first { $0.id == "tap" }?.binding == false)
        let served = { (rep: EnergyFlowReport) in rep.markets.filter { $0.commodity == .naturalGas }.reduce(0) { $0 + $1.served } }
        #expect(served(r2) > served(r))
    }

    @Test("Dates: BTC carries no oil before its first oil (2006-05-28); a BTC outage scenario closes it")
    func datesAndOutage() throws {
        let early = EnergyFlowModel(data: bundled.energy, day: Day(iso: "2005-01-01")!, year: 2024, places: bundled.places).solve()
        #expect(early.assets.first { $0.id == "btc" } == nil)
        #expect(early.unavailable["btc"] != nil)
        let outage = try ScenarioReader.load("btc-outage", datasetFolder: bundledFolder, dataset: bundled)
        let (closed, _) = ScenarioApplier.apply([outage], to: bundled, on: Self.day)
        let r = EnergyFlowModel(data: closed.energy, day: Self.day, year: 2024, places: bundled.places).solve()
        #expect(r.assets.first { $0.id == "btc" } == nil)
        #expect(r.unavailable["btc"] != nil)
    }
}

/// In the serialized data-check suite: it shares the Python tools venv.
extension DataChecksTests {
    @Test("HiGHS (scipy) finds the same optimum on the bundled case and on random energy networks")
    func againstHiGHS() throws {
        var problems: [[String: Any]] = []
        for c in Commodity.allCases {
            let p = EnergyFlowModel(data: bundled.energy, day: EnergyFlowTests.day, year: 2024, places: bundled.places).problem(c)
            if !p.variables.isEmpty { problems.append(p.lp.jsonObject(name: "bundled-2024-\(c.rawValue)")) }
        }
        for seed in 0..<40 as Range<UInt64> {
            problems.append(EnergyFlowModel(data: randomEnergy(seed: seed &* 97 &+ 1), day: EnergyFlowTests.day, year: 2024).problem(.naturalGas).lp.jsonObject(name: "random-\(seed)"))
        }
        for seed in 0..<40 as Range<UInt64> { problems.append(randomLP(seed: seed &* 2654435761 &+ 17).jsonObject(name: "lp-\(seed)")) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-lp-\(getpid()).json").path
        try JSONSerialization.data(withJSONObject: ["problems": problems]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, out) = try PythonTools.shell([try PythonTools.python(), "tools/check_energy_lp.py", path])
        #expect(status == 0, "\(out)")
        #expect(out.contains("\(problems.count) of \(problems.count) agree"), "\(out)")
    }
}

@Suite("Energy history")
struct EnergyHistoryTests {
    @Test("each published volume is set beside the model quantity it names, solved for its whole year")
    func rowsMatchTheirModelQuantities() throws {
        let rows = EnergyHistory.compare(bundled, years: 2024...2024)
        try #require(rows.count >= 3)
        var model = EnergyFlowModel(data: bundled.energy, day: Day(iso: "2024-07-01")!, year: 2024, places: bundled.places)
        model.wholeYear = true
        let report = model.solve()
        for r in rows {
            let expected: Double
            if r.what == "eu" {
                let members = Set(bundled.memberships.filter { $0.org == "EU" && $0.role == .member && $0.validity.contains(Day(iso: "2024-07-01")!) }.map(\.country))
                expected = report.markets.filter { m in
                    m.commodity == r.commodity && (bundled.place(m.place)?.country ?? bundled.energy.place(m.place)?.country).map(members.contains) == true
                }.reduce(0) { $0 + $1.served }
            } else if r.what.hasPrefix("market:") {
                expected = report.markets.filter { $0.place == String(r.what.dropFirst(7)) && $0.commodity == r.commodity }.reduce(0) { $0 + $1.served }
            } else if r.what.hasPrefix("supply:") {
                expected = report.supplies.filter { "supply:" + $0.id == r.what }.reduce(0) { $0 + $1.used }
            } else {
                expected = try #require(report.assets.first { "asset:" + $0.id == r.what }).flow
            }
            #expect(abs(r.modelled - expected) < 1e-9, "\(r.what)")
            // The latest supply row of the commodity at or before 2024 (power's is 2023's).
            let latest = bundled.energy.supplies.filter { $0.commodity == r.commodity && $0.role == .model && $0.year <= 2024 }.map(\.year).max()
            #expect(r.suppliesOf == latest && latest != nil)
        }
        // Before the first supply row nothing can flow, and the row says so.
        let early = try #require(EnergyHistory.compare(bundled, commodity: .crudeOil, years: 2006...2006).first)
        #expect(early.suppliesOf == nil && early.modelled == 0 && early.errorPercent == -100)
    }

    @Test("supplies and demands the model routes must sit where an asset of their commodity passes; the bundled data has none stranded")
    func strandedRows() {
        var data = EnergyData()
        data.assets = [EnergyAsset(id: "fa", name: "f-a", commodity: .naturalGas, from: "f", to: "a", via: ["m"], capacity: 1, capacityUnit: .bcmPerYear)]
        data.supplies = [EnergySupply(id: "ok", name: "", commodity: .naturalGas, place: "f", year: 2024, volume: 1, unit: .bcmPerYear),
                         EnergySupply(id: "far", name: "", commodity: .naturalGas, place: "z", year: 2024, volume: 1, unit: .bcmPerYear),
                         EnergySupply(id: "power", name: "", commodity: .electricity, place: "f", year: 2024, volume: 1, unit: .gw),
                         EnergySupply(id: "context", name: "", commodity: .naturalGas, place: "z", year: 2024, volume: 1, unit: .bcmPerYear, role: .reference)]
        data.demands = [EnergyDemand(id: "mid", name: "", commodity: .naturalGas, place: "m", year: 2024, volume: 1, unit: .bcmPerYear),
                        EnergyDemand(id: "lost", name: "", commodity: .naturalGas, place: "q", year: 2024, volume: 1, unit: .bcmPerYear)]
        #expect(data.strandedModelRows == ["far at z", "lost at q", "power at f"])
        #expect(bundled.energy.strandedModelRows.isEmpty)
    }

    @Test("a whole year: a line opened in August counts with its capacity times the share of the year in service")
    func wholeYearCapacity() throws {
        var model = EnergyFlowModel(data: bundled.energy, day: Day(iso: "2025-07-01")!, year: 2025, places: bundled.places)
        let kilis = try #require(bundled.energy.assets.first { $0.id == "kilis-aleppo" })
        #expect(model.unavailability(kilis) != nil)                    // opens 2025-08-02, after 1 July
        model.wholeYear = true
        #expect(model.unavailability(kilis) == nil)
        let full = try #require(model.capacity(kilis, on: Day(iso: "2025-12-01")!))
        #expect(abs(try #require(model.capacity(kilis)) - full * 152 / 365) < 1e-12)   // 2 Aug to 31 Dec
        var before = EnergyFlowModel(data: bundled.energy, day: Day(iso: "2024-07-01")!, year: 2024, places: bundled.places)
        before.wholeYear = true
        #expect(before.unavailability(kilis) != nil)
    }

    @Test("contract basis: contracts replace their buyers' demand rows, the take-or-pay part is served first, open markets stay open")
    func contractBasis() throws {
        var data = EnergyData()
        for key in EnergyData.parameterKeys.map(\.key) { data.parameters[key] = 1 }
        data.parameters["gas_mwh_per_mcm"] = 10.7
        data.places = [EnergyPlace(id: "f", name: "field", country: "AZ", kind: "field", lat: 40, lon: 50),
                       EnergyPlace(id: "a", name: "A", country: "GE", kind: "market", lat: 41, lon: 45),
                       EnergyPlace(id: "b", name: "B", country: "TR", kind: "market", lat: 40, lon: 40)]
        data.assets = [EnergyAsset(id: "fa", name: "f-a", commodity: .naturalGas, from: "f", to: "a", capacity: 10, capacityUnit: .bcmPerYear),
                       EnergyAsset(id: "fb", name: "f-b", commodity: .naturalGas, from: "f", to: "b", capacity: 10, capacityUnit: .bcmPerYear)]
        data.supplies = [EnergySupply(id: "s", name: "s", commodity: .naturalGas, place: "f", year: 2024, volume: 5, unit: .bcmPerYear)]
        // Published basis: B pays more, so it takes the short supply first.
        data.demands = [EnergyDemand(id: "da", name: "A", commodity: .naturalGas, place: "a", year: 2024, volume: 4, unit: .bcmPerYear, price: 100, priceUnit: "usd_per_mcm"),
                        EnergyDemand(id: "db", name: "B", commodity: .naturalGas, place: "b", year: 2024, volume: 4, unit: .bcmPerYear, price: 300, priceUnit: "usd_per_mcm")]
        // A's contract: 3 bcm/yr, two thirds take-or-pay, served before B's higher price.
        data.contracts = [EnergyContract(id: "ka", name: "A contract", commodity: .naturalGas, seller: "s", buyer: "a", volume: 3, unit: .bcmPerYear,
                                         minShare: 2.0 / 3, validity: .always)]
        let day = Day(iso: "2024-07-01")!
        let published = EnergyFlowModel(data: data, day: day, year: 2024).solve()
        #expect(abs((published.markets.first { $0.id == "db" }?.served ?? 0) - 4) < 1e-9)
        var model = EnergyFlowModel(data: data, day: day, year: 2024)
        model.basis = .contracts
        let r = model.solve()
        let a = try #require(r.markets.first { $0.place == "a" })
        #expect(a.id == "ka" && a.demand == 3)                                   // the contract replaced A's row
        #expect(abs(a.served - 2) < 1e-9)                                        // its take-or-pay part first, the rest to B's price
        #expect(abs((r.markets.first { $0.id == "db" }?.served ?? 0) - 3) < 1e-9)
        #expect(r.markets.count == 2)
    }

    @Test("a bad energy-contracts.csv row names its line and the fix")
    func badContracts() throws {
        try expectRowErrors("energy/energy-contracts.csv", [("k1,x,natural_gas,az-gas-exports,market-zz,1,bcm_per_year,,2024-01-01,,en-nefterynok-2024,", "unknown place 'market-zz'"),
                             ("k2,x,natural_gas,nobody,market-it,1,bcm_per_year,,2024-01-01,,en-nefterynok-2024,", "unknown seller 'nobody'"),
                             ("k3,x,natural_gas,az-gas-exports,market-it,1,bcm_per_year,1.5,2024-01-01,,en-nefterynok-2024,", "min_share"),
                             ("k4,x,natural_gas,az-gas-exports,market-it,1,mt_per_year,,2024-01-01,,en-nefterynok-2024,", "not a unit of natural_gas")])
    }

    @Test("supply:ID compares a published export total with what the modelled demands draw from it")
    func supplyObservation() throws {
        let rows = EnergyHistory.compare(bundled, commodity: .electricity, years: 2022...2022)
        let total = try #require(rows.first { $0.what == "supply:az-power-exports" })
        #expect(total.published > 0 && total.modelled > 0)
        // 2022's partner demands split the published total, so the total is an input, not a check.
        #expect(!total.independent)
        // The row is the model's own quantity: what the year's solution draws from that supply.
        var model = EnergyFlowModel(data: bundled.energy, day: Day(iso: "2022-07-01")!, year: 2022, places: bundled.places)
        model.wholeYear = true
        let report = model.solve()
        let drawn = report.supplies.filter { $0.id == "az-power-exports" }.reduce(0) { $0 + $1.used }
        #expect(abs(total.modelled - drawn) < 1e-9)
        // Before the 2030s the exports are the only power supply and the lines have no losses,
        // so the total drawn is what the partner markets are served, each of them carried.
        let power = report.markets.filter { $0.commodity == .electricity }
        #expect(abs(power.reduce(0) { $0 + $1.served } - drawn) < 1e-9)
        for partner in ["market-ge-power", "market-tr-power", "market-ru-power", "market-ir-power"] {
            #expect(power.filter { $0.place == partner }.reduce(0) { $0 + $1.served } > 0, "\(partner) is served in 2022")
        }
    }

    @Test("check: a published figure that a used supply or demand row cites is an input; one from another series is an independent check")
    func independentChecks() throws {
        let rows = EnergyHistory.compare(bundled)
        for r in rows {
            guard r.what.hasPrefix("market:") else { continue }
            let place = String(r.what.dropFirst(7))
            // A market's published offtake that its own demand row cites: the model was told it.
            var model = EnergyFlowModel(data: bundled.energy, day: Day(year: r.year, month: 7, day: 1)!, year: r.year, places: bundled.places)
            model.wholeYear = true
            let cited = Set(model.rows(bundled.energy.demands.filter { $0.place == place && $0.role == .model }, id: \.id, year: \.year).flatMap(\.sources))
            #expect(r.independent == cited.isDisjoint(with: Set(r.sources).subtracting(bundled.estimateSourceIDs)), "\(r.year) \(r.what)")
        }
        // Assets are measured, never stated as inputs; 2019's power total comes from customs while the partner rows come from ESCO and the ministry.
        #expect(rows.filter { $0.what.hasPrefix("asset:") }.allSatisfy { $0.independent })
        let total2019 = try #require(rows.first { $0.year == 2019 && $0.what == "supply:az-power-exports" })
        let total2023 = try #require(rows.first { $0.year == 2023 && $0.what == "supply:az-power-exports" })
        #expect(total2019.independent)
        #expect(!total2023.independent)   // the cap binds at the published figure
    }

    @Test("a bad energy-observed.csv row names its line and the fix")
    func badRows() throws {
        try expectRowErrors("energy/energy-observed.csv", [("2024,natural_gas,asset:bogus,1,bcm_per_year,en-nefterynok-2024,", "unknown asset 'bogus'"),
                             ("2024,natural_gas,asset:btc,1,bcm_per_year,en-nefterynok-2024,", "carries crude_oil"),
                             ("2024,natural_gas,country:AZ,1,bcm_per_year,en-nefterynok-2024,", "not eu, market:PLACE, asset:ID or supply:ID"),
                             ("2024,natural_gas,supply:az-power-exports,1,bcm_per_year,en-nefterynok-2024,", "unknown natural_gas supply 'az-power-exports'"),
                             ("2024,crude_oil,eu,1,bcm_per_year,en-nefterynok-2024,", "not a unit of crude_oil")])
    }
}
