import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine
import CaravanServer

extension Commodity: ExpressibleByArgument {}
extension EnergyFlowModel.DemandBasis: ExpressibleByArgument {}

enum EnergyFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv, geojson, lp }

/// Options shared by the energy subcommands.
struct EnergyOptions: ParsableArguments {
    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("Supply and demand year (default: the year of --as-of, or this year). Rows of earlier years carry forward.", valueName: "YYYY"))
    var year: Int?
    @Option(help: "Only this commodity: crude_oil, natural_gas or electricity.") var commodity: Commodity?
    @Option(name: .customLong("demand-basis"), help: "published: markets demand their rows in energy-demand.csv; contracts: markets with contracts in force (energy-contracts.csv) demand those instead, take-or-pay first.")
    var demandBasis: EnergyFlowModel.DemandBasis = .published

    /// The solved report, with the dataset it was computed on.
    func run() throws -> (EnergyFlowReport, Dataset, EnergyFlowModel) {
        if let year, !(1900...2100).contains(year) { throw CLIFailure.usage("--year: \(year) is out of range; give a year such as 2024") }
        if TNTPReader.isTNTPFolder(dataOptions.folder) { throw CLIFailure.usage("energy flows need a Caravan dataset with an energy/ folder, not a TNTP network") }
        var options = dataOptions
        if options.asOf == nil, let year { options.asOf = String(format: "%04d-07-01", year) }
        let prepared = try options.prepare()
        let ds = prepared.dataset
        guard !ds.energy.assets.isEmpty else { throw CLIFailure.data("\(dataOptions.folder) has no energy/ folder with energy-assets.csv (see docs/energy.md)") }
        let missing = EnergyData.parameterKeys.map(\.key).filter { ds.energy.parameters[$0] == nil }
        if !missing.isEmpty { throw CLIFailure.data("energy/energy-parameters.csv lacks \(missing.joined(separator: ", "))") }
        let y = year ?? prepared.day.components.year
        var data = ds.energy
        if let commodity { data.assets = data.assets.filter { $0.commodity == commodity }; data.supplies = data.supplies.filter { $0.commodity == commodity }; data.demands = data.demands.filter { $0.commodity == commodity }; data.contracts = data.contracts.filter { $0.commodity == commodity } }
        var model = EnergyFlowModel(data: data, day: prepared.day, year: y, places: ds.places)
        model.basis = demandBasis
        return (model.solve(scenarios: prepared.scenarios.map(\.name)), ds, model)
    }
}

