/// Cities beyond the network (GeoNames, ≥ 15,000 inhabitants): a name, a country, coordinates
/// and folded search keys. Struct of arrays; a key index is built on demand for servers.
public struct Gazetteer: Sendable {
    /// GeoNames id of each city.
    public var geonameID: [Int32] = []
    /// Name of each city.
    public var name: [String] = []
    /// ISO 3166-1 alpha-2 code of each city's country.
    public var country: [String] = []
    /// Latitude of each city, WGS84 decimal degrees.
    public var lat: [Double] = []
    /// Longitude of each city, WGS84 decimal degrees.
    public var lon: [Double] = []
    /// Number of inhabitants of each city.
    public var population: [Int32] = []
    /// Search keys of city i: `keys[keyStart[i] ..< keyStart[i + 1]]`, the name's first.
    public var keys: [String] = []
    /// Where each city's keys start in `keys`; one entry more than there are cities.
    public var keyStart: [Int32] = [0]

    /// Creates an empty gazetteer.
    public init() {}
    /// Number of cities.
    public var count: Int { name.count }

    /// Adds a city and its folded search keys.
    public mutating func append(geonameID: Int32, name: String, country: String, lat: Double, lon: Double, population: Int32, keys: [String]) {
        self.geonameID.append(geonameID); self.name.append(name); self.country.append(country)
        self.lat.append(lat); self.lon.append(lon); self.population.append(population)
        self.keys += keys; keyStart.append(Int32(self.keys.count))
    }

    /// The folded search keys of city `city`, the name's first.
    public func keys(of city: Int) -> ArraySlice<String> { keys[Int(keyStart[city])..<Int(keyStart[city + 1])] }

    /// The off-network point a city stands for.
    public func point(_ city: Int) -> OffNetworkPoint {
        OffNetworkPoint(name: name[city], country: country[city], lat: lat[city], lon: lon[city], origin: .gazetteer, geonameID: Int(geonameID[city]))
    }

    /// Cities with exactly this folded key, most populous first.
    /// - Complexity: O(total keys) without an index; O(matches) with `KeyIndex`.
    public func cities(withKey key: String, index: KeyIndex? = nil) -> [Int] {
        let hits: [Int]
        if let index { hits = index.byKey[key] ?? [] } else {
            var found: [Int] = []
            for c in 0..<count where keys(of: c).contains(key) { found.append(c) }
            hits = found
        }
        return hits.sorted { (population[$0], -$0) > (population[$1], -$1) }
    }

    /// Cities with a key starting with `prefix`, most populous first (search as you type).
    public func cities(withPrefix prefix: String, limit: Int, index: KeyIndex) -> [Int] {
        guard !prefix.isEmpty else { return [] }
        var lo = 0, hi = index.sortedKeys.count
        while lo < hi { let m = (lo + hi) / 2; if index.sortedKeys[m].key < prefix { lo = m + 1 } else { hi = m } }
        var seen = Set<Int>(), out: [Int] = []
        var i = lo
        while i < index.sortedKeys.count, index.sortedKeys[i].key.hasPrefix(prefix), seen.count < 2_000 {
            if seen.insert(Int(index.sortedKeys[i].city)).inserted { out.append(Int(index.sortedKeys[i].city)) }
            i += 1
        }
        return Array(out.sorted { (population[$0], -$0) > (population[$1], -$1) }.prefix(limit))
    }

    /// The cities closest to a mistyped key by edit distance, within `Suggest.threshold` (keys
    /// whose length differs by more cannot be that close, so they are skipped unmeasured).
    public func nearest(_ key: String, limit: Int) -> [Int] {
        guard !key.isEmpty, key.utf8.count <= Suggest.maxLength else { return [] }
        let n = key.utf8.count, threshold = Suggest.threshold(for: key)
        var best: [(Int, Int32, Int)] = []
        for c in 0..<count {
            var d = Int.max
            for k in keys(of: c) where abs(k.utf8.count - n) <= threshold { d = min(d, PlaceResolver.editDistance(key, k)) }
            if d <= threshold { best.append((d, -population[c], c)) }
        }
        return best.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.prefix(limit).map(\.2)
    }

    /// Key lookups for a long-running process: built once, then O(1) by key and O(log n) by prefix.
    public struct KeyIndex: Sendable {
        /// Cities (indices) by folded key, in gazetteer order.
        public let byKey: [String: [Int]]
        /// Every (key, city) pair, sorted by key then city, for prefix search.
        public let sortedKeys: [(key: String, city: Int32)]
        /// Builds the index of a gazetteer.
        public init(_ g: Gazetteer) {
            var d: [String: [Int]] = [:]
            var all: [(key: String, city: Int32)] = []
            all.reserveCapacity(g.keys.count)
            for c in 0..<g.count { for k in g.keys(of: c) { d[k, default: []].append(c); all.append((k, Int32(c))) } }
            byKey = d
            sortedKeys = all.sorted { ($0.key, $0.city) < ($1.key, $1.city) }
        }
    }
}

/// A place that is not a node of the network: a gazetteer city or typed coordinates.
public struct OffNetworkPoint: Hashable, Sendable, Codable {
    /// Where the point comes from: a gazetteer city or typed coordinates.
    public enum Origin: String, Codable, Sendable { case gazetteer, coordinates }
    /// Display name: the city's name, or the coordinates as `lat,lon`.
    public var name: String
    /// ISO 3166-1 alpha-2 code; for coordinates, that of the nearest city or place.
    public var country: String
    /// Latitude, WGS84 decimal degrees.
    public var lat: Double
    /// Longitude, WGS84 decimal degrees.
    public var lon: Double
    /// Whether the point is a gazetteer city or typed coordinates.
    public var origin: Origin
    /// GeoNames id of the city; nil for typed coordinates.
    public var geonameID: Int?
    /// Creates a point; the GeoNames id defaults to none.
    public init(name: String, country: String, lat: Double, lon: Double, origin: Origin, geonameID: Int? = nil) {
        self.name = name; self.country = country; self.lat = lat; self.lon = lon; self.origin = origin; self.geonameID = geonameID
    }
}
