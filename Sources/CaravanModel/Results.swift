/// One movement over consecutive links of the same mode and operator class.
public struct RouteLeg: Hashable, Sendable, Codable {
    /// Transport mode of every link of the leg.
    public var mode: Mode
    /// Link class of every link of the leg.
    public var linkClass: String
    /// Place id where the leg starts.
    public var from: String
    /// Place id where the leg ends.
    public var to: String
    /// Places passed through, in order, excluding `from` and `to`.
    public var via: [String]
    /// Ids of the links travelled, in order.
    public var links: [String]
    /// Length, km.
    public var km: Double
    /// Running time plus the mean wait for a service.
    public var days: Double
    /// Mean wait for a service, days (included in `days`).
    public var waitDays: Double
    /// Drivers' breaks and rests on a truck leg, days (included in `days`); nil for other legs.
    public var restDays: Double?
    /// Cost of the leg for the query's cargo, USD.
    public var usd: Double
    /// Emissions of the leg for the query's cargo, kg CO2e.
    public var co2eKg: Double
    /// Corridors all links of this leg belong to; `["*"]` when shared by all.
    public var corridors: [String]
    /// True when some length of this leg is estimated (from coordinates, or by a method the link cites).
    public var estimatedLength: Bool
    /// Km of this leg on estimated lengths (the rest are published lengths).
    public var estimatedKm: Double = 0
    /// The dated tariff index applied to this leg's class on the date (1 = the class tariff).
    public var tariffFactor: Double
    /// "pre-carriage" or "on-carriage" for an estimated road leg joining an off-network place
    /// (a city of the gazetteer, typed coordinates) to the network; nil otherwise.
    public var carriage: String?
    /// True when the leg's 1520 mm rail ran at a consignment's delivery speed (`--service consignment`,
    /// `rail_1520_consignment_km_day`) rather than its class's block-train speed; nil otherwise.
    public var consignment: Bool?
    /// True when a road vehicle rides this ferry leg aboard a ro-ro (it went on and will go off by
    /// road); nil otherwise. `aboardVehicle` says which.
    public var truckAboard: Bool?
    /// For a vehicle aboard: a truck with its driver, or a trailer sailing without its tractor.
    public var aboardVehicle: FerryTariff.Vehicle?
    /// For a vehicle aboard: the sources of the line's published tariff for that vehicle; nil when the
    /// line publishes none and it pays the class tariff per TEU × `truck_teu` (an estimate).
    public var truckFareSources: [String]?
    /// True when that fare rests on a stated estimate (e.g. another port's fare of the same line); nil otherwise.
    public var truckFareEstimated: Bool?

    /// Creates a leg; the tariff factor defaults to 1 and `carriage` to none.
    public init(mode: Mode, linkClass: String, from: String, to: String, via: [String], links: [String], km: Double, days: Double, waitDays: Double, usd: Double, co2eKg: Double, corridors: [String], estimatedLength: Bool, tariffFactor: Double = 1) {
        self.mode = mode; self.linkClass = linkClass; self.from = from; self.to = to; self.via = via; self.links = links; self.km = km; self.days = days; self.waitDays = waitDays; self.usd = usd; self.co2eKg = co2eKg; self.corridors = corridors; self.estimatedLength = estimatedLength
        self.tariffFactor = tariffFactor
    }
}

/// A charge at a place or a border: transshipment, gauge change, port handling, border crossing.
public struct RouteStop: Hashable, Sendable, Codable {
    /// What the charge is for: transshipment, gauge change, port handling, a truck driving on or off a
    /// ro-ro ferry, or border crossing.
    public enum Kind: String, Codable, Sendable { case transshipment, gaugeChange = "gauge_change", portHandling = "port_handling", roRo = "ro_ro", border }
    /// What the charge is for.
    public var kind: Kind
    /// Place id where it happens; for a border, the place on the side being left.
    public var place: String
    /// For a border: the place on the other side.
    public var toPlace: String?
    /// Index of the leg this stop comes before (legs.count when after the last leg).
    public var beforeLeg: Int
    /// Time spent, days.
    public var days: Double
    /// Charge for the query's cargo, USD.
    public var usd: Double
    /// Emissions for the query's cargo, kg CO2e (0 at borders).
    public var co2eKg: Double
    /// Human-readable reason (e.g. the measures applied at a border).
    public var detail: String
    /// True when the time rests on a general parameter (no measured dwell for this crossing
    /// or place); nil where not applicable.
    public var estimated: Bool?
    /// For a border measured on one side only: true (the other side is half the general time).
    public var oneSideGeneral: Bool?
    /// For such a border: the share of its base time that is the general half (0–1).
    public var generalShare: Double?
    /// For a border or transfer with a measured dwell: the stated estimation methods among its sources
    /// (a country average assigned to the crossing, a range's midpoint, a median of reports, a port's
    /// vessel time read as a transfer); nil when none.
    public var estimateMethods: [String]?
    /// For a stop whose time rests wholly or on one side on a general parameter: that parameter's key
    /// (`border_rail_handover_h`, `port_handling_h`, …); nil for a measured stop.
    public var generalParameter: String?

