import Testing
import PropertyBased
import CaravanModel
@testable import CaravanEngine

/// The drivers' clock against a quarter-hour simulation written independently.
@Suite("Drivers' hours")
struct DrivingRulesTests {
    /// Step-by-step simulation in integer quarter hours: rest when the period's driving is used
    /// up (an extended period while extensions remain), break when the driving since the last
    /// break reaches the limit, then drive a quarter. Reduced rests first; a weekly rest resets both.
    typealias Rules = (drive: Int, rest: Int, brk: Int, after: Int, weekly: Int, perWeek: Int, ext: Int, nExt: Int, red: Int, nRed: Int)
    static func simulate(_ r: Rules, trips: [Int]) -> [Int] {
        var driven = 0, since = 0, periods = 0, extUsed = 0, redUsed = 0
        let weeks = r.weekly > 0 && r.perWeek > 0
        let hasExt = weeks && r.nExt > 0 && r.ext > r.drive, hasRed = weeks && r.nRed > 0 && r.red > 0 && r.red < r.rest
        return trips.map { quarters in
            var elapsed = 0
            for _ in 0..<quarters {
                let limit = hasExt && extUsed < r.nExt ? r.ext : r.drive
                if driven == limit {
                    if driven > r.drive { extUsed += 1 }
                    periods += 1; driven = 0; since = 0
                    if weeks && periods >= r.perWeek { periods = 0; extUsed = 0; redUsed = 0; elapsed += r.weekly }
                    else if hasRed && redUsed < r.nRed { redUsed += 1; elapsed += r.red } else { elapsed += r.rest }
                }
                if r.brk > 0 && r.after > 0 && since == r.after { elapsed += r.brk; since = 0 }
                driven += 1; since += 1; elapsed += 1
            }
            return elapsed
        }
    }

