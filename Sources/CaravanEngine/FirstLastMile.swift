import CaravanModel

/// Joins an off-network origin or destination (a gazetteer city, typed coordinates) to the
/// network: a place of its own with one-way road legs to (pre-carriage) or from (on-carriage)
/// its nearest terminals, so the search chooses among them. The legs' lengths are estimated
/// (great circle × `circuity_road`) and costed with the `road-drayage` class; every output marks them.
///
/// Where the dataset has a land mask (`land-mask.csv`, straits under about 20 km closed), the legs
/// follow the land: the candidates are the nearest terminals by the shortest path over land, and a
/// leg is as long as that path where it is longer than the estimate (round a gulf: Bari to Niš is
/// about 1,600 km over land, not 480). A terminal across open sea (Dubai to Bandar Abbas, London to
/// Rotterdam) is not offered. Where the mask names each cell's country, a leg crosses one border at
/// most, into a country bordering the point's: Lahore is not trucked to Osh across a third country and
/// the Pamirs, nor Cairo to Mersin across the Levant. A pair of countries shut by a closure measure
/// (measures.csv) closes the leg on the date, as it closes the network's own border links.
public enum FirstLastMile {
    /// The link class (link_classes.csv) that costs the drayage legs.
    public static let linkClass = "road-drayage"
    /// Terminals farther than this are not offered.
    public static let maxKm = 1_500.0
    /// How many of the nearest terminals are offered to the search.
    public static let candidates = 4

    /// Whether the point is a route's origin (pre-carriage) or destination (on-carriage).
    public enum Role: String, Sendable { case origin, destination }

    /// Why a point cannot be joined to the network.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The message: no drayage class in the dataset, or no terminal within `maxKm`.
        public var description: String
    }

    /// Places a drayage leg may end at: rail-road terminals, ports, and places on the road network.
    static func terminals(_ ds: Dataset) -> [Int] {
        var onRoad = [Bool](repeating: false, count: ds.places.count)
        for l in ds.links where l.mode == .road {
            if let a = ds.placeIndex[l.from] { onRoad[a] = true }
            if let b = ds.placeIndex[l.to] { onRoad[b] = true }
        }
        return ds.places.indices.filter { i in
            !ds.places[i].id.hasPrefix("~") && (onRoad[i] || !ds.places[i].functions.isDisjoint(with: [.intermodal, .port]))
        }
    }

    /// Adds the point and its access links to the dataset; returns the new place's index.
    public static func attach(_ point: OffNetworkPoint, role: Role, to ds: inout Dataset) throws(Failure) -> Int {
        try attach([(point, role)], to: &ds)[0].get()
    }

    /// Adds many points at once (terminals found once, ids indexed once): linear in the points.
    public static func attach(_ points: [(OffNetworkPoint, Role)], to ds: inout Dataset) -> [Result<Int, Failure>] {
        guard ds.linkClass(linkClass) != nil else {
            return points.map { _ in .failure(Failure(description: "the dataset has no '\(linkClass)' link class, so places off the network cannot be reached")) }
        }
        // The terminals and their land cells, found once for all the points.
        let grid = ds.land?.grid
        let ends = terminals(ds).map { t in
            (place: t, cell: grid?.landCell(lat: ds.places[t].lat, lon: ds.places[t].lon, country: ds.places[t].country))
        }
        var ids = Set(ds.places.map(\.id))
        var search = LandSearchBuffer()
        let out = points.map { point, role -> Result<Int, Failure> in
            Result { () throws(Failure) -> Int in try add(point, role: role, terminals: ends, ids: &ids, to: &ds, search: &search) }
        }
        ds.reindex()
        return out
    }

    static func add(_ point: OffNetworkPoint, role: Role, terminals: [(place: Int, cell: Int?)], ids: inout Set<String>, to ds: inout Dataset,
                    search: inout LandSearchBuffer) throws(Failure) -> Int {
        let inRange = terminals.map { t in (t.place, Geo.distanceKm(lat1: point.lat, lon1: point.lon, lat2: ds.places[t.place].lat, lon2: ds.places[t.place].lon), t.cell) }
            .filter { $0.1 <= maxKm }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        guard !inRange.isEmpty else {
            throw Failure(description: "\(point.name) (\(point.country)) is more than \(Int(maxKm)) km from every terminal of the network")
        }
        // (terminal, km over land when the leg must go round water, else nil: the usual estimate)
        var near: [(Int, Double?)] = []
        if let grid = ds.land?.grid, grid.rows > 0, grid.cell(lat: point.lat, lon: point.lon) != nil {
            guard let start = grid.landCell(lat: point.lat, lon: point.lon, country: point.country) else {
                throw Failure(description: point.origin == .coordinates
                    ? "\(point.name) is at sea (no land within about 20 km on the dataset's land mask): give a point on land"
                    : "\(point.name) (\(point.country)) is not on the dataset's land mask (an island too small for it?), so no road leg can be drawn from it")
            }
            var cells: [Int] = [], which: [Int] = []
            for (t, _, cell) in inRange { if let c = cell { cells.append(c); which.append(t) } }
            let circuity = ds.parameters.circuity(.road)
            for (i, km) in grid.nearestOverLand(from: start, targets: cells, wanted: candidates, maxKm: maxKm, buffer: &search) {
                let t = which[i]
                let estimate = Geo.distanceKm(lat1: point.lat, lon1: point.lon, lat2: ds.places[t].lat, lon2: ds.places[t].lon) * circuity
                near.append((t, km > estimate ? (km * 10).rounded() / 10 : nil))
            }
            guard !near.isEmpty else {
                let t = ds.places[inRange[0].0]
                throw Failure(description: "\(point.name) (\(point.country)): no terminal within \(Int(maxKm)) km can be reached over land (the nearest, \(t.name), \(Int(inRange[0].1.rounded())) km in a straight line, is across open sea, beyond a third country or behind a border closed to transit: a first or last mile crosses one border at most), and the network has no port or ferry there to join")
            }
        } else {
            // No mask, or a point outside it: straight legs, as estimated.
            near = inRange.prefix(candidates).map { ($0.0, nil) }
        }
        let slug = String(PlaceResolver.normalize(point.name).prefix(40))
        var id = "\(role == .origin ? originPrefix : destinationPrefix)\(slug.isEmpty ? "point" : slug)"
        while ids.contains(id) { id += "-" }
        ids.insert(id)
        ds.places.append(Place(id: id, name: point.name, country: point.country, kind: .city, lat: point.lat, lon: point.lon,
                               sources: [], note: point.origin == .gazetteer ? "GeoNames city \(point.geonameID ?? 0)" : "typed coordinates"))
        for (t, overLand) in near {
            let tid = ds.places[t].id
            let (from, to) = role == .origin ? (id, tid) : (tid, id)
            var link = Link(id: "\(from)>\(to)", from: from, to: to, mode: .road, linkClass: linkClass, lengthKm: overLand,
                            note: (role == .origin ? "pre-carriage (estimated)" : "on-carriage (estimated)") + (overLand == nil ? "" : ": the shortest path over land, round water"))
            link.bidirectional = false
            ds.links.append(link)
        }
        return ds.places.count - 1
    }

    /// Ids of the places added for off-network origins and destinations start so.
    static let originPrefix = "~o-", destinationPrefix = "~d-"

    /// "pre-carriage" for a leg leaving an off-network origin, "on-carriage" for one reaching an
    /// off-network destination, nil for every other link.
    public static func carriage(of link: Link) -> String? {
        guard link.linkClass == linkClass else { return nil }
        return link.from.hasPrefix(originPrefix) ? "pre-carriage" : "on-carriage"
    }
}
