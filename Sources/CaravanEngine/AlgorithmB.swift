import Foundation

/// Bush state of one (class, origin): membership and origin flow per CSR edge.
struct Bush {
    var inBush: [Bool]
    var flow: [Double]
    /// Flow at or below this counts as none (a tiny fraction of the origin's demand): float
    /// residues left by shifts would otherwise keep dead paths "used" and stall the shifts.
    var tiny: Double = 0
    /// Topological order from the last shift passes; still valid at the next bush update
    /// (shifts change flows, not membership). Empty = compute.
    var order: [Int32] = []
    /// The bush's in-links node by node in `order` (those of order[i] at inStart[i]..<inStart[i + 1]),
    /// so the label passes skip links outside the bush; set with `order` by each bush update.
    var inStart: [Int32] = [], inList: [Int32] = []
    /// Whether the in-link lists were built for `order` (the bush's own order: same storage, O(1)).
    func hasInLists(for order: [Int32]) -> Bool { inStart.count == order.count + 1 && order == self.order }
    /// Edges with a resource loaded when the bush was built (emptied after use).
    var loaded: [Int32] = []
    /// Consecutive bush updates that found a shorter path the bush cannot take without a cycle.
    var blockedUpdates = 0
    /// Times the bush was rebuilt for that reason; each doubles the patience before the next.
    var blockedResets = 0
}

extension AssignmentSolver {
    /// Dial's Algorithm B. Returns why it stopped.
    mutating func algorithmB(stop: AssignmentStop) -> String {
        // Initial bushes: the shortest path tree of each origin, loaded all-or-nothing
        // incrementally (later origins see the delays of earlier loads). Costs are kept up to
        // date edge by edge: only edges sharing a resource with a loaded edge change.
        let (resFirst, _) = CSRGraph.build(nodeCount: p.resources.count,
                                                  tails: resourceOfEdge.filter { $0 >= 0 },
                                                  heads: (0..<m).filter { resourceOfEdge[$0] >= 0 }.map { Int32($0) })
        var bushes: [[Bush]] = []
        for k in 0..<p.classes.count {
            var list: [Bush] = []
            var w = costs(k)
            var tree = DijkstraWorkspace(nodeCount: n)
            for (oi, o) in origins[k].enumerated() {
                shortestPaths(k, from: o, weights: w, workspace: &tree, noTargets: noTargets)
                var b = treeBush(k, oi, o, tree)
                for e in b.loaded {
                    let r = Int(resourceOfEdge[Int(e)])
                    for i in Int(resFirst.firstOut[r])..<Int(resFirst.firstOut[r + 1]) { let e2 = Int(resFirst.head[i]); w[e2] = cost(k, e2) }
                }
                b.loaded = []
                list.append(b)
            }
            bushes.append(list)
        }
        var scratch = BushScratch(n: n)
        scratch.net = [Double](repeating: 0, count: p.resources.count)
        var pair = [scratch, scratch]
        var it = 0
        // The stall guard looks back over the log entries since its last rebuild (`since`).
        var since = 0, window = 8
        while true {
            let g = record(it)
            // Stall guard: when neither the gap (by 1%) nor the objective (by 1e-12) has fallen in
            // `window` iterations, nor the gap by 5% in 64, rebuild the bushes of origins whose bush
            // misses a shorter path or keeps unequal used paths (see docs/assignment.md). Slow but
            // steady progress (several classes sharing congested links, stiff queues) is left alone: a
            // rebuild would undo it. Each rebuild doubles the window, so a slow linear tail is not
            // mistaken for a stall again and again.
            if log.count - since > window {
                let then = log[log.count - window], z = log[log.count - 1].objective
                let steady = log.count > 64 && g < 0.95 * log[log.count - 65].relativeGap
                if g > then.relativeGap * 0.99 && then.objective - z <= 1e-12 * abs(z) && g > stop.gap && !steady {
                    resetStuckBushes(&bushes, &pair[0])
                    since = log.count
                    window = min(2 * window, 256)
                }
            }
            if let reason = stopReason(it, g, stop) {
                // Keep origin flows of small problems for inspection (tests of equilibrium conditions).
                if m * origins.reduce(0, { $0 + $1.count }) <= 1_000_000 {
                    originFlows = bushes.map { $0.map { b in (0..<m).map { b.flow[Int(edgeOfLink[$0])] } } }
                }
                return reason
            }
            it += 1
            for k in 0..<p.classes.count { sweep(k, &bushes[k], &pair) }
            resetBlockedBushes(&bushes)
            innerRounds(&bushes, &pair[0], gap: g)
        }
    }

