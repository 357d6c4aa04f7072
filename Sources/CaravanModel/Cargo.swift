/// The unit a shipment is counted in.
public enum CargoUnit: String, Codable, Sendable, CaseIterable {
    /// A truck (tractor and semi-trailer with its driver) that stays on its wheels: road and ro-ro ferries
    /// only (`RouteOptions.roadVehicle`), `truck_teu` TEU-equivalents each. A trailer is a semi-trailer
    /// without its tractor (unaccompanied): hauled by road like a truck, it sails alone on the ro-ro
    /// ferries at the lines' trailer fares.
    case teu, feu, tonnes, truck, trailer

    /// The road vehicle the shipment is, if any (truck or trailer).
    public var roadVehicle: FerryTariff.Vehicle? {
        switch self {
        case .truck: return .truck
        case .trailer: return .trailer
        case .teu, .feu, .tonnes: return nil
        }
    }
}

/// One shipment: a number of containers or tonnes of general cargo.
///
/// Costs are charged per container from TEU tariffs (an FEU counts `feu_teu` TEU)
/// or per tonne from tonne tariffs; emissions are charged per tonne-km on the
/// cargo weight plus terminal emissions per TEU-equivalent, so the three units
/// convert consistently through `teu_payload_t`.
public struct Cargo: Hashable, Sendable, Codable {
    /// What `quantity` counts: TEU, FEU or tonnes.
    public var unit: CargoUnit
    /// Number of units (containers or tonnes).
    public var quantity: Double
    /// Cargo tonnes per container; nil = the dataset's default payload. Ignored for `tonnes`.
    public var tonnesPerContainer: Double?

    /// Creates a shipment; by default one TEU at the dataset's default payload.
    public init(unit: CargoUnit = .teu, quantity: Double = 1, tonnesPerContainer: Double? = nil) {
        self.unit = unit; self.quantity = quantity; self.tonnesPerContainer = tonnesPerContainer
    }

    /// TEU-equivalents, used for container tariffs and handling charges.
    public func teuEquivalents(_ p: Parameters) -> Double {
        switch unit {
        case .teu: return quantity
        case .feu: return quantity * p.feuInTEU
        case .tonnes: return quantity / p.teuPayloadTonnes
        case .truck, .trailer: return quantity * (p.values[.truckTEU] ?? 1)   // routing a road vehicle requires truck_teu (RouteOptions)
        }
    }

    /// Cargo tonnes, used for tonne-km emissions.
    public func tonnes(_ p: Parameters) -> Double {
        switch unit {
        case .teu: return quantity * (tonnesPerContainer ?? p.teuPayloadTonnes)
        case .feu: return quantity * (tonnesPerContainer ?? p.teuPayloadTonnes * p.feuInTEU)
        case .tonnes: return quantity
        case .truck, .trailer: return quantity * (tonnesPerContainer ?? p.teuPayloadTonnes * (p.values[.truckTEU] ?? 1))
        }
    }
}

/// How criteria fold into one generalised cost (USD).
public struct CostWeights: Hashable, Sendable, Codable {
    /// USD per TEU-equivalent per day in transit.
    public var valueOfTimeUSDPerTEUDay: Double
    /// USD per tonne CO2e.
    public var carbonPriceUSDPerTonne: Double
    /// Creates weights from a value of time (USD per TEU per day) and a carbon price (USD per tonne CO2e).
    public init(valueOfTimeUSDPerTEUDay: Double, carbonPriceUSDPerTonne: Double) {
        self.valueOfTimeUSDPerTEUDay = valueOfTimeUSDPerTEUDay; self.carbonPriceUSDPerTonne = carbonPriceUSDPerTonne
    }
    /// The dataset's defaults: `value_of_time_usd_teu_day` and `carbon_price_usd_t`.
    public static func defaults(_ p: Parameters) -> CostWeights {
        CostWeights(valueOfTimeUSDPerTEUDay: p[.valueOfTimeUSDPerTEUDay], carbonPriceUSDPerTonne: p[.carbonPriceUSDPerT])
    }
    /// The defaults for a cargo unit: a truck's time is its carrier's as well as its goods'
    /// (`value_of_time_usd_truck_day` over `truck_teu`, where the dataset gives both). An
    /// unaccompanied trailer keeps the goods' value per TEU-equivalent: no tractor or driver waits with it.
    public static func defaults(_ p: Parameters, for unit: CargoUnit) -> CostWeights {
        var w = defaults(p)
        if unit == .truck, let perTruck = p.values[.valueOfTimeUSDPerTruckDay], let teu = p.values[.truckTEU], teu > 0 {
            w.valueOfTimeUSDPerTEUDay = perTruck / teu
        }
        return w
    }
}

/// How a rail shipment moves. A container block train (China–Europe services, the calibration's
/// trains) runs at its link classes' speeds; a consignment (single wagons or groups of wagons and
/// containers in general freight trains, e.g. to and from Central Asia) moves on 1520 mm lines at
/// the network's published average delivery speed per consignment, dwell in yards included; an
/// express train (China Railway's unified full-journey timetable, an operator's express or priority
/// product) runs at `rail_express_speed_factor` times the classes' speeds on every rail link.
public enum RailService: String, Sendable, Codable, CaseIterable {
    case block, consignment, express
}
