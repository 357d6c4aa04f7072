/// Everything a Caravan dataset holds: the network, the policy layer, the timeline
/// and the sources. Plain values; loading and validation live in CaravanFormats.
public struct Dataset: Sendable {
    /// Name of the dataset (e.g. its folder name, or the TNTP network's name).
    public var name: String
    /// Terminals, cities, ports, border stations, gauge-change stations and junctions (`places*.csv`).
    public var places: [Place]
    /// Infrastructure links and scheduled services between places (`links*.csv`).
    public var links: [Link]
    /// Speed, tariff and emission factor of each operator or network (`link_classes.csv`).
    public var linkClasses: [LinkClass]
    /// Well-to-wheel CO2e intensities (`emission_factors.csv`).
    public var emissionFactors: [EmissionFactor]
    /// Corridor families, in file order (`corridors.csv`).
    public var corridors: [Corridor]
    /// General, calibrated parameters (`parameters.csv`).
    public var parameters: Parameters
    /// Cited documents, datasets and estimation methods (`sources*.csv`).
    public var sources: [Source] { didSet { estimateSourceIDs = Self.estimateIDs(sources) } }
    /// Ids of the sources that are stated estimation methods (kind `estimate`).
    public private(set) var estimateSourceIDs: Set<String> = []
    static func estimateIDs(_ sources: [Source]) -> Set<String> { Set(sources.lazy.filter { $0.kind == .estimate }.map(\.id)) }
    /// Countries by ISO 3166-1 alpha-2 code (`countries.csv`).
    public var countries: [Country]
    /// International organisations, unions and formats (`orgs.csv`).
    public var organisations: [Organisation]
    /// Dated roles of countries in organisations (`memberships.csv`).
    public var memberships: [Membership]
    /// Agreements, sanctions and closures changing borders or links (`measures.csv`).
    public var measures: [Measure]
    /// The timeline (`events.csv`).
    public var events: [TimelineEvent]
    /// Published transit times for calibration (`observations.csv`).
    public var observations: [Observation]
    /// Launch-day forecasts and targets from `observations.csv` (measure `planned`): routed and shown
    /// beside the observations, never fitted or scored.
    public var forecasts: [Observation] = []
    /// How rail freight moves on 1520 mm lines: as a block train (the link classes' speeds, the
    /// default) or as a consignment in the network's general traffic (`rail_1520_consignment_km_day`).
    public var railService: RailService = .block
    /// True when the shipment is a truck that stays on its wheels (`RouteOptions.roadVehicle`): the compiled
    /// network keeps road links and ferries ridden aboard, and no crane, rail or ship-to-ship moves.
    public var truckOnly = false
    /// The road vehicle whose fares (`ferry-tariffs.csv`) the ro-ro edges ridden aboard charge: a
    /// truck with its driver (the default, also the assignment's truck classes) or an unaccompanied trailer.
    public var aboardVehicle: FerryTariff.Vehicle = .truck
    /// Variability of time components (reliability.csv); empty = deterministic.
    public var spreads: [SpreadRule] = []
    /// Occasional disruptions (risks.csv).
    public var risks: [Risk] = []
    /// Throughput capacities of places, dated (place-capacities.csv).
    public var placeCapacities: [PlaceCapacity] = []
    /// Classes of freight demand for the assignment (freight_classes.csv).
    public var freightClasses: [FreightClass] = []
    /// Dated tariff multipliers per link class (tariff-index.csv).
    public var tariffIndex: [TariffIndex] = []
    /// Published annual land volumes of market classes (mode-volumes.csv), for the logit fit.
    public var modeVolumes: [ModeVolume] = []
    /// Measured dwell and cost per border crossing, by direction and date (`crossings.csv`).
    public var crossings: [Crossing] = []
    /// Ferry and feeder operations per link, dated (`ferries.csv`).
    public var ferries: [FerryService] = []
    /// Published prices for road vehicles on ro-ro ferry lines, by direction and date (`ferry-tariffs.csv`).
    public var ferryTariffs: [FerryTariff] = []
    /// Drawing tracks of sea and ferry links, (lon, lat) from the `from` end (sea-tracks.csv).
    public var seaTracks: [String: [[Double]]] = [:]
    /// Where there is land (land-mask.csv); nil when the dataset has none (no sea check on first/last-mile legs).
    public var land: LandMask?
    /// Pipelines, cables, supplies and markets (folder energy/); empty when absent.
    public var energy = EnergyData()
    /// Where each source is cited, by source id (every row of every file that names it).
    public var citations: [String: [Citation]] = [:]
    /// The figures cited sources state for values of the dataset (`source-figures.csv`).
    public var sourceFigures: [SourceFigure] = []

