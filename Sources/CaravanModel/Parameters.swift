/// A general parameter of `parameters.csv`: its key, unit, range and whether a dataset must
/// define it. Code reads parameters only through these cases, so a misspelt key does not compile.
public enum ParameterKey: String, CaseIterable, Sendable, Codable, Comparable {
    case circuityRail = "circuity_rail", circuityRoad = "circuity_road", circuitySea = "circuity_sea", circuityFerry = "circuity_ferry"
    case transferIntermodalH = "transfer_intermodal_h", transferIntermodalUSDPerTEU = "transfer_intermodal_usd_teu"
    case portHandlingH = "port_handling_h", portHandlingUSDPerTEU = "port_handling_usd_teu"
    case gaugeChangeH = "gauge_change_h", gaugeChangeUSDPerTEU = "gauge_change_usd_teu"
    case transferCO2eKgPerTEU = "transfer_co2e_kg_teu"
    case borderRailH = "border_rail_h", borderRailHandoverH = "border_rail_handover_h", borderRoadH = "border_road_h", borderSeaH = "border_sea_h", borderUSDPerTEU = "border_usd_teu"
    case teuPayloadT = "teu_payload_t", feuTEU = "feu_teu", capacityTonnesPerTEU = "capacity_t_per_teu"
    case valueOfTimeUSDPerTEUDay = "value_of_time_usd_teu_day", carbonPriceUSDPerT = "carbon_price_usd_t"
    case trainTEU = "train_teu", bprAlpha = "bpr_alpha", bprBeta = "bpr_beta"
    case roadDrivingHPerDay = "road_driving_h_per_day", roadDrivingHPerDayTwoDrivers = "road_driving_h_per_day_two_drivers"
    case roadDailyRestH = "road_daily_rest_h", roadDailyRestHTwoDrivers = "road_daily_rest_h_two_drivers"
    case roadBreakH = "road_break_h", roadBreakAfterH = "road_break_after_h"
    case roadWeeklyRestH = "road_weekly_rest_h", roadDailyPeriodsPerWeek = "road_daily_periods_per_week"
    case roadExtendedDrivingH = "road_extended_driving_h", roadExtensionsPerWeek = "road_extensions_per_week"
    case roadReducedDailyRestH = "road_reduced_daily_rest_h", roadReducedRestsPerWeek = "road_reduced_rests_per_week"
    case wagonTEU = "wagon_teu", truckTEU = "truck_teu"
    case rail1520ConsignmentKmPerDay = "rail_1520_consignment_km_day"
    case railExpressSpeedFactor = "rail_express_speed_factor"
    case truckSpeedLimitKmh = "truck_speed_limit_kmh"
    case modelErrorSigma = "model_error_sigma", modelErrorFloor = "model_error_floor"
    case roroTransferH = "roro_transfer_h", roroUSDPerTruck = "roro_usd_truck", usdPerEUR = "usd_per_eur"
    case valueOfTimeUSDPerTruckDay = "value_of_time_usd_truck_day"

    /// When a dataset must define a parameter.
    public enum Need: Sendable { case always, assignment, optional }

    /// Orders keys by their raw names.
    public static func < (a: ParameterKey, b: ParameterKey) -> Bool { a.rawValue < b.rawValue }

    /// `always`: every dataset; `assignment`: datasets used by `assign`; `optional`: the model
    /// does without (see each use).
    public var need: Need {
        switch self {
        case .trainTEU, .bprAlpha, .bprBeta: return .assignment
        case .roadDrivingHPerDay, .roadDrivingHPerDayTwoDrivers, .wagonTEU, .truckTEU,
             .roadDailyRestH, .roadDailyRestHTwoDrivers, .roadBreakH, .roadBreakAfterH, .roadWeeklyRestH, .roadDailyPeriodsPerWeek,
             .roadExtendedDrivingH, .roadExtensionsPerWeek, .roadReducedDailyRestH, .roadReducedRestsPerWeek,
             .rail1520ConsignmentKmPerDay, .railExpressSpeedFactor, .truckSpeedLimitKmh, .capacityTonnesPerTEU, .modelErrorSigma, .modelErrorFloor,
             .borderRailHandoverH, .roroTransferH, .roroUSDPerTruck, .usdPerEUR, .valueOfTimeUSDPerTruckDay: return .optional
        default: return .always
        }
    }

