/// One movement over consecutive links of the same mode and operator class.
public struct RouteLeg: Hashable, Sendable, Codable {
    public var mode: Mode
    public var linkClass: String
    public var from: String
    public var to: String
    /// Places passed through, in order, excluding `from` and `to`.
    public var via: [String]
    public var links: [String]
    public var km: Double
    /// Running time plus the mean wait for a service.
    public var days: Double
    public var waitDays: Double
    public var usd: Double
    public var co2eKg: Double
    /// Corridors all links of this leg belong to; `["*"]` when shared by all.
    public var corridors: [String]
    /// True when some length of this leg is estimated from coordinates.
    public var estimatedLength: Bool
    /// The dated tariff index applied to this leg's class on the date (1 = the class tariff).
    public var tariffFactor: Double
    /// "pre-carriage" or "on-carriage" for an estimated road leg joining an off-network place
    /// (a city of the gazetteer, typed coordinates) to the network; nil otherwise.
    public var carriage: String?

    public init(mode: Mode, linkClass: String, from: String, to: String, via: [String], links: [String], km: Double, days: Double, waitDays: Double, usd: Double, co2eKg: Double, corridors: [String], estimatedLength: Bool, tariffFactor: Double = 1) {
        self.mode = mode; self.linkClass = linkClass; self.from = from; self.to = to; self.via = via; self.links = links; self.km = km; self.days = days; self.waitDays = waitDays; self.usd = usd; self.co2eKg = co2eKg; self.corridors = corridors; self.estimatedLength = estimatedLength
        self.tariffFactor = tariffFactor
    }
}

/// A charge at a place or a border: transshipment, gauge change, port handling, border crossing.
public struct RouteStop: Hashable, Sendable, Codable {
    public enum Kind: String, Codable, Sendable { case transshipment, gaugeChange = "gauge_change", portHandling = "port_handling", border }
    public var kind: Kind
    public var place: String
    /// For a border: the place on the other side.
    public var toPlace: String?
    /// Index of the leg this stop comes before (legs.count when after the last leg).
    public var beforeLeg: Int
    public var days: Double
    public var usd: Double
    public var co2eKg: Double
    /// Human-readable reason (e.g. the measures applied at a border).
    public var detail: String
    /// True when the time rests on a general parameter (no measured dwell for this crossing
    /// or place); nil where not applicable.
    public var estimated: Bool?

    public init(kind: Kind, place: String, toPlace: String?, beforeLeg: Int, days: Double, usd: Double, co2eKg: Double, detail: String) {
        self.kind = kind; self.place = place; self.toPlace = toPlace; self.beforeLeg = beforeLeg; self.days = days; self.usd = usd; self.co2eKg = co2eKg; self.detail = detail
    }
}

public struct RouteTotals: Hashable, Sendable, Codable {
    public var days: Double
    public var usd: Double
    public var co2eKg: Double
    public var km: Double
    public var borderCrossings: Int
    /// usd + value of time x days + carbon price x CO2e.
    public var generalisedCostUSD: Double

    public init(days: Double, usd: Double, co2eKg: Double, km: Double, borderCrossings: Int, generalisedCostUSD: Double) {
        self.days = days; self.usd = usd; self.co2eKg = co2eKg; self.km = km; self.borderCrossings = borderCrossings; self.generalisedCostUSD = generalisedCostUSD
    }
}

/// A route from origin to destination with its legs, stops and totals.
public struct Route: Hashable, Sendable, Codable {
    public var origin: String
    public var destination: String
    /// The corridor family the route belongs to, nil when it mixes corridors.
    public var corridor: String?
    public var corridorName: String
    public var legs: [RouteLeg]
    public var stops: [RouteStop]
    public var totals: RouteTotals
    /// Scenario edits (scenario:line) that changed a link or border of this route.
    public var scenarioEdits: [String] = []
    /// Why the route is penalised or risky: conflicts, sanctions and transit bans in force
    /// at its borders on the date, in words. Empty when there are none.
    public var warnings: [String] = []

    public init(origin: String, destination: String, corridor: String?, corridorName: String, legs: [RouteLeg], stops: [RouteStop], totals: RouteTotals) {
        self.origin = origin; self.destination = destination; self.corridor = corridor; self.corridorName = corridorName; self.legs = legs; self.stops = stops; self.totals = totals
    }
}