    /// Position in `places` of each place id; rebuilt by `reindex()`.
    public private(set) var placeIndex: [String: Int] = [:]
    /// Position in `links` of each link id; rebuilt by `reindex()`.
    public private(set) var linkIndex: [String: Int] = [:]
    /// Position in `linkClasses` of each link class id; rebuilt by `reindex()`.
    public private(set) var classIndex: [String: Int] = [:]
    /// Position in `emissionFactors` of each emission factor id; rebuilt by `reindex()`.
    public private(set) var factorIndex: [String: Int] = [:]
    /// Position in `corridors` of each corridor id; rebuilt by `reindex()`.
    public private(set) var corridorIndex: [String: Int] = [:]
    /// Position in `countries` of each ISO 3166-1 alpha-2 code; rebuilt by `reindex()`.
    public private(set) var countryIndex: [String: Int] = [:]

    /// Creates a dataset from its tables and builds the id lookups; the other layers start empty.
    public init(name: String, places: [Place], links: [Link], linkClasses: [LinkClass], emissionFactors: [EmissionFactor],
                corridors: [Corridor], parameters: Parameters, sources: [Source] = [], countries: [Country] = [],
                organisations: [Organisation] = [], memberships: [Membership] = [], measures: [Measure] = [],
                events: [TimelineEvent] = [], observations: [Observation] = []) {
        self.name = name; self.places = places; self.links = links; self.linkClasses = linkClasses
        self.emissionFactors = emissionFactors; self.corridors = corridors; self.parameters = parameters
        self.sources = sources; self.countries = countries; self.organisations = organisations
        self.memberships = memberships; self.measures = measures; self.events = events; self.observations = observations
        reindex()
    }

    /// Rebuilds the id lookups; call after editing the arrays.
    public mutating func reindex() {
        func index<T>(_ items: [T], _ key: (T) -> String) -> [String: Int] {
            var d: [String: Int] = [:]
            d.reserveCapacity(items.count)
            for (i, item) in items.enumerated() where d[key(item)] == nil { d[key(item)] = i }
            return d
        }
        placeIndex = index(places, \.id); linkIndex = index(links, \.id); classIndex = index(linkClasses, \.id)
        factorIndex = index(emissionFactors, \.id); corridorIndex = index(corridors, \.id); countryIndex = index(countries, \.code)
        estimateSourceIDs = Self.estimateIDs(sources)
    }

