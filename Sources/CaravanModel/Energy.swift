/// What an energy asset carries. Flows are kept in one unit per commodity: Mt/yr of crude,
/// bcm/yr of gas, GW (average power) of electricity.
public enum Commodity: String, Sendable, CaseIterable, Codable {
    case crudeOil = "crude_oil", naturalGas = "natural_gas", electricity
    public var unit: String {
        switch self { case .crudeOil: return "Mt/yr"; case .naturalGas: return "bcm/yr"; case .electricity: return "GW" }
    }
}

/// Units energy volumes and capacities may be written in.
public enum EnergyUnit: String, Sendable, CaseIterable, Codable {
    case bcmPerYear = "bcm_per_year", mtPerYear = "mt_per_year", bpd, gw, twhPerYear = "twh_per_year"
    public var commodity: Commodity {
        switch self { case .bcmPerYear: return .naturalGas; case .mtPerYear, .bpd: return .crudeOil; case .gw, .twhPerYear: return .electricity }
    }
}

public enum EnergyStatus: String, Sendable, CaseIterable, Codable {
    case open, underConstruction = "under_construction", planned, proposed, closed
}

/// A node of the energy network that is not a freight place (field, terminal, border point, market).
public struct EnergyPlace: Hashable, Sendable {
    public var id: String, name: String, country: String, kind: String
    public var lat: Double, lon: Double
    public var aliases: [String], sources: [String], note: String
    public init(id: String, name: String, country: String, kind: String, lat: Double, lon: Double, aliases: [String] = [], sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.country = country; self.kind = kind; self.lat = lat; self.lon = lon
        self.aliases = aliases; self.sources = sources; self.note = note
    }
}

/// A pipeline, tanker leg, power line or cable: from one place to another through `via`.
public struct EnergyAsset: Hashable, Sendable {
    public var id: String, name: String
    public var commodity: Commodity
    public var from: String, to: String
    public var via: [String]
    public var lengthKm: Double?
    /// Capacity at opening in `capacityUnit`; nil = not limited (a connector to a market).
    public var capacity: Double?
    public var capacityUnit: EnergyUnit?
    /// Share of the throughput used or lost on the way (compressor fuel, line losses), 0...1.
    public var lossFraction: Double
    /// Tariff in USD per unit of the commodity's flow unit (Mt, bcm, GW-year); nil = not known.
    public var tariffUSD: Double?
    public var status: EnergyStatus
    public var validity: Validity
    public var bidirectional: Bool
    public var sources: [String], note: String
    public init(id: String, name: String, commodity: Commodity, from: String, to: String, via: [String] = [], lengthKm: Double? = nil,
                capacity: Double?, capacityUnit: EnergyUnit?, lossFraction: Double = 0, tariffUSD: Double? = nil, status: EnergyStatus = .open,
                validity: Validity = .always, bidirectional: Bool = false, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.commodity = commodity; self.from = from; self.to = to; self.via = via; self.lengthKm = lengthKm
        self.capacity = capacity; self.capacityUnit = capacityUnit; self.lossFraction = lossFraction; self.tariffUSD = tariffUSD
        self.status = status; self.validity = validity; self.bidirectional = bidirectional; self.sources = sources; self.note = note
    }
    public var places: [String] { [from] + via + [to] }
}

/// A dated capacity of an asset (an expansion, or a plan).
public struct EnergyCapacityStep: Hashable, Sendable {
    public var asset: String
    public var capacity: Double
    public var unit: EnergyUnit
    public var validity: Validity
    public var status: EnergyStatus
    public var sources: [String], note: String
    public init(asset: String, capacity: Double, unit: EnergyUnit, validity: Validity, status: EnergyStatus, sources: [String] = [], note: String = "") {
        self.asset = asset; self.capacity = capacity; self.unit = unit; self.validity = validity; self.status = status; self.sources = sources; self.note = note
    }
}

/// Whether a supply or demand row enters the flow model or is kept for comparison
/// (totals that overlap other rows, measured throughputs).
public enum EnergyRole: String, Sendable, CaseIterable, Codable { case model, reference }

/// Volume available at a place in a year (a field, an export terminal, a power park).
public struct EnergySupply: Hashable, Sendable {
    public var id: String, name: String
    public var commodity: Commodity
    public var place: String
    public var year: Int
    public var volume: Double
    public var unit: EnergyUnit
    public var status: String
    public var role: EnergyRole
    public var sources: [String], note: String
    public init(id: String, name: String, commodity: Commodity, place: String, year: Int, volume: Double, unit: EnergyUnit, status: String = "",
                role: EnergyRole = .model, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.commodity = commodity; self.place = place; self.year = year; self.volume = volume; self.unit = unit
        self.status = status; self.role = role; self.sources = sources; self.note = note
    }
}

/// Offtake of a market in a year; `volume` nil = an open export market (takes any volume).
public struct EnergyDemand: Hashable, Sendable {
    public var id: String, name: String
    public var commodity: Commodity
    public var place: String
    /// nil = every year.
    public var year: Int?
    public var volume: Double?
    public var unit: EnergyUnit
    /// Value of one unit served, in `priceUnit`; nil = the commodity's reference price.
    public var price: Double?
    public var priceUnit: String
    public var role: EnergyRole
    public var sources: [String], note: String
    public init(id: String, name: String, commodity: Commodity, place: String, year: Int?, volume: Double?, unit: EnergyUnit, price: Double? = nil,
                priceUnit: String = "", role: EnergyRole = .model, sources: [String] = [], note: String = "") {
        self.id = id; self.name = name; self.commodity = commodity; self.place = place; self.year = year; self.volume = volume; self.unit = unit
        self.price = price; self.priceUnit = priceUnit; self.role = role; self.sources = sources; self.note = note
    }
}

/// The energy layer of a dataset (folder `energy/`).
public struct EnergyData: Sendable {
    public var places: [EnergyPlace] = []
    public var assets: [EnergyAsset] = []
    public var capacitySteps: [EnergyCapacityStep] = []
    public var supplies: [EnergySupply] = []
    public var demands: [EnergyDemand] = []
    public var parameters: [String: Double] = [:]
    public var parameterSources: [String: [String]] = [:]
    public init() {}

    public static let parameterKeys: [(key: String, unit: String)] = [
        ("crude_bbl_per_t", "bbl/t"), ("gas_mwh_per_mcm", "MWh/1000 m3"), ("usd_per_eur", "USD/EUR"),
        ("price_crude_oil_usd_per_bbl", "USD/bbl"), ("price_natural_gas_eur_per_mwh", "EUR/MWh"), ("price_electricity_eur_per_mwh", "EUR/MWh"),
    ]

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

    public func place(_ id: String) -> EnergyPlace? { places.first { $0.id == id } }
}
