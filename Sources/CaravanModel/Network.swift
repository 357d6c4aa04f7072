/// Transport mode of a link. Everything the code needs to know about a mode is here, so a new
/// mode is one case plus its answers below (and its rows in the data: link classes, emission
/// factors, `circuity_*` and `border_*_h` parameters).
public enum Mode: String, Codable, Sendable, CaseIterable, Comparable {
    case rail, road, sea, ferry, iww

    /// What a vehicle of the mode runs on: the engine's travel classes (rail by gauge, road,
    /// water) and the transfers between them follow from it.
    public enum Medium: Sendable { case rail, road, water }

    public static func < (a: Mode, b: Mode) -> Bool { a.rawValue < b.rawValue }

    public var medium: Medium {
        switch self {
        case .rail: return .rail
        case .road: return .road
        case .sea, .ferry, .iww: return .water
        }
    }
    /// Name for people (legends, messages).
    public var displayName: String {
        switch self {
        case .rail: return "rail"
        case .road: return "road"
        case .sea: return "sea"
        case .ferry: return "ferry"
        case .iww: return "inland waterway"
        }
    }
    /// The parameter that turns a great-circle distance into a route length.
    public var circuityKey: ParameterKey {
        switch self {
        case .rail: return .circuityRail
        case .road: return .circuityRoad
        case .sea, .iww: return .circuitySea
        case .ferry: return .circuityFerry
        }
    }
    /// The general border dwell, used where a crossing has no measured row.
    public var borderHoursKey: ParameterKey {
        switch self {
        case .rail: return .borderRailH
        case .road: return .borderRoadH
        case .sea, .ferry, .iww: return .borderSeaH
        }
    }

    /// Water modes load and discharge at ports.
    public var isWater: Bool { medium == .water }
    /// Vehicles driven under drivers' hours rules: running time stretches by `roadElapsedFactor`.
    public var hasDriversHours: Bool { medium == .road }
    /// Only rail links have a track gauge.
    public var hasGauge: Bool { medium == .rail }
    /// Scheduled services (ships): in the freight assignment a capacitated link of such a mode
    /// congests as a queue for the next departure, a land link by a BPR curve.
    public var congestsAsQueue: Bool { medium == .water }
    /// The valid values, for messages: "rail, road, sea, ferry or iww".
    public static var valueList: String {
        let all = allCases.map(\.rawValue)
        return all.dropLast().joined(separator: ", ") + " or " + all.last!
    }
}

/// Rail track gauge in millimetres.
public enum Gauge: Int, Codable, Sendable, CaseIterable {
    case standard = 1435, russian = 1520, iberian = 1668
}

public enum PlaceKind: String, Codable, Sendable, CaseIterable {
    case city, railTerminal = "rail_terminal", port, ferryPort = "ferry_port"
    case borderStation = "border_station", gaugeChange = "gauge_change", junction
}

/// What can be done at a place; each allows a kind of transfer between links.
public struct PlaceFunctions: OptionSet, Hashable, Sendable, Codable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Transfer between rail and road.
    public static let intermodal = PlaceFunctions(rawValue: 1)
    /// Transfer between land and water, or between two ships.
    public static let port = PlaceFunctions(rawValue: 2)
    /// Transfer between rail gauges.
    public static let gaugeChange = PlaceFunctions(rawValue: 4)

    public static let names: [(String, PlaceFunctions)] = [("intermodal", .intermodal), ("port", .port), ("gauge_change", .gaugeChange)]
    public var names: [String] { Self.names.filter { contains($0.1) }.map(\.0) }
}

/// A terminal, city, port, border station, gauge-change station or junction.
public struct Place: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    public var kind: PlaceKind
    public var lat: Double
    public var lon: Double
    public var functions: PlaceFunctions
    public var aliases: [String]
    /// Measured transfer time here, overriding the general parameter.
    public var transferHours: Double?
    /// Measured transfer cost here (USD per TEU), overriding the general parameter.
    public var transferUSDPerTEU: Double?
    public var sources: [String]
    public var note: String
    /// Multiplies transfer times here (scenarios: faster or slower handling). 1 in datasets.
    public var transferFactor: Double = 1

    public init(id: String, name: String, country: String, kind: PlaceKind, lat: Double, lon: Double,
                functions: PlaceFunctions = [], aliases: [String] = [], transferHours: Double? = nil,
                transferUSDPerTEU: Double? = nil, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.country = country; self.kind = kind; self.lat = lat; self.lon = lon
        self.functions = functions; self.aliases = aliases; self.transferHours = transferHours
        self.transferUSDPerTEU = transferUSDPerTEU; self.sources = sources; self.note = note
    }
}

public enum LinkStatus: String, Codable, Sendable, CaseIterable {
    case open, underConstruction = "under_construction", planned, closed
}

public enum CapacityUnit: String, Codable, Sendable, CaseIterable {
    case teuPerYear = "teu_per_year", tonnesPerYear = "t_per_year", trainsPerDay = "trains_per_day"
}

