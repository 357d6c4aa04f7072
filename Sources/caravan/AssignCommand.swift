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
    @Option(help: ArgumentHelp("Caravan dataset: O-D demand CSV (default: the newest demand-*.csv of the dataset folder).", valueName: "FILE")) var demand: String?
    @Option(help: ArgumentHelp("Multiply every demand by K (e.g. 3 for volumes tripled).", valueName: "K")) var scale: Double = 1
    @Option(name: .customLong("fit-value-of-time"), help: ArgumentHelp("Caravan dataset: find the median value of time of this freight class (one with a demand_share) at which its land volume equals its demand rows, by bisection; prints each step and the fit.", valueName: "CLASS"))
    var fitValueOfTime: String?
    @Option(name: .customLong("fit-border-risk"), help: ArgumentHelp("Caravan dataset: find the perceived risk (USD/TEU, risk_usd_teu) that these measures add at their borders (comma-separated measure ids, one value for all) at which the land volume of the class with a demand_share equals its rows, averaged over --fit-dates; by bisection, printing each step and each date's residual.", valueName: "IDS"))
    var fitBorderRisk: String?
    @Option(name: .customLong("fit-logit"), help: ArgumentHelp("Caravan dataset: fit the logit split of this freight class (one with logit_usd and sea_alternative) to its yearly land volumes in mode-volumes.csv: for each dispersion on a grid, the land constant at which the mean log error over the years is 0 (bisection); keeps the dispersion with the smallest error and prints each year's residual and the leave-one-year-out errors. With one year, only the land constant is fitted (logit_usd held). Each year's network is taken on 1 July, with the indexed tariffs at their mean over the calendar year.", valueName: "CLASS"))
    var fitLogit: String?
    @Option(name: .customLong("fit-dates"), help: ArgumentHelp("With --fit-border-risk: the networks to average over, comma-separated dates (default: --as-of).", valueName: "DATES"))
    var fitDates: String?
    @Option(name: .customLong("rate-window"), help: ArgumentHelp("Caravan dataset: price indexed tariffs (ocean-container, the WCI) at their mean over this many days ending on the date, since annual volumes answer to the year's rates; 1 = the day's rate.", valueName: "DAYS"))
    var rateWindow: Int = 365
    @Flag(help: "No progress line.") var quiet = false
    @Option(help: formatHelp("geojson: Caravan datasets only.")) var format: OutputFormat = .table

    func validate() throws {
        guard (1...3_650).contains(rateWindow) else { throw ValidationError("--rate-window must be between 1 and 3,650 days, got \(rateWindow)") }
        guard scale > 0 && scale <= 1000 else { throw ValidationError("--scale must be above 0 and at most 1000, got \(scale)") }
        guard gap > 0 && gap <= 1 else { throw ValidationError("--gap must be above 0 and at most 1, got \(gap)") }
        guard (1...10_000_000).contains(maxIterations) else { throw ValidationError("--max-iterations must be between 1 and 10,000,000") }
        guard maxSeconds > 0 && maxSeconds <= 86_400 else { throw ValidationError("--max-seconds must be above 0 and at most 86,400") }
        for (name, v) in [("--toll-factor", tollFactor), ("--distance-factor", distanceFactor)] where !(v >= 0 && v <= 1e6) {
            throw ValidationError("\(name) must be between 0 and 1,000,000, got \(v)")
        }
    }

    func run() throws {
        try guarded {
            guard gap >= 0, maxIterations >= 0, maxSeconds > 0 else { throw CLIFailure.usage("--gap, --max-iterations and --max-seconds must be positive") }
            guard scale > 0, scale.isFinite else { throw CLIFailure.usage("--scale must be a positive number, e.g. 3") }
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
            if demand != nil { throw CLIFailure.usage("--demand applies to Caravan datasets; a TNTP network's demand is its *_trips.tntp file") }
            if !dataOptions.scenarios.isEmpty { throw CLIFailure.usage("--scenario applies to Caravan datasets, not to TNTP networks") }
            if format == .geojson { throw CLIFailure.usage("--format geojson needs coordinates in degrees: use it on a Caravan dataset") }
            var problem = AssignmentProblem.tntp(net, tollFactor: tollFactor, distanceFactor: distanceFactor)
            if scale != 1 { for k in problem.classes.indices { problem.classes[k].demand = problem.classes[k].demand.map { ($0.origin, $0.destination, $0.amount * scale) } } }
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
                printOut(try encodeJSON(TNTPAssignOutput(network: net.name, algorithm: result.algorithm, relativeGap: result.relativeGap, iterations: result.iterations.count - 1,
                                                     beckmannObjective: result.objective, seconds: result.seconds, stopReason: result.stopReason,
                                                     convergence: result.iterations, reference: comparison,
                                                     links: (0..<net.linkCount).map { TNTPLinkFlow(from: Int(net.tail[$0]) + 1, to: Int(net.head[$0]) + 1, flow: result.linkFlow[$0], cost: result.linkCost[$0]) })))
            case .csv:
                printOut(([CSVWriter.line(["from", "to", "flow", "cost"])] + (0..<net.linkCount).map {
                    CSVWriter.line([String(net.tail[$0] + 1), String(net.head[$0] + 1), String(result.linkFlow[$0]), String(result.linkCost[$0])])
                }).joined(separator: "\n"))
            case .table, .geojson:   // geojson was refused above for TNTP networks
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
    /// Bisection, in log space, on a class's median value of time until the land volume the
    /// assignment gives equals the class's demand rows (which count `demand_share` of its market).
    static func fit(_ id: String, cmd: AssignCommand, network: CompiledNetwork, rows: [FreightDemand], ds: Dataset) throws {
        guard let ci = ds.freightClasses.firstIndex(where: { $0.id == id }) else {
            throw CLIFailure.usage("--fit-value-of-time: no freight class '\(TextInput.shown(id, limit: 40))': classes are \(ds.freightClasses.map(\.id).joined(separator: ", "))")
        }
        guard ds.freightClasses[ci].demandShare != nil else {
            throw CLIFailure.usage("--fit-value-of-time: class '\(id)' has no demand_share: its rows are its whole demand, so there is no land volume to match")
        }
        let target = landTarget(ci, rows: rows, ds: ds, scale: cmd.scale)
        func land(_ vot: Double) throws -> Double {
            var classes = ds.freightClasses
            classes[ci].valueOfTimeUSDPerDay = vot
            let model: FreightAssignmentModel
            do { model = try FreightAssignmentModel(network: network, demand: rows, scale: cmd.scale, classes: classes) } catch { throw CLIFailure.data(error.description) }
            let report = model.solve(stop: AssignmentStop(gap: cmd.gap, maxIterations: cmd.maxIterations, maxSeconds: cmd.maxSeconds), scenarios: [])
            return report.classes[ci].landTEU ?? 0
        }
        var lo = 0.1, hi = 100_000.0
        var landLo = try land(lo), landHi = try land(hi)
        printOut("fit value of time of '\(id)': target land volume \(Int(target.rounded())) TEU-equivalents/yr (its demand rows × \(cmd.scale))")
        printOut(String(format: "  %10.2f USD/day -> land %10.0f TEU/yr", lo, landLo))
        printOut(String(format: "  %10.2f USD/day -> land %10.0f TEU/yr", hi, landHi))
        guard landLo <= target, landHi >= target else {
            throw CLIFailure.noRoute("no value of time between \(lo) and \(hi) USD/day gives the target: land volume spans \(Int(landLo)) to \(Int(landHi)) TEU/yr")
        }
        for _ in 0..<30 where hi / lo > 1.001 {
            let mid = (lo * hi).squareRoot(), l = try land(mid)
            printOut(String(format: "  %10.2f USD/day -> land %10.0f TEU/yr", mid, l))
            if l < target { lo = mid; landLo = l } else { hi = mid; landHi = l }
        }
        let fitted = (lo * hi).squareRoot(), l = try land(fitted)
        printOut(String(format: "fitted: %.2f USD per unit per day (median); land volume %.0f TEU/yr, %+.2f%% from the target", fitted, l, (l / target - 1) * 100))
    }

    /// A market class's demand rows in TEU-equivalents, as the report counts land volume
    /// (tonnes / the class's tonnes per TEU), times the scale: what a fit makes the land volume equal.
    static func landTarget(_ ci: Int, rows: [FreightDemand], ds: Dataset, scale: Double) -> Double {
        let c = ds.freightClasses[ci], perUnit = c.teuPerUnit(ds.parameters)
        return rows.filter { $0.freightClass == c.id }.reduce(0) { $0 + $1.amountPerYear } * perUnit * scale
    }

    /// Bisection on the perceived risk the named measures add per TEU at their borders until the mean land
    /// volume, over the networks of the given dates, of the class with a demand_share equals its rows.
    /// One value for every measure named: a general parameter of the measures, not one per route.
    static func fitBorderRisk(_ list: String, cmd: AssignCommand, base: Dataset, rows: [FreightDemand], defaultDay: Day) throws {
        let ids = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw CLIFailure.usage("--fit-border-risk: give one or more measure ids, comma-separated (measures.csv)") }
        let measureIndex = try ids.map { id -> Int in
            guard let i = base.measures.firstIndex(where: { $0.id == id }) else {
                throw CLIFailure.usage("--fit-border-risk: no measure '\(TextInput.shown(id, limit: 40))' in measures.csv")
            }
            return i
        }
        var days: [Day] = []
        for text in (cmd.fitDates ?? defaultDay.description).split(separator: ",") {
            let t = text.trimmingCharacters(in: .whitespaces)
            guard let d = Day(iso: t) else { throw CLIFailure.usage("--fit-dates: '\(TextInput.shown(t, limit: 20))' is not a date: write YYYY-MM-DD[,YYYY-MM-DD…]") }
            days.append(d)
        }
        guard !days.isEmpty else { throw CLIFailure.usage("--fit-dates: give at least one date") }
        let shares = base.freightClasses.indices.filter { base.freightClasses[$0].demandShare != nil }
        guard shares.count == 1, let ci = shares.first else {
            throw CLIFailure.usage("--fit-border-risk needs exactly one freight class with a demand_share (it has \(shares.count))")
        }
        let id = base.freightClasses[ci].id, target = landTarget(ci, rows: rows, ds: base, scale: cmd.scale)
        func land(_ usd: Double) throws -> [Double] {
            var ds = base
            for i in measureIndex { ds.measures[i].borderRiskUSDPerTEU = usd }
            return try days.map { day in
                let model: FreightAssignmentModel
                do {
                    let priced = ds.averagingTariffIndex(over: cmd.rateWindow, endingOn: day)
                    model = try FreightAssignmentModel(network: CompiledNetwork(NetworkSnapshot(dataset: priced.withoutMeasuredQueues(), day: day)), demand: rows, scale: cmd.scale)
                } catch {
                    throw CLIFailure.data("\(error)")
                }
                let report = model.solve(stop: AssignmentStop(gap: cmd.gap, maxIterations: cmd.maxIterations, maxSeconds: cmd.maxSeconds), scenarios: [])
                return report.classes[ci].landTEU ?? 0
            }
        }
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
        func line(_ usd: Double, _ v: [Double]) -> String {
            String(format: "  %8.0f USD/TEU -> mean land %9.0f TEU/yr (", usd, mean(v)) + v.map { String(format: "%.0f", $0) }.joined(separator: ", ") + ")"
        }
        let current = measureIndex.map { base.measures[$0].borderRiskUSDPerTEU ?? 0 }
        printOut("fit the perceived border risk of \(ids.joined(separator: ", ")) (now \(current.map { String(format: "%.0f", $0) }.joined(separator: ", ")) USD/TEU)")
        printOut("  target: land volume of '\(id)' \(Int(target.rounded())) TEU-equivalents/yr (its demand rows × \(cmd.scale)), mean over \(days.map(\.description).joined(separator: ", "))")
        var lo = 0.0, hi = 50_000.0
        let vLo = try land(lo), vHi = try land(hi)
        printOut(line(lo, vLo)); printOut(line(hi, vHi))
        guard mean(vLo) >= target, mean(vHi) <= target else {
            throw CLIFailure.noRoute(String(format: "no border risk between 0 and 50,000 USD/TEU gives the target: the mean land volume spans %.0f to %.0f TEU/yr", mean(vHi), mean(vLo)))
        }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2, v = try land(mid)
            printOut(line(mid, v))
            if mean(v) > target { lo = mid } else { hi = mid }
        }
        let fitted = ((lo + hi) / 2).rounded(), v = try land(fitted)
        printOut(String(format: "fitted: risk_usd_teu %.0f at each border of the measures; mean land volume %.0f TEU/yr, %+.2f%% from the target", fitted, mean(v), (mean(v) / target - 1) * 100))
        for (d, x) in zip(days, v) { printOut(String(format: "  %@: land %.0f TEU/yr, %+.1f%% from the target", d.description, x, (x / target - 1) * 100)) }
    }

    /// Fits a market class's logit split (dispersion and land constant) to its published yearly
    /// land volumes: a grid over the dispersion, and for each a bisection on the land constant that
    /// zeroes the mean log error; then leave-one-year-out at the chosen dispersion.
    static func fitLogit(_ id: String, cmd: AssignCommand, base: Dataset, rows: [FreightDemand]) throws {
        guard let ci = base.freightClasses.firstIndex(where: { $0.id == id }) else {
            throw CLIFailure.usage("--fit-logit: no freight class '\(TextInput.shown(id, limit: 40))': classes are \(base.freightClasses.map(\.id).joined(separator: ", "))")
        }
        guard base.freightClasses[ci].logitScaleUSD != nil else {
            throw CLIFailure.usage("--fit-logit: class '\(id)' has no logit split: give it logit_usd and sea_alternative in freight_classes.csv (docs/data-format.md)")
        }
        let observed = base.modeVolumes.filter { $0.freightClass == id }.sorted { $0.year < $1.year }
        guard !observed.isEmpty else {
            throw CLIFailure.usage("--fit-logit: mode-volumes.csv has no row for '\(id)': add the class's published land volume for at least one year")
        }
        // One year identifies one parameter: the dispersion is held at the class's logit_usd.
        let held = observed.count == 1 ? base.freightClasses[ci].logitScaleUSD : nil
        // One network per year: 1 July, indexed tariffs at their calendar-year mean.
        let networks = observed.map { o -> CompiledNetwork in
            let mid = Day(year: o.year, month: 7, day: 1)!, end = Day(year: o.year, month: 12, day: 31)!
            return CompiledNetwork(NetworkSnapshot(dataset: base.averagingTariffIndex(over: 365, endingOn: end, appliedOn: mid).withoutMeasuredQueues(), day: mid))
        }
        let stop = AssignmentStop(gap: cmd.gap, maxIterations: cmd.maxIterations, maxSeconds: cmd.maxSeconds)
        func land(_ scale: Double, _ constant: Double, years: [Int]) throws -> [Double] {
            var classes = base.freightClasses
            classes[ci].logitScaleUSD = scale; classes[ci].landConstantUSD = constant
            return try years.map { y in
                let model: FreightAssignmentModel
                do { model = try FreightAssignmentModel(network: networks[y], demand: rows, classes: classes) } catch { throw CLIFailure.data("\(error)") }
                return model.solve(stop: stop, scenarios: []).classes[ci].landTEU ?? 0
            }
        }
        func logErrors(_ v: [Double], _ years: [Int]) -> [Double] { zip(v, years).map { Foundation.log(max($0, 1) / observed[$1].landTEU) } }
        func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(1, x.count)) }
        // The land constant at which the mean log error over `years` is 0 (land falls as it rises).
        func constant(_ scale: Double, years: [Int]) throws -> (Double, [Double]) {
            var lo = -20_000.0, hi = 60_000.0
            guard mean(logErrors(try land(scale, lo, years: years), years)) > 0, mean(logErrors(try land(scale, hi, years: years), years)) < 0 else {
                throw CLIFailure.noRoute(String(format: "--fit-logit: with logit_usd %.0f no land constant between %.0f and %.0f USD/TEU brings the mean log error to 0", scale, lo, hi))
            }
            for _ in 0..<40 where hi - lo > 10 {
                let mid = (lo + hi) / 2
                if mean(logErrors(try land(scale, mid, years: years), years)) > 0 { lo = mid } else { hi = mid }
            }
            let c = ((lo + hi) / 2).rounded()
            return (c, try land(scale, c, years: years))
        }
        let all = Array(observed.indices)
        printOut("fit the logit split of '\(id)' to \(observed.count) years of land volumes (mode-volumes.csv): " + observed.map { "\($0.year) \(Int($0.landTEU))" }.joined(separator: ", "))
        printOut("  each year: network on 1 July, indexed tariffs at their calendar-year mean; gap \(cmd.gap)")
        var best: (scale: Double, constant: Double, rms: Double, land: [Double])?
        if let held { printOut(String(format: "  one year only: logit_usd held at the class's %.0f; only the land constant is fitted, and no year is left to test it out of sample", held)) }
        for scale in held.map({ [$0] }) ?? [250.0, 500, 1000, 1500, 2000, 3000, 4000, 6000] {
            let (c, v) = try constant(scale, years: all)
            let e = logErrors(v, all), rms = mean(e.map { $0 * $0 }).squareRoot()
            printOut(String(format: "  logit_usd %5.0f: land_constant_usd %6.0f, rms log error %.3f (", scale, c, rms) + v.map { String(format: "%.0f", $0) }.joined(separator: ", ") + ")")
            if best == nil || rms < best!.rms { best = (scale, c, rms, v) }
        }
        guard let fit = best else { return }
        if held != nil {
            printOut(String(format: "fitted: land_constant_usd %.0f at the held logit_usd %.0f (one year: the fit is exact by construction)", fit.constant, fit.scale))
        } else {
            let logs = observed.map { Foundation.log($0.landTEU) }, meanLog = mean(logs)
            let flat = mean(logs.map { ($0 - meanLog) * ($0 - meanLog) }).squareRoot()
            printOut(String(format: "fitted: logit_usd %.0f, land_constant_usd %.0f (rms log error %.3f; a land share that ignores costs, the same every year, would give %.3f)", fit.scale, fit.constant, fit.rms, flat))
        }
        printOut(String(format: "  in logit units the land constant is %.2f: at equal generalised cost a shipper picks land with odds e^-%.2f = %.2f%%", fit.constant / fit.scale, fit.constant / fit.scale, 100 / (1 + Foundation.exp(fit.constant / fit.scale))))
        guard held == nil else {
            let o = observed[0]
            printOut(String(format: "  %d published %.0f, modelled %.0f (%+.1f%%)", o.year, o.landTEU, fit.land[0], (fit.land[0] / o.landTEU - 1) * 100))
            return
        }
        printOut("  year   published   modelled   error   leave-one-year-out (land constant refitted on the other years, logit_usd held)")
        var inSample: [Double] = [], outOfSample: [Double] = []
        for (i, o) in observed.enumerated() {
            let others = all.filter { $0 != i }
            let (c, _) = try constant(fit.scale, years: others)
            let held = try land(fit.scale, c, years: [i])[0]
            let err = fit.land[i] / o.landTEU - 1, loo = held / o.landTEU - 1
            inSample.append(abs(err)); outOfSample.append(abs(loo))
            printOut(String(format: "  %d %11.0f %10.0f %+6.1f%%   %10.0f %+6.1f%% (land_constant_usd %.0f)", o.year, o.landTEU, fit.land[i], err * 100, held, loo * 100, c))
        }
        printOut(String(format: "median absolute error: %.1f%% in sample, %.1f%% leaving each year out",
                        (Calibration.median(inSample) ?? 0) * 100, (Calibration.median(outOfSample) ?? 0) * 100))
    }

    static func run(_ cmd: AssignCommand) throws {
        if cmd.reference != nil { throw CLIFailure.usage("--reference compares with a TNTP best-known flow file: use it with a TNTP folder") }
        if cmd.tollFactor != 0 || cmd.distanceFactor != 0 { throw CLIFailure.usage("--toll-factor and --distance-factor apply to TNTP networks") }
        let prepared = try cmd.dataOptions.prepare()
        let ds = prepared.dataset.averagingTariffIndex(over: cmd.rateWindow, endingOn: prepared.day)
        let path = try cmd.demand ?? defaultDemand(cmd.dataOptions.folder)
        let rows: [FreightDemand]
        do { rows = try DemandReader.load(path: path, dataset: ds) } catch {
            throw CLIFailure.usage("the demand file is invalid:\n" + error.diagnostics.prefix(30).map { "  " + $0.description }.joined(separator: "\n"))
        }
        if [cmd.fitValueOfTime, cmd.fitBorderRisk, cmd.fitLogit].compactMap({ $0 }).count > 1 {
            throw CLIFailure.usage("--fit-value-of-time, --fit-border-risk and --fit-logit are separate fits: give one")
        }
        if let id = cmd.fitLogit {
            guard prepared.scenarios.isEmpty else { throw CLIFailure.usage("--fit-logit fits the dataset's own class: leave out --scenario") }
            if cmd.scale != 1 { throw CLIFailure.usage("--fit-logit compares with published volumes: leave out --scale") }
            // Each year is taken on 1 July at its calendar-year rates, so a date or window given would be ignored.
            if cmd.dataOptions.asOf != nil || cmd.rateWindow != 365 {
                throw CLIFailure.usage("--fit-logit takes each year's network on 1 July with the ocean rates of its calendar year: leave out --as-of and --rate-window")
            }
            return try fitLogit(id, cmd: cmd, base: prepared.dataset, rows: rows)
        }
        if let ids = cmd.fitBorderRisk {
            // Builds a network per date and trial value, priced there: no base network needed.
            guard prepared.scenarios.isEmpty else { throw CLIFailure.usage("--fit-border-risk fits the dataset's own measures: leave out --scenario") }
            return try fitBorderRisk(ids, cmd: cmd, base: prepared.dataset, rows: rows, defaultDay: prepared.day)
        }
        if cmd.fitDates != nil { throw CLIFailure.usage("--fit-dates goes with --fit-border-risk") }
        let network = CompiledNetwork(NetworkSnapshot(dataset: ds.withoutMeasuredQueues(), day: prepared.day))
        if let id = cmd.fitValueOfTime { return try fit(id, cmd: cmd, network: network, rows: rows, ds: ds) }
        let model: FreightAssignmentModel
        do { model = try FreightAssignmentModel(network: network, demand: rows, scale: cmd.scale) } catch { throw CLIFailure.data(error.description) }
        let bar = IterationLine(quiet: cmd.quiet, target: cmd.gap)
        let report = model.solve(cmd.algorithm, stop: AssignmentStop(gap: cmd.gap, maxIterations: cmd.maxIterations, maxSeconds: cmd.maxSeconds),
                                 scenarios: prepared.scenarios.map(\.name), progress: bar.update)
        bar.finish()
        switch cmd.format {
        case .json: printOut(try encodeJSON(report))
        case .csv:
            var lines = [CSVWriter.line(["link", "from", "to", "mode", "forward_teu", "backward_teu", "capacity_teu_per_year", "volume_capacity", "delay_days"])]
            for l in report.links {
                lines.append(CSVWriter.line([l.id, l.from, l.to, l.mode, fmt(l.forwardTEU), fmt(l.backwardTEU), l.capacityTEUPerYear.map(fmt) ?? "",
                                             l.volumeCapacityRatio.map { String(format: "%.4f", $0) } ?? "", String(format: "%.4f", l.delayDays)]))
            }
            printOut(lines.joined(separator: "\n"))
        case .geojson:
            let links = report.links.map { l -> (id: String, from: String, to: String, properties: GeoJSON.Object) in
                var p: GeoJSON.Object = ["mode": l.mode, "forward_teu": l.forwardTEU, "backward_teu": l.backwardTEU, "flow_teu": l.forwardTEU + l.backwardTEU, "delay_days": l.delayDays]
                if let c = l.capacityTEUPerYear { p["capacity_teu_per_year"] = c }
                if let r = l.volumeCapacityRatio { p["volume_capacity"] = r }
                return (l.id, l.from, l.to, p)
            }
            let places = report.places.map { p -> (id: String, properties: GeoJSON.Object) in
                (p.id, ["throughput_teu": p.throughputTEU, "capacity_teu_per_year": p.capacityTEUPerYear, "volume_capacity": p.volumeCapacityRatio, "delay_days": p.delayDays])
            }
            printOut(GeoJSON.serialize(GeoJSON.flows(links: links, places: places, dataset: ds)))
        case .table: printOut(table(report, ds: ds, demandFile: path, rateWindow: cmd.rateWindow))
        }
    }

    static func defaultDemand(_ folder: String) throws -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("demand-") && $0.hasSuffix(".csv") }.sorted()
        guard let last = names.last else { throw CLIFailure.usage("\(folder) has no demand-*.csv: give an O-D matrix with --demand FILE (format in docs/assignment.md)") }
        return (folder as NSString).appendingPathComponent(last)
    }

    static func fmt(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.3f", v) }

    static func table(_ r: FreightAssignmentReport, ds: Dataset, demandFile: String, rateWindow: Int) -> String {
        func k(_ v: Double) -> String { v >= 1e6 ? String(format: "%.2fM", v / 1e6) : v >= 1e4 ? String(format: "%.0fk", v / 1e3) : String(format: "%.0f", v) }
        var out: [String] = []
        let sc = r.scenarios.isEmpty ? "" : ", scenarios \(r.scenarios.joined(separator: " + "))"
        out.append("Freight assignment as of \(r.date)\(sc): demand \((demandFile as NSString).lastPathComponent) x \(fmt(r.scale))")
        if rateWindow > 1, !ds.tariffIndex.isEmpty {
            out.append("indexed tariffs (\(Set(ds.tariffIndex.map(\.linkClass)).sorted().joined(separator: ", "))) at their mean over the \(rateWindow) days to \(r.date) (--rate-window)")
        }
        out.append(String(format: "algorithm %@: relative gap %.2e after %d iterations, %.2f s (stopped by %@)", r.algorithm, r.relativeGap, r.iterations, r.seconds, r.stopReason))
        out.append("")
        let w = max(12, r.classes.map(\.id.count).max() ?? 0)
        out.append("Class".padding(toLength: w, withPad: " ", startingAt: 0) + " demand TEU/yr  assigned  unserved  mean days  mean USD/TEU")
        for c in r.classes {
            out.append(c.id.padding(toLength: w, withPad: " ", startingAt: 0) + " " + k(c.demandTEU).leftPad(13) + k(c.assignedTEU).leftPad(10) + k(c.unservedTEU).leftPad(10)
                       + String(format: "%.1f", c.meanDays).leftPad(11) + String(format: "%.0f", c.meanCostUSDPerTEU).leftPad(14))
        }
        // Every container (TEU) class together: the figure to compare across demand scales.
        let teu = r.classes.filter { c in ds.freightClasses.first { $0.id == c.id }?.unit == .teu }
        let assigned = teu.reduce(0) { $0 + $1.assignedTEU }
        if teu.count > 1, assigned > 0 {
            var line = String(format: "containers, all TEU classes: mean %.1f days", teu.reduce(0) { $0 + $1.assignedTEU * $1.meanDays } / assigned)
            let land = teu.reduce(0) { $0 + ($1.landTEU ?? 0) }
            if teu.allSatisfy({ $0.landTEU != nil }), land > 0 {
                line += String(format: " (land paths %.1f days, %@ TEU/yr)", teu.reduce(0) { $0 + ($1.landTEU ?? 0) * ($1.landMeanDays ?? 0) } / land, k(land))
            }
            out.append(line)
        }
        let split = r.classes.filter { $0.seaTEU != nil && ($0.demandShare != nil || ($0.seaTEU ?? 0) > 0) }
        if !split.isEmpty {
            out.append("")
            out.append("Mode split".padding(toLength: w, withPad: " ", startingAt: 0) + "  land TEU/yr   sea TEU/yr  sea share  land mean days  (sea: a logit class's sea alternative, else paths mostly on sea-going lines)")
            for c in split {
                let land = c.landTEU ?? 0, sea = c.seaTEU ?? 0
                out.append(c.id.padding(toLength: w, withPad: " ", startingAt: 0) + k(land).leftPad(14) + k(sea).leftPad(13)
                           + String(format: "%9.1f%%", land + sea > 0 ? sea / (land + sea) * 100 : 0) + String(format: "%16.1f", c.landMeanDays ?? 0))
            }
            // Say where the split's parameters come from: a fitted value says it is fitted.
            for c in split {
                guard let fc = ds.freightClasses.first(where: { $0.id == c.id }), let scale = fc.logitScaleUSD else { continue }
                out.append("  \(c.id): logit split against each pair's best sea route, dispersion \(Fmt.int(scale)) USD/TEU, land constant \(Fmt.int(fc.landConstantUSD)) USD/TEU (methods: \(fc.sources.filter { id in ds.sources.contains { $0.id == id && $0.kind == .estimate } }.joined(separator: ", ")))")
            }
        }
        out.append("")
        out.append("Corridor shares (TEU-equivalents)")
        for c in r.corridors {
            out.append("  " + c.name.padding(toLength: 40, withPad: " ", startingAt: 0) + k(c.teu).leftPad(9) + String(format: "%6.1f%%", c.share * 100))
        }
        if r.corridors.isEmpty { out.append("  (corridor shares need Algorithm B's origin flows: use --algorithm b)") }
        out.append("")
        out.append("Five worst bottlenecks (volume / capacity)")
        out.append("  element                                   flow TEU  capacity   v/c   delay d")
        for b in r.bottlenecks {
            let name = (b.kind == "place" ? b.name : "\(b.name) \(b.direction == "forward" ? "→" : "←")")
            out.append("  " + name.padding(toLength: 40, withPad: " ", startingAt: 0) + k(b.volumeTEU).leftPad(10) + k(b.capacityTEUPerYear).leftPad(10)
                       + String(format: "%6.2f", b.volumeCapacityRatio) + String(format: "%9.2f", b.delayDays))
        }
        if r.bottlenecks.isEmpty { out.append("  (no capacity-limited element carries flow)") }
        if !r.containerTerminals.isEmpty {
            out.append("")
            out.append("Container terminals (ports with a container and a tonnage capacity: TEU classes here, the others in the port's row)")
            out.append("  terminal                                  flow TEU  capacity   v/c   delay d")
            for t in r.containerTerminals {
                out.append("  " + t.name.padding(toLength: 40, withPad: " ", startingAt: 0) + k(t.throughputTEU).leftPad(10) + k(t.capacityTEUPerYear).leftPad(10)
                           + String(format: "%6.2f", t.volumeCapacityRatio) + String(format: "%9.2f", t.delayDays))
            }
        }
        if !r.truckDecks.isEmpty {
            // Trucks, not TEU-equivalents: the unit the ports count (truck_teu converts).
            let perTruck = ds.parameters.values[.truckTEU] ?? 1
            out.append("")
            out.append("Ferry truck decks (trucks a year)")
            out.append("  line                                        trucks  capacity   v/c   delay d")
            for b in r.truckDecks {
                let name = "\(b.name) \(b.direction == "forward" ? "→" : "←")"
                out.append("  " + name.padding(toLength: 40, withPad: " ", startingAt: 0) + k(b.volumeTEU / perTruck).leftPad(10) + k(b.capacityTEUPerYear / perTruck).leftPad(10)
                           + String(format: "%6.2f", b.volumeCapacityRatio) + String(format: "%9.2f", b.delayDays))
            }
        }
        if !r.unserved.isEmpty {
            out.append("")
            out.append("Unserved (no path for the class on this date): " + r.unserved.prefix(5).map { "\($0.origin)→\($0.destination) \($0.freightClass) \(k($0.teuPerYear))" }.joined(separator: "; ")
                       + (r.unserved.count > 5 ? "; …" : ""))
        }
        out.append("")
        out.append("Link flows: --format csv, json or geojson")
        return out.joined(separator: "\n")
    }
}

private extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
