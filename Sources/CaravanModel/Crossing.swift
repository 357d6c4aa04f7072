/// Measured dwell and cost of one border crossing (a link between two countries), by
/// direction and date (`crossings.csv`). Where none is recorded the general parameters
/// (`border_<mode>_h`, `border_usd_teu`) are the fallback, and outputs say so.
public struct Crossing: Hashable, Sendable, Codable {
    /// What a crossing cost is charged per; converted to USD per TEU with the dataset's
    /// `train_teu`, `wagon_teu` or `truck_teu`.
    public enum CostUnit: String, CaseIterable, Sendable, Codable {
        case perTEU = "usd_per_teu", perTrain = "usd_per_train", perWagon = "usd_per_wagon", perTruck = "usd_per_truck"
        /// The parameter that converts this unit to TEU (nil for per TEU).
        public var teuParameter: ParameterKey? {
            switch self { case .perTEU: return nil; case .perTrain: return .trainTEU; case .perWagon: return .wagonTEU; case .perTruck: return .truckTEU }
        }
    }
    /// Id of the link crossed; its two places lie in different countries. `*` (``seaArrivals``)
    /// makes the row a port's import clearance: it applies to every sea link entering `entering`
    /// from another country, unless that link has rows of its own.
    public var link: String

    /// The `link` of a port's import-clearance row.
    public static let seaArrivals = "*"
    /// The place at the end being entered; nil when the figure holds in both directions.
    public var entering: String?
    /// The end whose side of the border the figure measures (one country's border station,
    /// as CAREC CPMM reports by country); nil = the whole crossing, both sides.
    public var side: String? = nil
    /// Median time from arrival at the first border station to departure from the last
    /// (queues, inspection, paperwork; gauge change only where the note says so), on `side`
    /// only when that is set.
    public var dwellHours: Double
    /// True when the dwell is a queue measured under that period's traffic (`queue = yes`): the
    /// freight assignment, which makes its own queues from capacities, counts it as 0 h.
    public var queue: Bool? = nil
    /// Spread of the dwell (p90 / p50) for reliability; nil = the general rule.
    public var p90OverP50: Double?
    /// Cost of the crossing in `costUnit`; nil when not given.
    public var cost: Double?
    /// What `cost` is charged per; given together with `cost`.
    public var costUnit: CostUnit?
    /// The period the figure holds; periods of one (link, entering) may not overlap.
    public var validity: Validity
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String

    /// Creates a crossing row; optional fields default to none, validity to always.
    public init(link: String, entering: String? = nil, side: String? = nil, dwellHours: Double, p90OverP50: Double? = nil, cost: Double? = nil,
                costUnit: CostUnit? = nil, validity: Validity = .always, sources: [String] = [], note: String = "") {
        self.link = link; self.entering = entering; self.side = side; self.dwellHours = dwellHours; self.p90OverP50 = p90OverP50
        self.cost = cost; self.costUnit = costUnit; self.validity = validity; self.sources = sources; self.note = note
    }

    /// Cost in USD per TEU, nil when the row gives none (or the conversion parameter is missing).
    public func usdPerTEU(_ p: Parameters) -> Double? {
        guard let cost, let unit = costUnit else { return nil }
        guard let key = unit.teuParameter else { return cost }
        guard let teu = p.values[key], teu > 0 else { return nil }
        return cost / teu
    }
}

/// A ferry or feeder line's operations on a link, dated (`ferries.csv`): sailings set the wait
/// for a departure (half the interval) and, with the vessel's load, the link's capacity.
public struct FerryService: Hashable, Sendable, Codable {
    /// Id of the ferry or feeder link operated.
    public var link: String
    /// Departures per week; where given, replaces the link's headway (wait = half of 168 / sailings).
    public var sailingsPerWeek: Double?
    /// Container slots per sailing, TEU.
    public var teuPerSailing: Double?
    /// Rail wagons carried per sailing (converted to TEU with `wagon_teu`).
    public var wagonsPerSailing: Double?
    /// Truck and trailer slots per sailing: the line's truck deck in the assignment (trucks only).
    public var trucksPerSailing: Double?
    /// A published annual container capacity, used instead of sailings × load.
    public var teuPerYear: Double?
    /// The period the row holds; periods of one link may not overlap.
    public var validity: Validity
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text.
    public var note: String

