/// Where there is land (`land-mask.csv`), as a grid of cells. Used to keep first- and last-mile
/// road legs on land (the searches over it are in CaravanEngine, `LandPaths.swift`).
public struct LandMask: Sendable {
    /// One latitude band [from, to) and its land runs, flat [lonFrom0, lonTo0, lonFrom1, lonTo1, …], sorted.
    public struct Band: Sendable {
        public var latFrom: Double, latTo: Double
        public var runs: [Double]
        /// The country (ISO 3166-1 alpha-2) of each run; nil when the mask gives none.
        public var countries: [String]?
        public init(latFrom: Double, latTo: Double, runs: [Double], countries: [String]? = nil) {
            self.latFrom = latFrom; self.latTo = latTo; self.runs = runs; self.countries = countries
        }
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
    public func isLand(lat: Double, lon: Double) -> Bool? { grid.cell(lat: lat, lon: lon).map { grid.land[$0] != 0 } }

    /// Most countries a mask may name (a cell stores its country in one byte).
    public static let maxCountries = 254
}

/// The land mask as cells: row-major, `cellDeg` square in degrees, from (lat0, lon0). A cell is land
/// when its centre is. Built once when the mask is loaded; shortest paths over land run on it.
public struct LandGrid: Sendable {
    public let lat0: Double, lon0: Double, cellDeg: Double, rows: Int, cols: Int
    /// 0 for water; for land, 1 + the index of the cell's country in `countries` (1 for all land when
    /// the mask names no countries).
    public let land: [UInt8]
    /// The countries the mask names, in order of first appearance; empty when it names none.
    public let countries: [String]
    /// Each named country's value in `land`.
    let countryValue: [String: UInt8]
    /// Pairs of country values (`land`) whose cells touch (sides or corners), as `low << 8 | high`.
    public let adjacent: Set<UInt16>
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
            lat0 = 0; lon0 = 0; cellDeg = 1; rows = 0; cols = 0; land = []; countries = []; countryValue = [:]; adjacent = []; rowSin = []; rowCos = []; colSin = []; colCos = []; eastWest = []; northSouth = 0; return
        }
        let (step, south, west) = (shape.step, shape.south, shape.west)
        lat0 = south; lon0 = west; cellDeg = step; rows = shape.rows; cols = shape.cols
        var cells = [UInt8](repeating: 0, count: rows * cols)
        var codes: [String] = [], codeIndex: [String: UInt8] = [:]
        // Touching countries, from each row's segments against its own and the previous row's.
        var pairs = Set<UInt16>(), previous: [(Int, Int, UInt8)] = [], current: [(Int, Int, UInt8)] = []
        func touch(_ a: UInt8, _ b: UInt8) { if a != b { pairs.insert(UInt16(min(a, b)) << 8 | UInt16(max(a, b))) } }
        var b = 0
        for r in 0..<rows {
            previous = current; current.removeAll(keepingCapacity: true)
            defer {
                for (i, seg) in current.enumerated() where i > 0 && current[i - 1].1 + 1 == seg.0 { touch(current[i - 1].2, seg.2) }
                var j = 0
                for seg in current {
                    while j < previous.count && previous[j].1 + 1 < seg.0 { j += 1 }
                    var k = j
                    while k < previous.count && previous[k].0 <= seg.1 + 1 { touch(previous[k].2, seg.2); k += 1 }
                }
            }
            let lat = lat0 + (Double(r) + 0.5) * step
            while b < bands.count && bands[b].latTo <= lat { b += 1 }
            guard b < bands.count, bands[b].latFrom <= lat else { continue }
            let runs = bands[b].runs, names = bands[b].countries
            for k in stride(from: 0, to: runs.count - 1, by: 2) {
                var value: UInt8 = 1
                if let names, k / 2 < names.count {
                    let name = names[k / 2]
                    if let v = codeIndex[name] { value = v } else if codes.count < LandMask.maxCountries {
                        codes.append(name); value = UInt8(codes.count); codeIndex[name] = value
                    }
                }
                // Cells whose centre lies in [from, to).
                let c0 = max(0, Int(((runs[k] - west) / step - 0.5).rounded(.up)))
                let c1 = min(cols - 1, Int(((runs[k + 1] - west) / step - 0.5).rounded(.up)) - 1)
                if c0 <= c1 { for c in c0...c1 { cells[r * cols + c] = value }; current.append((c0, c1, value)) }
            }
        }
        land = cells
        countries = codes
        countryValue = codeIndex
        adjacent = pairs
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
    /// With `country`, a cell of that country within `reach` is preferred (a border station whose own
    /// cell lies across the line).
    public func landCell(lat: Double, lon: Double, reach: Int = 2, country: String? = nil) -> Int? {
        guard let c = cell(lat: lat, lon: lon) else { return nil }
        let wanted = country.flatMap { countryValue[$0] }
        if land[c] != 0 && (wanted == nil || land[c] == wanted) { return c }
        let r0 = c / cols, c0 = c % cols
        var best: (Int, Int)?, bestOwn: (Int, Int)?
        for dr in -reach...reach {
            for dc in -reach...reach {
                let r = r0 + dr, k = c0 + dc
                guard r >= 0, r < rows, k >= 0, k < cols, land[r * cols + k] != 0 else { continue }
                let d = dr * dr + dc * dc
                if best == nil || d < best!.1 { best = (r * cols + k, d) }
                if land[r * cols + k] == wanted, bestOwn == nil || d < bestOwn!.1 { bestOwn = (r * cols + k, d) }
            }
        }
        if land[c] != 0 && bestOwn == nil { return c }
        return (bestOwn ?? best)?.0
    }

    /// Whether cells of the two country values touch (a value always adjoins itself).
    @inline(__always) public func adjoin(_ a: UInt8, _ b: UInt8) -> Bool {
        a == b || adjacent.contains(UInt16(min(a, b)) << 8 | UInt16(max(a, b)))
    }

    /// The country of a land cell as the mask names it; nil at sea or when the mask names none.
    public func country(_ c: Int) -> String? {
        let v = Int(land[c])
        return v >= 1 && v <= countries.count ? countries[v - 1] : nil
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
