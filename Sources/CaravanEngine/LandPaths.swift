import CaravanModel

/// Shortest paths over the land grid (`LandMask`), for first- and last-mile legs: 8 neighbours, steps
/// between cell centres (the meridian arc north-south, the parallel's arc east-west at the rows' mean
/// latitude, their hypotenuse diagonally), on the engine's `IndexedHeap`.
extension LandGrid {
    /// A* searches tried before the rest of the targets are settled by one Dijkstra search.
    static let aStarSearches = 8

    /// The `wanted` nearest of the `targets` cells from `start` over land within `maxKm`, as (position in
    /// `targets`, km), nearest first. One A* search per target (the chord as heuristic, which no path
    /// undercuts), in order of straight-line distance, stopping once no further target can beat the
    /// `wanted`-th path; a search that runs out of land without reaching its target marks every target
    /// outside the region it explored unreachable; after `aStarSearches` searches one Dijkstra settles the rest.
    /// With `oneBorder` (and a mask that names countries) a path crosses one border at most, out of the start's country.
    public func nearestOverLand(from start: Int, targets: [Int], wanted: Int, maxKm: Double, oneBorder: Bool = true, buffer: inout LandSearchBuffer) -> [(Int, Double)] {
        guard wanted > 0, start >= 0, start < land.count, land[start] != 0 else { return [] }
        let order = targets.indices.filter { targets[$0] >= 0 && targets[$0] < land.count }.map { ($0, chordKm(start, targets[$0])) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        var found: [(Int, Double)] = []
        var region: Set<Int>?   // all land reachable from start within maxKm, once a search has exhausted it
        buffer.window(around: start, grid: self, km: maxKm)
        var searches = 0
        for (n, (i, straight)) in order.enumerated() {
            if straight > maxKm { break }
            let worst = found.count >= wanted ? found[wanted - 1].1 : maxKm
            if found.count >= wanted && straight >= worst { break }
            let t = targets[i]
            guard land[t] != 0, buffer.inWindow(t), region?.contains(t) ?? true else { continue }
            // One border at most: a target in a country that does not touch the start's is out of reach.
            if oneBorder && !countries.isEmpty && !adjoin(land[start], land[t]) { continue }
            if searches == Self.aStarSearches {
                // Many targets behind water: one bounded Dijkstra settles all the rest at once.
                // The remaining targets sorted by cell, found by binary search as cells settle (no hashing in the search).
                let rest = order[n...].filter { (region?.contains(targets[$0.0]) ?? true) && (!oneBorder || countries.isEmpty || adjoin(land[start], land[targets[$0.0]])) }.map { (targets[$0.0], $0.0) }.sorted { $0 < $1 }
                _ = buffer.search(self, from: start, towards: nil, bound: maxKm, oneBorder: oneBorder) { c, d in
                    if found.count >= wanted && d >= found[wanted - 1].1 { return true }
                    var lo = 0, hi = rest.count
                    while lo < hi { let mid = (lo + hi) / 2; if rest[mid].0 < c { lo = mid + 1 } else { hi = mid } }
                    var added = false
                    while lo < rest.count && rest[lo].0 == c {
                        let j = rest[lo].1
                        if !found.contains(where: { $0.0 == j }) { found.append((j, d)); added = true }
                        lo += 1
                    }
                    if added { found.sort { ($0.1, $0.0) < ($1.1, $1.0) } }
                    return false
                }
                return Array(found.prefix(wanted))
            }
            var km: Double?
            let exhausted = buffer.search(self, from: start, towards: t, bound: worst, oneBorder: oneBorder) { c, d in
                if c == t { km = d; return true }
                return false
            }
            searches += 1
            if let km {
                found.append((i, km))
                found.sort { ($0.1, $0.0) < ($1.1, $1.0) }
                if found.count > wanted { found.removeLast() }
            } else if exhausted && (!oneBorder || countries.isEmpty) {
                // (Under the one-border rule a search towards a target enters only the start's and the target's
                // countries: it says nothing of the rest.)
                region = buffer.reached()
            }
        }
        return found
    }
}

/// The state of the searches from one start over the land grid: a window of the grid around the start
/// (as far as any path within the bound can go), with distances and heap storage, reset between searches
/// by the cells touched and kept (grown when needed) from one start to the next.
public struct LandSearchBuffer: Sendable {
    var dist: [Double] = []
    var heapNode: [Int32] = [], heapKey: [Double] = [], position: [Int32] = []
    var touched: [Int32] = []
    var r0 = 0, c0 = 0, rows = 0, cols = 0, gridCols = 0
    public init() {}