struct EnergyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "energy", abstract: "Oil, gas and power flows over the energy corridors.",
                                                    subcommands: [Flows.self, Bottlenecks.self, History.self])

    struct Flows: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "flows",
            abstract: "Least-cost flows from supplies to markets under capacities: served and unmet demand, utilisation, binding assets.")
        @OptionGroup var options: EnergyOptions
        @Option(help: "Output: table, json, csv, geojson, or lp (the linear programs, for an external solver).") var format: EnergyFormat = .table

        func run() throws {
            try guarded {
                let (report, ds, model) = try options.run()
                switch format {
                case .json: printOut(try encodeJSON(report))
                case .csv: printOut(EnergyOutput.csv(report.assets))
                case .geojson: printOut(GeoJSON.serialize(EnergyGeoJSON.make(report, ds)))
                case .lp: printOut(EnergyOutput.lpJSON(model))
                case .table: printOut(EnergyOutput.table(report, ds))
                }
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history",
            abstract: "Published annual volumes (energy-observed.csv) beside the model's, year by year, with the error.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Only this commodity: crude_oil, natural_gas or electricity.") var commodity: Commodity?
        @Option(help: ArgumentHelp("First year (default: the first observed).", valueName: "YYYY")) var from: Int?
        @Option(help: ArgumentHelp("Last year (default: the last observed).", valueName: "YYYY")) var to: Int?
        @Option(help: formatHelp()) var format: TableJSONOrCSV = .table

        func validate() throws {
            for y in [from, to].compactMap({ $0 }) where !(1900...2100).contains(y) { throw ValidationError("years must be between 1900 and 2100, got \(y)") }
            if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
        }

        func run() throws {
            try guarded {
                if dataOptions.asOf != nil { throw CLIFailure.usage("energy history solves each year as a whole (assets in service during it, capacities averaged over it): leave out --as-of") }
                let prepared = try dataOptions.prepare(), ds = prepared.dataset
                guard !ds.energy.observations.isEmpty else { throw CLIFailure.data("\(dataOptions.folder) has no energy/energy-observed.csv rows (see docs/energy.md)") }
                let rows = EnergyHistory.compare(ds, commodity: commodity, years: (from ?? 1900)...(to ?? 2100), scenarios: prepared.scenarios.map(\.name))
                switch format {
                case .json: printOut(try encodeJSON(rows))
                case .csv:
                    printOut(([CSVWriter.line(["year", "commodity", "what", "unit", "published", "modelled", "error_pct", "modelled_contracts", "contracts_error_pct", "supplies_of", "check", "source"])] + rows.map {
                        CSVWriter.line([String($0.year), $0.commodity.rawValue, $0.what, $0.unit, Fmt.dec($0.published, 3), Fmt.dec($0.modelled, 3),
                                        $0.errorPercent.map { Fmt.dec($0, 1) } ?? "", $0.modelledFromContracts.map { Fmt.dec($0, 3) } ?? "",
                                        $0.contractsErrorPercent.map { Fmt.dec($0, 1) } ?? "", $0.suppliesOf.map(String.init) ?? "", $0.independent ? "independent" : "input", $0.sources.joined(separator: ";")])
                    }).joined(separator: "\n"))
                case .table:
                    var t = TextTable([("year", .left, 4), ("commodity", .left, 11), ("what", .left, 26), ("published", .right, 9), ("modelled", .right, 9),
                                       ("err%", .right, 6), ("contracts", .right, 9), ("err%", .right, 6), ("unit", .left, 6), ("supplies", .left, 8), ("check", .left, 11)])
                    for r in rows {
                        t.add([String(r.year), r.commodity.rawValue, r.what, Fmt.dec(r.published, 2), Fmt.dec(r.modelled, 2), r.errorPercent.map { Fmt.dec($0, 0) } ?? "-",
                               r.modelledFromContracts.map { Fmt.dec($0, 2) } ?? "-", r.contractsErrorPercent.map { Fmt.dec($0, 0) } ?? "-", r.unit,
                               r.suppliesOf.map { $0 == r.year ? "of year" : "of \($0)" } ?? "none", r.independent ? "independent" : "input"])
                    }
                    let within = rows.filter { abs($0.errorPercent ?? .infinity) <= 10 }.count, none = rows.filter { $0.suppliesOf == nil }.count
                    let independent = rows.filter(\.independent), independentWithin = independent.filter { abs($0.errorPercent ?? .infinity) <= 10 }.count
                    let withContracts = rows.filter { $0.modelledFromContracts != nil }
                    let contractsWithin = withContracts.filter { abs($0.contractsErrorPercent ?? .infinity) <= 10 }.count
                    printOut(t.render() + "\n\(rows.count) published volumes; \(within) modelled within 10%; \(independent.count) independent checks, \(independentWithin) of them within 10%"
                             + (withContracts.isEmpty ? "" : "; with the contract basis \(contractsWithin) of \(withContracts.count) within 10%")
                             + (none > 0 ? "; \(none) in years before the data's first supply row (supplies: none), where nothing can flow" : "")
                             + "\nmodelled: demand = the rows of energy-demand.csv; contracts: markets with contracts in force demand them instead (take-or-pay first)"
                             + "\nsupplies: the year of the supply rows used (earlier rows carry forward)"
                             + "\ncheck: input = a demand row used for it cites the same source (or its supply cap binds at the published figure), so agreement shows only that the network carried it")
                }
            }
        }
    }

    struct Bottlenecks: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bottlenecks",
            abstract: "Binding capacities, ranked by the value of one more unit of capacity, and where demand goes unmet.")
        @OptionGroup var options: EnergyOptions
        @Option(help: formatHelp()) var format: TableJSONOrCSV = .table

        func run() throws {
            try guarded {
                let (report, _, _) = try options.run()
                switch format {
                case .json: printOut(try encodeJSON(report.bottlenecks))
                case .csv: printOut(EnergyOutput.csv(report.bottlenecks))
                case .table: printOut(EnergyOutput.bottleneckTable(report))
                }
            }
        }
    }
}

func num(_ v: Double) -> String { String(format: "%.4g", abs(v) < 5e-10 ? 0 : v) }

