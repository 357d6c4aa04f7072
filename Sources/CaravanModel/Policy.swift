/// A country (ISO 3166-1 alpha-2).
public struct Country: Hashable, Sendable, Codable {
    /// ISO 3166-1 alpha-2 code.
    public var code: String
    /// English short name.
    public var name: String
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Creates a country; sources default to empty.
    public init(code: String, name: String, sources: [String] = []) { self.code = code; self.name = name; self.sources = sources }
}

/// An international organisation, union or format (EU, EAEU, OTS, TITR, ...).
public struct Organisation: Hashable, Sendable, Codable {
    /// Unique id (`EU`, `EAEU`).
    public var id: String
    /// Display name.
    public var name: String
    /// Kind as written in `orgs.csv` (`customs_union`, `economic_union`, `transport`, ...).
    public var kind: String
    /// Founding date; nil when not given.
    public var founded: Day?
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Creates an organisation; optional fields default to none or empty.
    public init(id: String, name: String, kind: String, founded: Day? = nil, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.kind = kind; self.founded = founded; self.sources = sources; self.note = note
    }
}

/// A country's role in an organisation (`memberships.csv`).
public enum MembershipRole: String, Codable, Sendable, CaseIterable {
    case member, observer, partner, dialoguePartner = "dialogue_partner", associate, candidate, plus
}

/// A country's dated role in an organisation.
public struct Membership: Hashable, Sendable, Codable {
    /// Id of the organisation.
    public var org: String
    /// ISO 3166-1 alpha-2 code of the country.
    public var country: String
    /// The country's role.
    public var role: MembershipRole
    /// Dates between which the role holds.
    public var validity: Validity
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Creates a membership; sources and note default to empty.
    public init(org: String, country: String, role: MembershipRole, validity: Validity, sources: [String] = [], note: String = "") {
        self.org = org; self.country = country; self.role = role; self.validity = validity; self.sources = sources; self.note = note
    }
}

/// Kind of measure (the `kind` column of `measures.csv`).
public enum MeasureKind: String, Codable, Sendable, CaseIterable {
    case customsUnion = "customs_union", simplifiedTransit = "simplified_transit", tir, facilitation
    case sanctions, transitBan = "transit_ban", closure, diversion
    /// War or armed conflict: extra dwell, war-risk cost or closure on the borders it covers.
    case conflict
    /// A charge on foreign carriers at the borders it covers (entry and transit fees): added on top
    /// of a measured crossing's cost whatever its date, since the measurements sample the
    /// country's own carriers, who do not pay it.
    case fee
}

/// What a measure applies to.
public enum MeasureScope: Hashable, Sendable {
    /// Borders between two countries that are both members of the organisation on the date.
    case org(String)
    /// The border between two countries (either direction).
    case pair(String, String)
    /// Any border of a country.
    case country(String)
    case links([String])
    /// The links of a corridor that are not shared by all corridors.
    case corridor(String)
    case place(String)

    /// The scope as written in `applies_to` (e.g. `pair:AA-BB`, `link:ID;ID`).
    public var text: String {
        switch self {
        case .org(let id): return "org:\(id)"
        case .pair(let a, let b): return "pair:\(a)-\(b)"
        case .country(let c): return "country:\(c)"
        case .links(let ids): return "link:" + ids.joined(separator: ";")
        case .corridor(let id): return "corridor:\(id)"
        case .place(let id): return "place:\(id)"
        }
    }
}

/// An agreement, sanction or closure changing a border's time or cost or a link's availability.
public struct Measure: Hashable, Sendable {
    /// Unique id.
    public var id: String
    /// Display name.
    public var name: String
    /// Kind of measure.
    public var kind: MeasureKind
    /// What the measure applies to.
    public var scope: MeasureScope
    /// Multiplies the base border time (e.g. 0.2).
    public var borderTimeFactor: Double?
    /// Hours added to the border time.
    public var borderTimeAddHours: Double?
    /// USD per TEU added to the border cost.
    public var borderCostAddUSDPerTEU: Double?
    /// Perceived cost per TEU that shippers attach to the crossing (sanctions compliance, insurance
    /// exclusions, reputational risk): added to the generalised cost that routes and the assignment
    /// minimise, never to the USD a route is charged.
    public var borderRiskUSDPerTEU: Double?
    /// Multiplies the border cost (e.g. 0 inside a customs union).
    public var borderCostFactor: Double?
    /// True when the links or borders it applies to cannot be used.
    public var closed: Bool
    /// Modes it applies to; empty = every mode (e.g. `road` for a truck ban).
    public var modes: [Mode] = []
    /// Added by a scenario: applied on top of measured crossing dwells too (dataset measures
    /// in force when a dwell was measured are already in the measurement).
    public var fromScenario = false
    /// Dates in force.
    public var validity: Validity
    /// Months of the year (1...12) it is in force within `validity`, e.g. a mountain pass closed
    /// from December to March; nil = every month.
    public var months: Set<Int>?
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// True when the measure concerns links of this mode.
    public func covers(_ mode: Mode) -> Bool { modes.isEmpty || modes.contains(mode) }
    /// True on a day within its dates and, for a seasonal measure, in one of its months.
    public func inForce(on day: Day) -> Bool { validity.contains(day) && (months?.contains(day.components.month) ?? true) }
    /// Creates a measure; optional fields default to none, validity to always.
    public init(id: String, name: String, kind: MeasureKind, scope: MeasureScope, borderTimeFactor: Double? = nil,
                borderTimeAddHours: Double? = nil, borderCostAddUSDPerTEU: Double? = nil, borderCostFactor: Double? = nil, closed: Bool = false,
                validity: Validity = .always, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.kind = kind; self.scope = scope; self.borderTimeFactor = borderTimeFactor
        self.borderTimeAddHours = borderTimeAddHours; self.borderCostAddUSDPerTEU = borderCostAddUSDPerTEU
        self.borderCostFactor = borderCostFactor
        self.closed = closed; self.validity = validity; self.sources = sources; self.note = note
    }
}

