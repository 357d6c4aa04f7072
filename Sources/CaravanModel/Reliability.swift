/// What a spread rule applies to (most specific wins: link > class > mode; place > transfer kind; pair > border mode).
public enum SpreadTarget: Hashable, Sendable {
    case mode(Mode)
    case linkClass(String)
    case link(String)
    /// `port_handling`, `gauge_change` or `transshipment`.
    case transfer(String)
    case place(String)
    case border(Mode)
    case pair(String, String)
}

/// The variability of one kind of time: the model value is the median of a lognormal
/// whose p90 is `p90OverP50` times the median.
public struct SpreadRule: Hashable, Sendable {
    /// What the rule applies to.
    public var target: SpreadTarget
    /// Spread: p90 over the median, at least 1 (1 = no variability).
    public var p90OverP50: Double
    /// Multiplies the median (e.g. winter); 1 = unchanged.
    public var medianFactor: Double
    /// Months (1–12) when the rule applies; nil = all year.
    public var months: Set<Int>?
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Creates a spread rule; by default all year with the median unchanged.
    public init(target: SpreadTarget, p90OverP50: Double, medianFactor: Double = 1, months: Set<Int>? = nil, sources: [String] = [], note: String = "") {
        self.target = target; self.p90OverP50 = p90OverP50; self.medianFactor = medianFactor; self.months = months; self.sources = sources; self.note = note
    }
}

/// What a risk applies to.
public enum RiskScope: Hashable, Sendable {
    case links([String])
    case linkClass(String)
    case corridor(String)
    case country(String)
    case place(String)
}

/// An occasional disruption: with `probability` per trip that uses a matching link,
/// the trip is delayed by a uniform amount between the two bounds.
public struct Risk: Hashable, Sendable {
    /// Unique id.
    public var id: String
    /// Display name.
    public var name: String
    /// What the risk applies to.
    public var scope: RiskScope
    /// Chance per trip that uses a matching link, 0–1.
    public var probability: Double
    /// Months (1–12) when the risk exists; nil = all year.
    public var months: Set<Int>?
    /// The dates between which the risk exists (e.g. from the notice that started a practice to
    /// the opening of the bypass that ends it); unbounded by default.
    public var validity: Validity
    /// Shortest added delay, days.
    public var delayDaysMin: Double
    /// Longest added delay, days.
    public var delayDaysMax: Double
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Creates a risk; months default to all year, validity to always, sources and note to empty.
    public init(id: String, name: String, scope: RiskScope, probability: Double, months: Set<Int>? = nil, validity: Validity = .always,
                delayDaysMin: Double, delayDaysMax: Double, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.scope = scope; self.probability = probability; self.months = months; self.validity = validity
        self.delayDaysMin = delayDaysMin; self.delayDaysMax = delayDaysMax; self.sources = sources; self.note = note
    }
}
