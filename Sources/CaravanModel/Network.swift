/// Transport mode of a link. Everything the code needs to know about a mode is here, so a new
/// mode is one case plus its answers below (and its rows in the data: link classes, emission
/// factors, `circuity_*` and `border_*_h` parameters).
public enum Mode: String, Codable, Sendable, CaseIterable, Comparable {
    case rail, road, sea, ferry, iww

    /// What a vehicle of the mode runs on: the engine's travel classes (rail by gauge, road,
    /// water) and the transfers between them follow from it.
    public enum Medium: Sendable { case rail, road, water }

    /// Orders modes by their raw names.
    public static func < (a: Mode, b: Mode) -> Bool { a.rawValue < b.rawValue }

    /// What vehicles of the mode run on: rail, road or water.
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
    /// The general border dwell, used where a crossing has no measured row (a rail border with no
    /// gauge change at either end may take `border_rail_handover_h`: `Dataset.generalBorderKey`).
    public var borderHoursKey: ParameterKey {
        switch self {
        case .rail: return .borderRailH
        case .road: return .borderRoadH
        case .sea, .ferry, .iww: return .borderSeaH
        }
    }

    /// Sea-going services (deep-sea lines, short-sea feeders): the freight assignment's sea share
    /// counts the paths mostly on them.
    public var isSeaGoing: Bool { self == .sea }
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

/// What a place is (the `kind` column of `places*.csv`).
public enum PlaceKind: String, Codable, Sendable, CaseIterable {
    case city, railTerminal = "rail_terminal", port, ferryPort = "ferry_port"
    case borderStation = "border_station", gaugeChange = "gauge_change", junction
}

/// What can be done at a place; each allows a kind of transfer between links.
public struct PlaceFunctions: OptionSet, Hashable, Sendable, Codable {
    /// The functions as bits.
    public let rawValue: UInt8
    /// Creates a set of functions from its bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Transfer between rail and road.
    public static let intermodal = PlaceFunctions(rawValue: 1)
    /// Transfer between land and water, or between two ships.
    public static let port = PlaceFunctions(rawValue: 2)
    /// Transfer between rail gauges.
    public static let gaugeChange = PlaceFunctions(rawValue: 4)

    /// Each function's name in `places*.csv` with its flag.
    public static let names: [(String, PlaceFunctions)] = [("intermodal", .intermodal), ("port", .port), ("gauge_change", .gaugeChange)]
    /// Names of the functions in this set, as written in `places*.csv`.
    public var names: [String] { Self.names.filter { contains($0.1) }.map(\.0) }
}

/// A terminal, city, port, border station, gauge-change station or junction.
public struct Place: Hashable, Sendable, Codable {
    /// Unique id, a lowercase slug (`xian`, `alat`).
    public var id: String
    /// Display name with diacritics (`Xi'an`, `Małaszewicze`).
    public var name: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    /// What the place is (city, rail terminal, port, ...).
    public var kind: PlaceKind
    /// Latitude, WGS84 decimal degrees.
    public var lat: Double
    /// Longitude, WGS84 decimal degrees.
    public var lon: Double
    /// What can be done here; empty = through traffic only.
    public var functions: PlaceFunctions
    /// Other names and spellings, matched when resolving typed places.
    public var aliases: [String]
    /// Measured transfer time here, overriding the general parameter.
    public var transferHours: Double?
    /// Measured transfer cost here (USD per TEU), overriding the general parameter.
    public var transferUSDPerTEU: Double?
    /// Ids of the sources of `transferHours` and `transferUSDPerTEU` (`transfer_source`); empty
    /// when a scenario set them.
    public var transferSources: [String] = []
    /// Ids of the sources cited for the place itself (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Multiplies transfer times here (scenarios: faster or slower handling). 1 in datasets.
    public var transferFactor: Double = 1

    /// The measured time of one move here, if the place's `transferHours` times that move. At a
    /// port it is the time of a move to or from a ship (its figures are vessels' times in port), so
    /// a road–rail transshipment or a gauge change there takes the general time instead.
    public func measuredTransferHours(shipMove: Bool) -> Double? {
        functions.contains(.port) && !shipMove ? nil : transferHours
    }
    /// The measured cost of one move here (USD per TEU), on the same rule as `measuredTransferHours`.
    public func measuredTransferUSDPerTEU(shipMove: Bool) -> Double? {
        functions.contains(.port) && !shipMove ? nil : transferUSDPerTEU
    }