    /// One iteration over the origins of class k: each origin's bush is updated, then its flows
    /// shifted. Origins go in pairs, overlapped on two cores: while one core shifts the flows of
    /// the previous pair (in order, each origin seeing every shift before it), the cores update the
    /// bushes of the current pair from the costs as they were before the previous pair's shifts.
    /// That fixed lag of at most three origins keeps the result independent of thread timing.
    mutating func sweep(_ k: Int, _ bushes: inout [Bush], _ scratch: inout [BushScratch]) {
        let os = origins[k]
        let steps = (os.count + 1) / 2
        for j in 0...steps {
            // The second core updates bush 2j + 1 from a copy of the solver taken now (copy-on-write
            // keeps it unchanged while this thread shifts flows); the bush and its scratch are moved
            // to that core and back, so no memory is shared while both run.
            let frozen = self
            let second = j < steps && 2 * j + 1 < os.count ? 2 * j + 1 : -1
            var handoff: Handoff<(Bush, BushScratch)>?
            if second >= 0 {
                handoff = Handoff((bushes[second], scratch[1]))
                bushes[second] = Bush(inBush: [], flow: []); scratch[1] = BushScratch(n: 0)
            }
            func shiftPreviousThenUpdate() {
                if j > 0 {
                    for oi in (2 * j - 2)..<min(2 * j, os.count) {
                        // Shifts change flows, not bush membership: one topological order serves every pass.
                        let order = bushes[oi].order
                        for _ in 0..<4 {
                            if (self.equilibrate(k, Int(os[oi]), &bushes[oi], &scratch[0], order: order) ?? 0) < 1e-13 { break }
                        }
                    }
                }
                if j < steps { frozen.updateBush(k, Int(os[2 * j]), &bushes[2 * j], &scratch[0]) }
            }
            if let handoff {
                let o = Int(os[second])
                let (b, s) = alongside({
                    var (b, s) = handoff.take()
                    frozen.updateBush(k, o, &b, &s)
                    return (b, s)
                }, shiftPreviousThenUpdate)
                bushes[second] = b; scratch[1] = s
            } else {
                shiftPreviousThenUpdate()
            }
        }
    }

    /// Rounds of flow shifts over the bushes after each sweep (TAP-B's "inner iterations"), at most.
    static let innerRounds = 20
    /// A bush whose average excess cost is below this share of the last relative gap sits out the
    /// rest of the rounds (TAP-B's 0.25), so the rounds work on the bushes furthest from equilibrium.
    static let innerSkipShare = 0.25

    /// Re-equilibrates the bushes (flows only, bushes unchanged) over up to `innerRounds` rounds,
    /// each origin in turn seeing the costs left by the others: a sweep updates each bush once,
    /// which is the expensive step, while shifts between origins spread cost changes cheaply.
    mutating func innerRounds(_ bushes: inout [[Bush]], _ s: inout BushScratch, gap: Double) {
        var active = bushes.map { [Bool](repeating: true, count: $0.count) }
        let threshold = Self.innerSkipShare * gap
        for _ in 0..<Self.innerRounds {
            var largest = 0.0, any = false
            for k in 0..<p.classes.count {
                for (oi, o) in origins[k].enumerated() where active[k][oi] {
                    let order = bushes[k][oi].order
                    if let l = equilibrate(k, Int(o), &bushes[k][oi], &s, order: order, skipBelow: (threshold, demandByOrigin[k][oi])) {
                        largest = max(largest, l); any = true
                    } else { active[k][oi] = false }
                }
            }
            if !any || largest < 1e-13 { break }
        }
    }

