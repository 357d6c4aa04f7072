import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine
import CaravanServer

extension Commodity: ExpressibleByArgument {}

enum EnergyFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv, geojson, lp }

/// Options shared by the energy subcommands.
struct EnergyOptions: ParsableArguments {
    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("Supply and demand year (default: the year of --as-of, or this year). Rows of earlier years carry forward.", valueName: "YYYY"))
    var year: Int?
    @Option(help: "Only this commodity: crude_oil, natural_gas or electricity.") var commodity: Commodity?

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
        if let commodity { data.assets = data.assets.filter { $0.commodity == commodity }; data.supplies = data.supplies.filter { $0.commodity == commodity }; data.demands = data.demands.filter { $0.commodity == commodity } }
        let model = EnergyFlowModel(data: data, day: prepared.day, year: y, places: ds.places)
        return (model.solve(scenarios: prepared.scenarios.map(\.name)), ds, model)
    }
}

struct EnergyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "energy", abstract: "Oil, gas and power flows over the energy corridors.",
                                                    subcommands: [Flows.self, Bottlenecks.self])

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
            let eu = euDelivered(r, ds, c.commodity)
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

    /// Deliveries to markets in EU member states on the date.
    static func euDelivered(_ r: EnergyFlowReport, _ ds: Dataset, _ c: Commodity) -> Double {
        guard let day = Day(iso: r.date) else { return 0 }
        let members = Set(ds.memberships.filter { $0.org == "EU" && $0.role == .member && $0.validity.contains(day) }.map(\.country))
        func country(_ id: String) -> String? { ds.place(id)?.country ?? ds.energy.place(id)?.country }
        return r.markets.filter { $0.commodity == c && country($0.place).map(members.contains) == true }.reduce(0) { $0 + $1.served }
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
