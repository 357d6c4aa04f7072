import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

/// Output formats. Each command's `--format` option has the type listing exactly what the
/// command writes, so ArgumentParser rejects any other value (exit 2, naming the valid ones),
/// the help lists the same values, and every switch over the format is exhaustive.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, geojson
}
/// Commands that write a table or JSON.
enum TableOrJSON: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
/// Commands that write a table, JSON or CSV.
enum TableJSONOrCSV: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
    var output: OutputFormat {
        switch self { case .table: return .table; case .json: return .json; case .csv: return .csv }
    }
}

/// The --format help; ArgumentParser appends the valid values and the default.
func formatHelp(_ note: String = "") -> ArgumentHelp {
    ArgumentHelp("Output format.\(note.isEmpty ? "" : " " + note)", valueName: "FORMAT")
}

/// Failures that end a command with a message on stderr and a documented status.
struct CLIFailure: Error, CustomStringConvertible {
    var message: String
    var status: Int32
    var description: String { message }
    static func usage(_ m: String) -> CLIFailure { CLIFailure(message: m, status: 2) }
    static func noRoute(_ m: String) -> CLIFailure { CLIFailure(message: m, status: 1) }
    static func data(_ m: String) -> CLIFailure { CLIFailure(message: m, status: 3) }
}

extension ParsableCommand {
    /// Runs a body, turning CLIFailure into a message and an exit status.
    func guarded(_ body: () throws -> Void) throws {
        do { try body() } catch let f as CLIFailure {
            FileHandle.standardError.write(Data(("error: " + TextInput.safeMessage(f.message) + "\n").utf8))
            throw ExitCode(f.status)
        }
    }
}

/// Where the bundled dataset is: $CARAVAN_DATA, else `data/eurasia` found upwards
/// from the executable or the working directory, else beside the sources.
enum BundledData {
    static func path() -> String {
        if let env = ProcessInfo.processInfo.environment["CARAVAN_DATA"], !env.isEmpty { return env }
        let fm = FileManager.default
        var starts: [URL] = [URL(fileURLWithPath: fm.currentDirectoryPath)]
        if let exe = Bundle.main.executableURL { starts.insert(exe.resolvingSymlinksInPath().deletingLastPathComponent(), at: 0) }
        starts.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        for start in starts {
            var dir = start
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("data/eurasia")
                if fm.fileExists(atPath: candidate.appendingPathComponent("parameters.csv").path) { return candidate.path }
                dir.deleteLastPathComponent()
            }
        }
        return "data/eurasia"
    }
}

struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Dataset folder: a Caravan dataset or a TNTP network (default: the bundled Eurasian dataset).", valueName: "DIR"))
    var data: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date the network is taken as of (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(name: .customLong("scenario"), help: ArgumentHelp("Apply a scenario (bundled name or YAML file); repeat to compose, applied in order.", valueName: "NAME"))
    var scenarios: [String] = []

    var folder: String { data ?? BundledData.path() }

    /// The dataset with the scenarios applied as of the date, and what each edit did.
    func prepare() throws -> Prepared {
        let base = try load(), day = try day()
        let list = try loadScenarios(base)
        let (edited, edits) = ScenarioApplier.apply(list, to: base, on: day)
        return Prepared(base: base, dataset: edited, day: day, scenarios: list, edits: edits)
    }

    func loadScenarios(_ base: Dataset) throws -> [Scenario] {
        var out: [Scenario] = []
        for name in scenarios {
            do { out.append(try ScenarioReader.load(name, datasetFolder: folder, dataset: base)) } catch {
                throw CLIFailure.usage("scenario '\(name)' is invalid:\n" + error.diagnostics.map { "  " + $0.description }.joined(separator: "\n"))
            }
        }
        return out
    }

    func day() throws -> Day {
        guard let asOf else { return Day.today() }
        guard let d = Day(iso: asOf) else { throw CLIFailure.usage("--as-of: '\(asOf)' is not a date: write YYYY-MM-DD, e.g. 2024-06-01") }
        return d
    }

    func load() throws -> Dataset {
        let folder = self.folder
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw CLIFailure.usage("--data: '\(folder)' is not a folder: give a Caravan dataset folder or a TNTP folder")
        }
        do {
            if TNTPReader.isTNTPFolder(folder) { return TNTPReader.dataset(try TNTPReader.load(folder: folder)) }
            return try DatasetLoader.load(folder: folder)
        } catch {
            let shown = error.diagnostics.prefix(30).map { "  " + $0.description }.joined(separator: "\n")
            let more = error.diagnostics.count > 30 ? "\n  … and \(error.diagnostics.count - 30) more" : ""
            throw CLIFailure.data("the dataset in \(folder) is invalid (\(error.diagnostics.count) problem\(error.diagnostics.count == 1 ? "" : "s")):\n\(shown)\(more)")
        }
    }
}

