import Foundation
import CaravanModel

/// Solves an `AssignmentProblem` to user equilibrium.
///
/// - `algorithmB`: Dial's (2006) bush-based Algorithm B: each (class, origin) keeps an
///   acyclic bush; flow is shifted by Newton steps from the longest to the shortest
///   used path segment ending at each node. Reaches relative gaps of 1e-10 and below.
/// - `frankWolfe` and `conjugateFrankWolfe` (Mitradjieva & Lindberg 2013): link-based,
///   simple, slow to converge beyond 1e-4; kept for comparison.
///
/// Relative gap = (TSTT - SPTT) / TSTT with TSTT = sum of flow x cost and SPTT = sum of
/// demand x shortest path cost at the same costs (the TNTP/AequilibraE definition).
/// Deterministic: origins, nodes and links are processed in a fixed order.
public struct AssignmentSolver: Sendable {
    /// The solution algorithm; raw values are the `--algorithm` names of `caravan assign`.
    public enum Algorithm: String, Sendable, CaseIterable { case algorithmB = "b", frankWolfe = "fw", conjugateFrankWolfe = "cfw" }

    let p: AssignmentProblem
    let n: Int, m: Int
    let graph: CSRGraph
    /// CSR position -> problem link, and back.
    let linkOfEdge: [Int32]
    let edgeOfLink: [Int32]
    let tailOfEdge: [Int32], headOfEdge: [Int32]
    let inFirst: [Int32], inEdges: [Int32]
    let resourceOfEdge: [Int32]
    /// Per class, per CSR edge: fixed cost (infinity = not allowed).
    let fixed: [[Double]]
    let blocked: [[Bool]]
    /// Per class: delay weight and volume factor, kept flat for the hot loops.
    let delayWeight: [Double], volumeFactor: [Double]
    /// `fixed` flattened (class k, edge e at k * m + e): one indirection in the hot loops.
    let fixedFlat: [Double]
    /// Demand per class grouped by origin: origin -> [(destination, amount)].
    let origins: [[Int32]]
    let demandByOrigin: [[[(Int32, Double)]]]

    var volume: [Double]          // per resource
    var delay: [Double]           // per resource, at `volume`
    var slope: [Double]           // per resource, derivative at `volume`
    var flow: [[Double]]          // per class, per edge
    var ws: DijkstraWorkspace
    let noTargets: [Bool]
    var log: [AssignmentIteration] = []
    var startTime = Date()
    /// Seconds spent in convergence checks (gap and objective) since the solve started.
    var checkSeconds = 0.0
    var progress: (@Sendable (AssignmentIteration) -> Void)?
    /// After Algorithm B on a small problem: per class, per origin (in `origins` order), flow per problem link.
    public internal(set) var originFlows: [[[Double]]] = []
    /// Origins of each class, in the order of `originFlows`.
    public var originNodes: [[Int32]] { origins }

    /// Prepares a solver for the problem (CSR graph, demand grouped by origin), with zero flows.
    public init(_ problem: AssignmentProblem) {
        p = problem; n = problem.nodeCount; m = problem.linkCount
        let (g, origin) = CSRGraph.build(nodeCount: n, tails: problem.tail, heads: problem.head)
        graph = g; linkOfEdge = origin
        var back = [Int32](repeating: 0, count: m)
        for (e, l) in origin.enumerated() { back[Int(l)] = Int32(e) }
        edgeOfLink = back
        tailOfEdge = origin.map { problem.tail[Int($0)] }; headOfEdge = origin.map { problem.head[Int($0)] }
        resourceOfEdge = origin.map { problem.resource[Int($0)] }
        let (rg, rorigin) = CSRGraph.build(nodeCount: n, tails: headOfEdge, heads: tailOfEdge)
        inFirst = rg.firstOut; inEdges = rorigin
        let fixedCosts = problem.classes.map { c in origin.map { c.fixedCost[Int($0)] } }
        fixed = fixedCosts
        blocked = fixedCosts.map { f in f.map { !$0.isFinite } }
        delayWeight = problem.classes.map(\.delayWeight); volumeFactor = problem.classes.map(\.volumeFactor)
        fixedFlat = fixedCosts.flatMap { $0 }
        var os: [[Int32]] = [], dbo: [[[(Int32, Double)]]] = []
        for c in problem.classes {
            var byOrigin: [Int32: [(Int32, Double)]] = [:]
            for d in c.demand where d.amount > 0 && d.origin != d.destination { byOrigin[d.origin, default: []].append((d.destination, d.amount)) }
            let keys = byOrigin.keys.sorted()
            os.append(keys); dbo.append(keys.map { byOrigin[$0]!.sorted { $0.0 < $1.0 } })
        }
        origins = os; demandByOrigin = dbo
        volume = [Double](repeating: 0, count: problem.resources.count)
        delay = problem.resources.map { $0.delay(0) }; slope = problem.resources.map { $0.derivative(0) }
        flow = problem.classes.map { _ in [Double](repeating: 0, count: problem.linkCount) }
        ws = DijkstraWorkspace(nodeCount: problem.nodeCount)
        noTargets = [Bool](repeating: false, count: problem.nodeCount)
    }

