import Testing
import Foundation
import CaravanModel
import CaravanFormats
@testable import CaravanEngine

/// Two classes on a random network: class 1 is barred from some links and values time
/// differently (its fixed costs are scaled), both share the same delays.
func randomTwoClassProblem(seed: UInt64) -> AssignmentProblem {
    var p = randomAssignmentProblem(seed: seed, nodes: 6, extraLinks: 9)
    var rng = SplitMix64(seed: seed ^ 0xA5A5)
    let base = p.classes[0]
    var fixed = base.fixedCost.map { $0 * Double.random(in: 0.5...2, using: &rng) }
    // Bar a few non-ring links (the ring keeps every pair connected).
    for a in (2 * p.nodeCount)..<p.linkCount where Int.random(in: 0..<3, using: &rng) == 0 { fixed[a] = .infinity }
    let demand = base.demand.map { (origin: $0.origin, destination: $0.destination, amount: $0.amount * Double.random(in: 0.2...1, using: &rng)) }
    p.classes.append(DemandClass(name: "second", fixedCost: fixed, demand: demand))
    return p
}

@Suite("Freight assignment")
struct FreightAssignmentTests {
    @Test("Two classes: at equilibrium each class's used links lie on its shortest paths")
    func multiClassEquilibrium() {
        var checked = 0
        for seed in 0..<40 as Range<UInt64> {
            let problem = randomTwoClassProblem(seed: seed &* 6151 &+ 5)
            var solver = AssignmentSolver(problem)
            let result = solver.solve(.algorithmB, stop: AssignmentStop(gap: 1e-10, maxIterations: 2000))
            guard result.relativeGap <= 1e-9 else { continue }   // stalls are counted in AssignmentTests
            checked += 1
            // Class costs at the final flows.
            var volume = [Double](repeating: 0, count: problem.resources.count)
            for a in 0..<problem.linkCount where problem.resource[a] >= 0 { volume[Int(problem.resource[a])] += result.linkFlow[a] }
            let (g, origin) = CSRGraph.build(nodeCount: problem.nodeCount, tails: problem.tail, heads: problem.head)
            for (k, c) in problem.classes.enumerated() {
                let cost = (0..<problem.linkCount).map { a in
                    c.fixedCost[a] + (problem.resource[a] >= 0 ? problem.resources[Int(problem.resource[a])].delay(volume[Int(problem.resource[a])]) : 0)
                }
                #expect(cost.indices.allSatisfy { cost[$0].isFinite || result.classFlow[k][$0] == 0 }, "seed \(seed): flow on a barred link")
                for (oi, o) in solver.originNodes[k].enumerated() {
                    var ws = DijkstraWorkspace(nodeCount: problem.nodeCount)
                    ws.oneToAll(g, weights: origin.map { cost[Int($0)] }, source: Int(o))
                    let flows = solver.originFlows[k][oi]
                    let total = c.demand.filter { $0.origin == o }.reduce(0) { $0 + $1.amount }
                    for a in 0..<problem.linkCount where flows[a] > 1e-7 * total {
                        let reduced = ws.distance(Int(problem.tail[a])) + cost[a] - ws.distance(Int(problem.head[a]))
                        #expect(reduced <= 1e-6 * max(1, ws.distance(Int(problem.head[a]))), "seed \(seed) class \(k): a used link is \(reduced) above the shortest path")
                    }
                }
            }
        }
        #expect(checked >= 30, "only \(checked) of 40 instances converged")
    }
}

@Suite("Freight assignment on the bundled network")
struct BundledFreightTests {
    static let day = Day(iso: "2025-06-01")!
    static func model(_ rows: [(String, String, String, Double)], dataset: Dataset = bundled, scale: Double = 1) throws -> FreightAssignmentModel {
        let demand = rows.map { FreightDemand(origin: dataset.placeIndex[$0.0]!, destination: dataset.placeIndex[$0.1]!, freightClass: $0.2, amountPerYear: $0.3) }
        return try FreightAssignmentModel(network: CompiledNetwork(NetworkSnapshot(dataset: dataset, day: day)), demand: demand, scale: scale)
    }
    static func solve(_ m: FreightAssignmentModel) -> FreightAssignmentReport {
        var s = AssignmentSolver(m.problem)
        let r = s.solve(.algorithmB, stop: AssignmentStop(gap: 1e-9, maxIterations: 500))
        return FreightAssignmentReport(model: m, result: r, originFlows: s.originFlows, originNodes: s.originNodes, scale: 1, scenarios: [])
    }
    /// The Caspian ferry lines into Alat.
    static let caspian = ["aktau-alat-ferry", "kuryk-alat-ferry", "turkmenbashi-alat-ferry"]
    static let rows = [("xian", "duisburg", "container", 150_000.0), ("chongqing", "lodz", "container", 80_000), ("xian", "halkali", "container", 30_000),
                       ("almaty", "poti", "general", 2_000_000), ("duisburg", "xian", "container", 60_000)]

