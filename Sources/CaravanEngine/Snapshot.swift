import CaravanModel

/// The cost of crossing one border on one date, and why.
public struct BorderCost: Hashable, Sendable, Codable {
    /// Country of the crossing link's `from` place.
    public var fromCountry: String
    /// Country of the crossing link's `to` place.
    public var toCountry: String
    /// Mode of the crossing link.
    public var mode: Mode
    /// Border time before measures, in hours (measured dwell, else `border_<mode>_h`).
    public var baseHours: Double
    /// Border cost before measures, in USD per TEU (measured, else `border_usd_teu`).
    public var baseUSDPerTEU: Double
    /// Border time after measures, in hours.
    public var hours: Double
    /// Border cost after measures, in USD per TEU.
    public var usdPerTEU: Double
    /// True when a measure in force closes the border.
    public var closed: Bool
    /// Each measure applied, in order, with its effect in words.
    public var applied: [AppliedMeasure]
    /// The measured crossing (crossings.csv) the base time comes from; nil = the general
    /// parameter `border_<mode>_h`, a fallback that outputs mark as estimated.
    public var crossing: Crossing? = nil
    /// True when the base cost is the general `border_usd_teu` (no measured cost).
    public var costFallback = true
    /// Perceived cost per TEU of the measures in force (generalised cost only, not charged).
    public var riskUSDPerTEU: Double = 0
    /// Base time from a general parameter rather than a measurement of this crossing.
    public var timeFallback: Bool { crossing == nil }
    /// Measured on one side of the border only: the other side is half the general time and cost.
    public var oneSideGeneral = false
    /// Share of the base hours that comes from general parameters (1 for the general time,
    /// 0 for a measured crossing, the unmeasured side's half over the total for one side).
    public var generalShare: Double { timeFallback ? 1 : generalSideHours / max(baseHours, 1e-9) }
    /// Hours of the base time that stand for an unmeasured side (half the general time).
    public var generalSideHours = 0.0
    /// The general parameter of this border's unmeasured time (`Dataset.generalBorderKey`).
    public var generalKey: ParameterKey? = nil

    /// One measure applied to a border, with its effect.
    public struct AppliedMeasure: Hashable, Sendable, Codable {
        /// The measure's id.
        public var measure: String
        /// The measure's name.
        public var name: String
        /// Its effect in words, e.g. "time x1.5, cost +200 USD/TEU" or "closed".
        public var effect: String
    }
}

/// A link as it is on the snapshot's date: every value resolved and explained.
public struct ResolvedLink: Hashable, Sendable {
    /// Index of the link in the dataset's links.
    public var index: Int
    /// Length in km: the data's, else great-circle distance × `circuity_<mode>`.
    public var lengthKm: Double
    /// True when the length was estimated (shown with `~`).
    public var estimatedLength: Bool
    /// Running time in hours: the link's `time_h`, else length / class speed (road: × the drivers'-hours
    /// average factor; a route's road legs are then timed exactly from `drivingHours`).
    public var runHours: Double
    /// Driving time of a truck, hours (length / class speed), for the drivers' clock; nil for
    /// other modes and links with a given `time_h`.
    public var drivingHours: Double? = nil
    /// True when the running time is a consignment's (`Dataset.railService`), not the class speed's.
    public var consignment = false
    /// Mean wait for a service (half the headway).
    public var waitHours: Double
    /// Tariff in USD per TEU: (fixed + per km × length) × the tariff index.
    public var usdPerTEU: Double
    /// Tariff in USD per tonne: the class's per-tonne tariff, else the TEU tariff ÷ payload.
    public var usdPerTonne: Double
    /// The dated tariff index of the link's class applied to both tariffs (1 = the class tariff).
    public var tariffFactor: Double
    /// Moving emissions, in kg CO2e per tonne (emission factor × length).
    public var co2eKgPerTonne: Double
    /// Border crossed travelling from → to (nil inside one country).
    public var border: BorderCost?
    /// Border crossed travelling to → from; equal to `border` unless a crossing's dwell differs by direction.
    public var borderBack: BorderCost?
    /// Bits of the corridors the link belongs to (all bits for `*`).
    public var corridorMask: UInt64
    /// Capacity on the date: the link's own, or derived from its ferry operations (ferries.csv).
    public var capacity: Double? = nil
    /// Unit of `capacity` (TEU per year when derived from ferry operations).
    public var capacityUnit: CapacityUnit? = nil
    /// The ferry operations in force (sailings, loads), when ferries.csv has a row for the date.
    public var ferry: FerryService? = nil
    /// A ro-ro line's published truck tariff in force travelling from → to (ferry-tariffs.csv); nil = none.
    public var truckFare: FerryTariff? = nil
    /// The same travelling to → from.
    public var truckFareBack: FerryTariff? = nil
    /// False when the ferry operations in force say the line takes no road vehicles (ferries.csv
    /// `trucks_per_sailing` 0, e.g. a container feeder): a truck cannot ride it aboard.
    public var carriesRoadVehicles: Bool { ferry?.trucksPerSailing != 0 }