    /// Computes the gap at the current flows and logs an iteration.
    mutating func record(_ it: Int) -> Double {
        let checkStart = Date()
        var w = ws
        let g = gap(workspace: &w, noTargets: noTargets).gap
        ws = w
        let z = objective(), now = Date()
        let entry = AssignmentIteration(iteration: it, relativeGap: g, objective: z, seconds: now.timeIntervalSince(startTime),
                                        solveSeconds: checkStart.timeIntervalSince(startTime) - checkSeconds)
        checkSeconds += now.timeIntervalSince(checkStart)
        log.append(entry); progress?(entry)
        return g
    }

    func stopReason(_ it: Int, _ g: Double, _ stop: AssignmentStop) -> String? {
        if g <= stop.gap { return "gap" }
        if it >= stop.maxIterations { return "iterations" }
        if Date().timeIntervalSince(startTime) >= stop.maxSeconds { return "time" }
        if stop.isCancelled?() == true { return "cancelled" }
        return nil
    }

    // MARK: - Costs

    @inline(__always) func cost(_ k: Int, _ e: Int) -> Double {
        let r = resourceOfEdge[e]
        let f = fixedFlat[k &* m &+ e]
        return r < 0 ? f : f + delayWeight[k] * delay[Int(r)]
    }
    @inline(__always) func derivative(_ k: Int, _ e: Int) -> Double {
        let r = resourceOfEdge[e]
        return r < 0 ? 0 : delayWeight[k] * volumeFactor[k] * slope[Int(r)]
    }
    @inline(__always) mutating func addFlow(_ k: Int, _ e: Int, _ dx: Double) {
        flow[k][e] += dx
        if flow[k][e] < 0 { flow[k][e] = 0 }
        let r = resourceOfEdge[e]
        if r >= 0 {
            let ri = Int(r)
            volume[ri] = max(0, volume[ri] + volumeFactor[k] * dx)
            (delay[ri], slope[ri]) = p.resources[ri].delayAndDerivative(volume[ri])
        }
    }
    mutating func refreshResources() {
        for r in 0..<volume.count { (delay[r], slope[r]) = p.resources[r].delayAndDerivative(volume[r]) }
    }
    func costs(_ k: Int) -> [Double] { (0..<m).map { cost(k, $0) } }

    // MARK: - Shortest paths (zones are not passed through)

    struct ZoneFilter: EdgeFilter {
        let tails: UnsafeBufferPointer<Int32>
        let blocked: UnsafeBufferPointer<Bool>
        let firstThrough: Int32
        let origin: Int32
        @inline(__always) func allows(_ e: Int) -> Bool {
            let t = tails[e]
            return !blocked[e] && (t >= firstThrough || t == origin)
        }
    }

    /// Shortest path tree of class k from an origin at the current costs.
    func shortestPaths(_ k: Int, from o: Int32, weights: [Double], workspace ws: inout DijkstraWorkspace, noTargets: [Bool]) {
        AssignmentSolver.shortestPaths(graph: graph, tails: tailOfEdge, blocked: blocked[k], firstThrough: Int32(p.firstThroughNode), from: o,
                                       weights: weights, workspace: &ws, noTargets: noTargets)
    }

    static func shortestPaths(graph: CSRGraph, tails: [Int32], blocked: [Bool], firstThrough: Int32, from o: Int32, weights: [Double],
                              workspace ws: inout DijkstraWorkspace, noTargets: [Bool]) {
        tails.withUnsafeBufferPointer { tails in
            blocked.withUnsafeBufferPointer { bl in
                weights.withUnsafeBufferPointer { w in
                    _ = ws.search(graph, weights: w, sources: [(Int(o), 0)], isTarget: noTargets,
                                  filter: ZoneFilter(tails: tails, blocked: bl, firstThrough: firstThrough, origin: o))
                }
            }
        }
    }