enum EnergyOutput {
    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? String(s.prefix(n)) : s.padding(toLength: n, withPad: " ", startingAt: 0) }
    static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    static func money(_ usd: Double) -> String {
        let a = abs(usd)
        return a >= 1e9 ? String(format: "%.2f bn", usd / 1e9) : a >= 1e6 ? String(format: "%.1f M", usd / 1e6) : String(format: "%.0f", usd)
    }

    static func table(_ r: EnergyFlowReport, _ ds: Dataset) -> String {
        var out: [String] = []
        let sc = r.scenarios.isEmpty ? "" : ", scenarios \(r.scenarios.joined(separator: " + "))"
        out.append("Energy flows as of \(r.date), supply and demand of \(r.year)\(sc)")
        for c in r.commodities {
            out.append("")
            out.append("\(c.commodity.rawValue) (\(c.unit)): supplied \(num(c.supplied)), delivered \(num(c.delivered)), unmet demand \(num(c.unmetDemand)); net value \(money(c.netValueUSD)) USD/yr [\(c.status.rawValue)]")
            let eu = EnergyHistory.servedAtEUMembers(r, ds, c.commodity)
            if eu > 0 { out.append("  reaching EU members: \(num(eu)) \(c.unit)") }
            out.append("  asset                                    capacity      flow  use%  marginal USD/unit")
            for a in r.assets where a.commodity == c.commodity && !a.id.hasPrefix("conn-") {
                let cap = a.capacity.map(num) ?? "open"
                let use = a.utilisation.map { String(format: "%.0f", $0 * 100) } ?? ""
                out.append("  " + pad(a.name, 38) + lpad(cap, 10) + lpad(num(max(a.flow, a.reverseFlow)), 10) + lpad(use, 6) + lpad(a.binding ? money(a.marginalValueUSD) : "", 19))
            }
            let markets = r.markets.filter { $0.commodity == c.commodity }
            if !markets.isEmpty {
                out.append("  market                                     demand    served     unmet")
                for m in markets {
                    out.append("  " + pad(m.name, 40) + lpad(m.demand.map(num) ?? "open", 9) + lpad(num(m.served), 10) + lpad(m.demand == nil ? "" : num(m.unmet), 10))
                }
            }
        }
        if !r.bottlenecks.isEmpty {
            out.append("")
            out.append("Binding: " + r.bottlenecks.prefix(5).map { "\($0.id) (\(money($0.marginalValueUSD)) USD per \($0.unit) of capacity)" }.joined(separator: ", "))
        }
        let closed = r.unavailable.keys.sorted().filter { !$0.hasPrefix("conn-") }
        if !closed.isEmpty {
            out.append("Not in service on \(r.date): " + closed.map { "\($0) (\(r.unavailable[$0]!))" }.joined(separator: "; "))
        }
        return out.joined(separator: "\n")
    }

    /// One CSV row per asset (flows and bottlenecks share the columns).
    static func csv(_ assets: [EnergyAssetFlow]) -> String {
        var lines = [CSVWriter.line(["asset", "commodity", "unit", "from", "to", "capacity", "flow", "reverse_flow", "utilisation", "binding", "marginal_value_usd"])]
        for a in assets {
            lines.append(CSVWriter.line([a.id, a.commodity.rawValue, a.unit, a.from, a.to, a.capacity.map(num) ?? "", num(a.flow), num(a.reverseFlow),
                                         a.utilisation.map { String(format: "%.4f", $0) } ?? "", a.binding ? "yes" : "no", String(format: "%.0f", a.marginalValueUSD)]))
        }
        return lines.joined(separator: "\n")
    }

    static func bottleneckTable(_ r: EnergyFlowReport) -> String {
        var out = ["Binding energy capacities as of \(r.date) (year \(r.year)), most valuable first"]
        out.append("asset                                    commodity     capacity       flow   USD per unit/yr")
        for b in r.bottlenecks {
            out.append(pad(b.name, 40) + " " + pad(b.commodity.rawValue, 12) + lpad(b.capacity.map(num) ?? "open", 10) + lpad(num(max(b.flow, b.reverseFlow)), 11)
                       + lpad(money(b.marginalValueUSD), 18))
        }
        if r.bottlenecks.isEmpty { out.append("(no capacity binds: supply or demand limits every flow)") }
        let unmet = r.markets.filter { $0.unmet > 1e-9 }
        if !unmet.isEmpty {
            out.append("")
            out.append("Unmet demand: " + unmet.map { "\($0.name) \(num($0.unmet)) \($0.commodity.unit)" }.joined(separator: "; "))
        }
        return out.joined(separator: "\n")
    }

    /// The linear program of each commodity as JSON (min c·x, A_eq x = b_eq, A_ub x <= b_ub, x >= 0),
    /// with Caravan's optimum, for checking with an external solver (tools/check_energy_lp.py).
    static func lpJSON(_ model: EnergyFlowModel) -> String {
        var problems: [[String: Any]] = []
        for c in Commodity.allCases {
            let p = model.problem(c)
            guard !p.variables.isEmpty else { continue }
            problems.append(p.lp.jsonObject(name: c.rawValue))
        }
        let data = (try? JSONSerialization.data(withJSONObject: ["problems": problems], options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

}