    mutating func window(around start: Int, grid: LandGrid, km: Double) {
        reset()   // with the previous window's geometry: the storage is kept for the next point
        let ns = grid.northSouth
        let r = start / grid.cols, c = start % grid.cols
        let dr = Int((min(km, 40_000) / ns).rounded(.up)) + 1
        let lat = min(89, abs(grid.lat0 + Double(r) * grid.cellDeg) + Double(dr) * grid.cellDeg)
        let dc = Int((min(km, 40_000) / max(1e-3, ns * cos(lat * .pi / 180))).rounded(.up)) + 1
        r0 = max(0, r - dr); c0 = max(0, c - dc)
        rows = min(grid.rows, r + dr + 1) - r0; cols = min(grid.cols, c + dc + 1) - c0
        gridCols = grid.cols
        let n = rows * cols
        if dist.count < n {
            dist += repeatElement(.infinity, count: n - dist.count)
            position += repeatElement(-1, count: n - position.count)
            heapNode += repeatElement(0, count: n - heapNode.count)
            heapKey += repeatElement(0, count: n - heapKey.count)
        }
    }
    func inWindow(_ cell: Int) -> Bool {
        let r = cell / gridCols - r0, c = cell % gridCols - c0
        return r >= 0 && r < rows && c >= 0 && c < cols
    }
    func index(_ cell: Int) -> Int { (cell / gridCols - r0) * cols + (cell % gridCols - c0) }
    func cell(_ index: Int) -> Int { (r0 + index / cols) * gridCols + c0 + index % cols }
    mutating func reset() {
        for i in touched { dist[Int(i)] = .infinity; position[Int(i)] = -1 }
        touched.removeAll(keepingCapacity: true)
    }
    /// The cells the last search reached, as grid cells.
    func reached() -> Set<Int> { Set(touched.map { cell(Int($0)) }) }

    /// One best-first search from `start` within the window: A* towards `target` (the chord, a little
    /// below the great circle so that the step approximation never makes it overestimate) or, with
    /// none, Dijkstra. Paths whose estimate passes `bound` are cut. `settled` sees each cell settled
    /// with its distance and returns true to stop. Returns whether the search explored all land
    /// reachable from start (it ran out of cells with nothing cut).
    mutating func search(_ grid: LandGrid, from start: Int, towards target: Int?, bound: Double, oneBorder: Bool, settled: (Int, Double) -> Bool) -> Bool {
        reset()
        var dist = self.dist, node = heapNode, key = heapKey, pos = position, touched = self.touched
        self.dist = []; heapNode = []; heapKey = []; position = []; self.touched = []
        defer { self.dist = dist; heapNode = node; heapKey = key; position = pos; self.touched = touched }
        func h(_ c: Int) -> Double { target.map { 0.9999 * grid.chordKm(c, $0) } ?? 0 }
        let origin = !oneBorder || grid.countries.isEmpty ? 0 : grid.land[start]
        // Towards one target, cells of a third country are dead ends: not entered at all.
        let goal = origin == 0 ? 0 : target.map { grid.land[$0] } ?? 0
        var pruned = false, stopped = false
        dist.withUnsafeMutableBufferPointer { dist in
            node.withUnsafeMutableBufferPointer { hn in
                key.withUnsafeMutableBufferPointer { hk in
                    pos.withUnsafeMutableBufferPointer { hp in
                        var heap = IndexedHeap(node: hn, key: hk, position: hp, size: 0)
                        let s = index(start)
                        dist[s] = 0; touched.append(Int32(s))
                        heap.push(Int32(s), h(start))
                        while heap.size > 0 {
                            let (i, _) = heap.pop()
                            let c = cell(Int(i)), g = dist[Int(i)]
                            if settled(c, g) { stopped = true; return }
                            grid.forEachLandNeighbour(of: c, oneBorder: origin, towards: goal) { n, step in
                                // Beyond the window a path is longer than any bound the window was cut for.
                                guard inWindow(n) else { pruned = true; return }
                                let j = index(n), nd = g + step
                                guard nd < dist[j] else { return }
                                let f = nd + h(n)
                                if f > bound { pruned = true; return }
                                if dist[j] == .infinity { touched.append(Int32(j)) }
                                dist[j] = nd
                                if hp[j] >= 0 { heap.decrease(Int32(j), f) } else { heap.push(Int32(j), f) }
                            }
                        }
                    }
                }
            }
        }
        // Cells still queued when a search stops are among the touched ones: the next reset clears them.
        return !pruned && !stopped
    }
}

extension LandGrid {
    /// Calls `body` with each land cell around `c` (8 neighbours) and the step to it in km.
    /// With `oneBorder`, a step may leave a cell's country only from the start's country: a path crosses
    /// one border at most, into a country bordering the start's.
    /// With `towards` (a country value, 0 for none) as well, only cells of the start's and that country are entered.
    @inline(__always) func forEachLandNeighbour(of c: Int, oneBorder origin: UInt8, towards goal: UInt8, _ body: (Int, Double) -> Void) {
        let here = land[c], free = origin == 0 || here == origin
        let r = c / cols, k = c % cols
        for dr in -1...1 {
            let rr = r + dr
            guard rr >= 0, rr < rows else { continue }
            let ew = eastWest[r * 3 + dr + 1]
            for dk in -1...1 where dr != 0 || dk != 0 {
                let kk = k + dk
                guard kk >= 0, kk < cols else { continue }
                let there = land[rr * cols + kk]
                guard there != 0, free || there == here, goal == 0 || there == goal || there == origin else { continue }
                body(rr * cols + kk, dr == 0 ? ew : (dk == 0 ? northSouth : (ew * ew + northSouth * northSouth).squareRoot()))
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
