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
    public var target: SpreadTarget
    public var p90OverP50: Double
    public var medianFactor: Double
    /// Months (1–12) when the rule applies; nil = all year.
    public var months: Set<Int>?
    public var sources: [String]
    public var note: String
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
    public var id: String
    public var name: String
    public var scope: RiskScope
    public var probability: Double
    public var months: Set<Int>?
    public var delayDaysMin: Double
    public var delayDaysMax: Double
    public var sources: [String]
    public var note: String
    public init(id: String, name: String, scope: RiskScope, probability: Double, months: Set<Int>? = nil, delayDaysMin: Double, delayDaysMax: Double,
                sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.scope = scope; self.probability = probability; self.months = months
        self.delayDaysMin = delayDaysMin; self.delayDaysMax = delayDaysMax; self.sources = sources; self.note = note
    }
}