struct CargoOptions: ParsableArguments {
    @Option(help: "Cargo unit: teu, feu, tonnes, truck (a truck with its driver: road and ro-ro ferries only, truck_teu TEU-equivalents) or trailer (a semi-trailer without its tractor: hauled by road, sailing alone on ro-ro ferries at the lines' trailer fares).")
    var cargo: CargoUnit = .teu

    @Option(help: ArgumentHelp("Containers: cargo tonnes per container (default: the dataset's TEU payload). Truck or trailer: cargo tonnes on it. Tonnes: the number of tonnes (default 1).", valueName: "T"))
    var weight: Double?

    @Option(name: .customLong("value-of-time"), help: ArgumentHelp("USD per TEU(-equivalent) per day in transit (default: the dataset's parameter; for a truck, value_of_time_usd_truck_day over truck_teu; for a trailer, the goods' value per TEU-equivalent).", valueName: "USD"))
    var valueOfTime: Double?

    @Option(name: .customLong("carbon-price"), help: ArgumentHelp("USD per tonne CO2e (default: the dataset's parameter).", valueName: "USD"))
    var carbonPrice: Double?

    @Option(help: ArgumentHelp("Modes the route may use, comma-separated: \(Mode.allCases.map(\.rawValue).joined(separator: ",")) (default: all). First/last-mile legs of off-network places are always road.", valueName: "LIST"))
    var modes: String?

    @Option(help: ArgumentHelp("Truck crew: 1 driver (the dataset's road_driving_h_per_day and rests, the default) or 2 (road_driving_h_per_day_two_drivers, road_daily_rest_h_two_drivers, no breaks).", valueName: "N"))
    var drivers: Int?

    @Option(help: ArgumentHelp("Rail service: block (a container block train at the link classes' speeds, the default) consignment (wagons or containers in general freight trains: 1520 mm legs at rail_1520_consignment_km_day) or express (a train on China Railway's unified full-journey timetable or an express product: rail at rail_express_speed_factor times the classes' speeds, fitted).", valueName: "KIND"))
    var service: RailService = .block

    /// The routing options these flags give (RouteOptions: shared with the API).
    func routeOptions() throws -> RouteOptions {
        var o = RouteOptions(drivers: drivers ?? 1, service: service, roadVehicle: cargo.roadVehicle)
        if let modes {
            switch RouteOptions.modes(modes) {
            case .success(let m): o.modes = m
            case .failure(let e): throw CLIFailure.usage("--\(e.option): \(e.message)")
            }
        }
        return o
    }

    /// The dataset as these options see it (RouteOptions.apply).
    func restrict(_ ds: Dataset) throws -> Dataset {
        switch try routeOptions().apply(to: ds) {
        case .success(let d): return d
        case .failure(let e): throw CLIFailure.usage("--\(e.option) \(e.message)")
        }
    }

    /// Ranges far beyond any real shipment, so every cost stays a finite number.
    func validate() throws {
        if let w = weight, !(w > 0 && w <= 1_000_000) { throw ValidationError("--weight must be above 0 and at most 1,000,000 tonnes, got \(w)") }
        if let v = valueOfTime, !(v >= 0 && v <= 10_000_000) { throw ValidationError("--value-of-time must be between 0 and 10,000,000 USD per TEU-day, got \(v)") }
        if let c = carbonPrice, !(c >= 0 && c <= 100_000) { throw ValidationError("--carbon-price must be between 0 and 100,000 USD per tonne, got \(c)") }
        if let n = drivers, n != 1 && n != 2 { throw ValidationError("--drivers must be 1 or 2, got \(n)") }
    }

    func cargoValue() throws -> Cargo {
        if let w = weight, !(w > 0 && w.isFinite) { throw CLIFailure.usage("--weight must be a positive number of tonnes, got \(w)") }
        switch cargo {
        case .tonnes: return Cargo(unit: .tonnes, quantity: weight ?? 1)
        case .teu, .feu, .truck, .trailer: return Cargo(unit: cargo, quantity: 1, tonnesPerContainer: weight)
        }
    }

    func weights(_ p: Parameters) throws -> CostWeights {
        var w = CostWeights.defaults(p, for: cargo)
        if let v = valueOfTime { guard v >= 0, v.isFinite else { throw CLIFailure.usage("--value-of-time must be >= 0") }; w.valueOfTimeUSDPerTEUDay = v }
        if let c = carbonPrice { guard c >= 0, c.isFinite else { throw CLIFailure.usage("--carbon-price must be >= 0") }; w.carbonPriceUSDPerTonne = c }
        return w
    }
}

