/// What an energy asset carries. Flows are kept in one unit per commodity: Mt/yr of crude,
/// bcm/yr of gas, GW (average power) of electricity.
public enum Commodity: String, Sendable, CaseIterable, Codable {
    case crudeOil = "crude_oil", naturalGas = "natural_gas", electricity
    /// The commodity's flow unit, used in results: Mt/yr, bcm/yr or GW.
    public var unit: String {
        switch self { case .crudeOil: return "Mt/yr"; case .naturalGas: return "bcm/yr"; case .electricity: return "GW" }
    }
}

/// Units energy volumes and capacities may be written in.
public enum EnergyUnit: String, Sendable, CaseIterable, Codable {
    case bcmPerYear = "bcm_per_year", mtPerYear = "mt_per_year", bpd, gw, twhPerYear = "twh_per_year"
    /// The commodity this unit measures.
    public var commodity: Commodity {
        switch self { case .bcmPerYear: return .naturalGas; case .mtPerYear, .bpd: return .crudeOil; case .gw, .twhPerYear: return .electricity }
    }
}

/// Status of an energy asset or capacity step (`energy-assets.csv`, `energy-capacity.csv`).
public enum EnergyStatus: String, Sendable, CaseIterable, Codable {
    case open, underConstruction = "under_construction", planned, proposed, closed
}

/// A node of the energy network that is not a freight place (field, terminal, border point, market).
public struct EnergyPlace: Hashable, Sendable {
    /// Unique id, display name, ISO 3166-1 alpha-2 country code, and kind (`terminal`, `field`, `market`, ...).
    public var id: String, name: String, country: String, kind: String
    /// Coordinates in WGS84 decimal degrees.
    public var lat: Double, lon: Double
    /// Other names and spellings, ids of the sources cited, and optional free text.
    public var aliases: [String], sources: [String], note: String
    /// Creates an energy place; aliases, sources and note default to empty.
    public init(id: String, name: String, country: String, kind: String, lat: Double, lon: Double, aliases: [String] = [], sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.country = country; self.kind = kind; self.lat = lat; self.lon = lon
        self.aliases = aliases; self.sources = sources; self.note = note
    }
}

/// A pipeline, tanker leg, power line or cable: from one place to another through `via`.
public struct EnergyAsset: Hashable, Sendable {
    /// Unique id and display name.
    public var id: String, name: String
    /// What the asset carries.
    public var commodity: Commodity
    /// Place ids (freight or energy places) at the two ends of the route.
    public var from: String, to: String
    /// Places passed between `from` and `to`, in order (where offtakes join).
    public var via: [String]
    /// Route length in km; nil when not given.
    public var lengthKm: Double?
    /// Capacity at opening in `capacityUnit`; nil = not limited (a connector to a market).
    public var capacity: Double?
    /// Unit of `capacity`, matching the commodity; nil when not given.
    public var capacityUnit: EnergyUnit?
    /// Share of the throughput used or lost on the way (compressor fuel, line losses), 0...1.
    public var lossFraction: Double
    /// Tariff in USD per unit of the commodity's flow unit (Mt, bcm, GW-year); nil = not known.
    public var tariffUSD: Double?
    /// Status: open, under construction, planned, proposed or closed.
    public var status: EnergyStatus
    /// From first flow (or planned date) to end.
    public var validity: Validity
    /// True when flow may run both ways; both directions share the capacity.
    public var bidirectional: Bool
    /// Ids of the sources cited, and optional free text.
    public var sources: [String], note: String
    /// Creates an energy asset; by default open, one-way, lossless, always valid and without a tariff.
    public init(id: String, name: String, commodity: Commodity, from: String, to: String, via: [String] = [], lengthKm: Double? = nil,
                capacity: Double?, capacityUnit: EnergyUnit?, lossFraction: Double = 0, tariffUSD: Double? = nil, status: EnergyStatus = .open,
                validity: Validity = .always, bidirectional: Bool = false, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.commodity = commodity; self.from = from; self.to = to; self.via = via; self.lengthKm = lengthKm
        self.capacity = capacity; self.capacityUnit = capacityUnit; self.lossFraction = lossFraction; self.tariffUSD = tariffUSD
        self.status = status; self.validity = validity; self.bidirectional = bidirectional; self.sources = sources; self.note = note
    }
    /// The places of the route in order: `from`, `via`, then `to`.
    public var places: [String] { [from] + via + [to] }
}

