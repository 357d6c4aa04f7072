import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, geojson
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
            FileHandle.standardError.write(Data(("error: " + f.message + "\n").utf8))
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
    @Option(help: "Cargo unit: teu, feu or tonnes.")
    var cargo: CargoUnit = .teu

    @Option(help: ArgumentHelp("Containers: cargo tonnes per container (default: the dataset's TEU payload). Tonnes: the number of tonnes (default 1).", valueName: "T"))
    var weight: Double?

    @Option(name: .customLong("value-of-time"), help: ArgumentHelp("USD per TEU per day in transit (default: the dataset's parameter).", valueName: "USD"))
    var valueOfTime: Double?

    @Option(name: .customLong("carbon-price"), help: ArgumentHelp("USD per tonne CO2e (default: the dataset's parameter).", valueName: "USD"))
    var carbonPrice: Double?

    func cargoValue() throws -> Cargo {
        if let w = weight, !(w > 0 && w.isFinite) { throw CLIFailure.usage("--weight must be a positive number of tonnes, got \(w)") }
        switch cargo {
        case .tonnes: return Cargo(unit: .tonnes, quantity: weight ?? 1)
        case .teu, .feu: return Cargo(unit: cargo, quantity: 1, tonnesPerContainer: weight)
        }
    }

    func weights(_ p: Parameters) throws -> CostWeights {
        var w = CostWeights.defaults(p)
        if let v = valueOfTime { guard v >= 0, v.isFinite else { throw CLIFailure.usage("--value-of-time must be >= 0") }; w.valueOfTimeUSDPerTEUDay = v }
        if let c = carbonPrice { guard c >= 0, c.isFinite else { throw CLIFailure.usage("--carbon-price must be >= 0") }; w.carbonPriceUSDPerTonne = c }
        return w
    }
}

extension CargoUnit: ExpressibleByArgument {}

/// Resolves a typed place name or fails with the nearest matches (status 2).
func resolvePlace(_ query: String, in dataset: Dataset, role: String) throws -> Int {
    let resolver = PlaceResolver(places: dataset.places)
    func show(_ i: Int) -> String { let p = dataset.places[i]; return "\(p.id) (\(p.name), \(p.country), \(p.kind.rawValue))" }
    switch resolver.resolve(query) {
    case .found(let i): return i
    case .ambiguous(let hits):
        throw CLIFailure.usage("\(role) '\(query)' is ambiguous; use one of these ids:\n" + hits.map { "  " + show($0) }.joined(separator: "\n"))
    case .notFound(let suggestions):
        let list = suggestions.isEmpty ? "" : "; nearest matches:\n" + suggestions.map { "  " + show($0) }.joined(separator: "\n")
        throw CLIFailure.usage("unknown \(role) '\(query)'\(list)\n(see `caravan places` for all places)")
    }
}

func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

func encodeJSON<T: Encodable>(_ value: T) -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? enc.encode(value)) ?? Data(), as: UTF8.self)
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