    /// Days of the stop that rest on general parameters: all of a general stop, the unmeasured
    /// half's share of a border measured on one side, none of a measured one.
    public var generalDays: Double { estimated == true ? days * (generalShare ?? 1) : 0 }

    /// A short name: a border names both sides ("border A → B"), a transfer its kind and place.
    public var label: String {
        kind == .border ? "border \(place) → \(toPlace ?? "")" : "\(kind.rawValue.replacingOccurrences(of: "_", with: " ")) at \(place)"
    }

    /// Creates a stop; `estimated` defaults to none.
    public init(kind: Kind, place: String, toPlace: String?, beforeLeg: Int, days: Double, usd: Double, co2eKg: Double, detail: String) {
        self.kind = kind; self.place = place; self.toPlace = toPlace; self.beforeLeg = beforeLeg; self.days = days; self.usd = usd; self.co2eKg = co2eKg; self.detail = detail
    }
}

/// Sums over a route's legs and stops.
public struct RouteTotals: Hashable, Sendable, Codable {
    /// Transit time, days (legs and stops).
    public var days: Double
    /// Cost for the query's cargo, USD.
    public var usd: Double
    /// Emissions for the query's cargo, kg CO2e.
    public var co2eKg: Double
    /// Length, km (sum of the legs).
    public var km: Double
    /// Number of border crossings.
    public var borderCrossings: Int
    /// usd + value of time x days + carbon price x CO2e + riskUSD.
    public var generalisedCostUSD: Double
    /// Perceived risk of the route's borders (measures with `risk_usd_teu`), USD: in the
    /// generalised cost, not in `usd`.
    public var riskUSD: Double = 0

    /// Creates totals.
    public init(days: Double, usd: Double, co2eKg: Double, km: Double, borderCrossings: Int, generalisedCostUSD: Double) {
        self.days = days; self.usd = usd; self.co2eKg = co2eKg; self.km = km; self.borderCrossings = borderCrossings; self.generalisedCostUSD = generalisedCostUSD
    }
}

/// A route from origin to destination with its legs, stops and totals.
public struct Route: Hashable, Sendable, Codable {
    /// Place id of the origin.
    public var origin: String
    /// Place id of the destination.
    public var destination: String
    /// The corridor family the route belongs to, nil when it mixes corridors.
    public var corridor: String?
    /// Display name of `corridor`, else "shared links only" or "mixed".
    public var corridorName: String
    /// The movements, in order.
    public var legs: [RouteLeg]
    /// Charges at places and borders; `beforeLeg` places each among the legs.
    public var stops: [RouteStop]
    /// Sums over legs and stops.
    public var totals: RouteTotals
    /// Scenario edits (scenario:line) that changed a link or border of this route.
    public var scenarioEdits: [String] = []
    /// Why the route is penalised or risky: conflicts, sanctions and transit bans in force
    /// at its borders on the date, in words. Empty when there are none.
    public var warnings: [String] = []

    /// Creates a route; scenario edits and warnings start empty.
    public init(origin: String, destination: String, corridor: String?, corridorName: String, legs: [RouteLeg], stops: [RouteStop], totals: RouteTotals) {
        self.origin = origin; self.destination = destination; self.corridor = corridor; self.corridorName = corridorName; self.legs = legs; self.stops = stops; self.totals = totals
    }
    /// What the route's figures rest on besides measured data, for tables that give one line
    /// per route: `lengths=N` legs with estimated lengths, `dwells=N` stops on a
    /// general dwell, `carriage` when first/last-mile legs were estimated. Empty when none.
    public var estimates: String {
        let lengths = legs.filter(\.estimatedLength).count, dwells = stops.filter { $0.estimated == true }.count
        return ((lengths > 0 ? ["lengths=\(lengths)"] : []) + (dwells > 0 ? ["dwells=\(dwells)"] : [])
                + (legs.contains { $0.carriage != nil } ? ["carriage"] : [])).joined(separator: ";")
    }
}
