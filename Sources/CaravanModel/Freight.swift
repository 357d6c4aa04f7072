/// Throughput capacity of a place (port, gauge-change station, border post) over a period.
/// It limits the transfers made there (port moves, gauge changes, transshipments).
public struct PlaceCapacity: Hashable, Sendable {
    /// Id of the place.
    public var place: String
    /// The capacity, in `unit`.
    public var capacity: Double
    /// Unit of `capacity`: TEU per year, tonnes per year or trains per day.
    public var unit: CapacityUnit
    /// The period the capacity holds; periods of one place and unit may not overlap.
    public var validity: Validity
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Creates a place capacity; validity defaults to always, sources and note to empty.
    public init(place: String, capacity: Double, unit: CapacityUnit, validity: Validity = .always, sources: [String] = [], note: String = "") {
        self.place = place; self.capacity = capacity; self.unit = unit; self.validity = validity; self.sources = sources; self.note = note
    }
}

/// A class of freight demand in the assignment: its unit, the modes and link classes it
/// may use, and the value of its time.
public struct FreightClass: Hashable, Sendable {
    /// What one unit of demand is: a TEU, a tonne or a truck (a lorry or a semi-trailer on a ro-ro ferry).
    public enum Unit: String, Sendable, CaseIterable { case teu, tonnes, trucks }
    /// Class id used by demand files (e.g. `container`, `general`).
    public var id: String
    /// Display name.
    public var name: String
    /// What one unit of demand is: a TEU or a tonne.
    public var unit: Unit
    /// Modes the class may use.
    public var modes: Set<Mode>
    /// Link classes this freight may not use even when their mode is allowed (e.g. deep-sea container lines).
    public var excludedLinkClasses: Set<String>
    /// USD per unit (TEU, tonne or truck) per day.
    public var valueOfTimeUSDPerDay: Double
    /// Spread of the value of time across shippers: the standard deviation of its natural
    /// logarithm (lognormal, median `valueOfTimeUSDPerDay`); 0 = every shipper the same.
    public var valueOfTimeSpread: Double = 0
    /// Groups of equal demand the assignment splits the class into, one per quantile of the value
    /// of time (mid-quantiles of the lognormal); 1 = one group at the median.
    public var valueOfTimeGroups: Int = 1
    /// Share of the class's market that the demand rows count (e.g. the rail share of a container
    /// market whose rows are rail volumes): the assignment divides the rows by it, and the modes
    /// the class allows compete for the whole market. nil = the rows are the whole demand.
    public var demandShare: Double?
    /// Link classes that make the class's sea alternative (e.g. deep-sea container lines). With
    /// `logitScaleUSD`, each pair's demand splits between its land routes and its best sea route
    /// by a logit instead of all-or-nothing.
    public var seaAlternativeClasses: Set<String> = []
    /// Dispersion of that logit split, USD per unit: the generalised-cost difference that moves
    /// the odds between land and sea by a factor e. nil = no logit (the cheapest route wins).
    public var logitScaleUSD: Double?
    /// Perceived cost per unit on every land route of a logit class (the split's
    /// alternative-specific constant: what the generalised cost does not capture), USD; fitted.
    public var landConstantUSD: Double = 0
    /// Corridors the class is assigned within (demand published as one corridor's volume, such
    /// as the Middle Corridor's): only links of one of them (or shared by every corridor) carry it.
    /// Empty = any link.
    public var corridors: Set<String> = []
    /// Tonnes that take one TEU-equivalent of capacity, for a class in tonnes (e.g. bulk in rail
    /// wagons: a wagon's load over `wagon_teu`); nil = the dataset's `teu_payload_t`.
    public var tonnesPerTEU: Double?
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Creates a freight class; optional fields default to empty.
    public init(id: String, name: String, unit: Unit, modes: Set<Mode>, excludedLinkClasses: Set<String> = [], valueOfTimeUSDPerDay: Double,
                sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.unit = unit; self.modes = modes; self.excludedLinkClasses = excludedLinkClasses
        self.valueOfTimeUSDPerDay = valueOfTimeUSDPerDay; self.sources = sources; self.note = note
    }
    /// Tonnes per TEU-equivalent of capacity for a class in tonnes (its own, else `teu_payload_t`).
    public func tonnesPerTEU(_ p: Parameters) -> Double { tonnesPerTEU ?? p.teuPayloadTonnes }
    /// TEU-equivalents per unit of demand: 1 for TEU, 1 / tonnes per TEU for tonnes, `truck_teu` for
    /// trucks (0 when the parameter is missing: the assignment checks for it first).
    public func teuPerUnit(_ p: Parameters) -> Double {
        switch unit {
        case .teu: return 1
        case .tonnes: return 1 / tonnesPerTEU(p)
        case .trucks: return p.values[.truckTEU] ?? 0
        }
    }
    /// The unit of the class's demand rows (`demand.csv` column `unit`).
    public var demandUnit: String {
        switch unit { case .teu: return "teu_per_year"; case .tonnes: return "t_per_year"; case .trucks: return "trucks_per_year" }
    }
    /// True when the class may use the link: its mode is allowed, its link class not excluded, and
    /// it belongs to one of the class's corridors (when the class names any).
    public func allows(_ link: Link) -> Bool {
        modes.contains(link.mode) && !excludedLinkClasses.contains(link.linkClass) && (corridors.isEmpty || corridors.contains { link.corridors.contains($0) })
    }
}

/// One row of an O-D demand matrix: an amount per year of one freight class.
public struct FreightDemand: Hashable, Sendable {
    /// Index of the origin place in `Dataset.places`.
    public var origin: Int
    /// Index of the destination place in `Dataset.places`.
    public var destination: Int
    /// Id of the freight class (`freight_classes.csv`).
    public var freightClass: String
    /// Units of the class (TEU or tonnes) per year.
    public var amountPerYear: Double
    /// Creates a demand row.
    public init(origin: Int, destination: Int, freightClass: String, amountPerYear: Double) {
        self.origin = origin; self.destination = destination; self.freightClass = freightClass; self.amountPerYear = amountPerYear
    }
}

extension CapacityUnit {
    /// The capacity in TEU-equivalents per year: tonnes through `capacity_t_per_teu` (the tonnes a
    /// TEU-equivalent of capacity takes, e.g. half a loaded wagon; else the TEU payload), trains
    /// through the TEU a train carries.
    public func teuPerYear(_ value: Double, _ p: Parameters) -> Double {
        switch self {
        case .teuPerYear: return value
        case .tonnesPerYear: return value / (p.values[.capacityTonnesPerTEU] ?? p.teuPayloadTonnes)
        case .trainsPerDay: return value * 365 * p[.trainTEU]
        }
    }
}

/// A published annual volume on the land routes of a market class (one with a demand share):
/// what the logit split is fitted to (`mode-volumes.csv`).
public struct ModeVolume: Hashable, Sendable {
    /// Calendar year.
    public var year: Int
    /// The freight class's id.
    public var freightClass: String
    /// Land volume, TEU-equivalents in the year.
    public var landTEU: Double
    /// Ids of the sources cited.
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Creates a row.
    public init(year: Int, freightClass: String, landTEU: Double, sources: [String], note: String) {
        self.year = year; self.freightClass = freightClass; self.landTEU = landTEU; self.sources = sources; self.note = note
    }
}
