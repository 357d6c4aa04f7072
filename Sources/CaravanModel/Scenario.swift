/// A named, documented set of dated edits over a dataset ("what if").
public struct Scenario: Sendable {
    /// Scenario name; must equal the file name without `.yaml`.
    public var name: String
    /// One-line title.
    public var title: String
    /// Why the scenario, what it assumes and what it leaves out.
    public var description: String
    /// Sources the scenario cites (in addition to the dataset's).
    public var sources: [Source]
    /// The dated edits, in file order.
    public var edits: [ScenarioEdit]
    /// Where the scenario was read from (for provenance).
    public var file: String

    /// Creates a scenario; sources and file default to empty.
    public init(name: String, title: String, description: String, sources: [Source] = [], edits: [ScenarioEdit], file: String = "") {
        self.name = name; self.title = title; self.description = description; self.sources = sources; self.edits = edits; self.file = file
    }
}

/// Changes to a link's values; factors multiply, values replace.
public struct LinkChanges: Hashable, Sendable {
    /// New route length, km.
    public var lengthKm: Double?
    /// Speed, km/h: sets the running time to length / this speed.
    public var speedKmh: Double?
    /// New fixed running time, hours.
    public var timeHours: Double?
    /// Multiplies the running time (fixed, else length / class speed).
    public var timeFactor: Double?
    /// New interval between services, hours.
    public var headwayHours: Double?
    /// Multiplies the interval between services.
    public var headwayFactor: Double?
    /// New capacity; the link's `capacityUnit` is kept.
    public var capacity: Double?
    /// Multiplies the capacity.
    public var capacityFactor: Double?
    /// Creates changes; every field defaults to none (unchanged).
    public init(lengthKm: Double? = nil, speedKmh: Double? = nil, timeHours: Double? = nil, timeFactor: Double? = nil,
                headwayHours: Double? = nil, headwayFactor: Double? = nil, capacity: Double? = nil, capacityFactor: Double? = nil) {
        self.lengthKm = lengthKm; self.speedKmh = speedKmh; self.timeHours = timeHours; self.timeFactor = timeFactor
        self.headwayHours = headwayHours; self.headwayFactor = headwayFactor; self.capacity = capacity; self.capacityFactor = capacityFactor
    }
}

/// Changes to an operator/network class.
public struct ClassChanges: Hashable, Sendable {
    /// New class speed, km/h.
    public var speedKmh: Double?
    /// Multiplies the class speed.
    public var speedFactor: Double?
    /// Multiplies every tariff of the class (per TEU and per tonne).
    public var tariffFactor: Double?
    /// Sets the class's dated tariff index (tariff-index.csv) to this level while the edit
    /// is in force, instead of multiplying it: a rate level observed in an episode.
    public var tariffIndex: Double?
    /// Creates changes; every field defaults to none (unchanged).
    public init(speedKmh: Double? = nil, speedFactor: Double? = nil, tariffFactor: Double? = nil, tariffIndex: Double? = nil) {
        self.speedKmh = speedKmh; self.speedFactor = speedFactor; self.tariffFactor = tariffFactor; self.tariffIndex = tariffIndex
    }
}

/// Changes to a border: becomes a measure in force between the edit's dates.
public struct BorderChanges: Hashable, Sendable {
    /// Multiplies the border time.
    public var timeFactor: Double?
    /// Hours added to the border time.
    public var timeAddHours: Double?
    /// Multiplies the border cost.
    public var costFactor: Double?
    /// USD per TEU added to the border cost.
    public var costAddUSDPerTEU: Double?
    /// Creates changes; every field defaults to none (unchanged).
    public init(timeFactor: Double? = nil, timeAddHours: Double? = nil, costFactor: Double? = nil, costAddUSDPerTEU: Double? = nil) {
        self.timeFactor = timeFactor; self.timeAddHours = timeAddHours; self.costFactor = costFactor; self.costAddUSDPerTEU = costAddUSDPerTEU
    }
}