    /// Rebuilds, as its current shortest-path tree loaded all-or-nothing, the bush of every
    /// origin whose bush misses a shorter path or keeps used paths of unequal cost.
    mutating func resetStuckBushes(_ bushes: inout [[Bush]], _ s: inout BushScratch) {
        for k in 0..<p.classes.count {
            for (oi, o) in origins[k].enumerated() {
                let b = bushes[k][oi]
                let order = topologicalOrder(Int(o), b, &s)
                labels(k, Int(o), b, order, &s)
                var w = ws
                shortestPaths(k, from: o, weights: costs(k), workspace: &w, noTargets: noTargets)
                var excess = 0.0, total = 0.0
                for (d, q) in demandByOrigin[k][oi] {
                    let sp = w.distance(Int(d))
                    excess += q * (max(s.maxL[Int(d)], s.minL[Int(d)]) - sp); total += q * sp
                }
                guard excess > 1e-9 * total else { continue }
                rebuildAsTree(k, oi, o, &bushes)
            }
        }
    }

    /// Rebuilds, as its shortest-path tree, the bush of every origin whose last three updates found a
    /// shorter path it could not take: the bush carries flow the other way (a path from the
    /// shortcut's head back to its tail), and shifts within the bush never empty it, so without
    /// this the gap would stall until the stall guard (Barcelona: 16 iterations at 1.1e-4).
    mutating func resetBlockedBushes(_ bushes: inout [[Bush]]) {
        for k in 0..<p.classes.count {
            for (oi, o) in origins[k].enumerated() where bushes[k][oi].blockedUpdates >= 3 << min(bushes[k][oi].blockedResets, 12) {
                // Patience doubles with each rebuild: on steep queues an all-or-nothing load can
                // block another shortcut, and rebuilding again at once would oscillate.
                let resets = bushes[k][oi].blockedResets
                rebuildAsTree(k, oi, o, &bushes)
                bushes[k][oi].blockedResets = resets + 1
            }
        }
    }

    /// Takes the origin's flow off the network and replaces its bush by its current shortest-path
    /// tree with the demand loaded all-or-nothing.
    mutating func rebuildAsTree(_ k: Int, _ oi: Int, _ o: Int32, _ bushes: inout [[Bush]]) {
        let b = bushes[k][oi]
        for e in 0..<m where b.flow[e] > 0 { addFlow(k, e, -b.flow[e]) }
        bushes[k][oi] = shortestPathBush(k, oi, o)
    }

    /// A bush made of the origin's current shortest-path tree, with its demand loaded on it.
    mutating func shortestPathBush(_ k: Int, _ oi: Int, _ o: Int32) -> Bush {
        // Borrow the workspace without copying its arrays.
        var w = DijkstraWorkspace(nodeCount: 0)
        swap(&w, &ws)
        defer { swap(&w, &ws) }
        shortestPaths(k, from: o, weights: costs(k), workspace: &w, noTargets: noTargets)
        var b = treeBush(k, oi, o, w)
        b.loaded = []
        return b
    }

    /// A bush made of the shortest-path tree in `w`, with the origin's demand loaded on it.
    /// `loaded` of the result lists the edges that received flow (those with a resource), for cost updates.
    mutating func treeBush(_ k: Int, _ oi: Int, _ o: Int32, _ w: DijkstraWorkspace) -> Bush {
        var b = Bush(inBush: [Bool](repeating: false, count: m), flow: [Double](repeating: 0, count: m),
                     tiny: 1e-13 * demandByOrigin[k][oi].reduce(0) { $0 + $1.1 })
        for v in 0..<n where v != Int(o) && w.distance(v).isFinite { b.inBush[Int(w.parent(v))] = true }
        for (e, q) in shortestPathLoads(k, oi, o, w) {
            if b.flow[e] == 0 && resourceOfEdge[e] >= 0 { b.loaded.append(Int32(e)) }
            b.flow[e] += q; addFlow(k, e, q)
        }
        return b
    }

