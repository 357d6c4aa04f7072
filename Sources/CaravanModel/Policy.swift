/// A country (ISO 3166-1 alpha-2).
public struct Country: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var sources: [String]
    public init(code: String, name: String, sources: [String] = []) { self.code = code; self.name = name; self.sources = sources }
}

/// An international organisation, union or format (EU, EAEU, OTS, TITR, ...).
public struct Organisation: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var kind: String
    public var founded: Day?
    public var sources: [String]
    public var note: String
    public init(id: String, name: String, kind: String, founded: Day? = nil, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.kind = kind; self.founded = founded; self.sources = sources; self.note = note
    }
}

public enum MembershipRole: String, Codable, Sendable, CaseIterable {
    case member, observer, partner, dialoguePartner = "dialogue_partner", associate, candidate, plus
}

/// A country's dated role in an organisation.
public struct Membership: Hashable, Sendable, Codable {
    public var org: String
    public var country: String
    public var role: MembershipRole
    public var validity: Validity
    public var sources: [String]
    public var note: String
    public init(org: String, country: String, role: MembershipRole, validity: Validity, sources: [String] = [], note: String = "") {
        self.org = org; self.country = country; self.role = role; self.validity = validity; self.sources = sources; self.note = note
    }
}

public enum MeasureKind: String, Codable, Sendable, CaseIterable {
    case customsUnion = "customs_union", simplifiedTransit = "simplified_transit", tir, facilitation
    case sanctions, transitBan = "transit_ban", closure, diversion
    /// War or armed conflict: extra dwell, war-risk cost or closure on the borders it covers.
    case conflict
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
    public var id: String
    public var name: String
    public var kind: MeasureKind
    public var scope: MeasureScope
    public var borderTimeFactor: Double?
    public var borderTimeAddHours: Double?
    public var borderCostAddUSDPerTEU: Double?
    /// Multiplies the border cost (e.g. 0 inside a customs union).
    public var borderCostFactor: Double?
    public var closed: Bool
    /// Modes it applies to; empty = every mode (e.g. `road` for a truck ban).
    public var modes: [Mode] = []
    /// Added by a scenario: applied on top of measured crossing dwells too (dataset measures
    /// in force when a dwell was measured are already in the measurement).
    public var fromScenario = false
    public var validity: Validity
    public var sources: [String]
    public var note: String
    /// True when the measure concerns links of this mode.
    public func covers(_ mode: Mode) -> Bool { modes.isEmpty || modes.contains(mode) }
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
    public var date: Day
    public var id: String
    public var kind: String
    public var title: String
    public var refs: [String]
    public var sources: [String]
    public var note: String
    public init(date: Day, id: String, kind: String, title: String, refs: [String] = [], sources: [String] = [], note: String = "") {
        self.date = date; self.id = id; self.kind = kind; self.title = title; self.refs = refs; self.sources = sources; self.note = note
    }
}

/// A published transit time used for calibration.
/// How a published transit time was stated.
public enum ObservationMeasure: String, Codable, Sendable, CaseIterable {
    case scheduled, terminalToTerminal = "terminal-to-terminal", doorToDoor = "door-to-door"
    case averageReported = "average-reported", recordPilot = "record/pilot"
    /// Weight in the calibration objective: first and record runs are faster than routine
    /// service, so they count half (docs/calibration.md).
    public var weight: Double { self == .recordPilot ? 0.5 : 1 }
}

public struct Observation: Hashable, Sendable, Codable {
    public var id: String
    public var origin: String
    public var destination: String
    public var corridor: String
    public var date: Day
    public var transitDays: Double
    public var cargo: String
    public var sources: [String]
    public var note: String
    /// How the figure was published; a first run (`record/pilot`) weighs less in the fit.
    public var measure: ObservationMeasure?
    /// Modes the route may use (empty = all), e.g. road and ferry for a TIR run.
    public var modes: [Mode] = []
    public init(id: String, origin: String, destination: String, corridor: String, date: Day, transitDays: Double,
                cargo: String = "", sources: [String] = [], note: String = "") {
        self.id = id; self.origin = origin; self.destination = destination; self.corridor = corridor; self.date = date
        self.transitDays = transitDays; self.cargo = cargo; self.sources = sources; self.note = note
    }
}