    /// What a truck aboard pays, USD per TEU (the line's truck tariff over `truck_teu`) in one
    /// direction; nil where the line publishes none (the truck then pays the class tariff per TEU).
    public func truckFareUSDPerTEU(forward: Bool, _ p: Parameters) -> Double? {
        guard let fare = forward ? truckFare : truckFareBack, let usd = fare.usd(p), let teu = p.values[.truckTEU], teu > 0 else { return nil }
        return usd / teu
    }

    /// The tariff of one direction of the link, per TEU and per tonne (borders apart): a truck aboard a
    /// ferry pays the line's truck fare where published (per tonne: over the TEU payload), everything
    /// else the class tariff.
    public func tariff(aboard: Bool, forward: Bool, _ p: Parameters) -> (usdPerTEU: Double, usdPerTonne: Double) {
        guard aboard, let fare = truckFareUSDPerTEU(forward: forward, p) else { return (usdPerTEU, usdPerTonne) }
        return (fare, fare / p.teuPayloadTonnes)
    }
    /// False when the link does not exist or is closed on the snapshot's date (see `unavailable`).
    public var available: Bool
}

/// Why a link of the dataset is not usable on the snapshot's date.
public enum Unavailability: Hashable, Sendable {
    case notYetOpen(Day?)
    case closedSince(Day?)
    case closedByMeasure(String)
}

/// The network as of one date: which links exist, and what every crossing costs.
/// Built from a dataset in one pass; plain values that engines compile.
public struct NetworkSnapshot: Sendable {
    /// The dataset the snapshot was built from.
    public let dataset: Dataset
    /// The snapshot's date.
    public let day: Day
    /// Resolved links, one per dataset link (same order); `available` says which can be used.
    public private(set) var links: [ResolvedLink]
    /// The links that can be used on the date.
    public var availableLinks: [ResolvedLink] { links.filter(\.available) }
    /// Dataset links that exist in the data but cannot be used on `day`, and why.
    public private(set) var unavailable: [Int: Unavailability]
    /// The dataset's measures whose dates contain the snapshot's day.
    public let measuresInForce: [Measure]