/// A dated capacity of an asset (an expansion, or a plan).
public struct EnergyCapacityStep: Hashable, Sendable {
    /// Id of the asset this step re-rates.
    public var asset: String
    /// The capacity in `unit`.
    public var capacity: Double
    /// Unit of `capacity`, matching the asset's commodity.
    public var unit: EnergyUnit
    /// The period the step is in force.
    public var validity: Validity
    /// Status; `proposed` steps, and `planned` or `under_construction` steps without a start date, never apply by date.
    public var status: EnergyStatus
    /// Ids of the sources cited, and optional free text.
    public var sources: [String], note: String
    /// Creates a capacity step; sources and note default to empty.
    public init(asset: String, capacity: Double, unit: EnergyUnit, validity: Validity, status: EnergyStatus, sources: [String] = [], note: String = "") {
        self.asset = asset; self.capacity = capacity; self.unit = unit; self.validity = validity; self.status = status; self.sources = sources; self.note = note
    }
}

/// Whether a supply or demand row enters the flow model or is kept for comparison
/// (totals that overlap other rows, measured throughputs).
public enum EnergyRole: String, Sendable, CaseIterable, Codable { case model, reference }

/// Volume available at a place in a year (a field, an export terminal, a power park).
public struct EnergySupply: Hashable, Sendable {
    /// Id and display name.
    public var id: String, name: String
    /// The commodity supplied.
    public var commodity: Commodity
    /// Place id where the volume is available.
    public var place: String
    /// The year the volume is for.
    public var year: Int
    /// Volume available that year, in `unit`.
    public var volume: Double
    /// Unit of `volume`, matching the commodity.
    public var unit: EnergyUnit
    /// Status as written in the row (e.g. `actual`, `plan`, `potential`); not used by the flow model.
    public var status: String
    /// Whether the row enters the flow model or is kept for reference.
    public var role: EnergyRole
    /// Ids of the sources cited, and optional free text.
    public var sources: [String], note: String
    /// Creates a supply row; status, sources and note default to empty, role to model.
    public init(id: String, name: String, commodity: Commodity, place: String, year: Int, volume: Double, unit: EnergyUnit, status: String = "",
                role: EnergyRole = .model, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.commodity = commodity; self.place = place; self.year = year; self.volume = volume; self.unit = unit
        self.status = status; self.role = role; self.sources = sources; self.note = note
    }
}

/// Offtake of a market in a year; `volume` nil = an open export market (takes any volume).
public struct EnergyDemand: Hashable, Sendable {
    /// Id and display name.
    public var id: String, name: String
    /// The commodity demanded.
    public var commodity: Commodity
    /// Place id of the market.
    public var place: String
    /// nil = every year.
    public var year: Int?
    /// Offtake in `unit`; nil = an open export market.
    public var volume: Double?
    /// Unit of `volume`, matching the commodity.
    public var unit: EnergyUnit
    /// Value of one unit served, in `priceUnit`; nil = the commodity's reference price.
    public var price: Double?
    /// Unit `price` is written in (`usd_per_bbl`, `usd_per_tonne`, `usd_per_mcm`, `eur_per_mwh`, `usd_per_mwh`); empty without a price.
    public var priceUnit: String
    /// Whether the row enters the flow model or is kept for reference.
    public var role: EnergyRole
    /// Ids of the sources cited, and optional free text.
    public var sources: [String], note: String
    /// Creates a demand row; price defaults to none, role to model.
    public init(id: String, name: String, commodity: Commodity, place: String, year: Int?, volume: Double?, unit: EnergyUnit, price: Double? = nil,
                priceUnit: String = "", role: EnergyRole = .model, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.commodity = commodity; self.place = place; self.year = year; self.volume = volume; self.unit = unit
        self.price = price; self.priceUnit = priceUnit; self.role = role; self.sources = sources; self.note = note
    }
}