    /// Creates a ferry service row; optional fields default to none, validity to always.
    public init(link: String, sailingsPerWeek: Double? = nil, teuPerSailing: Double? = nil, wagonsPerSailing: Double? = nil,
                trucksPerSailing: Double? = nil, teuPerYear: Double? = nil, validity: Validity = .always, sources: [String] = [], note: String = "") {
        self.link = link; self.sailingsPerWeek = sailingsPerWeek; self.teuPerSailing = teuPerSailing; self.wagonsPerSailing = wagonsPerSailing
        self.trucksPerSailing = trucksPerSailing; self.teuPerYear = teuPerYear; self.validity = validity; self.sources = sources; self.note = note
    }

    /// Hours between sailings, nil when the row gives no frequency.
    public var headwayHours: Double? { sailingsPerWeek.map { 168 / $0 } }

    /// Container capacity per direction in TEU a year: the published figure, else sailings ×
    /// 52 × (TEU slots + wagons × `wagon_teu`); nil when the row gives neither.
    public func teuCapacityPerYear(_ p: Parameters) -> Double? {
        if let teuPerYear { return teuPerYear }
        guard let s = sailingsPerWeek, teuPerSailing != nil || wagonsPerSailing != nil else { return nil }
        let wagonTEU = wagonsPerSailing == nil ? 0 : p.values[.wagonTEU]   // the loader requires it with wagons
        guard let wagonTEU else { return nil }
        return s * 52 * ((teuPerSailing ?? 0) + (wagonsPerSailing ?? 0) * wagonTEU)
    }

    /// Truck or trailer slots per direction a year (nil when not published).
    public var trucksPerYear: Double? {
        guard let s = sailingsPerWeek, let t = trucksPerSailing else { return nil }
        return s * 52 * t
    }
}

/// A ro-ro ferry line's published price for a road vehicle riding it (`ferry-tariffs.csv`), by
/// direction and date. Where a line has none, a truck aboard pays the line's class tariff per TEU
/// (× `truck_teu`), and outputs say so.
public struct FerryTariff: Hashable, Sendable, Codable {
    /// What the price is for: a truck with its driver, or a semi-trailer without its tractor.
    public enum Vehicle: String, CaseIterable, Sendable, Codable { case truck, trailer }
    /// The currency the price is published in; EUR is converted with `usd_per_eur`.
    public enum Currency: String, CaseIterable, Sendable, Codable { case usd = "USD", eur = "EUR" }
    /// Id of the ferry link.
    public var link: String
    /// The end being sailed to; nil when the price holds both ways.
    public var entering: String?
    /// Truck or trailer.
    public var vehicle: Vehicle
    /// Price per vehicle in `currency`.
    public var amount: Double
    /// Currency of `amount`.
    public var currency: Currency
    /// The period the price holds; periods of one (link, entering, vehicle) may not overlap.
    public var validity: Validity
    /// Ids of the sources cited (`sources*.csv`).
    public var sources: [String]
    /// Optional free text (what the price includes).
    public var note: String

    /// Creates a tariff row; validity defaults to always.
    public init(link: String, entering: String? = nil, vehicle: Vehicle = .truck, amount: Double, currency: Currency = .usd,
                validity: Validity = .always, sources: [String] = [], note: String = "") {
        self.link = link; self.entering = entering; self.vehicle = vehicle; self.amount = amount; self.currency = currency
        self.validity = validity; self.sources = sources; self.note = note
    }

    /// The price in USD per vehicle; nil when it is in EUR and the dataset has no `usd_per_eur`.
    public func usd(_ p: Parameters) -> Double? {
        switch currency {
        case .usd: return amount
        case .eur: return p.values[.usdPerEUR].map { amount * $0 }
        }
    }
}
