import Foundation

/// What a typed origin or destination stands for.
public enum Endpoint: Hashable, Sendable {
    /// A place of the network (index into `Dataset.places`).
    case place(Int)
    /// A city of the gazetteer or typed coordinates: reached by first/last-mile road legs.
    case point(OffNetworkPoint)
}

/// Resolves what a user typed to a network place, a gazetteer city or `LAT,LON`.
/// Network places win over gazetteer cities of the same name; "Name, CC" picks a country.
public struct EndpointResolver: Sendable {
    /// The outcome of resolving typed text: one endpoint, several candidates, or none.
    public enum Resolution: Sendable {
        case found(Endpoint, note: String?)
        /// Candidates described as "Name (CC)", with the text to type for each.
        case ambiguous([(label: String, typed: String)])
        case notFound(suggestions: [String])

        /// Why the text names no single place, in one line for a message (nil when found);
        /// `role` is "origin", "destination", "from", …; `shown` is the typed text made safe to echo.
        public func problem(role: String, shown: String) -> String? {
            switch self {
            case .found: return nil
            case .ambiguous(let options):
                return "\(role) '\(shown)' is ambiguous: write one of \(options.prefix(5).map(\.typed).joined(separator: "; "))"
            case .notFound(let near):
                return "unknown \(role) '\(shown)'" + (near.isEmpty ? "" : "; nearest: \(near.prefix(5).joined(separator: "; "))")
            }
        }
    }

    /// The network places; `Endpoint.place` indices refer to them.
    public let places: [Place]
    /// The network places' resolver (ids, names, aliases), shared with place search.
    public let network: PlaceResolver
    /// Cities beyond the network; nil when no gazetteer is loaded.
    public let gazetteer: Gazetteer?
    /// The gazetteer key index; nil unless built with `indexed`.
    public let index: Gazetteer.KeyIndex?

    /// `indexed`: build the gazetteer key index (worth it for servers and batches).
    public init(places: [Place], gazetteer: Gazetteer?, indexed: Bool = false) {
        self.places = places
        network = PlaceResolver(places: places)
        self.gazetteer = gazetteer
        index = indexed ? gazetteer.map(Gazetteer.KeyIndex.init) : nil
    }

    /// A city far more populous than the next of the same name is taken without asking.
    static let dominance: Int32 = 3

    /// Resolves typed text: `LAT,LON` first, then a network place, then a gazetteer city.
    public func resolve(_ raw: String) -> Resolution {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let point = coordinates(text) { return .found(.point(point), note: nil) }
        switch network.resolve(text) {
        case .found(let i): return .found(.place(i), note: nil)
        case .ambiguous(let hits): return .ambiguous(hits.map { ("\(places[$0].name) (\(places[$0].country), \(places[$0].kind.rawValue))", places[$0].id) })
        case .notFound: break
        }
        guard let g = gazetteer else { return .notFound(suggestions: networkSuggestions(text)) }
        let (name, country) = EndpointResolver.cityName(text)
        let key = PlaceResolver.normalize(name)
        var hits = key.isEmpty ? [] : g.cities(withKey: key, index: index)
        if let country { hits = hits.filter { g.country[$0] == country } }
        if hits.isEmpty { return .notFound(suggestions: networkSuggestions(name) + cityNames(g.nearest(key, limit: 5), g)) }
        // A key that is only some city's alternate name (GeoNames keeps many transliterations:
        // "Xien" is one of Skien's) while a network place is one typo away is more likely the typo:
        // ask, network places first.
        if country == nil, !hits.contains(where: { g.keys(of: $0).first == key }) {
            let typo = network.oneEditAway(key)
            if !typo.isEmpty {
                return .ambiguous(typo.map { ("\(places[$0].name) (\(places[$0].country), \(places[$0].kind.rawValue))", places[$0].id) }
                                  + hits.prefix(5).map { ("\(g.name[$0]) (\(g.country[$0]), population \(g.population[$0]), also called '\(name)')", "\(g.name[$0]), \(g.country[$0])") })
            }
        }
        // A city whose own name was typed comes before cities that bear it only as an alternate name
        // ("Islamabad" is Pakistan's capital, though GeoNames also lists it for Chattogram).
        let own = hits.filter { g.keys(of: $0).first == key }
        if !own.isEmpty, own.count < hits.count { hits = own + hits.filter { g.keys(of: $0).first != key } }
        let lead = own.isEmpty ? hits.count : own.count   // the hits that compete for the name
        if lead == 1 || g.population[hits[0]] >= EndpointResolver.dominance * g.population[hits[1]] {
            let others = hits.dropFirst().prefix(3).map { "\(g.name[$0]) (\(g.country[$0]))" }
            return .found(.point(g.point(hits[0])), note: others.isEmpty ? nil : "also named so: \(others.joined(separator: ", ")); write 'Name, CC' for another")
        }
        return .ambiguous(hits.prefix(8).map { ("\(g.name[$0]) (\(g.country[$0]), population \(g.population[$0]))", "\(g.name[$0]), \(g.country[$0])") })
    }

    /// "Tripoli, LY" → ("Tripoli", "LY"): a country code after the last comma narrows the cities.
    static func cityName(_ text: String) -> (name: String, country: String?) {
        guard let comma = text.lastIndex(of: ",") else { return (text, nil) }
        let cc = text[text.index(after: comma)...].trimmingCharacters(in: .whitespaces).uppercased()
        guard cc.count == 2, cc.allSatisfy({ $0.isASCII && $0.isLetter }) else { return (text, nil) }
        return (String(text[..<comma]), cc)
    }

    /// The gazetteer search key of a typed city ("Milan", "Tripoli, LY"); nil for coordinates.
    public static func cityKey(_ raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if latLon(text) != nil { return nil }
        let key = PlaceResolver.normalize(cityName(text).name)
        return key.isEmpty ? nil : key
    }

    func networkSuggestions(_ text: String) -> [String] {
        network.nearest(PlaceResolver.normalize(text), limit: 5).map { "\(places[$0].id) (\(places[$0].name), \(places[$0].country))" }
    }
    func cityNames(_ cities: [Int], _ g: Gazetteer) -> [String] { cities.map { "\(g.name[$0]), \(g.country[$0])" } }

    /// `LAT,LON` in decimal degrees (e.g. `41.72,44.79`), named by its coordinates; its country
    /// (which sets the border its first/last-mile leg may cross) is that of the nearest city or place.
    static func latLon(_ text: String) -> (lat: Double, lon: Double)? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]),
              parts.allSatisfy({ $0.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" } }),
              (-90...90).contains(lat), (-180...180).contains(lon) else { return nil }
        return (lat, lon)
    }

    func coordinates(_ text: String) -> OffNetworkPoint? {
        guard let (lat, lon) = EndpointResolver.latLon(text) else { return nil }
        var country = "", nearestKm = Double.infinity
        if let g = gazetteer {
            for c in 0..<g.count {
                let d = Geo.distanceKm(lat1: lat, lon1: lon, lat2: g.lat[c], lon2: g.lon[c])
                if d < nearestKm { nearestKm = d; country = g.country[c] }
            }
        }
        for p in places {
            let d = Geo.distanceKm(lat1: lat, lon1: lon, lat2: p.lat, lon2: p.lon)
            if d < nearestKm { nearestKm = d; country = p.country }
        }
        return OffNetworkPoint(name: String(format: "%.4f,%.4f", lat, lon), country: country, lat: lat, lon: lon, origin: .coordinates)
    }
}
