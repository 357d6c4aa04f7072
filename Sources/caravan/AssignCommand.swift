import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

extension AssignmentSolver.Algorithm: ExpressibleByArgument {}

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign",
        abstract: "User-equilibrium assignment of O-D demand under capacity (freight on the Caravan network, or a TNTP network).")
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Algorithm: b (Algorithm B, bush-based), cfw (conjugate Frank-Wolfe) or fw (Frank-Wolfe).") var algorithm: AssignmentSolver.Algorithm = .algorithmB
    @Option(help: "Stop at this relative gap.") var gap: Double = 1e-6
    @Option(name: .customLong("max-iterations"), help: "Stop after this many iterations.") var maxIterations: Int = 1000
    @Option(name: .customLong("max-seconds"), help: "Stop after this many seconds.") var maxSeconds: Double = 600
    @Option(help: ArgumentHelp("TNTP: a best-known flow file to compare the result with.", valueName: "FLOWFILE")) var reference: String?
    @Option(name: .customLong("toll-factor"), help: "TNTP: generalised cost weight of tolls (Chicago-Sketch: 0.02).") var tollFactor: Double = 0
    @Option(name: .customLong("distance-factor"), help: "TNTP: generalised cost weight of length (Chicago-Sketch: 0.04).") var distanceFactor: Double = 0
    @Flag(help: "No progress line.") var quiet = false
    @Option(help: "Output: table, json or csv.") var format: OutputFormat = .table

    func run() throws {
        try guarded {
            guard gap >= 0, maxIterations >= 0, maxSeconds > 0 else { throw CLIFailure.usage("--gap, --max-iterations and --max-seconds must be positive") }
            let folder = dataOptions.folder
            guard TNTPReader.isTNTPFolder(folder) else {
                try FreightAssignment.run(self)
                return
            }
            let net: TNTPNetwork
            do { net = try TNTPReader.load(folder: folder) } catch let error as InputErrors {
                throw CLIFailure.data("the TNTP network in \(folder) is invalid:\n" + error.diagnostics.map { "  " + $0.description }.joined(separator: "\n"))
            }
            guard !net.trips.isEmpty else { throw CLIFailure.usage("\(folder) has no *_trips.tntp demand file: nothing to assign") }
            let problem = AssignmentProblem.tntp(net, tollFactor: tollFactor, distanceFactor: distanceFactor)
            var solver = AssignmentSolver(problem)
            let bar = IterationLine(quiet: quiet, target: gap)
            let result = solver.solve(algorithm, stop: AssignmentStop(gap: gap, maxIterations: maxIterations, maxSeconds: maxSeconds), progress: bar.update)
            bar.finish()
            var comparison: FlowComparison?
            if let reference {
                let ref: [(tail: Int32, head: Int32, volume: Double, cost: Double)]
                do { ref = try TNTPReader.readFlows(path: reference) } catch let error as InputErrors {
                    throw CLIFailure.usage("--reference: " + error.diagnostics.map(\.description).joined(separator: "; "))
                }
                comparison = FlowComparison(net: net, flows: result.linkFlow, reference: ref)
            }
            switch format {
            case .json:
                printOut(encodeJSON(TNTPAssignOutput(network: net.name, algorithm: result.algorithm, relativeGap: result.relativeGap, iterations: result.iterations.count - 1,
                                                     beckmannObjective: result.objective, seconds: result.seconds, stopReason: result.stopReason,
                                                     convergence: result.iterations, reference: comparison,
                                                     links: (0..<net.linkCount).map { TNTPLinkFlow(from: Int(net.tail[$0]) + 1, to: Int(net.head[$0]) + 1, flow: result.linkFlow[$0], cost: result.linkCost[$0]) })))
            case .csv:
                printOut(([CSVWriter.line(["from", "to", "flow", "cost"])] + (0..<net.linkCount).map {
                    CSVWriter.line([String(net.tail[$0] + 1), String(net.head[$0] + 1), String(result.linkFlow[$0]), String(result.linkCost[$0])])
                }).joined(separator: "\n"))
            default:
                printOut("\(net.name): \(net.nodeCount) nodes, \(net.linkCount) links, \(net.trips.count) O-D pairs; algorithm \(result.algorithm)")
                printOut(String(format: "relative gap %.3e after %d iterations, %.2f s (stopped by %@); Beckmann objective %.10g",
                                result.relativeGap, result.iterations.count - 1, result.seconds, result.stopReason, result.objective))
                if let c = comparison {
                    printOut(String(format: "against %@: max relative deviation %.3e, mean %.3e over %d links with reference flow > 1e-3 of the largest (max absolute %.3e)",
                                    (reference! as NSString).lastPathComponent, c.maxRelativeDeviation, c.meanRelativeDeviation, c.linksCompared, c.maxAbsoluteDeviation))
                }
            }
        }
    }
}

/// One line per iteration on stderr (a terminal only): iteration, gap, elapsed.
struct IterationLine {
    let enabled: Bool
    let target: Double
    init(quiet: Bool, target: Double) { enabled = !quiet && isatty(STDERR_FILENO) == 1; self.target = target }
    func update(_ it: AssignmentIteration) {
        guard enabled else { return }
        let progress = it.relativeGap > 0 && target > 0 ? min(1, max(0, log10(1 / it.relativeGap) / log10(1 / target))) : 1
        let bar = String(repeating: "#", count: Int(progress * 30)) + String(repeating: ".", count: 30 - Int(progress * 30))
        FileHandle.standardError.write(Data(String(format: "\rassign [%@] iteration %d  gap %.3e  %.1f s", bar, it.iteration, it.relativeGap, it.seconds).utf8))
    }
    func finish() { if enabled { FileHandle.standardError.write(Data("\n".utf8)) } }
}

struct TNTPLinkFlow: Codable { var from: Int; var to: Int; var flow: Double; var cost: Double }
struct TNTPAssignOutput: Encodable {
    var network: String; var algorithm: String; var relativeGap: Double; var iterations: Int; var beckmannObjective: Double; var seconds: Double
    var stopReason: String; var convergence: [AssignmentIteration]; var reference: FlowComparison?; var links: [TNTPLinkFlow]
}

/// Link flows against a best-known solution, matched by (from, to).
struct FlowComparison: Codable {
    var linksCompared: Int
    var maxRelativeDeviation: Double
    var meanRelativeDeviation: Double
    var maxAbsoluteDeviation: Double

    init(net: TNTPNetwork, flows: [Double], reference: [(tail: Int32, head: Int32, volume: Double, cost: Double)]) {
        var byPair: [Int64: Double] = [:]
        for r in reference { byPair[Int64(r.tail) << 32 | Int64(r.head)] = r.volume }
        let largest = reference.map(\.volume).max() ?? 1
        var n = 0, maxRel = 0.0, sumRel = 0.0, maxAbs = 0.0
        for a in 0..<net.linkCount {
            guard let v = byPair[Int64(net.tail[a]) << 32 | Int64(net.head[a])] else { continue }
            maxAbs = max(maxAbs, abs(flows[a] - v))
            guard v > 1e-3 * largest else { continue }
            let rel = abs(flows[a] - v) / v
            n += 1; maxRel = max(maxRel, rel); sumRel += rel
        }
        linksCompared = n; maxRelativeDeviation = maxRel; meanRelativeDeviation = n > 0 ? sumRel / Double(n) : 0; maxAbsoluteDeviation = maxAbs
    }
}

enum FreightAssignment {
    static func run(_ cmd: AssignCommand) throws {
        throw CLIFailure.usage("freight assignment on a Caravan dataset is not available yet: use --data with a TNTP folder")
    }
}
