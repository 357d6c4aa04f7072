/// Throughput capacity of a place (port, gauge-change station, border post) over a period.
/// It limits the transfers made there (port moves, gauge changes, transshipments).
public struct PlaceCapacity: Hashable, Sendable {
    public var place: String
    public var capacity: Double
    public var unit: CapacityUnit
    public var validity: Validity
    public var sources: [String]
    public var note: String
    public init(place: String, capacity: Double, unit: CapacityUnit, validity: Validity = .always, sources: [String] = [], note: String = "") {
        self.place = place; self.capacity = capacity; self.unit = unit; self.validity = validity; self.sources = sources; self.note = note
    }
}

/// A class of freight demand in the assignment: its unit, the modes and link classes it
/// may use, and the value of its time.
public struct FreightClass: Hashable, Sendable {
    public enum Unit: String, Sendable, CaseIterable { case teu, tonnes }
    public var id: String
    public var name: String
    public var unit: Unit
    public var modes: Set<Mode>
    /// Link classes this freight may not use even when their mode is allowed (e.g. deep-sea container lines).
    public var excludedLinkClasses: Set<String>
    /// USD per unit (TEU or tonne) per day.
    public var valueOfTimeUSDPerDay: Double
    public var sources: [String]
    public var note: String
    public init(id: String, name: String, unit: Unit, modes: Set<Mode>, excludedLinkClasses: Set<String> = [], valueOfTimeUSDPerDay: Double,
                sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.unit = unit; self.modes = modes; self.excludedLinkClasses = excludedLinkClasses
        self.valueOfTimeUSDPerDay = valueOfTimeUSDPerDay; self.sources = sources; self.note = note
    }
    public func allows(_ link: Link) -> Bool { modes.contains(link.mode) && !excludedLinkClasses.contains(link.linkClass) }
}

/// One row of an O-D demand matrix: an amount per year of one freight class.
public struct FreightDemand: Hashable, Sendable {
    public var origin: Int
    public var destination: Int
    public var freightClass: String
    /// Units of the class (TEU or tonnes) per year.
    public var amountPerYear: Double
    public init(origin: Int, destination: Int, freightClass: String, amountPerYear: Double) {
        self.origin = origin; self.destination = destination; self.freightClass = freightClass; self.amountPerYear = amountPerYear
    }
}

extension CapacityUnit {
    /// The capacity in TEU-equivalents per year (tonnes through the average TEU payload, trains
    /// through the TEU a train carries).
    public func teuPerYear(_ value: Double, _ p: Parameters) -> Double {
        switch self {
        case .teuPerYear: return value
        case .tonnesPerYear: return value / p.teuPayloadTonnes
        case .trainsPerDay: return value * 365 * p[.trainTEU]
        }
    }
}
