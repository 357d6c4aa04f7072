/// Where there is land (`land-mask.csv`): latitude bands, each with its land as sorted runs of
/// longitude. Used to keep first- and last-mile road legs off open sea.
public struct LandMask: Sendable {
    /// One latitude band [from, to) and its land runs, flat [lonFrom0, lonTo0, lonFrom1, lonTo1, …], sorted.
    public struct Band: Sendable {
        public var latFrom: Double, latTo: Double
        public var runs: [Double]
        public init(latFrom: Double, latTo: Double, runs: [Double]) { self.latFrom = latFrom; self.latTo = latTo; self.runs = runs }
    }
    /// Bands sorted by latitude, not overlapping. A latitude between the first band's start and the
    /// last band's end that no band covers has no land; outside that range the mask says nothing.
    public let bands: [Band]

    /// The mask as a grid of cells (the finest band's height, square in degrees) for searches over land.
    public let grid: LandGrid

    public init(bands: [Band]) {
        self.bands = bands.sorted { $0.latFrom < $1.latFrom }
        grid = LandGrid(self.bands)
    }

    /// Most cells the grid may have (the bundled mask has 2.1 million): a file asking for more is refused when read.
    public static let maxCells = 20_000_000

    /// How many cells the grid of these bands would have.
    public static func cellCount(_ bands: [Band]) -> Double {
        guard let s = LandGrid.shape(bands) else { return 0 }
        return Double(s.rows) * Double(s.cols)
    }

    /// Whether the point is on land; nil outside the mask's latitudes and for longitudes outside ±180.
    public func isLand(lat: Double, lon: Double) -> Bool? {
        guard let first = bands.first, let last = bands.last, lat >= first.latFrom, lat < last.latTo, (-180...180).contains(lon) else { return nil }
        // The last band starting at or below the latitude.
        var lo = 0, hi = bands.count
        while lo < hi { let mid = (lo + hi) / 2; if bands[mid].latFrom <= lat { lo = mid + 1 } else { hi = mid } }
        guard lo > 0, lat < bands[lo - 1].latTo else { return false }
        let runs = bands[lo - 1].runs
        // The last run starting at or west of the longitude.
        var a = 0, b = runs.count / 2
        while a < b { let mid = (a + b) / 2; if runs[2 * mid] <= lon { a = mid + 1 } else { b = mid } }
        return a > 0 && lon < runs[2 * (a - 1) + 1]
    }
}

/// The land mask as cells: row-major, `cellDeg` square in degrees, from (lat0, lon0). A cell is land
/// when its centre is. Built once when the mask is loaded; shortest paths over land run on it.
public struct LandGrid: Sendable {
    public let lat0: Double, lon0: Double, cellDeg: Double, rows: Int, cols: Int
    /// 1 for land, 0 for water.
    public let land: [UInt8]
    /// Per row: sine and cosine of the centre latitude; per column: of the centre longitude (unit vectors without trigonometry in searches).
    let rowSin: [Double], rowCos: [Double], colSin: [Double], colCos: [Double]
    /// Per row and row offset -1, 0, +1: the east-west step in km at the two rows' mean latitude.
    let eastWest: [Double]
    /// The north-south step in km (a meridian arc of one cell).
    let northSouth: Double

    /// The grid's cell size (the finest band's height, at least 0.01 degree), origin and size for bands sorted south to north.
    static func shape(_ bands: [LandMask.Band]) -> (step: Double, south: Double, west: Double, rows: Int, cols: Int)? {
        guard let first = bands.first, let last = bands.last else { return nil }
        let step = max(0.01, bands.map { $0.latTo - $0.latFrom }.min() ?? 1)
        let west = bands.compactMap { $0.runs.first }.min() ?? 0, east = bands.compactMap { $0.runs.last }.max() ?? 0
        return (step, first.latFrom, west, max(0, Int(((last.latTo - first.latFrom) / step).rounded())), max(0, Int(((east - west) / step).rounded())))
    }

