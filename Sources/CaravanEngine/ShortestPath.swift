/// A directed graph in compressed sparse row form: the out-edges of node `v`
/// are `firstOut[v] ..< firstOut[v + 1]`, their heads in `head`.
public struct CSRGraph: Sendable {
    /// Number of nodes.
    public let nodeCount: Int
    /// Offset of each node's first out-edge, plus a last entry equal to the edge count.
    public let firstOut: [Int32]
    /// Head node of each edge, in CSR order.
    public let head: [Int32]
    /// Number of edges.
    public var edgeCount: Int { head.count }

    /// Creates a graph from CSR arrays (their sizes are checked).
    public init(nodeCount: Int, firstOut: [Int32], head: [Int32]) {
        precondition(firstOut.count == nodeCount + 1 && Int(firstOut[nodeCount]) == head.count)
        self.nodeCount = nodeCount; self.firstOut = firstOut; self.head = head
    }

    /// Builds the graph from edge lists; returns the graph and, for each CSR edge,
    /// the index of the input edge it came from (input order kept within a tail).
    public static func build(nodeCount: Int, tails: [Int32], heads: [Int32]) -> (graph: CSRGraph, inputEdge: [Int32]) {
        precondition(tails.count == heads.count)
        var firstOut = [Int32](repeating: 0, count: nodeCount + 1)
        for t in tails { firstOut[Int(t) + 1] += 1 }
        for v in 0..<nodeCount { firstOut[v + 1] += firstOut[v] }
        var fill = firstOut
        var head = [Int32](repeating: 0, count: tails.count), origin = [Int32](repeating: 0, count: tails.count)
        for i in tails.indices {
            let slot = Int(fill[Int(tails[i])]); fill[Int(tails[i])] += 1
            head[slot] = heads[i]; origin[slot] = Int32(i)
        }
        return (CSRGraph(nodeCount: nodeCount, firstOut: firstOut, head: head), origin)
    }
}

/// Which edges a search may use.
protocol EdgeFilter {
    func allows(_ edge: Int) -> Bool
}

struct AllEdges: EdgeFilter {
    @inline(__always) func allows(_ edge: Int) -> Bool { true }
}

/// Edges whose corridor mask shares a bit with `mask`.
struct MaskedEdges: EdgeFilter {
    let masks: UnsafeBufferPointer<UInt64>
    let mask: UInt64
    @inline(__always) func allows(_ edge: Int) -> Bool { masks[edge] & mask != 0 }
}

/// Reusable arrays for Dijkstra's algorithm with a 4-ary indexed heap.
/// Reset is O(1) per search (an epoch stamp marks which entries are current),
/// so thousands of queries on one graph allocate nothing.
public struct DijkstraWorkspace: Sendable {
    /// Raw distances; entries not reached in the last search may be stale (read `distance(_:)`).
    public private(set) var dist: [Double]
    /// Raw parent edges; entries not reached in the last search may be stale (read `parent(_:)`).
    public private(set) var parentEdge: [Int32]
    private var stamp: [UInt32]
    private var epoch: UInt32 = 0
    private var heapNode: [Int32]
    private var heapKey: [Double]
    private var position: [Int32]   // index in heap, -1 when settled
    private var bucketHead: [Int32] = []   // one-to-all trees: first node of each bucket in the ring

    /// Allocates the arrays for a graph of `nodeCount` nodes.
    public init(nodeCount: Int) {
        dist = [Double](repeating: .infinity, count: nodeCount)
        parentEdge = [Int32](repeating: -1, count: nodeCount)
        stamp = [UInt32](repeating: 0, count: nodeCount)
        heapNode = [Int32](repeating: 0, count: nodeCount)
        heapKey = [Double](repeating: 0, count: nodeCount)
        position = [Int32](repeating: -1, count: nodeCount)
    }

    /// Distance of `v` after the last search (infinity when not reached).
    @inline(__always) public func distance(_ v: Int) -> Double { stamp[v] == epoch ? dist[v] : .infinity }
    /// Edge by which `v` was reached in the last search (-1 for a source or a node not reached).
    @inline(__always) public func parent(_ v: Int) -> Int32 { stamp[v] == epoch ? parentEdge[v] : -1 }