/// A published annual volume, to compare with the model year by year (`energy-observed.csv`).
public struct EnergyObservation: Hashable, Sendable {
    /// What the volume measures in the model.
    public enum Target: Hashable, Sendable {
        /// Demand served at the markets of this place.
        case market(String)
        /// Demand served at markets in EU member states on the date.
        case euMembers
        /// Largest flow over the asset's segments.
        case asset(String)
        /// Volume the model uses of a supply (`energy-supply.csv` id): a published export total
        /// compared with what the modelled demands draw from it.
        case supply(String)
    }
    /// The year of the volume.
    public var year: Int
    /// Commodity measured.
    public var commodity: Commodity
    /// What the volume measures.
    public var target: Target
    /// The published volume, in `unit`.
    public var volume: Double
    /// Unit of `volume`.
    public var unit: EnergyUnit
    /// Ids of the sources cited, and optional free text.
    public var sources: [String], note: String
    /// Creates an observation; sources and note default to empty.
    public init(year: Int, commodity: Commodity, target: Target, volume: Double, unit: EnergyUnit, sources: [String] = [], note: String = "") {
        self.year = year; self.commodity = commodity; self.target = target; self.volume = volume; self.unit = unit
        self.sources = sources; self.note = note
    }
}

/// A long-term sales or transport contract (`energy-contracts.csv`): an annual contract
/// quantity for a buyer, part of it take-or-pay. With the contract basis the flow model
/// replaces a buyer's demand rows by its contracts and serves the take-or-pay part first.
public struct EnergyContract: Hashable, Sendable {
    /// Id and display name.
    public var id: String, name: String
    /// The commodity contracted.
    public var commodity: Commodity
    /// The seller: a supply id (energy-supply.csv) or a place; informative (flows are not traced to sellers).
    public var seller: String
    /// The buyer's market place.
    public var buyer: String
    /// Annual contract quantity, in `unit`.
    public var volume: Double
    /// Unit of `volume`.
    public var unit: EnergyUnit
    /// Take-or-pay share of the annual quantity (0–1); nil when not published.
    public var minShare: Double?
    /// The period the contract runs.
    public var validity: Validity
    /// Ids of the sources cited, and optional free text.
    public var sources: [String], note: String
    /// Creates a contract; sources and note default to empty.
    public init(id: String, name: String, commodity: Commodity, seller: String, buyer: String, volume: Double, unit: EnergyUnit,
                minShare: Double?, validity: Validity, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.commodity = commodity; self.seller = seller; self.buyer = buyer; self.volume = volume; self.unit = unit
        self.minShare = minShare; self.validity = validity; self.sources = sources; self.note = note
    }
}

/// The energy layer of a dataset (folder `energy/`).
public struct EnergyData: Sendable {
    /// Energy places that are not freight places (`energy-places.csv`).
    public var places: [EnergyPlace] = []
    /// Pipelines, tanker legs, power lines and cables (`energy-assets.csv`).
    public var assets: [EnergyAsset] = []
    /// Dated capacity steps of assets (`energy-capacity.csv`).
    public var capacitySteps: [EnergyCapacityStep] = []
    /// Supply volumes by year (`energy-supply.csv`).
    public var supplies: [EnergySupply] = []
    /// Market offtake by year (`energy-demand.csv`).
    public var demands: [EnergyDemand] = []
    /// Published annual volumes to compare with the model (`energy-observed.csv`).
    public var observations: [EnergyObservation] = []
    /// Long-term contracts (`energy-contracts.csv`).
    public var contracts: [EnergyContract] = []
    /// Energy parameters by key (`energy-parameters.csv`), in the units of `parameterKeys`.
    public var parameters: [String: Double] = [:]
    /// Ids of the sources cited by each energy parameter.
    public var parameterSources: [String: [String]] = [:]
    /// Creates an empty energy layer.
    public init() {}