    @Test("Demand is conserved: corridor shares and class totals add up to the demand")
    func conservation() throws {
        let report = Self.solve(try Self.model(Self.rows))
        #expect(report.relativeGap <= 1e-9)
        let general = try #require(bundled.freightClasses.first { $0.id == "general" })
        let demandTEU = 150_000.0 + 80_000 + 30_000 + 60_000 + 2_000_000 / general.tonnesPerTEU(bundled.parameters)
        #expect(approxEqual(report.classes.reduce(0) { $0 + $1.assignedTEU }, demandTEU, 1e-9))
        #expect(approxEqual(report.corridors.reduce(0) { $0 + $1.teu }, demandTEU, 1e-6))
        #expect(report.unserved.isEmpty)
    }

    @Test("A class never uses a mode it is not allowed: general cargo takes no road link")
    func modesRespected() throws {
        let m = try Self.model(Self.rows)
        let report = Self.solve(m)
        for l in report.links where l.mode == "road" { #expect((l.byClass["general"] ?? 0) == 0, "general cargo on road link \(l.id)") }
        // The container class may not use deep-sea lines.
        for l in report.links where bundled.link(l.id)?.linkClass == "ocean-container" { #expect(l.forwardTEU + l.backwardTEU == 0) }
    }

    @Test("A class with corridors stays on their links: Xi'an-Baku containers on the Middle Corridor cross the Caspian instead of going round it through Russia")
    func corridorClass() throws {
        var ds = bundled
        var titr = FreightClass(id: "container-titr", name: "Middle Corridor", unit: .teu, modes: [.rail, .ferry], valueOfTimeUSDPerDay: 30)
        titr.corridors = ["middle-blacksea", "middle-turkiye"]
        ds.freightClasses.append(titr)
        let free = Self.solve(try Self.model([("xian", "baku", "container", 10_000)], dataset: ds))
        let held = Self.solve(try Self.model([("xian", "baku", "container-titr", 10_000)], dataset: ds))
        #expect(held.unserved.isEmpty && held.relativeGap <= 1e-9)
        let caspian = Self.caspian
        func onLinks(_ r: FreightAssignmentReport, _ ids: [String], _ c: String) -> Double { r.links.filter { ids.contains($0.id) }.reduce(0) { $0 + ($1.byClass[c] ?? 0) } }
        #expect(abs(onLinks(held, caspian, "container-titr") - 10_000) < 1e-6)
        // Every link it uses belongs to one of its corridors (or to all).
        for l in held.links where (l.byClass["container-titr"] ?? 0) > 0 {
            let link = try #require(ds.link(l.id))
            #expect(link.corridors.contains("middle-blacksea") || link.corridors.contains("middle-turkiye"), "\(l.id)")
        }
        // Without the restriction the same demand takes another route (round the Caspian by rail).
        #expect(onLinks(free, caspian, "container") < 10_000 - 1)
        try expectRowErrors("freight_classes.csv", [("zz,Z,teu,rail,,30,,,,c-est-vot-general,,,,,nowhere,", "unknown corridor 'nowhere'")])
    }

    @Test("The bundled Middle Corridor classes cross the Caspian; wagonload tonnes take a wagon's share of capacity (69 t over two TEU)")
    func middleCorridorRows() throws {
        let general = try #require(bundled.freightClasses.first { $0.id == "general" })
        #expect(general.tonnesPerTEU(bundled.parameters) == 34.5 && general.corridors == ["middle-blacksea", "middle-turkiye"])
        // Tonnage capacities convert at the same wagon load, so a line's tonnes and its trains a day agree.
        #expect(abs(CapacityUnit.tonnesPerYear.teuPerYear(3_450_000, bundled.parameters) - 100_000) < 1e-6)
        var tenTonnes = bundled.parameters
        tenTonnes.values[.capacityTonnesPerTEU] = nil
        #expect(abs(CapacityUnit.tonnesPerYear.teuPerYear(3_450_000, tenTonnes) - 345_000) < 1e-6, "without the parameter: teu_payload_t")
        let m = try Self.model([("astana", "poti", "general", 345_000), ("almaty", "baku", "container-mc", 8_800)])
        let r = Self.solve(m)
        #expect(r.unserved.isEmpty)
        // Only the TEU classes may use a container terminal's transfers.
        #expect(!m.containerTerminal.isEmpty)
        for a in m.containerTerminal { for c in m.problem.classes where c.name == "general" { #expect(c.fixedCost[a] == .infinity) } }
        let caspian = Self.caspian
        func across(_ c: String) -> Double { r.links.filter { caspian.contains($0.id) }.reduce(0) { $0 + ($1.byClass[c] ?? 0) } }
        #expect(abs(across("general") - 10_000) < 1e-6, "345,000 t at 34.5 t per TEU-equivalent")
        #expect(abs(across("container-mc") - 8_800) < 1e-6)
        #expect(r.links.first { $0.id == "derbent-yalama" }.map { $0.forwardTEU + $0.backwardTEU } ?? 0 == 0, "nothing round the Caspian through Russia")
        // Alat has a container capacity (100,000 TEU) and a tonnage one (15 Mt): the containers move through
        // its container terminal, the dry cargo through the rest of the port.
        let terminal = try #require(r.containerTerminals.first { $0.id == "alat" })
        let port = try #require(r.places.first { $0.id == "alat" })
        #expect(terminal.capacityTEUPerYear == 100_000)
        #expect(abs(port.capacityTEUPerYear - CapacityUnit.tonnesPerYear.teuPerYear(15_000_000, bundled.parameters)) < 1e-6)
        #expect(abs(terminal.throughputTEU - 8_800) < 1e-6 && abs(port.throughputTEU - 10_000) < 1e-6, "\(terminal.throughputTEU) \(port.throughputTEU)")
        // With one unit only, the port is one resource, its largest row.
        let one = Self.solve(try Self.model([("almaty", "baku", "container-mc", 8_800)]))
        #expect(one.containerTerminals.isEmpty)
        #expect(abs((one.places.first { $0.id == "alat" }?.throughputTEU ?? 0) - 8_800) < 1e-6)
    }

    @Test("Trucks board the ferry lines' truck decks: a truck takes truck_teu of road and port capacity, queues for the line's truck slots, never for its containers' and wagons'")
    func truckDecks() throws {
        let trucks = try #require(bundled.freightClasses.first { $0.id == "truck-mc" })
        let perTruck = try #require(bundled.parameters.values[.truckTEU])
        #expect(trucks.unit == .trucks && trucks.teuPerUnit(bundled.parameters) == perTruck && trucks.demandUnit == "trucks_per_year")
        let m = try Self.model([("halkali", "almaty", "truck-mc", 5_000), ("almaty", "baku", "container-mc", 8_800)])
        let r = Self.solve(m)
        #expect(r.unserved.isEmpty && r.relativeGap <= 1e-9)
        func across(_ c: String) -> Double { r.links.filter { Self.caspian.contains($0.id) }.reduce(0) { $0 + ($1.byClass[c] ?? 0) } }
        #expect(abs(across("truck-mc") - 5_000 * perTruck) < 1e-6, "every truck crosses the Caspian once, as truck_teu TEU-equivalents")
        // Aktau's container feeders publish no truck slots: no truck on them.
        #expect((r.links.first { $0.id == "aktau-alat-ferry" }?.byClass["truck-mc"] ?? 0) == 0)
        // The decks carry the trucks and nothing else; the lines' own resources carry no truck.
        #expect(!r.truckDecks.isEmpty && r.truckDecks.allSatisfy { $0.kind == "truck_deck" })
        #expect(abs(r.truckDecks.reduce(0) { $0 + $1.volumeTEU } - 5_000 * perTruck) < 1e-6)
        let decks = m.problem.classes.indices.filter { m.problem.classes[$0].name != "truck-mc" }
        for a in m.truckDeck { for k in decks { #expect(m.problem.classes[k].fixedCost[a] == .infinity, "only trucks board a deck") } }
        for l in r.links where l.mode == "rail" { #expect((l.byClass["truck-mc"] ?? 0) == 0, "a truck on rail link \(l.id)") }
        // A scenario that doubles a ferry line's capacity doubles its truck deck too.
        let edit = ScenarioEdit(action: .link(["turkmenbashi-alat-ferry"], LinkChanges(capacityFactor: 2)))
        let (edited, _) = ScenarioApplier.apply([Scenario(name: "x", title: "", description: "", edits: [edit], file: "x")], to: bundled, on: Self.day)
        let doubled = Self.solve(try Self.model([("halkali", "almaty", "truck-mc", 5_000)], dataset: edited))
        let plain = Self.solve(try Self.model([("halkali", "almaty", "truck-mc", 5_000)]))
        let deck = { (r: FreightAssignmentReport) in r.truckDecks.first { $0.id == "turkmenbashi-alat-ferry" && $0.direction == "forward" }?.capacityTEUPerYear ?? 0 }
        #expect(deck(plain) > 0 && approxEqual(deck(doubled), 2 * deck(plain), 1e-12))
        // Without truck_teu the assignment says what is missing.
        var ds = bundled
        ds.parameters.values[.truckTEU] = nil
        let missing = try #require(throws: FreightAssignmentError.self) { try Self.model([("halkali", "almaty", "truck-mc", 5_000)], dataset: ds) }
        #expect(missing.description.contains("truck_teu"))
    }

    @Test("Tripling demand raises congestion delay and spreads flow: the busiest element's v/c grows less than threefold")
    func scalingSpreadsFlow() throws {
        let base = Self.solve(try Self.model(Self.rows))
        let tripled = Self.solve(try Self.model(Self.rows, scale: 3))
        let b0 = try #require(base.bottlenecks.first), b3 = try #require(tripled.bottlenecks.first { $0.id == b0.id && $0.direction == b0.direction })
        #expect(b3.delayDays > b0.delayDays)
        #expect(b3.volumeCapacityRatio < 3 * b0.volumeCapacityRatio * (1 + 1e-9))
        #expect(tripled.classes[0].meanDays >= base.classes[0].meanDays)
    }

    @Test("Doubling a bottleneck place's capacity by scenario lowers its delay")
    func capacityScenario() throws {
        let heavy = [("almaty", "poti", "general", 12_000_000.0), ("aktau", "baku", "general", 6_000_000)]
        let base = Self.solve(try Self.model(heavy))
        let port = try #require(base.places.filter { $0.throughputTEU > 0 }.max { $0.volumeCapacityRatio < $1.volumeCapacityRatio })
        let edit = ScenarioEdit(action: .placeCapacity([port.id], capacity: nil, unit: nil, factor: 2))
        let (edited, _) = ScenarioApplier.apply([Scenario(name: "x", title: "", description: "", sources: [], edits: [edit], file: "x")], to: bundled, on: Self.day)
        let doubled = Self.solve(try Self.model(heavy, dataset: edited))
        let after = try #require(doubled.places.first { $0.id == port.id })
        #expect(approxEqual(after.capacityTEUPerYear, 2 * port.capacityTEUPerYear, 1e-12))
        #expect(after.delayDays < port.delayDays)
    }

    @Test("Mode choice: a class with a demand share competes rail against sea for its market, split into value-of-time groups")
    func modeChoice() throws {
        var ds = bundled
        var fc = FreightClass(id: "market", name: "Market", unit: .teu, modes: [.rail, .ferry, .sea], valueOfTimeUSDPerDay: 30)
        fc.valueOfTimeSpread = 1; fc.valueOfTimeGroups = 5; fc.demandShare = 0.02
        ds.freightClasses.append(fc)
        let rows = [("xian", "duisburg", "market", 10_000.0), ("chongqing", "lodz", "market", 8_000)]
        let m = try Self.model(rows, dataset: ds)
        // Five groups at the lognormal's mid-quantiles: geometric mean = the median, symmetric in log.
        let groups = m.usdPerDayEquivalent.indices.filter { m.classes[m.classOfGroup[$0]].id == "market" }
        let vots = groups.map { m.usdPerDayEquivalent[$0] }
        #expect(vots.count == 5 && vots == vots.sorted())
        #expect(approxEqual(exp(vots.map(log).reduce(0, +) / 5), 30, 1e-9))
        #expect(approxEqual(log(vots[4] / 30), -log(vots[0] / 30), 1e-9))
        // The rows are 2% of the market: the class's demand is 50 times the rows.
        #expect(approxEqual(groups.reduce(0) { $0 + m.demandTEU[$1] }, 18_000 / 0.02, 1e-12))
        let report = Self.solve(m)
        let c = try #require(report.classes.first { $0.id == "market" })
        let land = try #require(c.landTEU), sea = try #require(c.seaTEU)
        #expect(approxEqual(land + sea, c.assignedTEU, 1e-6))
        #expect(sea > 0 && land > 0, "both modes carry part of a market with spread values of time: land \(land), sea \(sea)")
        // Link flows are reported by freight class, not by group.
        #expect(report.links.allSatisfy { $0.byClass.keys.allSatisfy { !$0.contains("#") } })
    }

    @Test("Logit split: a sea-rail alternative (Shanghai-Vladivostok, then the Trans-Siberian) counts as sea although most of its km are rail")
    func seaRailAlternative() throws {
        let m = try Self.model([("xian", "moscow", "container-cn-ru", 1_000), ("moscow", "chengdu", "container-ru-cn", 1_000)])
        let report = Self.solve(m), net = m.network
        let alt = try #require(m.seaAlternatives.first { m.classes[m.classOfGroup[$0.group]].id == "container-cn-ru" })
        let kinds = alt.links.compactMap { a -> (mode: Mode, km: Double)? in
            let e = Int(m.edgeOfLink[a]); guard e >= 0, net.edgeKind[e] == .linkForward || net.edgeKind[e] == .linkBackward else { return nil }
            return (bundled.links[Int(net.edgeRef[e])].mode, net.lengthKm[e])
        }
        let seaKm = kinds.filter { $0.mode == .sea }.reduce(0) { $0 + $1.km }, km = kinds.reduce(0) { $0 + $1.km }
        #expect(bundled.links.contains { $0.id == "shanghai-vladivostok" } && seaKm > 0 && seaKm < km / 2, "sea \(seaKm) of \(km) km")
        for id in ["container-cn-ru", "container-ru-cn"] {
            let c = try #require(report.classes.first { $0.id == id })
            let sea = try #require(c.seaTEU), land = try #require(c.landTEU)
            #expect(sea > 0 && land > 0 && approxEqual(sea + land, c.assignedTEU, 1e-6), "\(id): land \(land), sea \(sea)")
        }
        #expect(report.corridors.contains { $0.corridor == "far-east" && $0.teu > 0 })
    }

    @Test("Logit split: each pair's land share is 1 / (1 + exp((land cost + land constant - sea cost) / dispersion)) at equilibrium")
    func logitSplit() throws {
        for (scale, constant) in [(500.0, 0.0), (2000, 3000), (4000, -1500)] {
            var ds = bundled
            var fc = FreightClass(id: "market", name: "Market", unit: .teu, modes: [.rail, .ferry, .sea], valueOfTimeUSDPerDay: 30)
            fc.demandShare = 0.02; fc.seaAlternativeClasses = ["ocean-container"]; fc.logitScaleUSD = scale; fc.landConstantUSD = constant
            ds.freightClasses.append(fc)
            // Small volumes: no congestion, so the land cost is the free-flow shortest path.
            let m = try Self.model([("xian", "duisburg", "market", 40.0), ("chongqing", "lodz", "market", 20)], dataset: ds)
            let k = try #require(m.classOfGroup.indices.first { m.classes[m.classOfGroup[$0]].id == "market" })
            let alternatives = m.seaAlternatives.filter { $0.group == k }
            #expect(alternatives.count == 2)
            var s = AssignmentSolver(m.problem)
            let r = s.solve(.algorithmB, stop: AssignmentStop(gap: 1e-12, maxIterations: 2000))
            let p = m.problem, vot = m.usdPerDayEquivalent[k]
            // Land cost from the origin zone: the group's link costs without the connector offset, no sea links, no alternatives.
            let (g, order) = CSRGraph.build(nodeCount: p.nodeCount, tails: p.tail, heads: p.head)
            for alt in alternatives {
                let weights = order.map { a32 -> Double in
                    let a = Int(a32)
                    if m.edgeOfLink[a] <= -2 { return .infinity }
                    if m.edgeOfLink[a] < 0 && Int(p.tail[a]) < p.firstThroughNode { return Int32(p.tail[a]) == alt.origin ? 0 : .infinity }
                    return p.classes[k].fixedCost[a]
                }
                var ws = DijkstraWorkspace(nodeCount: p.nodeCount)
                ws.oneToAll(g, weights: weights, source: Int(alt.origin))
                let landDays = ws.distance(Int(alt.destination))
                try #require(landDays.isFinite)
                let expected = 1 / (1 + exp(((landDays - alt.costDays) * vot + constant) / scale))
                let a = try #require(m.edgeOfLink.firstIndex(of: Int32(-2 - alt.index)))
                let landShare = 1 - r.classFlow[k][a] / alt.demand
                #expect(abs(landShare - expected) <= 1e-6 + 1e-4 * expected, "dispersion \(scale), constant \(constant): land share \(landShare), logit \(expected)")
                // Every link cost stays non-negative (the offset), so the searches are sound.
                #expect(p.classes[k].fixedCost.allSatisfy { $0 >= 0 })
            }
        }
    }

    @Test("Logit delay: increasing, its derivative and integral agree with finite differences")
    func logitDelay() {
        var rng = SplitMix64(seed: 77)
        for _ in 0..<200 {
            let f = VolumeDelay(kind: .logit, t0: Double.random(in: 0.1...50, using: &rng), capacity: Double.random(in: 1...1e6, using: &rng))
            let x = Double.random(in: 0...1.2, using: &rng), v = x * f.capacity, h = f.capacity * 1e-7
            #expect(f.delay(v + h) > f.delay(v))
            #expect(abs(f.delay(f.capacity / 2)) <= 1e-9 * f.t0)
            let slope = (f.delay(v + h) - f.delay(max(0, v - h))) / (v + h - max(0, v - h))
            #expect(abs(f.derivative(v) - slope) <= 1e-3 * abs(slope) + 1e-9, "derivative at x \(x)")
            let area = (f.integral(v + h) - f.integral(max(0, v - h))) / (v + h - max(0, v - h))
            #expect(abs(area - f.delay(v)) <= 1e-3 * abs(f.delay(v)) + 1e-6 * f.t0, "integral at x \(x)")
            #expect(f.delay(0) == f.logitFloor && f.delay(v) >= f.logitFloor)
        }
    }

    @Test("Demand with no path on the date is reported as unserved, not assigned")
    func unserved() throws {
        // A ferry-only class cannot leave Xi'an (no ferry there); Aktau-Alat has a ferry.
        var ds = bundled
        ds.freightClasses.append(FreightClass(id: "ferry-only", name: "Ferry only", unit: .teu, modes: [.ferry], valueOfTimeUSDPerDay: 30))
        let demand = [FreightDemand(origin: ds.placeIndex["xian"]!, destination: ds.placeIndex["duisburg"]!, freightClass: "ferry-only", amountPerYear: 1000),
                      FreightDemand(origin: ds.placeIndex["aktau"]!, destination: ds.placeIndex["alat"]!, freightClass: "ferry-only", amountPerYear: 500)]
        let m = try FreightAssignmentModel(network: CompiledNetwork(NetworkSnapshot(dataset: ds, day: Self.day)), demand: demand)
        #expect(m.unserved.count == 1)
        #expect(m.unserved.first.map { ds.places[$0.origin].id } == "xian")
        let ferry = m.problem.classes.first { $0.name == "ferry-only" }!
        #expect(ferry.demand.count == 1 && ferry.demand[0].amount == 500)
    }

    @Test("Demand files: errors name file:line:column")
    func demandErrors() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-demand-\(getpid()).csv").path
        try "origin,destination,class,amount,unit\nxian,duisbrg,container,10,teu_per_year\nxian,duisburg,bulk,5,t_per_year\nxian,duisburg,general,5,teu_per_year\nhalkali,almaty,truck-mc,5,teu_per_year\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do { _ = try DemandReader.load(path: path, dataset: bundled); Issue.record("accepted a bad file") } catch {
            let text = error.description
            #expect(text.contains(":2:") && text.contains("unknown place 'duisbrg'"))
            #expect(text.contains(":3:") && text.contains("unknown freight class 'bulk'"))
            #expect(text.contains(":4:") && text.contains("t_per_year"))
            #expect(text.contains(":5:") && text.contains("trucks_per_year"))
        }
    }
}