    /// Topological order of the bush (nodes reachable from the origin), Kahn's algorithm.
    func topologicalOrder(_ o: Int, _ b: Bush, _ s: inout BushScratch) -> [Int32] {
        s.epoch &+= 1
        let ep = s.epoch
        // Count in-bush in-degrees of nodes reachable from o (DFS over bush links); buffers are reused.
        s.stack.removeAll(keepingCapacity: true)
        s.stack.append(Int32(o))
        s.seen[o] = ep; s.indeg[o] = 0
        var reachable = 0
        while let u = s.stack.popLast() {
            reachable += 1
            for e in Int(graph.firstOut[Int(u)])..<Int(graph.firstOut[Int(u) + 1]) where b.inBush[e] {
                let v = Int(graph.head[e])
                if s.seen[v] != ep { s.seen[v] = ep; s.indeg[v] = 0; s.stack.append(Int32(v)) }
                s.indeg[v] += 1
            }
        }
        return kahnOrder(o, b, reachable, &s)
    }

    /// Kahn's algorithm from the in-bush in-degrees in `s.indeg` of the `reachable` nodes.
    func kahnOrder(_ o: Int, _ b: Bush, _ reachable: Int, _ s: inout BushScratch) -> [Int32] {
        // The queue, read from the front, is the order.
        var order = [Int32]()
        order.reserveCapacity(reachable)
        order.append(Int32(o))
        var head = 0
        while head < order.count {
            let u = Int(order[head]); head += 1
            for e in Int(graph.firstOut[u])..<Int(graph.firstOut[u + 1]) where b.inBush[e] {
                let v = Int(graph.head[e])
                s.indeg[v] -= 1
                if s.indeg[v] == 0 { order.append(Int32(v)) }
            }
        }
        assert(order.count == reachable, "bush has a cycle")
        return order
    }