    /// Every energy parameter key with its unit; all are required when the `energy/` folder exists.
    public static let parameterKeys: [(key: String, unit: String)] = [
        ("crude_bbl_per_t", "bbl/t"), ("gas_mwh_per_mcm", "MWh/1000 m3"), ("usd_per_eur", "USD/EUR"),
        ("price_crude_oil_usd_per_bbl", "USD/bbl"), ("price_natural_gas_eur_per_mwh", "EUR/MWh"), ("price_electricity_eur_per_mwh", "EUR/MWh"),
    ]

    /// Ids (with their place) of the supplies and demands with role `model` that sit where no asset
    /// of their commodity passes (start, end or via), so nothing can ever flow to or from them.
    public var strandedModelRows: [String] {
        let reached = Set(assets.flatMap { a in a.places.map { "\(a.commodity.rawValue)|\($0)" } })
        let ends = supplies.filter { $0.role == .model }.map { ($0.id, $0.commodity, $0.place) }
            + demands.filter { $0.role == .model }.map { ($0.id, $0.commodity, $0.place) }
        return Set(ends.filter { !reached.contains("\($0.1.rawValue)|\($0.2)") }.map { "\($0.0) at \($0.2)" }).sorted()
    }

    /// A volume or capacity in the commodity's flow unit.
    public func convert(_ value: Double, _ unit: EnergyUnit) -> Double {
        switch unit {
        case .bcmPerYear, .mtPerYear, .gw: return value
        case .bpd: return value * 365 / (parameters["crude_bbl_per_t"] ?? 7.33) / 1e6
        case .twhPerYear: return value / 8.76
        }
    }

    /// Reference value of one flow unit of a commodity, USD (Mt of crude, bcm of gas, GW-year of power).
    public func referencePriceUSD(_ c: Commodity) -> Double {
        let usdEur = parameters["usd_per_eur"] ?? 1
        switch c {
        case .crudeOil: return (parameters["price_crude_oil_usd_per_bbl"] ?? 0) * (parameters["crude_bbl_per_t"] ?? 0) * 1e6
        case .naturalGas: return (parameters["price_natural_gas_eur_per_mwh"] ?? 0) * usdEur * (parameters["gas_mwh_per_mcm"] ?? 0) * 1e6
        case .electricity: return (parameters["price_electricity_eur_per_mwh"] ?? 0) * usdEur * 8760 * 1000
        }
    }

    /// A price written in a unit, converted to USD per flow unit.
    public func priceUSD(_ value: Double, unit: String, commodity: Commodity) -> Double? {
        let usdEur = parameters["usd_per_eur"] ?? 1
        switch unit {
        case "usd_per_bbl": return value * (parameters["crude_bbl_per_t"] ?? 0) * 1e6
        case "usd_per_tonne": return value * 1e6
        case "eur_per_mwh", "usd_per_mwh":
            let f = unit == "eur_per_mwh" ? usdEur : 1
            switch commodity {
            case .naturalGas: return value * f * (parameters["gas_mwh_per_mcm"] ?? 0) * 1e6
            case .electricity: return value * f * 8760 * 1000
            case .crudeOil: return nil
            }
        case "usd_per_mcm": return value * 1e6
        default: return nil
        }
    }

    /// The energy place with this id; nil when none (freight places are not searched).
    public func place(_ id: String) -> EnergyPlace? { places.first { $0.id == id } }
}