    @Test("the clock equals a quarter-hour simulation on random rules and trips")
    func clockMatchesSimulation() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            func int(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
            let drive = 4 + int(60), rest = int(60)
            let r: Rules = (drive: drive, rest: rest, brk: int(4), after: 2 + int(30), weekly: int(3) == 0 ? 0 : 1 + int(200), perWeek: int(8),
                            ext: drive + int(12), nExt: int(4), red: int(rest + 1), nRed: int(5))
            let trips = (0..<(1 + int(5))).map { _ in int(400) }
            let expected = Self.simulate(r, trips: trips)
            let rules = DrivingRules(drivingH: Double(r.drive) / 4, dailyRestH: Double(r.rest) / 4, breakH: Double(r.brk) / 4, breakAfterH: Double(r.after) / 4,
                                     weeklyRestH: Double(r.weekly) / 4, periodsPerWeek: r.perWeek,
                                     extendedDrivingH: Double(r.ext) / 4, extensionsPerWeek: r.nExt, reducedRestH: Double(r.red) / 4, reducedRestsPerWeek: r.nRed)
            var clock = DrivingClock(rules: rules)
            for (q, e) in zip(trips, expected) {
                let got = clock.drive(Double(q) / 4)
                #expect(abs(got - Double(e) / 4) < 1e-6, "seed \(seed): \(q) quarters took \(got) h, simulation \(Double(e) / 4) h")
            }
        }
    }

    @Test("EU flexibilities: two 10-hour periods and three 9-hour rests a week, used as early as needed; the average factor counts them")
    func euFlexibilities() {
        let flex = DrivingRules(drivingH: 9, dailyRestH: 11, breakH: 0.75, breakAfterH: 4.5, weeklyRestH: 45, periodsPerWeek: 6,
                                extendedDrivingH: 10, extensionsPerWeek: 2, reducedRestH: 9, reducedRestsPerWeek: 3)
        var clock = DrivingClock(rules: flex)
        // 4.5 h, break, 4.5 h, break, 1 h (extended period), reduced rest, 4.5 h, break, 0.5 h.
        #expect(abs(clock.drive(15) - (15 + 0.75 + 0.75 + 9 + 0.75)) < 1e-9)
        // A week: 56 h of driving (2 × 10 + 4 × 9), 8 breaks, rests 3 × 9 + 2 × 11 and the weekly 45.
        #expect(abs(flex.averageFactor - (56 + 8 * 0.75 + 27 + 22 + 45) / 56) < 1e-12)
        var long = DrivingClock(rules: flex)
        let hours = 56.0 * 20
        #expect(abs(long.drive(hours) + 45 - hours * flex.averageFactor) < 1e-6)
        // A ferry of 9.5 h is a reduced rest while reductions remain.
        var ferry = DrivingClock(rules: flex)
        _ = ferry.drive(10); ferry.stand(9.5, canRest: true)
        #expect(ferry.drive(4) == 4)
    }

    @Test("EU rules: a 15-hour drive takes one daily rest and two breaks; a long trip tends to the average factor")
    func euRules() {
        let eu = DrivingRules(drivingH: 9, dailyRestH: 11, breakH: 0.75, breakAfterH: 4.5, weeklyRestH: 45, periodsPerWeek: 6)
        var clock = DrivingClock(rules: eu)
        // 4.5 h, break, 4.5 h, daily rest, 4.5 h, break, 1.5 h.
        #expect(abs(clock.drive(15) - (15 + 0.75 + 11 + 0.75)) < 1e-9)
        #expect(abs(eu.averageFactor - (9 + 0.75 + 11 + 34.0 / 6) / 9) < 1e-12)
        var long = DrivingClock(rules: eu)
        // Twenty weeks of driving: 120 periods with a break each, 119 rests of which 19 weekly.
        // The average factor also counts the weekly rest the arriving truck no longer needs.
        let hours = 9.0 * 6 * 20
        let elapsed = long.drive(hours)
        #expect(abs(elapsed - (1080 + 120 * 0.75 + 19 * 45 + 100 * 11)) < 1e-6)
        #expect(abs(elapsed + 45 - hours * eu.averageFactor) < 1e-6)
        // A ferry long enough is a rest; a border queue is only a break.
        var ferry = DrivingClock(rules: eu), border = DrivingClock(rules: eu)
        _ = ferry.drive(9); _ = border.drive(9)
        ferry.stand(12, canRest: true); border.stand(12, canRest: false)
        #expect(ferry.drive(4) == 4)
        #expect(border.drive(4) == 4 + 11)
    }

    @Test("a crew of two drives 18 h, rests 9 h and takes no breaks")
    func crewOfTwo() throws {
        var p = Parameters(values: [.roadDrivingHPerDay: 9, .roadDailyRestH: 11, .roadBreakH: 0.75, .roadBreakAfterH: 4.5,
                                    .roadDrivingHPerDayTwoDrivers: 18, .roadDailyRestHTwoDrivers: 9])
        let two = try #require(p.crewOfTwo()?.drivingRules)
        #expect(two.drivingH == 18 && two.dailyRestH == 9 && two.breakH == 0)
        var clock = DrivingClock(rules: two)
        #expect(clock.drive(20) == 20 + 9)
        p.values[.roadDrivingHPerDayTwoDrivers] = nil
        #expect(p.crewOfTwo() == nil)
    }

    @Test("a route passing via places is at least as costly as the free best route and passes them in order")
    func viaPath() throws {
        let ds = bundled
        let engine = RouteEngine(dataset: ds, day: Day(year: 2025, month: 6, day: 1)!)
        let o = try #require(ds.placeIndex["lanzhou"]), d = try #require(ds.placeIndex["tashkent"])
        let via = [try #require(ds.placeIndex["kashgar"]), try #require(ds.placeIndex["osh"])]
        let cargo = Cargo(unit: .teu), weights = CostWeights.defaults(ds.parameters)
        let costs = engine.edgeCosts(cargo: cargo, weights: weights)
        var ws = DijkstraWorkspace(nodeCount: engine.network.stateCount)
        let path = try #require(engine.bestPath(from: o, via: via, to: d, costs: costs, mask: .max, workspace: &ws))
        let r = engine.route(path: path, origin: o, destination: d, cargo: cargo, weights: weights, corridor: nil)
        let free = try #require(engine.best(from: o, to: d, cargo: cargo, weights: weights))
        #expect(r.totals.generalisedCostUSD >= free.totals.generalisedCostUSD - 1e-6)
        let places = r.legs.flatMap { [$0.from] + $0.via + [$0.to] }
        let k = try #require(places.firstIndex(of: "kashgar")), s = try #require(places.lastIndex(of: "osh"))
        #expect(k < s)
        #expect(r.stops.contains { $0.kind == .transshipment && $0.place == "kashgar" }, "the rail-road transfer at Kashgar is charged")
    }
}
