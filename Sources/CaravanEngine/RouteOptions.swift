import Foundation
import CaravanModel

/// What a routing request may change about the network it is routed on: the modes allowed, the
/// truck crew and the rail service. One definition for the command line and the API.
public struct RouteOptions: Sendable, Hashable {
    /// Modes a route may use; nil = all. First/last-mile legs of off-network places are always road.
    public var modes: Set<Mode>?
    /// Truck crew: 1 or 2 drivers.
    public var drivers: Int
    /// Block train, consignment on 1520 mm lines, or express train.
    public var service: RailService
    /// The shipment is a road vehicle that stays on its wheels (cargo `truck` or `trailer`): road links
    /// and ferries ridden aboard only, at the lines' fares for that vehicle; nil = any vehicle.
    public var roadVehicle: FerryTariff.Vehicle?

    /// Options of a plain request: every mode, one driver, block trains, any vehicle (`truck: true`
    /// is short for `roadVehicle: .truck`).
    public init(modes: Set<Mode>? = nil, drivers: Int = 1, service: RailService = .block, truck: Bool = false, roadVehicle: FerryTariff.Vehicle? = nil) {
        self.modes = modes; self.drivers = drivers; self.service = service
        self.roadVehicle = roadVehicle ?? (truck ? .truck : nil)
    }

    /// True for the options every request has unless it says otherwise (the cached networks).
    public var isDefault: Bool { (modes == nil || modes == Set(Mode.allCases)) && drivers == 1 && service == .block && roadVehicle == nil }

    /// A stable text of the options, for cache keys ("" for the defaults).
    public var key: String {
        guard !isDefault else { return "" }
        return "modes=\(modesList ?? Self.list(Set(Mode.allCases)))|drivers=\(drivers)|service=\(service.rawValue)" + (roadVehicle.map { "|\($0.rawValue)" } ?? "")
    }

    /// The modes a truck may use: the road, and the ro-ro ferries it rides aboard.
    public static let truckModes: Set<Mode> = [.road, .ferry]

    /// The modes as a sorted comma-separated list (what `modes(_:)` reads); nil for all.
    public var modesList: String? { modes.map(Self.list) }
    private static func list(_ m: Set<Mode>) -> String { m.map(\.rawValue).sorted().joined(separator: ",") }

    /// Options from a request's text fields (`modes`, `drivers`, `service`), each optional; the
    /// error names the field. A crew must be 1 or 2 exactly (1.5 is not rounded).
    public static func parse(modes: String?, drivers: Double?, service: String?) -> Result<RouteOptions, OptionError> {
        var o = RouteOptions()
        if let modes {
            switch Self.modes(modes) {
            case .success(let m): o.modes = m
            case .failure(let e): return .failure(e)
            }
        }
        if let drivers {
            guard drivers == 1 || drivers == 2 else { return .failure(OptionError(option: "drivers", message: "must be 1 or 2")) }
            o.drivers = Int(drivers)
        }
        if let service {
            guard let s = RailService(rawValue: service) else { return .failure(OptionError(option: "service", message: "use block, consignment or express")) }
            o.service = s
        }
        return .success(o)
    }

    /// Modes from a comma-separated list ("rail,road"); the error names the bad item and the choices.
    public static func modes(_ text: String) -> Result<Set<Mode>, OptionError> {
        var out: Set<Mode> = []
        for item in text.split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty else { continue }
            guard let m = Mode(rawValue: name) else {
                let shown = name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 } ? String(name.prefix(20)) : "(not a mode name)"
                return .failure(OptionError(option: "modes", message: "'\(shown)' is not a mode: use \(Mode.allCases.map(\.rawValue).joined(separator: ", ")), comma-separated"))
            }
            out.insert(m)
        }
        guard !out.isEmpty else { return .failure(OptionError(option: "modes", message: "give at least one of \(Mode.allCases.map(\.rawValue).joined(separator: ", "))")) }
        return .success(out)
    }

    /// A problem with an option: which one, and why.
    public struct OptionError: Error, Sendable, CustomStringConvertible {
        /// The option's name as the user wrote it (without dashes).
        public var option: String
        /// What is wrong and how to fix it.
        public var message: String
        public var description: String { message }
    }

    /// The dataset as these options see it: links of other modes removed (first/last-mile legs
    /// kept), the crew's drivers' hours, the rail service, a truck kept on its wheels.
    public func apply(to ds: Dataset) -> Result<Dataset, OptionError> {
        var d = ds
        var modes = modes
        if let vehicle = roadVehicle {
            guard ds.parameters.values[.truckTEU] != nil else {
                return .failure(OptionError(option: "cargo", message: "\(vehicle.rawValue): the dataset has no truck_teu parameter (TEU-equivalents a truck takes)"))
            }
            if let m = modes, !m.isSubset(of: Self.truckModes) {
                let others = m.subtracting(Self.truckModes).map(\.rawValue).sorted().joined(separator: ", ")
                return .failure(OptionError(option: "modes", message: "a \(vehicle.rawValue) travels by road and on ro-ro ferries, not by \(others): use --modes road,ferry or leave it out"))
            }
            modes = (modes ?? Self.truckModes).intersection(Self.truckModes)
            d.truckOnly = true
            d.aboardVehicle = vehicle
        }
        if let modes, modes != Set(Mode.allCases) {
            guard !modes.isEmpty else { return .failure(OptionError(option: "modes", message: "give at least one of \(Mode.allCases.map(\.rawValue).joined(separator: ", "))")) }
            d.links.removeAll { !modes.contains($0.mode) && $0.linkClass != FirstLastMile.linkClass }
        }
        switch drivers {
        case 1: break
        case 2:
            // The dataset's road_driving_h_per_day is for one driver; a crew of two has its own rows.
            guard let two = d.parameters.crewOfTwo() else {
                return .failure(OptionError(option: "drivers", message: "2: the dataset has no road_driving_h_per_day_two_drivers parameter"))
            }
            d.parameters = two
        default: return .failure(OptionError(option: "drivers", message: "must be 1 or 2, got \(drivers)"))
        }
        if service == .consignment {
            guard d.parameters.values[.rail1520ConsignmentKmPerDay] != nil else {
                return .failure(OptionError(option: "service", message: "consignment: the dataset has no rail_1520_consignment_km_day parameter"))
            }
            d.railService = .consignment
        }
        if service == .express {
            guard d.parameters.values[.railExpressSpeedFactor] != nil else {
                return .failure(OptionError(option: "service", message: "express: the dataset has no rail_express_speed_factor parameter"))
            }
            d.railService = .express
        }
        d.reindex()
        return .success(d)
    }
}