    /// Creates a place; optional fields default to none.
    public init(id: String, name: String, country: String, kind: PlaceKind, lat: Double, lon: Double,
                functions: PlaceFunctions = [], aliases: [String] = [], transferHours: Double? = nil,
                transferUSDPerTEU: Double? = nil, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.country = country; self.kind = kind; self.lat = lat; self.lon = lon
        self.functions = functions; self.aliases = aliases; self.transferHours = transferHours
        self.transferUSDPerTEU = transferUSDPerTEU; self.sources = sources; self.note = note
    }
}

/// Status of a link: open, under construction, planned or closed.
public enum LinkStatus: String, Codable, Sendable, CaseIterable {
    case open, underConstruction = "under_construction", planned, closed
}

/// Unit of a capacity: TEU per year, tonnes per year or trains per day.
public enum CapacityUnit: String, Codable, Sendable, CaseIterable {
    case teuPerYear = "teu_per_year", tonnesPerYear = "t_per_year", trainsPerDay = "trains_per_day"
}

/// Which corridors a link belongs to: every corridor (shared infrastructure) or a list.
public enum CorridorMembership: Hashable, Sendable {
    case all
    case only([String])
    /// True when the link belongs to the corridor with this id.
    public func contains(_ id: String) -> Bool {
        switch self { case .all: return true; case .only(let ids): return ids.contains(id) }
    }
}

/// An infrastructure link or a scheduled service between two places, usable both ways.
public struct Link: Hashable, Sendable {
    /// Unique id (`xian-lanzhou`, `aktau-alat-ferry`).
    public var id: String
    /// Place id at one end.
    public var from: String
    /// Place id at the other end.
    public var to: String
    /// Transport mode.
    public var mode: Mode
    /// Id of the link class (speed, tariff and emission factor).
    public var linkClass: String
    /// Track gauge; rail links only.
    public var gauge: Gauge?
    /// Route length; nil means "estimate from coordinates and the circuity parameter".
    public var lengthKm: Double?
    /// Fixed running time; nil means length / class speed.
    public var timeHours: Double?
    /// Interval between services; the mean wait is half of it.
    public var headwayHours: Double?
    /// Optional capacity in `capacityUnit`, used by the freight assignment.
    public var capacity: Double?
    /// Unit of `capacity`.
    public var capacityUnit: CapacityUnit?
    /// Dates between which the link exists (planned links carry their planned opening).
    public var validity: Validity
    /// Open, under construction, planned or closed.
    public var status: LinkStatus
    /// The corridors the link belongs to (`*` = all).
    public var corridors: CorridorMembership
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// False for one-way links (TNTP networks); dataset links are two-way.
    public var bidirectional: Bool = true

    /// Creates a link; by default open, always valid and shared by all corridors; optional values none.
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
    /// Id of the link class whose tariffs it multiplies.
    public var linkClass: String
    /// Multiplier on the class's tariffs, above 0.
    public var factor: Double
    /// The period the factor holds; periods of one class may not overlap.
    public var validity: Validity
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Creates a tariff index row; validity defaults to always.
    public init(linkClass: String, factor: Double, validity: Validity = .always, sources: [String] = [], note: String = "") {
        self.linkClass = linkClass; self.factor = factor; self.validity = validity; self.sources = sources; self.note = note
    }
}

/// Speed, tariff and emission factor of an operator or network.
public struct LinkClass: Hashable, Sendable {
    /// Unique id (`kz-rail`, `caspian-ferry`, `ocean-container`).
    public var id: String
    /// Transport mode of the class.
    public var mode: Mode
    /// Commercial speed including technical stops, km/h.
    public var speedKmh: Double
    /// Fixed tariff per link, USD per TEU.
    public var tariffUSDPerTEUFixed: Double
    /// Distance tariff, USD per TEU-km.
    public var tariffUSDPerTEUKm: Double
    /// Per-tonne tariff; nil = derived from the TEU tariff and the TEU payload.
    public var tariffUSDPerTonneFixed: Double?
    /// Per-tonne distance tariff, USD per tonne-km; nil = derived from the TEU tariff and the TEU payload.
    public var tariffUSDPerTonneKm: Double?
    /// Id of the class's emission factor (`emission_factors.csv`).
    public var emissionFactor: String
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String