    /// Resolves every link of the dataset as of the day: lengths, times, tariffs, borders, capacities, availability.
    public init(dataset: Dataset, day: Day) {
        // Every link is resolved, available or not, so a compiled graph can be re-targeted to
        // another date or scenario by patching values and masks instead of recompiling.
        self.dataset = dataset; self.day = day
        let inForce = dataset.measures.filter { $0.inForce(on: day) }
        measuresInForce = inForce
        var resolved: [ResolvedLink] = [], unavailable: [Int: Unavailability] = [:]
        let corridorBits = Dictionary(uniqueKeysWithValues: dataset.corridors.enumerated().map { ($1.id, UInt64(1) << UInt64($0)) })
        // Border costs depend on (countries, mode) unless a measure targets links, corridors or places:
        // memoise the country-level result and apply link-level measures on top.
        let linkLevel = inForce.filter { if case .org = $0.scope { return false }; if case .pair = $0.scope { return false }; if case .country = $0.scope { return false }; return true }
        let countryLevel = inForce.filter { m in !linkLevel.contains { $0.id == m.id } }
        var borderMemo: [String: BorderCost] = [:]
        var tariffFactors: [String: Double] = [:]
        // A crossing's rows serve every version of its link (the same places and mode, e.g. a
        // `-2025` row after an upgrade): the dwell belongs to the crossing, not to one row of links.
        func crossingKey(_ l: Link) -> String { "\(l.from)|\(l.to)|\(l.mode.rawValue)" }
        let crossingsByLink = Dictionary(grouping: dataset.crossings.filter { $0.link != Crossing.seaArrivals },
                                         by: { c in dataset.link(c.link).map(crossingKey) ?? c.link })
        // Ports' import clearance serves every sea arrival from abroad that has no rows of its own.
        let clearanceByPort = Dictionary(grouping: dataset.crossings.filter { $0.link == Crossing.seaArrivals }, by: { $0.entering ?? "" })
        let ferriesByLink = Dictionary(grouping: dataset.ferries, by: \.link)
        let truckFaresByLink = Dictionary(grouping: dataset.ferryTariffs.filter { $0.vehicle == dataset.aboardVehicle && $0.validity.contains(day) }, by: \.link)
        let roadFactor = dataset.parameters.roadElapsedFactor
        // Express trains run faster on every rail link with a class speed (fitted: docs/calibration.md).
        let expressFactor = dataset.railService == .express ? (dataset.parameters.values[.railExpressSpeedFactor] ?? 1) : 1
        let consignmentKmh = dataset.railService == .consignment
            ? (dataset.parameters.values[.rail1520ConsignmentKmPerDay].map { $0 / 24 } ?? .infinity) : .infinity
        for (i, link) in dataset.links.enumerated() {
            var why = NetworkSnapshot.availability(link, on: day)
            if why == nil, let m = inForce.first(where: { $0.closed && NetworkSnapshot.closes($0, link: link, dataset: dataset) }) {
                why = .closedByMeasure(m.id)
            }
            let from = dataset.place(link.from)!, to = dataset.place(link.to)!
            let cls = dataset.linkClass(link.linkClass)!
            let factor = dataset.emissionFactor(cls.emissionFactor)!
            let gc = Geo.distanceKm(lat1: from.lat, lon1: from.lon, lat2: to.lat, lon2: to.lon)
            let km = link.lengthKm ?? gc * dataset.parameters.circuity(link.mode)
            let payload = dataset.parameters.teuPayloadTonnes
            var border: BorderCost?, borderBack: BorderCost?
            if from.country != to.country {
                let generalKey = dataset.generalBorderKey(link)
                let key = "\(from.country)|\(to.country)|\(link.mode.rawValue)|\(generalKey.rawValue)"
                let base = borderMemo[key] ?? NetworkSnapshot.borderCost(dataset: dataset, day: day, measures: countryLevel, from: from.country, to: to.country,
                                                                         mode: link.mode, link: nil, generalKey: generalKey)
                borderMemo[key] = base
                let general = linkLevel.isEmpty ? base : base.applyingMeasures(linkLevel, dataset: dataset, link: link, day: day)
                var rows = crossingsByLink[crossingKey(link), default: []].filter { $0.validity.contains(day) }
                if rows.isEmpty && link.mode == .sea {
                    rows = (clearanceByPort[link.to, default: []] + clearanceByPort[link.from, default: []]).filter { $0.validity.contains(day) }
                }
                func measured(entering place: String) -> BorderCost {
                    NetworkSnapshot.crossingCost(rows, entering: place, general: general, dataset: dataset, day: day, measures: inForce,
                                                 from: from.country, to: to.country, link: link)
                }
                border = rows.isEmpty ? general : measured(entering: link.to)
                borderBack = rows.isEmpty ? general : measured(entering: link.from)
                if let b = [border!, borderBack!].first(where: \.closed), why == nil {
                    why = .closedByMeasure(b.applied.last { $0.effect.contains("closed") }?.measure ?? "border")
                }
            }
            if let why { unavailable[i] = why }
            let mask: UInt64
            switch link.corridors {
            case .all: mask = .max
            case .only(let ids): mask = ids.reduce(0) { $0 | (corridorBits[$1] ?? 0) }
            }
            let index = tariffFactors[cls.id] ?? dataset.tariffFactor(linkClass: cls.id, on: day)
            tariffFactors[cls.id] = index
            let teuTariff = (cls.tariffUSDPerTEUFixed + cls.tariffUSDPerTEUKm * km) * index
            let tonneTariff = cls.tariffUSDPerTonneFixed.map { ($0 + (cls.tariffUSDPerTonneKm ?? 0) * km) * index } ?? teuTariff / payload
            let ferry = ferriesByLink[link.id]?.first { $0.validity.contains(day) }
            let headway = ferry?.headwayHours ?? link.headwayHours
            // A consignment on 1520 mm lines moves at the network's delivery speed where that is slower.
            var speed = link.mode == .rail ? cls.speedKmh * expressFactor : cls.speedKmh, consignment = false
            if consignmentKmh < speed && link.mode == .rail && link.gauge == .russian && link.timeHours == nil {
                speed = consignmentKmh; consignment = true
            }
            let lengthEstimated = link.linkClass == FirstLastMile.linkClass || dataset.lengthIsEstimated(link)
            resolved.append(ResolvedLink(index: i, lengthKm: km, estimatedLength: lengthEstimated,
                                         runHours: link.timeHours ?? km / speed * (link.mode.hasDriversHours ? roadFactor : 1), waitHours: (headway ?? 0) / 2,
                                         usdPerTEU: teuTariff, usdPerTonne: tonneTariff, tariffFactor: index,
                                         co2eKgPerTonne: factor.co2eGramsPerTonneKm * km / 1000, border: border, borderBack: borderBack, corridorMask: mask,
                                         available: why == nil))
            resolved[resolved.count - 1].ferry = ferry
            if let fares = truckFaresByLink[link.id] {
                // A row for the direction wins over one for both.
                func fare(to end: String) -> FerryTariff? { fares.first { $0.entering == end } ?? fares.first { $0.entering == nil } }
                resolved[resolved.count - 1].truckFare = fare(to: link.to); resolved[resolved.count - 1].truckFareBack = fare(to: link.from)
            }
            resolved[resolved.count - 1].consignment = consignment
            if link.mode.hasDriversHours && link.timeHours == nil && roadFactor != 1 { resolved[resolved.count - 1].drivingHours = km / cls.speedKmh }
            if let teu = ferry?.teuCapacityPerYear(dataset.parameters) {
                resolved[resolved.count - 1].capacity = teu; resolved[resolved.count - 1].capacityUnit = .teuPerYear
            } else {
                resolved[resolved.count - 1].capacity = link.capacity; resolved[resolved.count - 1].capacityUnit = link.capacityUnit
            }
        }
        links = resolved
        self.unavailable = unavailable
    }