    /// Min labels (over all bush links) and max labels (over used bush links) in topological order.
    /// The hot loop of Algorithm B (a third of its time): read through buffer pointers.
    func labels(_ k: Int, _ o: Int, _ b: Bush, _ order: [Int32], _ s: inout BushScratch) {
        let base = k &* m, weight = delayWeight[k]
        // Float residues of earlier shifts (at most `tiny`) do not make a path "used": shifting them
        // would move nothing while the paths that carry flow wait (Chicago-Sketch stalled at 2.5e-6).
        let tiny = b.tiny
        // The bush's own in-link lists when they were built for this order (every pass after a bush
        // update); otherwise every in-link of the node, filtered by membership.
        let listed = b.hasInLists(for: order)
        let starts = listed ? b.inStart : [], lists = listed ? b.inList : []
        starts.withUnsafeBufferPointer { starts in
        lists.withUnsafeBufferPointer { lists in
        inFirst.withUnsafeBufferPointer { inFirst in
        inEdges.withUnsafeBufferPointer { inEdges in
        tailOfEdge.withUnsafeBufferPointer { tails in
        resourceOfEdge.withUnsafeBufferPointer { res in
        fixedFlat.withUnsafeBufferPointer { fixed in
        delay.withUnsafeBufferPointer { delay in
        b.inBush.withUnsafeBufferPointer { inBush in
        b.flow.withUnsafeBufferPointer { flow in
        s.minL.withUnsafeMutableBufferPointer { minL in
        s.maxL.withUnsafeMutableBufferPointer { maxL in
        s.minPred.withUnsafeMutableBufferPointer { minPred in
        s.maxPred.withUnsafeMutableBufferPointer { maxPred in
            for u in order { minL[Int(u)] = .infinity; maxL[Int(u)] = -.infinity; minPred[Int(u)] = -1; maxPred[Int(u)] = -1 }
            minL[o] = 0; maxL[o] = 0
            var excess = 0.0
            for (idx, u32) in order.enumerated() {
                let v = Int(u32)
                if v == o { continue }
                var lo = Double.infinity, hi = -Double.infinity, loPred: Int32 = -1, hiPred: Int32 = -1
                var inCost = 0.0, inFlow = 0.0
                let (first, end, edges) = listed ? (Int(starts[idx]), Int(starts[idx + 1]), lists) : (Int(inFirst[v]), Int(inFirst[v + 1]), inEdges)
                for i in first..<end {
                    let e = Int(edges[i])
                    guard listed || inBush[e] else { continue }
                    let t = Int(tails[e])
                    let r = res[e]
                    let c = r < 0 ? fixed[base &+ e] : fixed[base &+ e] + weight * delay[Int(r)]
                    let lmin = minL[t] + c
                    if lmin < lo { lo = lmin; loPred = Int32(e) }
                    let f = flow[e]
                    if f > tiny && maxL[t] > -.infinity {
                        let lmax = maxL[t] + c
                        if lmax > hi { hi = lmax; hiPred = Int32(e) }
                        inCost += f * lmin; inFlow += f
                    }
                }
                // Excess cost of the flow into v over the bush's shortest path to v.
                if inFlow > 0 { excess += inCost - inFlow * lo }
                minL[v] = lo; minPred[v] = loPred
                if hiPred < 0 { maxL[v] = lo; maxPred[v] = loPred } else { maxL[v] = hi; maxPred[v] = hiPred }
            }
            s.excess = excess
        }}}}}}}}}}}}}}
    }

    /// Min labels and their links over all bush links, in topological order.
    func minLabels(_ k: Int, _ o: Int, _ b: Bush, _ order: [Int32], _ s: inout BushScratch, listed: Bool) {
        s.minL[o] = 0; s.minPred[o] = -1
        for (idx, u32) in order.enumerated() {
            let v = Int(u32)
            if v == o { continue }
            var best = Double.infinity, pred: Int32 = -1
            let (first, end) = listed ? (Int(b.inStart[idx]), Int(b.inStart[idx + 1])) : (Int(inFirst[v]), Int(inFirst[v + 1]))
            for i in first..<end {
                let e = Int(listed ? b.inList[i] : inEdges[i])
                guard listed || b.inBush[e] else { continue }
                let l = s.minL[Int(tailOfEdge[e])] + cost(k, e)
                if l < best { best = l; pred = Int32(e) }
            }
            s.minL[v] = best; s.minPred[v] = pred
        }
    }