/// A dated event of the timeline (opening, agreement, closure, ...).
public struct TimelineEvent: Hashable, Sendable, Codable {
    /// Date of the event.
    public var date: Day
    /// Unique id.
    public var id: String
    /// Kind as written in `events.csv` (`opening`, `closure`, `agreement`, ...).
    public var kind: String
    /// One-line title.
    public var title: String
    /// Ids the event dates, prefixed by their kind (`link:ID`, `measure:ID`, `org:ID`).
    public var refs: [String]
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Creates an event; refs, sources and note default to empty.
    public init(date: Day, id: String, kind: String, title: String, refs: [String] = [], sources: [String] = [], note: String = "") {
        self.date = date; self.id = id; self.kind = kind; self.title = title; self.refs = refs; self.sources = sources; self.note = note
    }
}

/// How a published transit time was stated.
public enum ObservationMeasure: String, Codable, Sendable, CaseIterable {
    case scheduled, terminalToTerminal = "terminal-to-terminal", doorToDoor = "door-to-door"
    case averageReported = "average-reported", recordPilot = "record/pilot"
    /// A launch-day forecast or a target ("expected in about 25 days", "to be cut to 15 days"): kept
    /// with the model's time beside it, but not an observation, so neither fitted nor scored
    /// (`Dataset.forecasts`).
    case planned
    /// Weight in the calibration objective: first and record runs are faster than routine
    /// service, so they count half; a forecast not at all (docs/calibration.md).
    public var weight: Double {
        switch self {
        case .recordPilot: return 0.5
        case .planned: return 0
        default: return 1
        }
    }
}

/// A published transit time between two places, used to calibrate and check the model (`observations.csv`).
public struct Observation: Hashable, Sendable, Codable {
    /// Unique id.
    public var id: String
    /// Place id of the origin.
    public var origin: String
    /// Place id of the destination.
    public var destination: String
    /// Corridor id the figure is for, or `any`.
    public var corridor: String
    /// Date the figure was published or measured.
    public var date: Day
    /// Published transit time, days (door-to-door or terminal-to-terminal; the note says which).
    public var transitDays: Double
    /// What was carried, as published (free text; may be empty).
    public var cargo: String
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// How the figure was published; a first run (`record/pilot`) weighs less in the fit.
    public var measure: ObservationMeasure?
    /// Modes the route may use (empty = all), e.g. road and ferry for a TIR run.
    public var modes: [Mode] = []
    /// Places the published service passed, in order (empty = any route): the model's route is
    /// made to pass them, so a figure for one routing is not compared with another.
    public var via: [String] = []
    /// An origin off the network (a city), joined by first-mile road legs; `origin` is then its name.
    public var originPoint: OffNetworkPoint?
    /// A destination off the network, joined by last-mile road legs; `destination` is then its name.
    public var destinationPoint: OffNetworkPoint?
    /// Truck crew the source states (1 or 2 drivers); nil = not stated, routed with one driver.
    public var drivers: Int?
    /// The train's service where the source states it (`express`: on China Railway's unified
    /// full-journey timetable or sold as an express or priority product); nil = a block train.
    public var service: RailService?
    /// Creates an observation; cargo, sources and note default to empty.
    public init(id: String, origin: String, destination: String, corridor: String, date: Day, transitDays: Double,
                cargo: String = "", sources: [String] = [], note: String = "") {
        self.id = id; self.origin = origin; self.destination = destination; self.corridor = corridor; self.date = date
        self.transitDays = transitDays; self.cargo = cargo; self.sources = sources; self.note = note
    }
}