    /// nil when the link exists on the date by its own dates and status.
    /// Planned links exist from their planned opening; a planned link without a date never does.
    public static func availability(_ link: Link, on day: Day) -> Unavailability? {
        switch link.status {
        case .open:
            if link.validity.contains(day) { return nil }
            if let from = link.validity.from, day < from { return .notYetOpen(from) }
            return .closedSince(link.validity.to)
        case .planned, .underConstruction:
            guard let from = link.validity.from else { return .notYetOpen(nil) }
            if day < from { return .notYetOpen(from) }
            return link.validity.contains(day) ? nil : .closedSince(link.validity.to)
        case .closed:
            if link.validity.to != nil && link.validity.contains(day) { return nil }
            if let from = link.validity.from, day < from { return .notYetOpen(from) }
            return .closedSince(link.validity.to)
        }
    }

    /// Whether a closing measure's scope covers this link (borders are handled separately).
    static func closes(_ m: Measure, link: Link, dataset: Dataset) -> Bool {
        switch m.scope {
        case _ where !m.covers(link.mode): return false
        case .links(let ids): return ids.contains(link.id)
        case .corridor(let id):
            if case .only(let ids) = link.corridors { return ids.contains(id) }
            return false
        case .place(let id): return link.from == id || link.to == id
        case .org, .pair, .country: return false
        }
    }

    /// Whether a measure applies to the border between two countries (on an optional link).
    public static func applies(_ m: Measure, from a: String, to b: String, link: Link?, dataset: Dataset, day: Day) -> Bool {
        switch m.scope {
        case .org(let id): return dataset.isMember(a, of: id, on: day) && dataset.isMember(b, of: id, on: day)
        case .pair(let x, let y): return (a == x && b == y) || (a == y && b == x)
        case .country(let c): return a == c || b == c
        case .links(let ids): return link.map { ids.contains($0.id) } ?? false
        case .corridor(let id):
            if let link, case .only(let ids) = link.corridors { return ids.contains(id) }
            return false
        case .place(let id): return link.map { $0.from == id || $0.to == id } ?? false
        }
    }