    /// Relative gap, TSTT and SPTT at the current flows. The shortest-path trees of the origins
    /// are computed on all cores; each origin's SPTT share is summed in origin order, so the
    /// result does not depend on the number of cores.
    func gap(workspace ws: inout DijkstraWorkspace, noTargets: [Bool]) -> (gap: Double, tstt: Double, sptt: Double) {
        var tstt = 0.0, sptt = 0.0
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        for k in 0..<p.classes.count {
            let w = costs(k)
            for e in 0..<m where flow[k][e] > 0 { tstt += flow[k][e] * w[e] }
            let os = origins[k], demand = demandByOrigin[k], graph = self.graph, tails = tailOfEdge, bl = blocked[k]
            let first = Int32(p.firstThroughNode), n = self.n
            // Each lane owns its workspace and its origins' shares; shares are summed in origin order.
            let share = parallelLanes(count: os.count, workers: workers) { lane in
                var local = DijkstraWorkspace(nodeCount: n)
                return lane.map { oi in
                    AssignmentSolver.shortestPaths(graph: graph, tails: tails, blocked: bl, firstThrough: first, from: os[oi], weights: w, workspace: &local, noTargets: noTargets)
                    var s = 0.0
                    for (d, q) in demand[oi] { s += q * local.distance(Int(d)) }
                    return s
                }
            }
            for s in share { sptt += s }
        }
        return (tstt > 0 ? (tstt - sptt) / tstt : 0, tstt, sptt)
    }

    /// Beckmann objective: fixed costs times flow plus the integrals of the delays.
    public func objective() -> Double {
        var z = 0.0
        for k in 0..<p.classes.count { for e in 0..<m where flow[k][e] > 0 { z += fixed[k][e] * flow[k][e] } }
        for r in 0..<volume.count { z += p.resources[r].integral(volume[r]) }
        return z
    }

    /// Loads each origin's demand on its current shortest paths, updating costs as it goes.
    mutating func allOrNothing(into target: inout [[Double]], workspace ws: inout DijkstraWorkspace, noTargets: [Bool], updateCosts: Bool) {
        for k in 0..<p.classes.count {
            for (oi, o) in origins[k].enumerated() {
                shortestPaths(k, from: o, weights: costs(k), workspace: &ws, noTargets: noTargets)
                for (e, q) in shortestPathLoads(k, oi, o, ws) {
                    if updateCosts { addFlow(k, e, q) } else { target[k][e] += q }
                }
            }
        }
    }

    /// The (edge, amount) loads of an origin's demand on the shortest-path tree held in `ws`.
    func shortestPathLoads(_ k: Int, _ oi: Int, _ o: Int32, _ ws: DijkstraWorkspace) -> [(Int, Double)] {
        var loads: [(Int, Double)] = []
        for (d, q) in demandByOrigin[k][oi] {
            var v = Int(d)
            guard ws.distance(v).isFinite else { continue }
            while v != Int(o) {
                let e = Int(ws.parent(v))
                loads.append((e, q))
                v = Int(tailOfEdge[e])
            }
        }
        return loads
    }

    // MARK: - Solve

    /// Runs the algorithm until a stop rule is met; returns the link flows and the convergence log.
    public mutating func solve(_ algorithm: Algorithm, stop: AssignmentStop, progress: (@Sendable (AssignmentIteration) -> Void)? = nil) -> AssignmentResult {
        startTime = Date(); log = []; checkSeconds = 0
        self.progress = progress
        let reason: String
        switch algorithm {
        case .algorithmB: reason = algorithmB(stop: stop)
        case .frankWolfe, .conjugateFrankWolfe: reason = frankWolfe(conjugate: algorithm == .conjugateFrankWolfe, stop: stop)
        }
        let start = startTime
        var linkFlow = [Double](repeating: 0, count: m), classFlow = flow.map { _ in [Double](repeating: 0, count: m) }, linkCost = [Double](repeating: 0, count: m)
        for e in 0..<m {
            let l = Int(linkOfEdge[e])
            for k in 0..<p.classes.count { classFlow[k][l] = flow[k][e]; linkFlow[l] += flow[k][e] * p.classes[k].volumeFactor }
            linkCost[l] = p.classes.isEmpty ? 0 : cost(0, e)
        }
        return AssignmentResult(algorithm: algorithm.rawValue, iterations: log, relativeGap: log.last?.relativeGap ?? 0, objective: objective(),
                                seconds: Date().timeIntervalSince(start), linkFlow: linkFlow, classFlow: classFlow, linkCost: linkCost, stopReason: reason)
    }