    /// The unit written in `parameters.csv`.
    public var unit: String {
        switch self {
        case .circuityRail, .circuityRoad, .circuitySea, .circuityFerry, .bprAlpha, .railExpressSpeedFactor: return "ratio"
        case .transferIntermodalH, .portHandlingH, .gaugeChangeH, .borderRailH, .borderRailHandoverH, .borderRoadH, .borderSeaH, .roroTransferH: return "h"
        case .transferIntermodalUSDPerTEU, .portHandlingUSDPerTEU, .gaugeChangeUSDPerTEU, .borderUSDPerTEU: return "USD/TEU"
        case .transferCO2eKgPerTEU: return "kg/TEU"
        case .teuPayloadT, .capacityTonnesPerTEU: return "t"
        case .feuTEU, .trainTEU, .wagonTEU, .truckTEU: return "TEU"
        case .valueOfTimeUSDPerTEUDay: return "USD/TEU/day"
        case .carbonPriceUSDPerT: return "USD/t"
        case .bprBeta: return "exponent"
        case .roadDrivingHPerDay, .roadDrivingHPerDayTwoDrivers, .roadExtendedDrivingH: return "h/day"
        case .roadDailyRestH, .roadDailyRestHTwoDrivers, .roadBreakH, .roadBreakAfterH, .roadWeeklyRestH, .roadReducedDailyRestH: return "h"
        case .roadDailyPeriodsPerWeek, .roadExtensionsPerWeek, .roadReducedRestsPerWeek: return "count"
        case .rail1520ConsignmentKmPerDay: return "km/day"
        case .truckSpeedLimitKmh: return "km/h"
        case .modelErrorSigma: return "log"
        case .modelErrorFloor: return "ratio"
        case .roroUSDPerTruck: return "USD/truck"
        case .usdPerEUR: return "USD/EUR"
        case .valueOfTimeUSDPerTruckDay: return "USD/truck/day"
        }
    }

    /// The range the value must lie in; the loader and scenario edits check it.
    public var bounds: (min: Double, exclusiveMin: Bool, max: Double) {
        switch self {
        case .circuityRail, .circuityRoad, .circuitySea, .circuityFerry, .feuTEU: return (1, false, Parameters.valueBound)
        // An express train runs at least at the block train's speed, and not at a passenger train's.
        case .railExpressSpeedFactor: return (1, false, 5)
        // Divisors and conversion factors: 0 would turn a capacity or a cost into nothing.
        case .teuPayloadT, .trainTEU, .wagonTEU, .truckTEU, .capacityTonnesPerTEU, .usdPerEUR: return (0, true, Parameters.valueBound)
        // A driving period under an hour (or a break due sooner than every half hour) is not a rule
        // anyone drives by, and would make the drivers' clock step through tiny periods.
        case .roadDrivingHPerDay, .roadDrivingHPerDayTwoDrivers, .roadExtendedDrivingH: return (1, false, 24)
        case .roadBreakAfterH: return (0.5, false, 24)
        case .roadDailyRestH, .roadDailyRestHTwoDrivers, .roadBreakH, .roadWeeklyRestH, .roadReducedDailyRestH: return (0, false, 168)
        case .roadDailyPeriodsPerWeek: return (1, false, 14)
        case .roadExtensionsPerWeek, .roadReducedRestsPerWeek: return (0, false, 14)
        // A speed divides a length: 0 would make a leg last forever.
        case .rail1520ConsignmentKmPerDay: return (0, true, 5_000)
        case .truckSpeedLimitKmh: return (0, true, 300)
        // A lognormal sigma on the whole trip: 3 would put the p90 at 47 times the median.
        case .modelErrorSigma: return (0, false, 3)
        // The smallest multiple of the model's land time a trip can take: under 1.
        case .modelErrorFloor: return (0, false, 0.99)
        default: return (0, false, Parameters.valueBound)
        }
    }