    /// The place with this id; nil when unknown.
    public func place(_ id: String) -> Place? { placeIndex[id].map { places[$0] } }
    /// The link with this id; nil when unknown.
    public func link(_ id: String) -> Link? { linkIndex[id].map { links[$0] } }
    /// True when the link's length is an estimate: computed from coordinates (no `length_km`), or
    /// written into the file while every source the link cites is an estimation method (a searoute
    /// path, a great-circle figure).
    public func lengthIsEstimated(_ link: Link) -> Bool {
        link.lengthKm == nil || (!link.sources.isEmpty && link.sources.allSatisfy(estimateSourceIDs.contains))
    }
    /// The general parameter for the border on a link, where the crossing has no measured dwell: a
    /// rail border where neither end station changes gauge is a handover between railways of one
    /// gauge (`border_rail_handover_h`, when the dataset defines it); every other border takes
    /// `border_<mode>_h`.
    public func generalBorderKey(_ link: Link) -> ParameterKey {
        guard link.mode == .rail, parameters.values[.borderRailHandoverH] != nil,
              let a = place(link.from), let b = place(link.to),
              !a.functions.contains(.gaugeChange), !b.functions.contains(.gaugeChange) else { return link.mode.borderHoursKey }
        return .borderRailHandoverH
    }
    /// The link class with this id; nil when unknown.
    public func linkClass(_ id: String) -> LinkClass? { classIndex[id].map { linkClasses[$0] } }
    /// The emission factor with this id; nil when unknown.
    public func emissionFactor(_ id: String) -> EmissionFactor? { factorIndex[id].map { emissionFactors[$0] } }
    /// The corridor with this id; nil when unknown.
    public func corridor(_ id: String) -> Corridor? { corridorIndex[id].map { corridors[$0] } }
    /// The country with this ISO 3166-1 alpha-2 code; nil when unknown.
    public func country(_ code: String) -> Country? { countryIndex[code].map { countries[$0] } }

    /// The tariff multiplier of a link class on a date: the index row in force, else 1.
    public func tariffFactor(linkClass: String, on day: Day) -> Double {
        tariffIndex.first { $0.linkClass == linkClass && $0.validity.contains(day) }?.factor ?? 1
    }

    /// The dataset as the freight assignment sees it: crossing dwells recorded as queues under
    /// their period's traffic (`queue = yes`) count 0 h, since the assignment makes its own
    /// queues from capacities and would otherwise count them twice.
    public func withoutMeasuredQueues() -> Dataset {
        guard crossings.contains(where: { $0.queue == true }) else { return self }
        var d = self
        for i in d.crossings.indices where d.crossings[i].queue == true { d.crossings[i].dwellHours = 0 }
        return d
    }

    /// The dataset with each indexed link class's tariff factor on `day` replaced by the mean of
    /// its daily factors over the `days` days ending on `day`: annual volumes answer to the rates
    /// of the year (contracts are set for a year), not to one day's spot rate.
    public func averagingTariffIndex(over days: Int, endingOn day: Day, appliedOn: Day? = nil) -> Dataset {
        guard days > 1 else { return self }
        var out = self
        for cls in Set(tariffIndex.map(\.linkClass)).sorted() {
            var sum = 0.0
            for k in 0..<days { sum += tariffFactor(linkClass: cls, on: Day(daysSinceEpoch: day.daysSinceEpoch - k)) }
            let first = Day(daysSinceEpoch: day.daysSinceEpoch - days + 1)
            let window = Validity(from: first, to: Day(daysSinceEpoch: day.daysSinceEpoch + 1))
            let on = appliedOn ?? day
            let row = TariffIndex(linkClass: cls, factor: sum / Double(days), validity: Validity(from: on, to: Day(daysSinceEpoch: on.daysSinceEpoch + 1)),
                                  sources: Array(Set(tariffIndex.filter { $0.linkClass == cls && $0.validity.overlaps(window) }.flatMap(\.sources))).sorted(),
                                  note: "mean of the daily factors \(first) to \(day)")
            out.tariffIndex.insert(row, at: 0)
        }
        return out
    }

    /// Memberships of a country in force on a date, ordered by organisation id.
    public func memberships(of country: String, on day: Day) -> [Membership] {
        memberships.filter { $0.country == country && $0.validity.contains(day) }.sorted { ($0.org, $0.role.rawValue) < ($1.org, $1.role.rawValue) }
    }

    /// True when the country holds `role` in `org` on the date.
    public func isMember(_ country: String, of org: String, role: MembershipRole = .member, on day: Day) -> Bool {
        memberships.contains { $0.org == org && $0.country == country && $0.role == role && $0.validity.contains(day) }
    }
}
