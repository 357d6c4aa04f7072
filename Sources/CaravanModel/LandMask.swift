/// Where there is land (`land-mask.csv`), as a grid of cells. Used to keep first- and last-mile
/// road legs on land (the searches over it are in CaravanEngine, `LandPaths.swift`).
public struct LandMask: Sendable {
    /// One latitude band [from, to) and its land runs, flat [lonFrom0, lonTo0, lonFrom1, lonTo1, …], sorted.
    public struct Band: Sendable {
        public var latFrom: Double, latTo: Double
        public var runs: [Double]
        public init(latFrom: Double, latTo: Double, runs: [Double]) { self.latFrom = latFrom; self.latTo = latTo; self.runs = runs }
    }

    /// The mask as a grid of cells (the finest band's height, square in degrees). A latitude between
    /// the first band's start and the last band's end that no band covers has no land.
    public let grid: LandGrid

    /// Builds the grid of the bands (in any order; they must not overlap).
    public init(bands: [Band]) { grid = LandGrid(bands.sorted { $0.latFrom < $1.latFrom }) }

    /// Most cells the grid may have (the bundled mask has 2.1 million): a file asking for more is refused when read.
    public static let maxCells = 20_000_000

    /// How many cells the grid of these bands (sorted south to north) would have.
    public static func cellCount(_ bands: [Band]) -> Double {
        guard let s = LandGrid.shape(bands) else { return 0 }
        return Double(s.rows) * Double(s.cols)
    }

    /// Whether the point's cell is land; nil off the grid.
    public func isLand(lat: Double, lon: Double) -> Bool? { grid.cell(lat: lat, lon: lon).map { grid.land[$0] == 1 } }
}

/// The land mask as cells: row-major, `cellDeg` square in degrees, from (lat0, lon0). A cell is land
/// when its centre is. Built once when the mask is loaded; shortest paths over land run on it.
public struct LandGrid: Sendable {
    public let lat0: Double, lon0: Double, cellDeg: Double, rows: Int, cols: Int
    /// 1 for land, 0 for water.
    public let land: [UInt8]
    /// Per row: sine and cosine of the centre latitude; per column: of the centre longitude (unit vectors without trigonometry in searches).
    public let rowSin: [Double], rowCos: [Double], colSin: [Double], colCos: [Double]
    /// Per row and row offset -1, 0, +1: the east-west step in km at the two rows' mean latitude.
    public let eastWest: [Double]
    /// The north-south step in km (a meridian arc of one cell).
    public let northSouth: Double

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
    @inline(__always) public func chordKm(_ a: Int, _ b: Int) -> Double {
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
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