    init(_ bands: [LandMask.Band]) {
        guard let shape = Self.shape(bands) else {
            lat0 = 0; lon0 = 0; cellDeg = 1; rows = 0; cols = 0; land = []; rowSin = []; rowCos = []; colSin = []; colCos = []; eastWest = []; northSouth = 0; return
        }
        let (step, south, west) = (shape.step, shape.south, shape.west)
        lat0 = south; lon0 = west; cellDeg = step; rows = shape.rows; cols = shape.cols
        var cells = [UInt8](repeating: 0, count: rows * cols)
        var b = 0
        for r in 0..<rows {
            let lat = lat0 + (Double(r) + 0.5) * step
            while b < bands.count && bands[b].latTo <= lat { b += 1 }
            guard b < bands.count, bands[b].latFrom <= lat else { continue }
            let runs = bands[b].runs
            for k in stride(from: 0, to: runs.count - 1, by: 2) {
                // Cells whose centre lies in [from, to).
                let c0 = max(0, Int(((runs[k] - west) / step - 0.5).rounded(.up)))
                let c1 = min(cols - 1, Int(((runs[k + 1] - west) / step - 0.5).rounded(.up)) - 1)
                if c0 <= c1 { for c in c0...c1 { cells[r * cols + c] = 1 } }
            }
        }
        land = cells
        let rad = Double.pi / 180, ns = Geo.earthRadiusKm * step * rad
        northSouth = ns
        let lats = (0..<rows).map { south + (Double($0) + 0.5) * step }, lons = (0..<cols).map { west + (Double($0) + 0.5) * step }
        rowSin = lats.map { sin($0 * rad) }; rowCos = lats.map { cos($0 * rad) }
        colSin = lons.map { sin($0 * rad) }; colCos = lons.map { cos($0 * rad) }
        var ew: [Double] = []
        ew.reserveCapacity(rows * 3)
        for r in 0..<rows {
            for dr in -1...1 {
                let lat: Double = south + (Double(r) + 0.5 + Double(dr) / 2) * step
                ew.append(ns * cos(lat * rad))
            }
        }
        eastWest = ew
    }

    /// The straight (chord) distance in km between two cell centres: never more than the great circle, so no path over land is shorter.
    @inline(__always) func chordKm(_ a: Int, _ b: Int) -> Double {
        let ra = a / cols, ca = a % cols, rb = b / cols, cb = b % cols
        let dx = rowCos[ra] * colCos[ca] - rowCos[rb] * colCos[cb]
        let dy = rowCos[ra] * colSin[ca] - rowCos[rb] * colSin[cb]
        let dz = rowSin[ra] - rowSin[rb]
        return Geo.earthRadiusKm * (dx * dx + dy * dy + dz * dz).squareRoot()
    }

    /// The cell of a point; nil outside the grid.
    public func cell(lat: Double, lon: Double) -> Int? {
        let r = Int(((lat - lat0) / cellDeg).rounded(.down)), c = Int(((lon - lon0) / cellDeg).rounded(.down))
        guard r >= 0, r < rows, c >= 0, c < cols else { return nil }
        return r * cols + c
    }

    /// The point's cell if it is land, else the nearest land cell within `reach` cells (a coastal
    /// city or port whose own cell is at sea); nil when there is none or the point is off the grid.
    public func landCell(lat: Double, lon: Double, reach: Int = 2) -> Int? {
        guard let c = cell(lat: lat, lon: lon) else { return nil }
        if land[c] == 1 { return c }
        let r0 = c / cols, c0 = c % cols
        var best: (Int, Int)?
        for dr in -reach...reach {
            for dc in -reach...reach {
                let r = r0 + dr, k = c0 + dc
                guard r >= 0, r < rows, k >= 0, k < cols, land[r * cols + k] == 1 else { continue }
                let d = dr * dr + dc * dc
                if best == nil || d < best!.1 { best = (r * cols + k, d) }
            }
        }
        return best?.0
    }