    /// Removes unused links (keeping the shortest-path tree) and adds links that shorten
    /// paths without creating a cycle. Leaves a topological order of the new bush in `b.order`.
    func updateBush(_ k: Int, _ o: Int, _ b: inout Bush, _ s: inout BushScratch) {
        var order = b.order.isEmpty ? topologicalOrder(o, b, &s) : b.order
        // The in-link lists of the last update still hold: membership has not changed since.
        let listed = b.hasInLists(for: order)
        minLabels(k, o, b, order, &s, listed: listed)
        // Unused links are dropped (keeping each node's shortest-path link, so `order` stays
        // topological and every node reachable), and longest-path labels U computed over the rest in
        // the same pass: adding (i, j) with U_i + c < U_j keeps the bush acyclic.
        s.epoch &+= 1
        let ep = s.epoch
        for u in order { s.longL[Int(u)] = -.infinity; s.seen[Int(u)] = ep }
        s.longL[o] = 0
        for (idx, u32) in order.enumerated() {
            let v = Int(u32)
            var long = s.longL[v]
            var indeg: Int32 = 0
            let (first, end) = listed ? (Int(b.inStart[idx]), Int(b.inStart[idx + 1])) : (Int(inFirst[v]), Int(inFirst[v + 1]))
            for i in first..<end {
                let e = Int(listed ? b.inList[i] : inEdges[i])
                guard listed || b.inBush[e] else { continue }
                if b.flow[e] <= 0 && s.minPred[v] != Int32(e) { b.inBush[e] = false; continue }
                long = max(long, s.longL[Int(tailOfEdge[e])] + cost(k, e))
                indeg += 1
            }
            s.longL[v] = long; s.indeg[v] = indeg
        }
        // Min labels from before the removal still hold: every shortest-path link was kept.
        var added = false
        var candidates: [Int32] = []
        for u32 in order {
            let t = Int(u32)
            if t != o && t < p.firstThroughNode { continue }
            for e in Int(graph.firstOut[t])..<Int(graph.firstOut[t + 1]) where !b.inBush[e] && !blocked[k][e] {
                let h = Int(graph.head[e])
                guard s.seen[h] == ep else { continue }
                let c = cost(k, e)
                // Every bush link runs up in U, so a new link that does too cannot close a cycle:
                // Dial's rule (a shortcut for the longest path) and Nie's (a shortcut for the
                // shortest path that runs up in U; TAP-B's strict criterion).
                let shorter = s.minL[t] + c < s.minL[h] * (1 - 1e-14)
                if s.longL[t] + c < s.longL[h] || (shorter && s.longL[t] < s.longL[h]) { b.inBush[e] = true; added = true; s.indeg[h] += 1 }
                else if shorter { candidates.append(Int32(e)) }
            }
        }
        // Other shortest-path shortcuts: added when they run forward in a topological order of the
        // bush, or backward without a bush path back (so they cannot close a cycle); the rest wait.
        if added { order = kahnOrder(o, b, order.count, &s) }
        var waiting = false, cycleBlocked = false
        if !candidates.isEmpty {
            for (i, u) in order.enumerated() { s.pos[Int(u)] = Int32(i) }
            var reordered = false
            var backward: [Int] = []
            for e32 in candidates {
                let e = Int(e32)
                if s.pos[Int(tailOfEdge[e])] < s.pos[Int(graph.head[e])] { b.inBush[e] = true } else { backward.append(e) }
            }
            // Backward in this order: such a link closes a cycle only if the bush (with every link
            // added so far) leads from its head back to its tail.
            for e in backward {
                let t = Int(tailOfEdge[e]), h = Int(graph.head[e])
                if reaches(from: h, to: t, b, &s) {
                    waiting = true
                    if s.minL[t] + cost(k, e) < s.minL[h] * (1 - 1e-12) { cycleBlocked = true }
                } else { b.inBush[e] = true; reordered = true }
            }
            if reordered { countInDegrees(order, b, &s); order = kahnOrder(o, b, order.count, &s) }
        }
        // A shortcut that would close a cycle waits until flow leaves the bush path that runs the
        // other way; when nothing else was added, every link running forward in the order joins (as
        // TAP-B's loose criterion does by longest-path labels), so flow has somewhere to go.
        if waiting && !added {
            // Forward in the current topological order (the labels U predate this update's links).
            var loose = false
            for (i, u) in order.enumerated() { s.pos[Int(u)] = Int32(i) }
            for u32 in order {
                let t = Int(u32)
                if t != o && t < p.firstThroughNode { continue }
                for e in Int(graph.firstOut[t])..<Int(graph.firstOut[t + 1]) where !b.inBush[e] && !blocked[k][e] {
                    let h = Int(graph.head[e])
                    if s.seen[h] == ep && s.pos[t] < s.pos[h] { b.inBush[e] = true; loose = true }
                }
            }
            if loose { countInDegrees(order, b, &s); order = kahnOrder(o, b, order.count, &s) }
        }
        b.order = order
        b.inStart.removeAll(keepingCapacity: true); b.inList.removeAll(keepingCapacity: true)
        b.inStart.append(0)
        for u in order {
            for i in Int(inFirst[Int(u)])..<Int(inFirst[Int(u) + 1]) where b.inBush[Int(inEdges[i])] { b.inList.append(inEdges[i]) }
            b.inStart.append(Int32(b.inList.count))
        }
        b.blockedUpdates = cycleBlocked ? b.blockedUpdates + 1 : 0
    }

