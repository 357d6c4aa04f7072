import Testing
import PropertyBased
import CaravanModel
@testable import CaravanEngine

@Suite("Route engine against brute force")
struct RouteEngineTests {
    static let day = Day(year: 2025, month: 1, day: 1)!

    @Test("best route by generalised cost equals the exhaustive minimum")
    func bestMatchesBruteForce() async {
        await propertyCheck(count: 150, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            let ds = randomDataset(seed: UInt64(seed))
            let snapshot = NetworkSnapshot(dataset: ds, day: Self.day)
            let engine = RouteEngine(CompiledNetwork(snapshot))
            for cargo in [Cargo(unit: .teu), Cargo(unit: .tonnes, quantity: 7)] {
                let weights = CostWeights.defaults(ds.parameters)
                for (o, d) in [(0, 1), (2, 5), (3, 0)] {
                    for corridor in [nil, "c1"] as [String?] {
                        let brute = bruteForceRoutes(snapshot, from: "p\(o)", to: "p\(d)", cargo: cargo, weights: weights, corridor: corridor)
                        let found = engine.best(from: o, to: d, cargo: cargo, weights: weights, corridor: corridor)
                        #expect((found == nil) == brute.isEmpty, "seed \(seed) \(o)->\(d) reachability")
                        if let found, let min = brute.map(\.gc).min() {
                            #expect(approxEqual(found.totals.generalisedCostUSD, min), "seed \(seed) \(o)->\(d): \(found.totals.generalisedCostUSD) vs \(min)")
                        }
                    }
                }
            }
        }
    }

    @Test("Pareto set equals the exhaustive non-dominated set, and none is dominated")
    func paretoMatchesBruteForce() async {
        await propertyCheck(count: 120, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            let ds = randomDataset(seed: UInt64(seed))
            let snapshot = NetworkSnapshot(dataset: ds, day: Self.day)
            let engine = RouteEngine(CompiledNetwork(snapshot))
            let cargo = Cargo(unit: .feu, quantity: 1, tonnesPerContainer: 14)
            let weights = CostWeights.defaults(ds.parameters)
            for (o, d) in [(0, 1), (4, 2)] {
                let expected = nondominated(bruteForceRoutes(snapshot, from: "p\(o)", to: "p\(d)", cargo: cargo, weights: weights))
                let routes = engine.pareto(from: o, to: d, cargo: cargo, weights: weights)
                #expect(routes.count == expected.count, "seed \(seed) \(o)->\(d): \(routes.count) vs \(expected.count)")
                for e in expected {
                    #expect(routes.contains { approxEqual($0.totals.days, e.days) && approxEqual($0.totals.usd, e.usd) && approxEqual($0.totals.co2eKg, e.co2) },
                            "seed \(seed): missing Pareto vector")
                }
                for a in routes {
                    for b in routes where a != b {
                        let dominates = b.totals.days <= a.totals.days && b.totals.usd <= a.totals.usd && b.totals.co2eKg <= a.totals.co2eKg
                            && (b.totals.days < a.totals.days || b.totals.usd < a.totals.usd || b.totals.co2eKg < a.totals.co2eKg)
                        #expect(!dominates, "seed \(seed): a returned route is dominated")
                    }
                }
            }
        }
    }

    @Test("leg and stop sums equal the totals, and each transfer is charged once")
    func totalsAreSums() {
        for seed in 0..<40 as Range<UInt64> {
            let ds = randomDataset(seed: seed, places: 7, links: 14)
            let engine = RouteEngine(dataset: ds, day: Self.day)
            guard let r = engine.best(from: 0, to: 6, cargo: Cargo(), weights: .defaults(ds.parameters)) else { continue }
            let days = r.legs.map(\.days).reduce(0, +) + r.stops.map(\.days).reduce(0, +)
            #expect(approxEqual(days, r.totals.days))
            #expect(r.totals.borderCrossings == r.stops.filter { $0.kind == .border }.count)
            // Consecutive legs join at the same place.
            for (a, b) in zip(r.legs, r.legs.dropFirst()) { #expect(a.to == b.from) }
            #expect(r.legs.first?.from == "p0" && r.legs.last?.to == "p6")
        }
    }
}

@Suite("Shortest paths")
struct ShortestPathTests {
    @Test("One-to-all trees equal Bellman-Ford on random graphs; parents form a tree of exact sums")
    func dijkstraMatchesBellmanFord() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let n = Int.random(in: 2...30, using: &rng), m = Int.random(in: 0...(n * 4), using: &rng)
            // Weights mix zeros, small integers (ties), reals, rare long edges (the bucket ring wraps,
            // nodes are rescanned) and unusable infinite ones.
            var tails: [Int32] = [], heads: [Int32] = [], w: [Double] = []
            for _ in 0..<m {
                tails.append(Int32.random(in: 0..<Int32(n), using: &rng)); heads.append(Int32.random(in: 0..<Int32(n), using: &rng))
                switch Int.random(in: 0..<20, using: &rng) {
                case 0: w.append(.infinity)
                case 1: w.append(Double.random(in: 100...1e6, using: &rng))
                case 2..<10: w.append(Double(Int.random(in: 0...5, using: &rng)))
                default: w.append(Double.random(in: 0...10, using: &rng))
                }
            }
            let (g, origin) = CSRGraph.build(nodeCount: n, tails: tails, heads: heads)
            let weights = origin.map { w[Int($0)] }
            var ws = DijkstraWorkspace(nodeCount: n)
            for s in [0, n - 1] {
                ws.oneToAll(g, weights: weights, source: s)
                var dist = [Double](repeating: .infinity, count: n)
                dist[s] = 0
                for _ in 0..<n { for i in 0..<m where dist[Int(tails[i])] + w[i] < dist[Int(heads[i])] { dist[Int(heads[i])] = dist[Int(tails[i])] + w[i] } }
                for v in 0..<n {
                    #expect(ws.distance(v) == dist[v] || approxEqual(ws.distance(v), dist[v]), "seed \(seed) node \(v)")
                    let e = ws.parent(v)
                    if v == s || !dist[v].isFinite { #expect(e == -1, "seed \(seed) node \(v)"); continue }
                    let tail = Int(tails[Int(origin[Int(e)])])
                    #expect(Int(g.head[Int(e)]) == v && ws.distance(tail) + weights[Int(e)] == ws.distance(v), "seed \(seed) node \(v)")
                    var u = v, steps = 0 // the parents lead back to the source
                    while u != s && steps <= n && ws.parent(u) >= 0 { u = Int(tails[Int(origin[Int(ws.parent(u))])]); steps += 1 }
                    #expect(u == s, "seed \(seed) node \(v)")
                }
            }
        }
    }
}