    /// Creates a link class; per-tonne tariffs default to none.
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
    /// Unique id (`rail-electric-eu`, `container-ship-deep-sea`).
    public var id: String
    /// Transport mode it applies to.
    public var mode: Mode
    /// Well-to-wheel CO2e intensity, grams per tonne-km.
    public var co2eGramsPerTonneKm: Double
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Creates an emission factor; sources and note default to empty.
    public init(id: String, mode: Mode, co2eGramsPerTonneKm: Double, sources: [String] = [], note: String = "") {
        self.id = id; self.mode = mode; self.co2eGramsPerTonneKm = co2eGramsPerTonneKm; self.sources = sources; self.note = note
    }
}

/// A corridor family such as the Northern route or the Middle Corridor via Türkiye.
public struct Corridor: Hashable, Sendable, Codable {
    /// Unique id (`northern`, `middle-turkiye`).
    public var id: String
    /// Display name.
    public var name: String
    /// One sentence describing the corridor.
    public var description: String
    /// Creates a corridor; the description defaults to empty.
    public init(id: String, name: String, description: String = "") { self.id = id; self.name = name; self.description = description }
}

/// A row of the dataset that cites a source: its file, line and column.
public struct Citation: Hashable, Sendable, Codable {
    /// File name inside the dataset folder (e.g. `crossings.csv`, `energy/assets.csv`).
    public var file: String
    /// 1-based line of the row.
    public var line: Int
    /// The column holding the source ids (`source`, `transfer_source`, …).
    public var column: String
    /// Creates a citation.
    public init(file: String, line: Int, column: String) { self.file = file; self.line = line; self.column = column }
}

/// The figure a cited source states for one value of the dataset (`source-figures.csv`), kept so
/// that a check can compare the value with what its source says.
public struct SourceFigure: Hashable, Sendable, Codable {
    /// Id of the source.
    public var source: String
    /// Table of the value (`parameters`, `links`, `crossings`, …).
    public var table: String
    /// Row key in that table (an id, or key parts joined by `|`).
    public var row: String
    /// Column of the value.
    public var field: String
    /// The number the source states, in `unit`.
    public var figure: Double
    /// Unit of `figure` as the source gives it.
    public var unit: String
    /// A parameter that converts the figure to the value's unit (the value is figure / parameter); nil = none.
    public var divideBy: String?
    /// What the source says, in a few words.
    public var note: String
    /// Creates a recorded figure.
    public init(source: String, table: String, row: String, field: String, figure: Double, unit: String = "", divideBy: String? = nil, note: String = "") {
        self.source = source; self.table = table; self.row = row; self.field = field; self.figure = figure; self.unit = unit; self.divideBy = divideBy; self.note = note
    }
}

/// A cited document, dataset, or a stated estimation method.
public struct Source: Hashable, Sendable, Codable {
    /// What a source is: a publication, a dataset or an estimate (a stated method).
    public enum Kind: String, Codable, Sendable, CaseIterable { case publication, dataset, estimate }
    /// Unique id, lowercase (`wb-2023-middle-corridor`).
    public var id: String
    /// Publication, dataset or estimate.
    public var kind: Kind
    /// Organisation or author (may be empty for an estimate).
    public var publisher: String
    /// Title of the document; for an estimate, the method in one sentence.
    public var title: String
    /// Year of publication; nil when not given.
    public var year: Int?
    /// Address of the document; may be empty for an estimate.
    public var url: String
    /// Page, table, or what exactly was taken.
    public var note: String
    /// Creates a source; optional fields default to empty or none.
    public init(id: String, kind: Kind, publisher: String = "", title: String, year: Int? = nil, url: String = "", note: String = "") {
        self.id = id; self.kind = kind; self.publisher = publisher; self.title = title; self.year = year; self.url = url; self.note = note
    }
}
