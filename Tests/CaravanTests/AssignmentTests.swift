import Testing
import Foundation
import PropertyBased
import CaravanModel
import CaravanFormats
@testable import CaravanEngine

/// A random strongly connected network with BPR links and random demand.
func randomAssignmentProblem(seed: UInt64, nodes: Int = 7, extraLinks: Int = 10, zones: Int = 0) -> AssignmentProblem {
    var rng = SplitMix64(seed: seed)
    var tails: [Int32] = [], heads: [Int32] = []
    // A ring both ways keeps it strongly connected.
    for i in 0..<nodes { let j = (i + 1) % nodes; tails += [Int32(i), Int32(j)]; heads += [Int32(j), Int32(i)] }
    for _ in 0..<extraLinks {
        let a = Int.random(in: 0..<nodes, using: &rng)
        var b = Int.random(in: 0..<(nodes - 1), using: &rng); if b >= a { b += 1 }
        tails.append(Int32(a)); heads.append(Int32(b))
    }
    var resources: [VolumeDelay] = [], resource: [Int32] = [], fixed: [Double] = []
    for _ in tails.indices {
        let t0 = Double.random(in: 1...10, using: &rng)
        fixed.append(t0)
        if Int.random(in: 0..<5, using: &rng) == 0 { resource.append(-1); continue }
        resource.append(Int32(resources.count))
        let kind: VolumeDelay.Kind = Int.random(in: 0..<4, using: &rng) == 0 ? .queue : .bpr
        resources.append(VolumeDelay(kind: kind, t0: t0, capacity: Double.random(in: 50...400, using: &rng), b: 0.15, power: 4))
    }
    var demand: [(origin: Int32, destination: Int32, amount: Double)] = []
    for o in 0..<nodes { for d in 0..<nodes where o != d && Bool.random(using: &rng) { demand.append((Int32(o), Int32(d), Double.random(in: 10...200, using: &rng))) } }
    return AssignmentProblem(nodeCount: nodes, firstThroughNode: zones, tail: tails, head: heads, resource: resource, resources: resources,
                             classes: [DemandClass(name: "all", fixedCost: fixed, demand: demand)])
}

/// Every simple path from o to d (as link lists).
func simplePaths(_ p: AssignmentProblem, from o: Int, to d: Int) -> [[Int]] {
    var out: [[Int]] = [], path: [Int] = [], seen = Set<Int>([o])
    func dfs(_ u: Int) {
        if u == d { out.append(path); return }
        if u != o && u < p.firstThroughNode { return }
        for a in 0..<p.linkCount where Int(p.tail[a]) == u && !seen.contains(Int(p.head[a])) {
            seen.insert(Int(p.head[a])); path.append(a)
            dfs(Int(p.head[a]))
            path.removeLast(); seen.remove(Int(p.head[a]))
        }
    }
    dfs(o)
    return out
}