    // MARK: - Frank-Wolfe and conjugate Frank-Wolfe

    mutating func frankWolfe(conjugate: Bool, stop: AssignmentStop) -> String {
        var dummy = flow
        var w = ws
        allOrNothing(into: &dummy, workspace: &w, noTargets: noTargets, updateCosts: true)
        var previousTarget: [[Double]]? = nil
        var it = 0
        while true {
            let g = record(it)
            if let reason = stopReason(it, g, stop) { ws = w; return reason }
            it += 1
            var y = flow.map { [Double](repeating: 0, count: $0.count) }
            allOrNothing(into: &y, workspace: &w, noTargets: noTargets, updateCosts: false)
            var s = y
            if conjugate, let prev = previousTarget {
                // alpha from conjugacy with the previous direction w.r.t. the Hessian (diagonal in resource volumes).
                let a = resourceVolumes(prev, minus: flow), b = resourceVolumes(y, minus: flow), c = resourceVolumes(y, minus: prev)
                var num = 0.0, den = 0.0
                for r in 0..<volume.count { num += slope[r] * a[r] * b[r]; den += slope[r] * a[r] * c[r] }
                var alpha = den != 0 ? num / den : 0
                if !alpha.isFinite || alpha < 0 { alpha = 0 }
                alpha = min(alpha, 0.99)
                for k in 0..<s.count { for e in 0..<m { s[k][e] = alpha * prev[k][e] + (1 - alpha) * y[k][e] } }
            }
            var d = (0..<flow.count).map { k in (0..<m).map { s[k][$0] - flow[k][$0] } }
            // A conjugate direction that is not a descent direction falls back to Frank-Wolfe's.
            if conjugate && previousTarget != nil && directionalDerivative(d) >= 0 {
                s = y
                d = (0..<flow.count).map { k in (0..<m).map { y[k][$0] - flow[k][$0] } }
            }
            let tau = lineSearch(d)
            for k in 0..<flow.count { for e in 0..<m where d[k][e] != 0 { flow[k][e] = max(0, flow[k][e] + tau * d[k][e]) } }
            recomputeVolumes()
            // No progress: restart the conjugate sequence.
            previousTarget = tau > 1e-6 ? s : nil
        }
    }

    func resourceVolumes(_ a: [[Double]], minus b: [[Double]]) -> [Double] {
        var v = [Double](repeating: 0, count: volume.count)
        for k in 0..<a.count {
            let f = p.classes[k].volumeFactor
            for e in 0..<m { let r = resourceOfEdge[e]; if r >= 0 { v[Int(r)] += f * (a[k][e] - b[k][e]) } }
        }
        return v
    }

    mutating func recomputeVolumes() {
        for r in 0..<volume.count { volume[r] = 0 }
        for k in 0..<flow.count {
            let f = p.classes[k].volumeFactor
            for e in 0..<m { let r = resourceOfEdge[e]; if r >= 0 { volume[Int(r)] += f * flow[k][e] } }
        }
        refreshResources()
    }

    /// The objective's slope along d at the current flows.
    func directionalDerivative(_ d: [[Double]]) -> Double {
        var g = 0.0
        for k in 0..<d.count { for e in 0..<m where d[k][e] != 0 { g += cost(k, e) * d[k][e] } }
        return g
    }

    /// Step size in [0, 1] along d minimising the objective: bisection on its derivative.
    func lineSearch(_ d: [[Double]]) -> Double {
        let dv = resourceVolumes(d, minus: d.map { $0.map { _ in 0 } })
        var fixedSlope = 0.0
        for k in 0..<d.count { for e in 0..<m where d[k][e] != 0 { fixedSlope += fixed[k][e] * d[k][e] } }
        func derivative(_ t: Double) -> Double {
            var g = fixedSlope
            for r in 0..<volume.count where dv[r] != 0 { g += p.resources[r].delay(volume[r] + t * dv[r]) * dv[r] }
            return g
        }
        if derivative(1) <= 0 { return 1 }
        if derivative(0) >= 0 { return 0 }
        var lo = 0.0, hi = 1.0
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if derivative(mid) > 0 { hi = mid } else { lo = mid }
        }
        return (lo + hi) / 2
    }
}