    /// A crossing's time and cost in one direction from its rows in force. Rows for this
    /// direction win over rows for both; among rows as specific, a whole-crossing row wins over
    /// sides. Sides add up, a side without a row counting half the general time and cost, with
    /// the measures its figure cannot contain (those older than the measured side's figure).
    static func crossingCost(_ rows: [Crossing], entering place: String, general: BorderCost, dataset: Dataset, day: Day, measures inForce: [Measure],
                             from a: String, to b: String, link: Link) -> BorderCost {
        func pick(_ side: String?) -> Crossing? {
            rows.first { $0.side == side && $0.entering == place } ?? rows.first { $0.side == side && $0.entering == nil }
        }
        let sides = [link.from, link.to].compactMap(pick)
        if let whole = pick(nil), whole.entering == place || !sides.contains(where: { $0.entering == place }) {
            return measuredCost(whole, dataset: dataset, day: day, measures: inForce, from: a, to: b, mode: link.mode, link: link)
        }
        guard let first = sides.first else { return general }
        let p = dataset.parameters
        let costs = sides.map { $0.usdPerTEU(p) }
        let missing = Double(2 - sides.count)
        // Halves of the general cost: the unmeasured side's and those of measured sides without a cost.
        let generalCostHalves = missing + Double(costs.filter { $0 == nil }.count)
        let halfH = missing * p[general.generalKey ?? link.mode.borderHoursKey] / 2, halfUSD = generalCostHalves * p[.borderUSDPerTEU] / 2
        var row = first
        row.side = nil
        row.dwellHours = sides.reduce(halfH) { $0 + $1.dwellHours }
        row.cost = costs.reduce(halfUSD) { $0 + ($1 ?? 0) }
        row.costUnit = .perTEU
        row.p90OverP50 = sides.compactMap(\.p90OverP50).max()
        // Measures in force when the later side was measured are in the figures.
        row.validity = Validity(from: sides.compactMap(\.validity.from).max(), to: nil)
        row.sources = sides.flatMap(\.sources)
        row.note = sides.map { "\($0.side ?? "") side: \($0.note)" }.joined(separator: " ")
        var c = measuredCost(row, dataset: dataset, day: day, measures: inForce, from: a, to: b, mode: link.mode, link: link)
        c.costFallback = generalCostHalves > 0
        guard generalCostHalves > 0 else { return c }
        if missing > 0 {
            c.oneSideGeneral = true
            c.generalSideHours = halfH
        }
        // The general half (time and cost of an unmeasured side, cost of a side measured without
        // one) takes the measures its figure cannot contain, as the general time would; with
        // both sides measured only their cost effects, since the measured times contain them.
        let older = measuresOlder(than: row.validity.from, inForce)
        let half = BorderCost(fromCountry: a, toCountry: b, mode: link.mode, baseHours: halfH, baseUSDPerTEU: halfUSD,
                              hours: halfH, usdPerTEU: halfUSD, closed: false, applied: [])
            .applyingMeasures(older, dataset: dataset, link: link, day: day, costOnly: missing == 0)
        c.hours = max(0, c.hours + half.hours - halfH)
        c.usdPerTEU = max(0, c.usdPerTEU + half.usdPerTEU - halfUSD)
        c.riskUSDPerTEU += half.riskUSDPerTEU
        c.generalKey = general.generalKey
        c.applied += half.applied.map { .init(measure: $0.measure, name: $0.name + (missing > 0 ? " (unmeasured side)" : " (general cost)"), effect: $0.effect) }
        return c
    }

    /// Dataset measures in force that were already in force when a figure dated `measuredOn`
    /// was measured (all of them when it is undated): the figure contains their effect. Not
    /// closures, scenario edits or fees, which `measuredCost` applies to every measured figure.
    static func measuresOlder(than measuredOn: Day?, _ inForce: [Measure]) -> [Measure] {
        inForce.filter { m in
            guard !m.closed && !m.fromScenario && m.kind != .fee else { return false }
            guard let start = m.validity.from, let measuredOn else { return true }
            return start <= measuredOn
        }
    }

