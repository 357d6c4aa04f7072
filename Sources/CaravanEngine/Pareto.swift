/// Multi-criteria label-setting search (Martins' algorithm) over three
/// non-negative criteria. Labels are kept in flat arrays; each state has a bag
/// of non-dominated label ids. Labels are settled in order of a strictly positive
/// weighted sum, so a settled label is never dominated by a later one.
struct ParetoSearch {
    struct Criteria { var a: Double; var b: Double; var c: Double }

    /// True when x is at least as good as y in every criterion (within a relative tolerance).
    @inline(__always) static func covers(_ x: Criteria, _ y: Criteria) -> Bool {
        func le(_ u: Double, _ v: Double) -> Bool { u <= v + 1e-9 * max(1, abs(v)) }
        return le(x.a, y.a) && le(x.b, y.b) && le(x.c, y.c)
    }

    /// Returns the edge paths of all non-dominated routes from any source state to any target state.
    static func run(graph: CSRGraph, a: [Double], b: [Double], c: [Double], key: (Double, Double, Double),
                    sources: [Int], isTarget: [Bool], allowed: (Int) -> Bool, labelLimit: Int = 2_000_000) -> [[Int32]] {
        var la: [Double] = [], lb: [Double] = [], lc: [Double] = []
        var lState: [Int32] = [], lPred: [Int32] = [], lEdge: [Int32] = [], alive: [Bool] = []
        var bags = [[Int32]](repeating: [], count: graph.nodeCount)
        var targets: [Int32] = []
        var heap = LabelHeap()
        func add(_ crit: Criteria, state: Int, pred: Int32, edge: Int32) {
            for t in targets where alive[Int(t)] && covers(Criteria(a: la[Int(t)], b: lb[Int(t)], c: lc[Int(t)]), crit) { return }
            var bag = bags[state]
            for l in bag where covers(Criteria(a: la[Int(l)], b: lb[Int(l)], c: lc[Int(l)]), crit) { return }
            bag.removeAll { l in
                let dominated = covers(crit, Criteria(a: la[Int(l)], b: lb[Int(l)], c: lc[Int(l)]))
                if dominated { alive[Int(l)] = false }
                return dominated
            }
            let id = Int32(la.count)
            la.append(crit.a); lb.append(crit.b); lc.append(crit.c)
            lState.append(Int32(state)); lPred.append(pred); lEdge.append(edge); alive.append(true)
            bag.append(id)
            bags[state] = bag
            heap.push(key.0 * crit.a + key.1 * crit.b + key.2 * crit.c, id)
        }
        for s in sources { add(Criteria(a: 0, b: 0, c: 0), state: s, pred: -1, edge: -1) }
        while let (_, id) = heap.pop() {
            let l = Int(id)
            guard alive[l] else { continue }
            let u = Int(lState[l])
            if isTarget[u] { targets.append(id); continue }
            if la.count > labelLimit { break }
            for e in Int(graph.firstOut[u])..<Int(graph.firstOut[u + 1]) where allowed(e) {
                add(Criteria(a: la[l] + a[e], b: lb[l] + b[e], c: lc[l] + c[e]), state: Int(graph.head[e]), pred: id, edge: Int32(e))
            }
        }
        // Targets at different destination states may still dominate each other.
        let final = targets.filter { t in
            alive[Int(t)] && !targets.contains { o in
                o != t && alive[Int(o)] && covers(Criteria(a: la[Int(o)], b: lb[Int(o)], c: lc[Int(o)]), Criteria(a: la[Int(t)], b: lb[Int(t)], c: lc[Int(t)]))
                    && (!covers(Criteria(a: la[Int(t)], b: lb[Int(t)], c: lc[Int(t)]), Criteria(a: la[Int(o)], b: lb[Int(o)], c: lc[Int(o)])) || o < t)
            }
        }
        return final.map { t in
            var path: [Int32] = []
            var l = t
            while lEdge[Int(l)] >= 0 { path.append(lEdge[Int(l)]); l = lPred[Int(l)] }
            return path.reversed()
        }
    }
}

/// Binary min-heap of (key, label id); ties by label id for determinism.
struct LabelHeap {
    private var keys: [Double] = []
    private var ids: [Int32] = []

    mutating func push(_ k: Double, _ id: Int32) {
        keys.append(k); ids.append(id)
        var i = keys.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if keys[p] < k || (keys[p] == k && ids[p] < id) { break }
            keys[i] = keys[p]; ids[i] = ids[p]; i = p
        }
        keys[i] = k; ids[i] = id
    }

    mutating func pop() -> (Double, Int32)? {
        guard let topK = keys.first, let topID = ids.first else { return nil }
        let lastK = keys.removeLast(), lastID = ids.removeLast()
        if !keys.isEmpty {
            var i = 0
            let n = keys.count
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                var c = l
                if l + 1 < n && (keys[l + 1] < keys[l] || (keys[l + 1] == keys[l] && ids[l + 1] < ids[l])) { c = l + 1 }
                if lastK < keys[c] || (lastK == keys[c] && lastID < ids[c]) { break }
                keys[i] = keys[c]; ids[i] = ids[c]; i = c
            }
            keys[i] = lastK; ids[i] = lastID
        }
        return (topK, topID)
    }
}