/// One dated edit of a scenario, with its position in the file.
public struct ScenarioEdit: Sendable {
    /// What an edit does; each edit has exactly one action.
    public enum Action: Sendable {
        /// Closes links, a corridor's links, places, or a border (as a closing measure).
        case close(MeasureScope)
        /// Puts links in operation (planned, under construction or closed ones).
        case open([String])
        case link([String], LinkChanges)
        case linkClass([String], ClassChanges)
        /// Transfer time and cost at places (dwell, handling).
        case place([String], hours: Double?, usdPerTEU: Double?, factor: Double?)
        /// Throughput capacity of places (ports, border posts): a new value in a unit, or a factor.
        case placeCapacity([String], capacity: Double?, unit: CapacityUnit?, factor: Double?)
        /// Energy assets: commission (open), take out of service (close), or change capacity
        /// (a value in the asset's unit, or a factor).
        case energy([String], open: Bool, close: Bool, capacity: Double?, factor: Double?)
        case border(MeasureScope, BorderChanges)
        case parameter(ParameterKey, value: Double?, factor: Double?)
        case addLink(Link)
        case membership(Membership)
        case endMembership(org: String, country: String)
        case endMeasure(String)
    }
    /// What the edit does.
    public var action: Action
    /// When the edit is in force (its `from` and `to`).
    public var validity: Validity
    /// Ids of the sources the edit cites.
    public var sources: [String]
    /// Optional free text.
    public var note: String
    /// Line of the edit in the scenario file (as in `scenario:line`); 0 when unknown.
    public var line: Int
    /// Column of the edit in the scenario file; 0 when unknown.
    public var column: Int

    /// Creates an edit; validity defaults to always, position to 0.
    public init(action: Action, validity: Validity = .always, sources: [String] = [], note: String = "", line: Int = 0, column: Int = 0) {
        self.action = action; self.validity = validity; self.sources = sources; self.note = note; self.line = line; self.column = column
    }

    /// One line saying what the edit does.
    public var summary: String {
        func dates() -> String {
            switch (validity.from, validity.to) {
            case (nil, nil): return ""
            case (let a?, nil): return " from \(a)"
            case (nil, let b?): return " until \(b)"
            case (let a?, let b?): return " from \(a) until \(b)"
            }
        }
        func fmt(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e12 ? String(Int(v)) : String(v) }
        func parts(_ p: [(String, Double?)]) -> String { p.compactMap { k, v in v.map { "\(k) \(fmt($0))" } }.joined(separator: ", ") }
        switch action {
        case .close(let s): return "close \(s.text)\(dates())"
        case .open(let ids): return "open \(ids.joined(separator: ", "))\(dates())"
        case .link(let ids, let c):
            return "links \(ids.joined(separator: ", ")): " + parts([("length_km", c.lengthKm), ("speed_kmh", c.speedKmh), ("time_h", c.timeHours), ("time x", c.timeFactor),
                                                                  ("headway_h", c.headwayHours), ("headway x", c.headwayFactor), ("capacity", c.capacity), ("capacity x", c.capacityFactor)]) + dates()
        case .linkClass(let ids, let c):
            return "classes \(ids.joined(separator: ", ")): " + parts([("speed_kmh", c.speedKmh), ("speed x", c.speedFactor), ("tariff x", c.tariffFactor), ("tariff index =", c.tariffIndex)]) + dates()
        case .place(let ids, let h, let u, let f):
            return "places \(ids.joined(separator: ", ")): " + parts([("transfer_h", h), ("transfer_usd_teu", u), ("transfer x", f)]) + dates()
        case .placeCapacity(let ids, let c, let u, let f):
            return "capacity of \(ids.joined(separator: ", ")): " + parts([("=", c), ("x", f)]) + (c != nil ? " " + (u?.rawValue ?? "") : "") + dates()
        case .energy(let ids, let open, let close, let c, let f):
            let what = [open ? "commission" : nil, close ? "out of service" : nil, c.map { "capacity \(fmt($0))" }, f.map { "capacity x\(fmt($0))" }].compactMap { $0 }
            return "energy \(ids.joined(separator: ", ")): " + what.joined(separator: ", ") + dates()
        case .border(let s, let c):
            return "border \(s.text): " + parts([("time x", c.timeFactor), ("time +h", c.timeAddHours), ("cost x", c.costFactor), ("cost +USD/TEU", c.costAddUSDPerTEU)]) + dates()
        case .parameter(let k, let v, let f): return "parameter \(k.rawValue): " + parts([("=", v), ("x", f)]) + dates()
        case .addLink(let l): return "add link \(l.id) \(l.from)–\(l.to) (\(l.mode.rawValue))\(dates())"
        case .membership(let m): return "\(m.country) becomes \(m.role.rawValue) of \(m.org)\(dates())"
        case .endMembership(let o, let c): return "\(c) leaves \(o)\(dates())"
        case .endMeasure(let id): return "measure \(id) ends\(dates())"
        }
    }
}
