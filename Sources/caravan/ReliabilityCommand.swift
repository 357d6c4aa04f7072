import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

struct ReliabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reliability",
        abstract: "Transit-time distribution (p50, p90, p95), the chance to meet a deadline, and the routes that are best by reliability.")
    @Argument(help: "Origin: place id, name or alias.") var from: String
    @Argument(help: "Destination: place id, name or alias.") var to: String
    @Option(help: "Deadline in days: report the probability of arriving within it.") var deadline: Double?
    @Option(help: "Monte Carlo samples per route.") var samples: Int = 100_000
    @Option(help: "Random seed; the same seed gives the same result on any machine.") var seed: UInt64 = 1
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var cargoOptions: CargoOptions
    @Option(help: formatHelp()) var format: TableJSONOrCSV = .table

    func run() throws {
        try guarded {
            guard samples >= 100, samples <= 2_000_000 else { throw CLIFailure.usage("--samples must be between 100 and 2,000,000 per route") }
            if let deadline, !(deadline > 0 && deadline <= 3650) { throw CLIFailure.usage("--deadline must be above 0 and at most 3650 days, got \(deadline)") }
            let prep = try dataOptions.prepare()
            let (ds, o, d) = try routingDataset(prep, cargoOptions, from: from, to: to, folder: dataOptions.folder)
            let cargo = try cargoOptions.cargoValue(), weights = try cargoOptions.weights(ds.parameters)
            let engine = RouteEngine(dataset: ds, day: prep.day)
            guard let result = engine.reliability(from: o, to: d, cargo: cargo, weights: weights, deadline: deadline, samples: samples, seed: seed) else {
                throw CLIFailure.noRoute("no route from \(ds.places[o].name) to \(ds.places[d].name): " + engine.explainNoRoute(from: o, to: d))
            }
            switch format {
            case .json: printOut(try encodeJSON(result))
            case .csv:
                var lines = [CSVWriter.line(["route", "corridor", "days_model", "mean", "p50", "p90", "p95", "p_within_deadline", "usd", "p90_generalised_usd"])]
                for (i, c) in result.candidates.enumerated() {
                    let dd = c.distribution
                    lines.append(CSVWriter.line([String(i + 1), c.route.corridor ?? "mixed", Fmt.dec(c.route.totals.days, 2), Fmt.dec(dd.mean, 2), Fmt.dec(dd.p50, 2),
                                                 Fmt.dec(dd.p90, 2), Fmt.dec(dd.p95, 2), dd.probabilityWithinDeadline.map { Fmt.dec($0, 4) } ?? "",
                                                 Fmt.dec(c.route.totals.usd, 2), Fmt.dec(c.p90GeneralisedCostUSD, 2)]))
                }
                printOut(lines.joined(separator: "\n"))
            case .table:
                let dist = result.fastestMean.distribution
                printOut("\(ds.places[o].name) → \(ds.places[d].name) as of \(prep.day); \(samples) samples per route, seed \(seed)")
                printOut("fastest mean route: \(result.fastestMean.route.corridor ?? "mixed") via \(RouteText.via(result.fastestMean.route, ds).prefix(6).joined(separator: ", "))")
                printOut(String(format: "  mean %.1f ± %.2f   p50 %.1f   p90 %.1f   p95 %.1f days (min %.1f, max %.1f)", dist.mean, dist.meanStandardError, dist.p50, dist.p90, dist.p95, dist.min, dist.max))
                if let p = dist.probabilityWithinDeadline, let deadline { printOut(String(format: "  P(within %.1f days) = %.1f%% ± %.1f", deadline, p * 100, (dist.probabilityStandardError ?? 0) * 100)) }
                printOut(Self.histogram(dist, deadline: deadline))
                var t = TextTable([("corridor", .left, 15), ("mean", .right, 5), ("p50", .right, 5), ("p90", .right, 5), ("p95", .right, 5), ("on time", .right, 7), ("USD", .right, 7), ("p90 gen.USD", .right, 11)])
                for c in result.candidates.sorted(by: { $0.distribution.mean < $1.distribution.mean }) {
                    let dd = c.distribution
                    t.add([c.route.corridor ?? "mixed", Fmt.days(dd.mean), Fmt.days(dd.p50), Fmt.days(dd.p90), Fmt.days(dd.p95),
                           dd.probabilityWithinDeadline.map { Fmt.dec($0 * 100, 1) + "%" } ?? "-", Fmt.int(c.route.totals.usd), Fmt.int(c.p90GeneralisedCostUSD)])
                }
                printOut("\ncandidate routes (best, Pareto set, best per corridor):\n" + t.render())
                if let ot = result.mostLikelyOnTime { printOut("most likely on time: \(ot.route.corridor ?? "mixed") (\(Fmt.dec((ot.distribution.probabilityWithinDeadline ?? 0) * 100, 1))%)") }
                printOut("lowest p90-based generalised cost: \(result.lowestP90Cost.route.corridor ?? "mixed") (\(Fmt.int(result.lowestP90Cost.p90GeneralisedCostUSD)) USD)")
                printOut(RouteText.spreadNote(ds, what: "these figures"))
            }
        }
    }

    /// A text histogram of the fastest route's distribution, one row per bin.
    static func histogram(_ d: TransitDistribution, deadline: Double?) -> String {
        let peak = max(1, d.histogram.max() ?? 1)
        var rows: [String] = []
        for (i, c) in d.histogram.enumerated() {
            let lo = d.histogramStart + Double(i) * d.histogramWidth
            let bar = String(repeating: "█", count: Int((Double(c) / Double(peak) * 50).rounded()))
            let mark = deadline.map { $0 >= lo && $0 < lo + d.histogramWidth ? " ◀ deadline" : "" } ?? ""
            rows.append(String(format: "  %6.1f │", lo) + bar + mark)
        }
        return rows.joined(separator: "\n")
    }
}