    /// A parameter this one converts with, which the dataset must then give: a cost per truck needs
    /// `truck_teu`.
    public var requires: ParameterKey? {
        switch self {
        case .roroUSDPerTruck, .valueOfTimeUSDPerTruckDay: return .truckTEU
        default: return nil
        }
    }

    /// Every key with the given need.
    public static func all(_ need: Need) -> [ParameterKey] { allCases.filter { $0.need == need } }
}

/// General, calibrated parameters of the model (`parameters.csv`).
public struct Parameters: Hashable, Sendable {
    /// Magnitude no dataset or scenario number may exceed (see docs/security.md).
    public static let valueBound = 1e9

    /// The assignment keys this dataset lacks.
    public var missingAssignmentKeys: [ParameterKey] { ParameterKey.all(.assignment).filter { values[$0] == nil } }

    /// The values by key, in each key's `unit`; optional keys may be absent.
    public var values: [ParameterKey: Double]
    /// Ids of the sources cited for each key.
    public var sources: [ParameterKey: [String]]

    /// Creates parameters from values and their sources.
    public init(values: [ParameterKey: Double], sources: [ParameterKey: [String]] = [:]) {
        self.values = values; self.sources = sources
    }

    /// The value of a key. The loader guarantees every `always` key; `assign` checks the
    /// `assignment` keys first (`missingAssignmentKeys`); read `optional` keys with `values[key]`.
    public subscript(key: ParameterKey) -> Double { values[key] ?? 0 }

    /// Route length over great-circle length for links of the mode without a length.
    public func circuity(_ mode: Mode) -> Double { self[mode.circuityKey] }
    /// Average cargo tonnes in a loaded TEU (`teu_payload_t`).
    public var teuPayloadTonnes: Double { self[.teuPayloadT] }
    /// The drivers' hours rules of one driver, nil when the dataset gives no driving limit.
    /// Without `road_daily_rest_h` the rest fills the rest of the day; without the break and
    /// weekly-rest keys there are none.
    public var drivingRules: DrivingRules? {
        guard let h = values[.roadDrivingHPerDay], h > 0 else { return nil }
        let driving = min(24, h)   // a scenario factor may push h past a full day
        return DrivingRules(drivingH: driving, dailyRestH: values[.roadDailyRestH] ?? 24 - driving,
                            breakH: values[.roadBreakH] ?? 0, breakAfterH: values[.roadBreakAfterH] ?? 0,
                            weeklyRestH: values[.roadWeeklyRestH] ?? 0,
                            periodsPerWeek: Int((values[.roadDailyPeriodsPerWeek] ?? 0).rounded(.down)),
                            extendedDrivingH: values[.roadExtendedDrivingH].map { min(24, $0) },
                            extensionsPerWeek: Int((values[.roadExtensionsPerWeek] ?? 0).rounded(.down)),
                            reducedRestH: values[.roadReducedDailyRestH] ?? 0,
                            reducedRestsPerWeek: Int((values[.roadReducedRestsPerWeek] ?? 0).rounded(.down)))
    }
    /// Elapsed over driving time of a truck on a long trip (the rules' average factor); 1 when
    /// the dataset gives no limit. Routes are searched with it; `DrivingClock` times the route found.
    public var roadElapsedFactor: Double { drivingRules?.averageFactor ?? 1 }

    /// The parameters for a crew of two: `road_driving_h_per_day_two_drivers` and
    /// `road_daily_rest_h_two_drivers` replace one driver's, and no breaks (each driver breaks
    /// while the other drives). nil when the dataset has no two-driver limit.
    public func crewOfTwo() -> Parameters? {
        guard let h = values[.roadDrivingHPerDayTwoDrivers] else { return nil }
        var p = self
        p.values[.roadDrivingHPerDay] = h
        p.values[.roadDailyRestH] = values[.roadDailyRestHTwoDrivers] ?? 24 - min(24, h)
        p.values[.roadBreakH] = nil; p.values[.roadBreakAfterH] = nil
        return p
    }
    /// TEU-equivalents of an FEU (`feu_teu`).
    public var feuInTEU: Double { self[.feuTEU] }
}
