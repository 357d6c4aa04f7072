/// General, calibrated parameters of the model (`parameters.csv`).
public struct Parameters: Hashable, Sendable {
    /// Every key the dataset must define, with its unit.
    public static let keys: [(key: String, unit: String)] = [
        ("circuity_rail", "ratio"), ("circuity_road", "ratio"), ("circuity_sea", "ratio"), ("circuity_ferry", "ratio"),
        ("transfer_intermodal_h", "h"), ("transfer_intermodal_usd_teu", "USD/TEU"),
        ("port_handling_h", "h"), ("port_handling_usd_teu", "USD/TEU"),
        ("gauge_change_h", "h"), ("gauge_change_usd_teu", "USD/TEU"),
        ("transfer_co2e_kg_teu", "kg/TEU"),
        ("border_rail_h", "h"), ("border_road_h", "h"), ("border_sea_h", "h"), ("border_usd_teu", "USD/TEU"),
        ("teu_payload_t", "t"), ("feu_teu", "TEU"),
        ("value_of_time_usd_teu_day", "USD/TEU/day"), ("carbon_price_usd_t", "USD/t"),
    ]
    /// Keys only the freight assignment needs: known to the loader, required by `assign`.
    public static let assignmentKeys: [(key: String, unit: String)] = [
        ("train_teu", "TEU"), ("bpr_alpha", "ratio"), ("bpr_beta", "exponent"),
    ]
    /// Keys a dataset may leave out; the model then does without them (see each use).
    public static let optionalKeys: [(key: String, unit: String)] = [
        ("road_driving_h_per_day", "h/day"), ("road_driving_h_per_day_two_drivers", "h/day"),
        ("wagon_teu", "TEU"), ("truck_teu", "TEU"),
    ]

    /// Magnitude no dataset or scenario number may exceed (see docs/security.md).
    public static let valueBound = 1e9

    /// The range a parameter's value must lie in; the loader and scenario edits check it.
    public static func bounds(of key: String) -> (min: Double, exclusiveMin: Bool, max: Double) {
        if key.hasPrefix("circuity_") || key == "feu_teu" { return (1, false, valueBound) }
        if key == "teu_payload_t" { return (0, true, valueBound) }
        if key.hasPrefix("road_driving_h_per_day") { return (0, true, 24) }
        return (0, false, valueBound)
    }
    /// The assignment keys this dataset lacks.
    public var missingAssignmentKeys: [String] { Self.assignmentKeys.map(\.key).filter { values[$0] == nil } }

    public var values: [String: Double]
    public var sources: [String: [String]]

    public init(values: [String: Double], sources: [String: [String]] = [:]) {
        self.values = values; self.sources = sources
    }

    public subscript(key: String) -> Double { values[key] ?? 0 }

    public func circuity(_ mode: Mode) -> Double {
        switch mode {
        case .rail: return self["circuity_rail"]
        case .road: return self["circuity_road"]
        case .sea, .iww: return self["circuity_sea"]
        case .ferry: return self["circuity_ferry"]
        }
    }
    public func borderHours(_ mode: Mode) -> Double {
        switch mode {
        case .rail: return self["border_rail_h"]
        case .road: return self["border_road_h"]
        case .sea, .ferry, .iww: return self["border_sea_h"]
        }
    }
    public var teuPayloadTonnes: Double { self["teu_payload_t"] }
    /// Elapsed over driving time of a truck: 24 h a day over the hours its crew may drive a
    /// day (drivers' hours rules); 1 when the dataset gives no limit.
    public var roadElapsedFactor: Double {
        guard let h = values["road_driving_h_per_day"], h > 0 else { return 1 }
        return 24 / min(24, h)   // a scenario factor may push h past a full day
    }
    public var feuInTEU: Double { self["feu_teu"] }
}