    /// In-degrees over bush links of the nodes in `order`, as `kahnOrder` consumes them.
    func countInDegrees(_ order: [Int32], _ b: Bush, _ s: inout BushScratch) {
        for u in order {
            let v = Int(u)
            var d: Int32 = 0
            for i in Int(inFirst[v])..<Int(inFirst[v + 1]) where b.inBush[Int(inEdges[i])] { d += 1 }
            s.indeg[v] = d
        }
    }

    /// Whether the bush has a path from `a` to `z` (depth-first over bush links).
    func reaches(from a: Int, to z: Int, _ b: Bush, _ s: inout BushScratch) -> Bool {
        s.mark &+= 1
        let mk = s.mark
        s.stack.removeAll(keepingCapacity: true)
        s.stack.append(Int32(a)); s.marked[a] = mk
        while let v32 = s.stack.popLast() {
            let v = Int(v32)
            if v == z { return true }
            for e in Int(graph.firstOut[v])..<Int(graph.firstOut[v + 1]) where b.inBush[e] {
                let h = Int(graph.head[e])
                if s.marked[h] != mk { s.marked[h] = mk; s.stack.append(Int32(h)) }
            }
        }
        return false
    }

    /// One pass of Newton flow shifts from longest to shortest used segments; returns the largest cost difference seen,
    /// or nil without shifting when a threshold is given and the bush's average excess cost (its flow's cost over the
    /// bush's shortest paths, relative to the demand's cost on them; TAP-B's test) is below it.
    mutating func equilibrate(_ k: Int, _ o: Int, _ b: inout Bush, _ s: inout BushScratch, order: [Int32],
                              skipBelow skip: (threshold: Double, demand: [(Int32, Double)])? = nil) -> Double? {
        labels(k, o, b, order, &s)
        if let skip {
            var sptt = 0.0
            for (d, q) in skip.demand { sptt += q * s.minL[Int(d)] }
            if s.excess <= skip.threshold * sptt { return nil }
        }
        var largest = 0.0
        for idx in stride(from: order.count - 1, through: 1, by: -1) {
            let j = Int(order[idx])
            if s.minPred[j] == s.maxPred[j] || s.minPred[j] < 0 || s.maxPred[j] < 0 { continue }
            // Mark the shortest path back from j, then walk the longest back to the first marked node.
            s.mark &+= 1
            let mk = s.mark
            var v = j
            s.marked[v] = mk
            while v != o { v = Int(tailOfEdge[Int(s.minPred[v])]); s.marked[v] = mk }
            var a = j
            repeat { a = Int(tailOfEdge[Int(s.maxPred[a])]) } while s.marked[a] != mk
            var cMin = 0.0, cMax = 0.0, dSum = 0.0, cap = Double.infinity
            s.segment.removeAll(keepingCapacity: true)
            v = j
            while v != a { let e = Int(s.minPred[v]); cMin += cost(k, e); dSum += derivative(k, e); s.segment.append((Int32(e), 1)); v = Int(tailOfEdge[e]) }
            v = j
            while v != a { let e = Int(s.maxPred[v]); cMax += cost(k, e); dSum += derivative(k, e); cap = min(cap, b.flow[e]); s.segment.append((Int32(e), -1)); v = Int(tailOfEdge[e]) }
            let diff = cMax - cMin
            guard diff > 0, cap > 0 else { continue }
            largest = max(largest, diff / max(cMax, 1e-300))
            var dx = dSum > 0 ? min(cap, diff / dSum) : cap
            // Newton's step can overshoot on steep (queue) delays: then find the shift where the two
            // segments cost the same, so every shift is an exact line search. Regula falsi with the
            // Illinois rule keeps the bracket [lo: g >= 0, hi: g < 0] and needs a few evaluations where
            // bisection needed forty (it was a fifth of Sioux Falls' time).
            let gAtDx = segmentGap(k, dx, &s)
            if gAtDx < 0 {
                var lo = 0.0, hi = dx, gLo = diff, wLo = diff, wHi = gAtDx, side = 0
                for _ in 0..<60 {
                    var x = (lo * wHi - hi * wLo) / (wHi - wLo)
                    if !(x > lo && x < hi) { x = 0.5 * (lo + hi) }
                    let g = segmentGap(k, x, &s)
                    if g < 0 {
                        hi = x; wHi = g
                        if side < 0 { wLo *= 0.5 }
                        side = -1
                    } else {
                        lo = x; gLo = g; wLo = g
                        if side > 0 { wHi *= 0.5 }
                        side = 1
                    }
                    if gLo <= 1e-12 * cMax || hi - lo <= 1e-12 * hi { break }
                }
                dx = lo
            }
            if cap - dx <= b.tiny { dx = cap }   // empty the longest segment exactly rather than leave a residue
            guard dx > 0 else { continue }
            v = j
            while v != a { let e = Int(s.maxPred[v]); b.flow[e] = max(0, b.flow[e] - dx); addFlow(k, e, -dx); v = Int(tailOfEdge[e]) }
            v = j
            while v != a { let e = Int(s.minPred[v]); b.flow[e] += dx; addFlow(k, e, dx); v = Int(tailOfEdge[e]) }
        }
        return largest
    }
}