    /// Centre of a cell, degrees.
    public func centre(_ c: Int) -> (lat: Double, lon: Double) {
        (lat0 + (Double(c / cols) + 0.5) * cellDeg, lon0 + (Double(c % cols) + 0.5) * cellDeg)
    }

    /// Shortest paths over land (8 neighbours, steps between cell centres: the meridian arc north-south,
    /// the parallel's arc east-west at the rows' mean latitude) from `start` to the `targets` cells: the
    /// `wanted` nearest within `maxKm`, as (position in `targets`, km), nearest first. One A* search per
    /// target (the chord as heuristic, which no path undercuts), in order of straight-line
    /// distance, stopping once no further target can beat the `wanted`-th path; a search that runs
    /// out of land without reaching its target marks every target outside the region it explored unreachable.
    public func nearestOverLand(from start: Int, targets: [Int], wanted: Int, maxKm: Double, buffer: inout LandSearchBuffer) -> [(Int, Double)] {
        guard wanted > 0, start >= 0, start < land.count, land[start] == 1 else { return [] }
        let order = targets.indices.filter { targets[$0] >= 0 && targets[$0] < land.count }.map { ($0, chordKm(start, targets[$0])) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        var found: [(Int, Double)] = []
        var region: Set<Int>?   // all land reachable from start within maxKm, once a search has exhausted it
        buffer.window(around: start, grid: self, km: maxKm)
        var searches = 0
        for (n, (i, straight)) in order.enumerated() {
            // Many targets behind water: one bounded Dijkstra settles all the rest at once.
            if searches == Self.aStarSearches && found.count < wanted {
                let rest = order[n...].filter { region?.contains(targets[$0.0]) ?? true }
                return dijkstra(from: start, targets: rest.map { ($0.0, targets[$0.0]) }, wanted: wanted, found: found, maxKm: maxKm, buffer: &buffer)
            }
            if straight > maxKm { break }
            let worst = found.count >= wanted ? found.map(\.1).max()! : maxKm
            if found.count >= wanted && straight >= worst { break }
            let t = targets[i]
            guard t >= 0, t < land.count, land[t] == 1, buffer.inWindow(t) else { continue }
            if let r = region, !r.contains(t) { continue }
            let (km, exhausted) = aStar(from: start, to: t, bound: worst, buffer: &buffer)
            searches += 1
            if let km {
                found.append((i, km))
                found.sort { ($0.1, $0.0) < ($1.1, $1.0) }
                if found.count > wanted { found.removeLast() }
            } else if exhausted {
                region = buffer.reached()
            }
        }
        return found
    }

    /// Calls `body` with each land cell around `c` (8 neighbours) and the step to it in km: the meridian
    /// arc north-south, the parallel's arc east-west at the two rows' mean latitude, their hypotenuse diagonally.
    @inline(__always) func forEachLandNeighbour(of c: Int, _ body: (Int, Double) -> Void) {
        let r = c / cols, k = c % cols
        for dr in -1...1 {
            let rr = r + dr
            guard rr >= 0, rr < rows else { continue }
            let ew = eastWest[r * 3 + dr + 1]
            for dk in -1...1 where dr != 0 || dk != 0 {
                let kk = k + dk
                guard kk >= 0, kk < cols, land[rr * cols + kk] == 1 else { continue }
                body(rr * cols + kk, dr == 0 ? ew : (dk == 0 ? northSouth : (ew * ew + northSouth * northSouth).squareRoot()))
            }
        }
    }

    /// A* searches tried before the rest of the targets are settled by one Dijkstra search.
    static let aStarSearches = 8

    /// Dijkstra from start over the window, settling (position, cell) targets nearest first until
    /// `wanted` paths are known (with those already `found`) or the distance passes `maxKm`.
    func dijkstra(from start: Int, targets: [(Int, Int)], wanted: Int, found: [(Int, Double)], maxKm: Double, buffer: inout LandSearchBuffer) -> [(Int, Double)] {
        buffer.reset()
        var byCell: [Int: [Int]] = [:]
        for (i, c) in targets { byCell[c, default: []].append(i) }
        var out = found
        var heap = MinHeap()
        buffer.set(start, 0)
        heap.push(0, start)
        while let (d, c) = heap.pop() {
            guard d <= buffer.distance(c) else { continue }
            if d > maxKm || (out.count >= wanted && d >= out.map(\.1).max()!) { break }
            for i in byCell[c] ?? [] where !out.contains(where: { $0.0 == i }) { out.append((i, d)) }
            forEachLandNeighbour(of: c) { n, step in
                guard buffer.inWindow(n) else { return }
                let nd = d + step
                if nd < buffer.distance(n) { buffer.set(n, nd); heap.push(nd, n) }
            }
        }
        out.sort { ($0.1, $0.0) < ($1.1, $1.0) }
        return Array(out.prefix(wanted))
    }

    /// A* from start to target, pruning paths whose estimate exceeds `bound`. Returns the distance (nil
    /// when not reached) and whether the search explored all land reachable from start (nothing pruned).
    func aStar(from start: Int, to target: Int, bound: Double, buffer: inout LandSearchBuffer) -> (Double?, Bool) {
        buffer.reset()
        // The chord, a little below the great circle, so that the step approximation never makes it overestimate.
        func h(_ c: Int) -> Double { 0.9999 * chordKm(c, target) }
        var heap = MinHeap()
        buffer.set(start, 0)
        heap.push(h(start), start)
        var pruned = false
        while let (f, c) = heap.pop() {
            let g = buffer.distance(c)
            guard f - h(c) <= g + 1e-9 else { continue }   // a stale entry
            if c == target { return (g, false) }
            forEachLandNeighbour(of: c) { n, step in
                // Beyond the window a path is longer than any bound the window was cut for.
                guard buffer.inWindow(n) else { pruned = true; return }
                let nd = g + step
                guard nd < buffer.distance(n) else { return }
                let fn = nd + h(n)
                if fn > bound { pruned = true; return }
                buffer.set(n, nd)
                heap.push(fn, n)
            }
        }
        return (nil, !pruned)
    }
}

/// Distances of the searches from one start over the land grid: a window of the grid around the
/// start (as far as any path within the bound can go), reset between searches by the cells touched.
public struct LandSearchBuffer: Sendable {
    var dist: [Double] = []
    var touched: [Int] = []
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
        if dist.count < rows * cols { dist += repeatElement(.infinity, count: rows * cols - dist.count) }
    }
    func inWindow(_ cell: Int) -> Bool {
        let r = cell / gridCols - r0, c = cell % gridCols - c0
        return r >= 0 && r < rows && c >= 0 && c < cols
    }
    func index(_ cell: Int) -> Int { (cell / gridCols - r0) * cols + (cell % gridCols - c0) }
    mutating func reset() {
        for i in touched { dist[i] = .infinity }
        touched.removeAll(keepingCapacity: true)
    }
    func distance(_ cell: Int) -> Double { dist[index(cell)] }
    mutating func set(_ cell: Int, _ d: Double) {
        let i = index(cell)
        if dist[i] == .infinity { touched.append(i) }
        dist[i] = d
    }
    /// The cells the last search reached, as grid cells.
    func reached() -> Set<Int> { Set(touched.map { (r0 + $0 / cols) * gridCols + c0 + $0 % cols }) }
}

/// A binary min-heap of (distance, cell).
struct MinHeap {
    private var items: [(Double, Int)] = []
    mutating func push(_ d: Double, _ c: Int) {
        items.append((d, c))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard items[i].0 < items[p].0 else { break }
            items.swapAt(i, p); i = p
        }
    }
    mutating func pop() -> (Double, Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && items[l].0 < items[m].0 { m = l }
                if r < items.count && items[r].0 < items[m].0 { m = r }
                if m == i { break }
                items.swapAt(i, m); i = m
            }
        }
        return top
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