@Suite("Equilibrium assignment")
struct AssignmentTests {
    @Test("Algorithm B reaches a relative gap of 1e-10; used paths cost the same; every used link has zero reduced cost")
    func equilibriumConditions() {
        var stalled: [(seed: UInt64, gap: Double)] = []
        for seed in 0..<80 as Range<UInt64> {
            let problem = randomAssignmentProblem(seed: seed &* 7919 &+ 11)
            var solver = AssignmentSolver(problem)
            // One instance (queue links far above capacity) converges linearly: about 9,400 iterations.
            let result = solver.solve(.algorithmB, stop: AssignmentStop(gap: 1e-10, maxIterations: 12_000))
            guard result.relativeGap <= 1e-10 else { stalled.append((seed, result.relativeGap)); continue }
            let cost = result.linkCost
            for (o, d, _) in problem.classes[0].demand.prefix(6) {
                let paths = simplePaths(problem, from: Int(o), to: Int(d))
                let costs = paths.map { $0.reduce(0) { $0 + cost[$1] } }
                guard let best = costs.min() else { continue }
                // Used paths (every link carries flow from this origin) cost the same as the best one.
                let oi = solver.originNodes[0].firstIndex(of: o)!
                let originFlow = solver.originFlows[0][oi]
                let total = problem.classes[0].demand.filter { $0.origin == o }.reduce(0) { $0 + $1.amount }
                for (path, c) in zip(paths, costs) where path.allSatisfy({ originFlow[$0] > 1e-6 * total }) {
                    #expect(c <= best * (1 + 1e-6), "seed \(seed): a used path costs \(c), the best \(best)")
                }
            }
            // Wardrop by reduced costs, for every origin: with π the shortest distances from the
            // origin at the equilibrium costs, a link carrying the origin's flow has
            // π(tail) + cost − π(head) = 0 (it lies on a shortest path); no link is below 0.
            let (g, origin) = CSRGraph.build(nodeCount: problem.nodeCount, tails: problem.tail, heads: problem.head)
            var ws = DijkstraWorkspace(nodeCount: problem.nodeCount)
            for (oi, o) in solver.originNodes[0].enumerated() {
                ws.oneToAll(g, weights: origin.map { cost[Int($0)] }, source: Int(o))
                let total = problem.classes[0].demand.filter { $0.origin == o }.reduce(0) { $0 + $1.amount }
                for l in 0..<problem.tail.count where solver.originFlows[0][oi][l] > 1e-6 * total {
                    let pi = ws.distance(Int(problem.tail[l])), pj = ws.distance(Int(problem.head[l]))
                    let reduced = pi + cost[l] - pj
                    #expect(reduced >= -1e-9 * max(pj, 1) && reduced <= 1e-6 * max(pj, 1),
                            "seed \(seed), origin \(o), link \(l): reduced cost \(reduced) at flow \(solver.originFlows[0][oi][l])")
                }
            }
        }
        let text = stalled.map { "seed \($0.seed) at \(String(format: "%.1e", $0.gap))" }.joined(separator: ", ")
        #expect(stalled.isEmpty, "Algorithm B did not reach 1e-10 on \(stalled.count) of 80 instances: \(text)")
    }

    @Test("Algorithm B is deterministic: bush updates overlapped on two cores give bit-identical flows run after run")
    func deterministicAcrossRuns() {
        // 60 nodes, most of them origins: the pipelined sweep runs many pairs of origins.
        let problem = randomAssignmentProblem(seed: 2024, nodes: 60, extraLinks: 150)
        var first: [Double]? = nil
        for _ in 0..<3 {
            var solver = AssignmentSolver(problem)
            let r = solver.solve(.algorithmB, stop: AssignmentStop(gap: 1e-12, maxIterations: 25))
            if let f = first { #expect(r.linkFlow.map(\.bitPattern) == f.map(\.bitPattern)) } else { first = r.linkFlow }
        }
        #expect((first ?? []).contains { $0 > 0 })
    }

    @Test("Where Algorithm B converges, conjugate Frank-Wolfe reaches the same objective")
    func algorithmsAgree() {
        for seed in 0..<25 as Range<UInt64> {
            let problem = randomAssignmentProblem(seed: seed &* 104_729 &+ 3, nodes: 6, extraLinks: 8)
            var b = AssignmentSolver(problem), f = AssignmentSolver(problem)
            let rb = b.solve(.algorithmB, stop: AssignmentStop(gap: 1e-12, maxIterations: 3000))
            guard rb.relativeGap <= 1e-10 else { continue }   // stalls are counted by the test above
            let rf = f.solve(.conjugateFrankWolfe, stop: AssignmentStop(gap: 1e-6, maxIterations: 3000))
            // Frank-Wolfe converges slowly: agreement to 1e-3 of the objective is what it reaches in time.
            #expect(abs(rb.objective - rf.objective) <= 1e-3 * rb.objective, "seed \(seed): \(rb.objective) vs \(rf.objective)")
            #expect(rb.objective <= rf.objective * (1 + 1e-9), "seed \(seed): B is not better than CFW")
        }
    }

    @Test("A volume-delay function gives the same delay alone and with its slope (the solver caches one, line searches read the other)")
    func delayAndSlopeAgree() {
        var rng = SplitMix64(seed: 7)
        for power in [0, 0.5, 1, 2, 3, 4, 4.446, 16.83] {
            for kind in [VolumeDelay.Kind.bpr, .queue, .logit] {
                let f = VolumeDelay(kind: kind, t0: 1 + Double(rng.next() % 100), capacity: 50 + Double(rng.next() % 1000), power: power)
                for _ in 0..<50 {
                    let v = Double(rng.next() % 4_000_000) / 1000 - 100
                    let both = f.delayAndDerivative(v)
                    #expect(both.delay.bitPattern == f.delay(v).bitPattern && both.derivative.bitPattern == f.derivative(v).bitPattern, "\(kind) power \(power) at \(v)")
                }
            }
        }
    }
}

@Suite("TNTP best-known solutions")
struct TNTPValidationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test("Sioux Falls: Algorithm B to a gap of 1e-10 matches the best-known flows and objective")
    func siouxFalls() throws {
        let net = try TNTPReader.load(folder: Self.fixtures.appendingPathComponent("SiouxFalls").path)
        var solver = AssignmentSolver(AssignmentProblem.tntp(net))
        let r = solver.solve(.algorithmB, stop: AssignmentStop(gap: 1e-10, maxIterations: 2000))
        #expect(r.relativeGap <= 1e-10)
        // README: optimal objective 42.31335287107440 (in units of 1e5 of ours: flows x 0.01 h).
        #expect(abs(r.objective / 1e5 - 42.31335287107440) < 1e-8, "objective \(r.objective)")
        let ref = try TNTPReader.readFlows(path: Self.fixtures.appendingPathComponent("SiouxFalls/SiouxFalls_flow.tntp").path)
        var worst = 0.0
        for (i, f) in ref.enumerated() {
            #expect(net.tail[i] == f.tail && net.head[i] == f.head)
            worst = max(worst, abs(r.linkFlow[i] - f.volume) / f.volume)
        }
        // Measured: 9.5e-9. Tolerance 1e-6 of each link's flow.
        #expect(worst < 1e-6, "max relative deviation \(worst)")
    }
}