    /// One-to-all shortest paths from `source` over non-negative `weights` (infinite ones unused).
    ///
    /// A tree settles every node, so no heap order is needed, only an order close enough to it:
    /// approximate buckets (Cherkassky, Goldberg and Radzik 1996). Bucket `i` holds the nodes whose
    /// tentative distance lies in [iΔ, (i+1)Δ); the lowest non-empty bucket is emptied in LIFO order
    /// and a node improved from inside its own bucket is scanned again (label-correcting), so the
    /// distances are exact. Δ is half the mean finite weight: few rescans, and far fewer operations
    /// per node than a heap's sift-down. Buckets are intrusive doubly linked lists over the nodes
    /// (O(1) move), kept in a ring that spans the longest edge.
    public mutating func oneToAll(_ graph: CSRGraph, weights: [Double], source: Int) {
        epoch &+= 1
        if epoch == 0 { epoch = 1 } // every stamp is rewritten below, so a wrap needs no clearing
        let ep = epoch
        var maxWeight = 0.0, sum = 0.0, finite = 0
        for w in weights where w.isFinite { maxWeight = max(maxWeight, w); sum += w; finite += 1 }
        // Δ: half the mean weight, but at most 2^16 buckets in the ring (more rescans, never an error).
        var delta = finite > 0 ? 0.5 * sum / Double(finite) : 1
        if !(delta > 0) { delta = maxWeight > 0 ? maxWeight : 1 }
        delta = max(delta, maxWeight / 65_536)
        let inverse = 1 / delta
        let ring = Int(maxWeight * inverse) + 2
        var buckets: [Int32] = []
        swap(&buckets, &bucketHead) // out of self for the search (exclusive access), back at the end
        defer { swap(&buckets, &bucketHead) }
        if buckets.count < ring { buckets = [Int32](repeating: -1, count: ring) }
        graph.firstOut.withUnsafeBufferPointer { firstOut in
            graph.head.withUnsafeBufferPointer { head in
                weights.withUnsafeBufferPointer { weights in
                    buckets.withUnsafeMutableBufferPointer { bucket in
                        withArrays { a in
                            let dist = a.dist, parent = a.parent
                            // The heap's arrays are free during a tree: node → next and previous in its bucket
                            // (previous -2: in no bucket, -1: first in its bucket).
                            let next = a.heap.node, prev = a.heap.position
                            for v in 0..<dist.count { dist[v] = .infinity; parent[v] = -1; a.stamp[v] = ep; prev[v] = -2 }
                            // No ring reset: a new ring starts at -1, and every search ends with all buckets empty.
                            @inline(__always) func slot(_ d: Double) -> Int { Int(d * inverse) % ring }
                            @inline(__always) func link(_ v: Int, _ b: Int) {
                                let h = bucket[b]
                                next[v] = h; prev[v] = -1
                                if h >= 0 { prev[Int(h)] = Int32(v) }
                                bucket[b] = Int32(v)
                            }
                            @inline(__always) func unlink(_ v: Int, _ b: Int) {
                                let p = prev[v], n = next[v]
                                if p >= 0 { next[Int(p)] = n } else { bucket[b] = n }
                                if n >= 0 { prev[Int(n)] = p }
                                prev[v] = -2
                            }
                            dist[source] = 0
                            link(source, 0)
                            var queued = 1, current = 0
                            while queued > 0 {
                                while bucket[current] >= 0 {
                                    let u = Int(bucket[current])
                                    unlink(u, current); queued -= 1
                                    let du = dist[u]
                                    let end = Int(firstOut[u + 1])
                                    var e = Int(firstOut[u])
                                    while e < end {
                                        let v = Int(head[e])
                                        let nd = du + weights[e]
                                        let old = dist[v]
                                        if nd < old {
                                            if prev[v] != -2 { unlink(v, slot(old)) } else { queued += 1 }
                                            dist[v] = nd; parent[v] = Int32(e)
                                            link(v, slot(nd))
                                        }
                                        e += 1
                                    }
                                }
                                current += 1
                                if current == ring { current = 0 }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The workspace's arrays as buffers, and an empty heap over them, for one search.
    private struct Arrays {
        let dist: UnsafeMutableBufferPointer<Double>, parent: UnsafeMutableBufferPointer<Int32>, stamp: UnsafeMutableBufferPointer<UInt32>
        let heap: IndexedHeap
    }

    private mutating func withArrays<R>(_ body: (Arrays) -> R) -> R {
        dist.withUnsafeMutableBufferPointer { dist in
            parentEdge.withUnsafeMutableBufferPointer { parent in
                stamp.withUnsafeMutableBufferPointer { stamp in
                    heapNode.withUnsafeMutableBufferPointer { hn in
                        heapKey.withUnsafeMutableBufferPointer { hk in
                            position.withUnsafeMutableBufferPointer { pos in
                                body(Arrays(dist: dist, parent: parent, stamp: stamp, heap: IndexedHeap(node: hn, key: hk, position: pos, size: 0)))
                            }
                        }
                    }
                }
            }
        }
    }

    /// Point-to-point search: stops when the first target (by cost) is settled; returns it, or nil.
    mutating func search<F: EdgeFilter>(_ graph: CSRGraph, weights: UnsafeBufferPointer<Double>, sources: [(Int, Double)],
                                        isTarget: [Bool], filter: F) -> Int? {
        run(graph, weights: weights, sources: sources, isTarget: isTarget, filter: filter)
    }

    @discardableResult
    private mutating func run<F: EdgeFilter>(_ graph: CSRGraph, weights: UnsafeBufferPointer<Double>, sources: [(Int, Double)],
                                             isTarget: [Bool]?, filter: F) -> Int? {
        epoch &+= 1
        if epoch == 0 { // wrapped: clear stamps once every 2^32 searches
            for i in stamp.indices { stamp[i] = 0 }
            epoch = 1
        }
        let ep = epoch
        return graph.firstOut.withUnsafeBufferPointer { firstOut in
            graph.head.withUnsafeBufferPointer { head in
                withArrays { a -> Int? in
                    let dist = a.dist, parent = a.parent, stamp = a.stamp, pos = a.heap.position
                    var heap = a.heap
                    for (s, d) in sources {
                        if stamp[s] != ep || d < dist[s] {
                            if stamp[s] != ep { stamp[s] = ep; pos[s] = -1; dist[s] = d; parent[s] = -1; heap.push(Int32(s), d) }
                            else { dist[s] = d; heap.decrease(Int32(s), d) }
                        }
                    }
                    while heap.size > 0 {
                        let (u32, du) = heap.pop()
                        let u = Int(u32)
                        if let isTarget, isTarget[u] { return u }
                        let end = Int(firstOut[u + 1])
                        var e = Int(firstOut[u])
                        while e < end {
                            if filter.allows(e) {
                                let v = Int(head[e])
                                let nd = du + weights[e]
                                if stamp[v] != ep {
                                    stamp[v] = ep; dist[v] = nd; parent[v] = Int32(e); heap.push(Int32(v), nd)
                                } else if nd < dist[v] && pos[v] >= 0 {
                                    dist[v] = nd; parent[v] = Int32(e); heap.decrease(Int32(v), nd)
                                }
                            }
                            e += 1
                        }
                    }
                    return nil
                }
            }
        }
    }
}

/// A 4-ary min-heap over node ids with decrease-key; ties broken by node id
/// so that searches are deterministic.
struct IndexedHeap {
    let node: UnsafeMutableBufferPointer<Int32>
    let key: UnsafeMutableBufferPointer<Double>
    let position: UnsafeMutableBufferPointer<Int32>
    var size: Int

    @inline(__always) func less(_ ka: Double, _ a: Int32, _ kb: Double, _ b: Int32) -> Bool { ka < kb || (ka == kb && a < b) }

    @inline(__always) mutating func push(_ v: Int32, _ k: Double) {
        node[size] = v; key[size] = k; position[Int(v)] = Int32(size); size += 1
        siftUp(size - 1)
    }

    @inline(__always) mutating func decrease(_ v: Int32, _ k: Double) {
        let i = Int(position[Int(v)])
        key[i] = k
        siftUp(i)
    }

    @inline(__always) mutating func pop() -> (Int32, Double) {
        let top = node[0], k = key[0]
        position[Int(top)] = -1
        size -= 1
        if size > 0 {
            node[0] = node[size]; key[0] = key[size]; position[Int(node[0])] = 0
            siftDown(0)
        }
        return (top, k)
    }

    @inline(__always) mutating func siftUp(_ start: Int) {
        var i = start
        let v = node[i], k = key[i]
        while i > 0 {
            let p = (i - 1) >> 2
            if !less(k, v, key[p], node[p]) { break }
            node[i] = node[p]; key[i] = key[p]; position[Int(node[i])] = Int32(i)
            i = p
        }
        node[i] = v; key[i] = k; position[Int(v)] = Int32(i)
    }

    @inline(__always) mutating func siftDown(_ start: Int) {
        var i = start
        let v = node[i], k = key[i]
        while true {
            let c0 = 4 * i + 1
            if c0 >= size { break }
            var best = c0
            var bk = key[c0], bn = node[c0]
            let cEnd = min(c0 + 4, size)
            var c = c0 + 1
            while c < cEnd {
                if less(key[c], node[c], bk, bn) { best = c; bk = key[c]; bn = node[c] }
                c += 1
            }
            if !less(bk, bn, k, v) { break }
            node[i] = bn; key[i] = bk; position[Int(bn)] = Int32(i)
            i = best
        }
        node[i] = v; key[i] = k; position[Int(v)] = Int32(i)
    }
}