extension CargoUnit: ExpressibleByArgument {}
extension RailService: ExpressibleByArgument {}

/// The gazetteer beside the dataset folder, read only when a name is not a network place.
enum CityGazetteer {
    static func load(datasetFolder: String) -> Gazetteer? {
        try? GazetteerReader.load(path: GazetteerReader.path(besideDataset: datasetFolder))
    }
    /// Resolves a name that is not a network place: first among the cities bearing that name
    /// (a byte scan of the file, a few milliseconds), then, when none fits, over the whole
    /// gazetteer (suggestions, `LAT,LON`), built once into `full`. nil without a gazetteer.
    static func resolve(_ query: String, places: [Place], datasetFolder folder: String, full: inout EndpointResolver?) -> EndpointResolver.Resolution? {
        let path = GazetteerReader.path(besideDataset: folder)
        if let key = EndpointResolver.cityKey(query), let few = try? GazetteerReader.load(path: path, key: key), few.count > 0 {
            let r = EndpointResolver(places: places, gazetteer: few).resolve(query)
            if case .notFound = r {} else { return r }
        }
        if full == nil, let g = load(datasetFolder: folder) { full = EndpointResolver(places: places, gazetteer: g) }
        return full?.resolve(query)
    }
}

/// The dataset of a routing command: options applied, then origin and destination resolved
/// (a network place, a gazetteer city or LAT,LON) and off-network ends attached with
/// first/last-mile road legs (marked estimated). The gazetteer is read only when a name is
/// not a network place, and each resolver is built once.
func routingDataset(_ prep: Prepared, _ cargo: CargoOptions, from: String, to: String, folder: String) throws -> (Dataset, Int, Int) {
    var ds = try cargo.restrict(prep.dataset)
    // Resolvers see the places before any point is attached; attached places go at the end,
    // so the indices they return stay valid.
    let network = EndpointResolver(places: ds.places, gazetteer: nil)
    var withCities: EndpointResolver?
    func resolve(_ query: String, _ role: FirstLastMile.Role) throws -> Int {
        let label = role == .origin ? "origin" : "destination", shown = TextInput.shown(query, limit: 64)
        var resolution = network.resolve(query)
        if case .notFound = resolution, let r = CityGazetteer.resolve(query, places: network.places, datasetFolder: folder, full: &withCities) {
            resolution = r
        }
        switch resolution {
        case .found(.place(let i), _): return i
        case .found(.point(let p), let note):
            if let note { FileHandle.standardError.write(Data("note: \(label) '\(shown)' is \(p.name), \(p.country); \(note)\n".utf8)) }
            do { return try FirstLastMile.attach(p, role: role, to: &ds) } catch { throw CLIFailure.noRoute("\(label) \(error.description)") }
        case .ambiguous(let options):
            throw CLIFailure.usage("\(label) '\(shown)' is ambiguous; type one of:\n" + options.map { "  \($0.typed)   — \($0.label)" }.joined(separator: "\n"))
        case .notFound(let suggestions):
            let list = suggestions.isEmpty ? "" : "; nearest matches:\n" + suggestions.map { "  " + $0 }.joined(separator: "\n")
            throw CLIFailure.usage("unknown \(label) '\(shown)'\(list)\n(a network place, a city of 15,000+ inhabitants, or LAT,LON; see `caravan places`)")
        }
    }
    let o = try resolve(from, .origin), d = try resolve(to, .destination)
    if o == d { throw CLIFailure.usage("origin and destination are the same place") }
    return (ds, o, d)
}

func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Pretty, key-sorted JSON. A non-finite number (only possible from extreme inputs) is an
/// error naming the field, never an empty or invalid document.
func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do { return String(decoding: try enc.encode(value), as: UTF8.self) } catch {
        var field = ""
        if case EncodingError.invalidValue(_, let ctx) = error { field = ctx.codingPath.map(\.stringValue).joined(separator: ".") }
        throw CLIFailure.usage("the result has a value that is not a finite number\(field.isEmpty ? "" : " (\(field))"): the inputs are too large; use smaller values")
    }
}

/// A dataset ready for the engines: scenarios applied as of the date.
struct Prepared {
    var base: Dataset
    var dataset: Dataset
    var day: Day
    var scenarios: [Scenario]
    var edits: [AppliedEdit]

    /// Marks on each route the scenario edits in force that touched its links.
    func annotate(_ route: Route) -> Route {
        guard !edits.isEmpty else { return route }
        var r = route
        let links = Set(route.legs.flatMap(\.links))
        r.scenarioEdits = edits.filter { $0.inForce && !links.isDisjoint(with: $0.links) }.map(\.id)
        return r
    }
}