extension AssignmentSolver {
    /// Cost of the longer segment minus the shorter one after moving `dx` of class k from the
    /// longer (sign -1 in `s.segment`) to the shorter (+1). A resource met on both segments keeps its volume.
    func segmentGap(_ k: Int, _ dx: Double, _ s: inout BushScratch) -> Double {
        let vf = volumeFactor[k], w = delayWeight[k]
        for (e, _) in s.segment { let r = resourceOfEdge[Int(e)]; if r >= 0 { s.net[Int(r)] = 0 } }
        for (e, sign) in s.segment { let r = resourceOfEdge[Int(e)]; if r >= 0 { s.net[Int(r)] += Double(sign) } }
        var g = 0.0
        for (e, sign) in s.segment {
            let r = Int(resourceOfEdge[Int(e)])
            let c = r < 0 ? fixed[k][Int(e)] : fixed[k][Int(e)] + w * p.resources[r].delay(max(0, volume[r] + vf * dx * s.net[r]))
            g -= Double(sign) * c
        }
        return g
    }
}

/// Per-node arrays reused across bushes.
struct BushScratch {
    /// The two segments of a flow shift: (edge, +1 shorter / -1 longer), and per-resource net direction.
    var segment: [(Int32, Int8)] = []
    var stack: [Int32] = []
    var net: [Double] = []
    var seen: [UInt32], indeg: [Int32], minL: [Double], maxL: [Double], longL: [Double], minPred: [Int32], maxPred: [Int32], pos: [Int32], marked: [UInt32]
    var epoch: UInt32 = 0, mark: UInt32 = 0
    /// The bush's excess cost from the last `labels` pass.
    var excess = 0.0
    init(n: Int) {
        seen = [UInt32](repeating: 0, count: n); indeg = [Int32](repeating: 0, count: n); minL = [Double](repeating: 0, count: n)
        maxL = minL; longL = minL; minPred = [Int32](repeating: -1, count: n); maxPred = minPred; pos = minPred; marked = seen
    }
}