    /// A measured crossing: its dwell and (when given) cost as the base, then the measures
    /// the measurement cannot contain: closures, scenario edits, fees on foreign carriers, and
    /// dataset measures that came into force after the dwell's `valid_from` (all others were in
    /// force when it was measured).
    static func measuredCost(_ row: Crossing, dataset: Dataset, day: Day, measures: [Measure], from a: String, to b: String, mode: Mode, link: Link) -> BorderCost {
        let p = dataset.parameters
        let usd = row.usdPerTEU(p)
        var cost = BorderCost(fromCountry: a, toCountry: b, mode: mode, baseHours: row.dwellHours, baseUSDPerTEU: usd ?? p[.borderUSDPerTEU],
                              hours: row.dwellHours, usdPerTEU: usd ?? p[.borderUSDPerTEU], closed: false, applied: [])
        cost.crossing = row
        cost.costFallback = usd == nil
        let measuredOn = row.validity.from
        let later = measures.filter { m in
            if m.closed || m.fromScenario || m.kind == .fee { return true }
            guard let start = m.validity.from, let measuredOn else { return false }
            return start > measuredOn
        }
        cost = cost.applyingMeasures(later, dataset: dataset, link: link, day: day)
        guard usd == nil else { return cost }
        // No measured cost: the general cost takes every measure in force, in file order, as on
        // an unmeasured crossing (an EU-internal border measured in time only costs the single
        // market's fraction of the general cost, not all of it).
        let general = BorderCost(fromCountry: a, toCountry: b, mode: mode, baseHours: 0, baseUSDPerTEU: p[.borderUSDPerTEU],
                                 hours: 0, usdPerTEU: p[.borderUSDPerTEU], closed: false, applied: [])
            .applyingMeasures(measures, dataset: dataset, link: link, day: day, costOnly: true)
        cost.usdPerTEU = general.usdPerTEU
        cost.applied += general.applied.filter { applied in !later.contains { $0.id == applied.measure } }
            .map { .init(measure: $0.measure, name: $0.name + " (general cost)", effect: $0.effect) }
        return cost
    }

    /// Base border time and cost for the mode (the general parameter `generalKey`, by default
    /// `border_<mode>_h`), then every measure in force, in file order.
    public static func borderCost(dataset: Dataset, day: Day, measures: [Measure], from a: String, to b: String, mode: Mode, link: Link?,
                                  generalKey: ParameterKey? = nil) -> BorderCost {
        let p = dataset.parameters
        let key = generalKey ?? mode.borderHoursKey
        var cost = BorderCost(fromCountry: a, toCountry: b, mode: mode, baseHours: p[key], baseUSDPerTEU: p[.borderUSDPerTEU],
                              hours: p[key], usdPerTEU: p[.borderUSDPerTEU], closed: false, applied: [])
        cost.generalKey = key
        return cost.applyingMeasures(measures.filter { $0.inForce(on: day) }, dataset: dataset, link: link, day: day)
    }
}

extension BorderCost {
    /// Applies measures (already filtered to those in force) that concern this border.
    /// `costOnly`: only the cost effects (factor and addition), for a general cost beside a measured time.
    func applyingMeasures(_ measures: [Measure], dataset: Dataset, link: Link?, day: Day, costOnly: Bool = false) -> BorderCost {
        var c = self
        for m in measures {
            guard m.covers(mode), NetworkSnapshot.applies(m, from: fromCountry, to: toCountry, link: link, dataset: dataset, day: day) else { continue }
            var effects: [String] = []
            if !costOnly, let f = m.borderTimeFactor { c.hours *= f; effects.append("time x\(fmt(f))") }
            if !costOnly, let h = m.borderTimeAddHours { c.hours += h; effects.append("time \(h >= 0 ? "+" : "")\(fmt(h)) h") }
            if let f = m.borderCostFactor { c.usdPerTEU *= f; effects.append("cost x\(fmt(f))") }
            if let u = m.borderCostAddUSDPerTEU { c.usdPerTEU += u; effects.append("cost \(u >= 0 ? "+" : "")\(fmt(u)) USD/TEU") }
            if costOnly {
                // Beside a measured time only the cost effects count, and only those are listed.
                if !effects.isEmpty { c.applied.append(.init(measure: m.id, name: m.name, effect: effects.joined(separator: ", "))) }
                continue
            }
            if let r = m.borderRiskUSDPerTEU { c.riskUSDPerTEU += r; effects.append("perceived risk +\(fmt(r)) USD/TEU (in the generalised cost, not charged)") }
            if m.closed { c.closed = true; effects.append("closed") }
            if effects.isEmpty { effects.append("no effect on time or cost") }
            c.applied.append(.init(measure: m.id, name: m.name, effect: effects.joined(separator: ", ")))
        }
        c.hours = max(0, c.hours); c.usdPerTEU = max(0, c.usdPerTEU)
        return c
    }

    private func fmt(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format2(v))
    }
    private func format2(_ v: Double) -> String { String((v * 100).rounded() / 100) }
}