/// Which corridors a link belongs to: every corridor (shared infrastructure) or a list.
public enum CorridorMembership: Hashable, Sendable {
    case all
    case only([String])
    public func contains(_ id: String) -> Bool {
        switch self { case .all: return true; case .only(let ids): return ids.contains(id) }
    }
}

/// An infrastructure link or a scheduled service between two places, usable both ways.
public struct Link: Hashable, Sendable {
    public var id: String
    public var from: String
    public var to: String
    public var mode: Mode
    public var linkClass: String
    public var gauge: Gauge?
    /// Route length; nil means "estimate from coordinates and the circuity parameter".
    public var lengthKm: Double?
    /// Fixed running time; nil means length / class speed.
    public var timeHours: Double?
    /// Interval between services; the mean wait is half of it.
    public var headwayHours: Double?
    public var capacity: Double?
    public var capacityUnit: CapacityUnit?
    public var validity: Validity
    public var status: LinkStatus
    public var corridors: CorridorMembership
    public var sources: [String]
    public var note: String
    /// False for one-way links (TNTP networks); dataset links are two-way.
    public var bidirectional: Bool = true

    public init(id: String, from: String, to: String, mode: Mode, linkClass: String, gauge: Gauge? = nil,
                lengthKm: Double? = nil, timeHours: Double? = nil, headwayHours: Double? = nil,
                capacity: Double? = nil, capacityUnit: CapacityUnit? = nil, validity: Validity = .always,
                status: LinkStatus = .open, corridors: CorridorMembership = .all, sources: [String] = [], note: String = "") {
        self.id = id; self.from = from; self.to = to; self.mode = mode; self.linkClass = linkClass; self.gauge = gauge
        self.lengthKm = lengthKm; self.timeHours = timeHours; self.headwayHours = headwayHours
        self.capacity = capacity; self.capacityUnit = capacityUnit; self.validity = validity; self.status = status
        self.corridors = corridors; self.sources = sources; self.note = note
    }
}

/// A dated multiplier on a link class's tariffs (e.g. a published freight-rate index divided by
/// its level when the class's base tariff was set). Outside every period the factor is 1.
public struct TariffIndex: Hashable, Sendable {
    public var linkClass: String
    public var factor: Double
    public var validity: Validity
    public var sources: [String]
    public var note: String
    public init(linkClass: String, factor: Double, validity: Validity = .always, sources: [String] = [], note: String = "") {
        self.linkClass = linkClass; self.factor = factor; self.validity = validity; self.sources = sources; self.note = note
    }
}

/// Speed, tariff and emission factor of an operator or network.
public struct LinkClass: Hashable, Sendable {
    public var id: String
    public var mode: Mode
    public var speedKmh: Double
    public var tariffUSDPerTEUFixed: Double
    public var tariffUSDPerTEUKm: Double
    /// Per-tonne tariff; nil = derived from the TEU tariff and the TEU payload.
    public var tariffUSDPerTonneFixed: Double?
    public var tariffUSDPerTonneKm: Double?
    public var emissionFactor: String
    public var sources: [String]
    public var note: String

    public init(id: String, mode: Mode, speedKmh: Double, tariffUSDPerTEUFixed: Double, tariffUSDPerTEUKm: Double,
                tariffUSDPerTonneFixed: Double? = nil, tariffUSDPerTonneKm: Double? = nil,
                emissionFactor: String, sources: [String] = [], note: String = "") {
        self.id = id; self.mode = mode; self.speedKmh = speedKmh
        self.tariffUSDPerTEUFixed = tariffUSDPerTEUFixed; self.tariffUSDPerTEUKm = tariffUSDPerTEUKm
        self.tariffUSDPerTonneFixed = tariffUSDPerTonneFixed; self.tariffUSDPerTonneKm = tariffUSDPerTonneKm
        self.emissionFactor = emissionFactor; self.sources = sources; self.note = note
    }
}

/// Well-to-wheel greenhouse-gas intensity (GLEC Framework / ISO 14083 default).
public struct EmissionFactor: Hashable, Sendable {
    public var id: String
    public var mode: Mode
    public var co2eGramsPerTonneKm: Double
    public var sources: [String]
    public var note: String
    public init(id: String, mode: Mode, co2eGramsPerTonneKm: Double, sources: [String] = [], note: String = "") {
        self.id = id; self.mode = mode; self.co2eGramsPerTonneKm = co2eGramsPerTonneKm; self.sources = sources; self.note = note
    }
}

/// A corridor family such as the Northern route or the Middle Corridor via Türkiye.
public struct Corridor: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var description: String
    public init(id: String, name: String, description: String = "") { self.id = id; self.name = name; self.description = description }
}

/// A cited document, dataset, or a stated estimation method.
public struct Source: Hashable, Sendable, Codable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case publication, dataset, estimate }
    public var id: String
    public var kind: Kind
    public var publisher: String
    public var title: String
    public var year: Int?
    public var url: String
    public var note: String
    public init(id: String, kind: Kind, publisher: String = "", title: String, year: Int? = nil, url: String = "", note: String = "") {
        self.id = id; self.kind = kind; self.publisher = publisher; self.title = title; self.year = year; self.url = url; self.note = note
    }
}
