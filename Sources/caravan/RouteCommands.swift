import ArgumentParser
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "route", abstract: "The best route from A to B, leg by leg, with its Pareto alternatives.")

    @Argument(help: "Origin: place id, name or alias, a city, or LAT,LON.") var from: String?
    @Argument(help: "Destination: place id, name or alias, a city, or LAT,LON.") var to: String?
    @Option(help: ArgumentHelp("Batch: a CSV of origin,destination rows instead of FROM TO (one output row per pair).", valueName: "FILE")) var pairs: String?
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var cargoOptions: CargoOptions
    @Option(help: "Restrict to one corridor (id from `caravan compare`).") var corridor: String?
    @Option(help: ArgumentHelp("Network places the route must pass, in order, comma-separated (e.g. kuryk,alat). The Pareto alternatives ignore it.", valueName: "LIST"))
    var via: String?
    @Option(help: "How many Pareto alternatives to print in the table (JSON has all).") var alternatives: Int = 8
    @Option(help: formatHelp()) var format: OutputFormat = .table

    func validate() throws {
        guard (0...1000).contains(alternatives) else { throw ValidationError("--alternatives must be between 0 and 1000") }
        if via != nil && pairs != nil { throw ValidationError("--via applies to one route: give FROM TO, not --pairs") }
        try checkEndpoints(from, to, pairs)
    }

    func run() throws {
        try guarded {
            let prep = try dataOptions.prepare()
            let day = prep.day
            if let pairs {
                return try BatchRunner.run(pairsFile: pairs, prep: prep, cargo: cargoOptions, folder: dataOptions.folder, format: format,
                                           compare: Self.configuration.commandName == "compare")
            }
            let (ds, o, d) = try routingDataset(prep, cargoOptions, from: from ?? "", to: to ?? "", folder: dataOptions.folder)
            if let corridor, ds.corridor(corridor) == nil {
                throw CLIFailure.usage("unknown corridor '\(corridor)'; corridors: \(ds.corridors.map(\.id).joined(separator: ", "))")
            }
            let cargo = try cargoOptions.cargoValue(), weights = try cargoOptions.weights(ds.parameters)
            let engine = RouteEngine(dataset: ds, day: day)
            let viaPlaces = try (via ?? "").split(separator: ",").map { name -> Int in
                let q = name.trimmingCharacters(in: .whitespaces)
                switch EndpointResolver(places: ds.places, gazetteer: nil).resolve(q) {
                case .found(.place(let i), _): return i
                default: throw CLIFailure.usage("--via: '\(TextInput.shown(q, limit: 40))' is not a network place (see `caravan places`)")
                }
            }
            guard let best = engine.best(from: o, via: viaPlaces, to: d, cargo: cargo, weights: weights, corridor: corridor).map(prep.annotate) else {
                throw CLIFailure.noRoute("no route from \(ds.places[o].name) to \(ds.places[d].name)" + (viaPlaces.isEmpty ? "" : " via \(via ?? "")")
                                         + (corridor.map { " in corridor \($0) (\(engine.explainMissingCorridor($0, from: o, to: d)))" } ?? "")
                                         + ": " + engine.explainNoRoute(from: o, to: d))
            }
            let pareto = engine.pareto(from: o, to: d, cargo: cargo, weights: weights, corridor: corridor).map(prep.annotate)
            let query = QueryEcho(from: ds.places[o].id, to: ds.places[d].id, asOf: day, cargo: cargo, weights: weights, dataset: ds.name, corridor: corridor,
                                  scenarios: prep.scenarios.map(\.name), scenarioEdits: prep.edits)
            // A block train's time is not what a few wagons or containers get on 1520 mm lines: when the best
            // route has such legs, say what the same query takes as a consignment. (`ds` already carries
            // the crew and modes; the options only switch the service.)
            var consignment: Route?
            if format == .table || format == .json, ds.railService == .block,
               best.legs.contains(where: { $0.mode == .rail && $0.links.contains { ds.link($0)?.gauge == .russian } }),
               let cds = try? RouteOptions(service: .consignment).apply(to: ds).get() {
                consignment = RouteEngine(dataset: cds, day: day).best(from: o, via: viaPlaces, to: d, cargo: cargo, weights: weights, corridor: corridor)
            }
            switch format {
            case .json: printOut(try encodeJSON(RouteOutput(query: query, best: best, pareto: pareto, consignmentDays: consignment?.totals.days)))
            case .geojson: printOut(GeoJSON.serialize(GeoJSON.routes([best] + pareto, dataset: ds)))
            case .csv: printOut(RouteText.csv([("best", best)] + pareto.enumerated().map { ("pareto-\($0.offset + 1)", $0.element) }))
            case .table:
                printOut(RouteText.header(query, ds))
                printOut(RouteText.steps(best, ds))
                if let c = consignment, let perDay = ds.parameters.values[.rail1520ConsignmentKmPerDay] {
                    printOut(RouteText.wrap("as a consignment: \(Fmt.days(c.totals.days)) days (wagons or containers in general freight trains, not a block train of your own: --service consignment, 1520 mm legs at \(Fmt.int(perDay)) km a day)"))
                }
                printOut(RouteText.edits(best, prep.edits))
                printOut(RouteText.pareto(pareto, ds, limit: alternatives))
            }
        }
    }
}

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "The best route of each corridor from A to B, side by side.")

    @Argument(help: "Origin: place id, name or alias, a city, or LAT,LON.") var from: String?
    @Argument(help: "Destination: place id, name or alias, a city, or LAT,LON.") var to: String?
    @Option(help: ArgumentHelp("Batch: a CSV of origin,destination rows instead of FROM TO (one output row per pair).", valueName: "FILE")) var pairs: String?
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var cargoOptions: CargoOptions
    @Option(help: "Monte Carlo samples for the p50 and p90 columns.") var samples: Int = 20_000
    @Option(help: "Random seed for the p50 and p90 columns.") var seed: UInt64 = 1
    @Option(help: formatHelp()) var format: OutputFormat = .table
    func validate() throws { try checkEndpoints(from, to, pairs) }

    func run() throws {
        try guarded {
            guard samples >= 100, samples <= 1_000_000 else { throw CLIFailure.usage("--samples must be between 100 and 1,000,000") }
            let prep = try dataOptions.prepare()
            let day = prep.day
            if let pairs {
                return try BatchRunner.run(pairsFile: pairs, prep: prep, cargo: cargoOptions, folder: dataOptions.folder, format: format,
                                           compare: Self.configuration.commandName == "compare")
            }
            let (ds, o, d) = try routingDataset(prep, cargoOptions, from: from ?? "", to: to ?? "", folder: dataOptions.folder)
            let cargo = try cargoOptions.cargoValue(), weights = try cargoOptions.weights(ds.parameters)
            let engine = RouteEngine(dataset: ds, day: day)
            let best = engine.best(from: o, to: d, cargo: cargo, weights: weights).map(prep.annotate)
            let rows = engine.compare(from: o, to: d, cargo: cargo, weights: weights).map { r in
                var r = r
                r.route = r.route.map(prep.annotate)
                if let route = r.route {
                    let dist = engine.percentiles(of: route, samples: samples, seed: seed)
                    r.p50Days = dist.p50; r.p90Days = dist.p90
                }
                return r
            }
            let query = QueryEcho(from: ds.places[o].id, to: ds.places[d].id, asOf: day, cargo: cargo, weights: weights, dataset: ds.name, corridor: nil,
                                  scenarios: prep.scenarios.map(\.name), scenarioEdits: prep.edits)
            switch format {
            case .json: printOut(try encodeJSON(CompareOutput(query: query, best: best, corridors: rows)))
            case .geojson: printOut(GeoJSON.serialize(GeoJSON.routes(rows.compactMap(\.route), dataset: ds)))
            case .csv:
                var lines = [CSVWriter.line(["corridor", "name", "days", "p50_days", "p90_days", "usd", "co2e_kg", "km", "border_crossings", "generalised_usd", "via", "reason"])]
                for r in rows {
                    if let t = r.route?.totals, let route = r.route {
                        lines.append(CSVWriter.line([r.corridor, r.name, Fmt.dec(t.days, 3), Fmt.dec(r.p50Days ?? 0, 3), Fmt.dec(r.p90Days ?? 0, 3), Fmt.dec(t.usd, 2), Fmt.dec(t.co2eKg, 1), Fmt.dec(t.km, 1),
                                                     String(t.borderCrossings), Fmt.dec(t.generalisedCostUSD, 2), RouteText.via(route, ds).joined(separator: ";"), ""]))
                    } else { lines.append(CSVWriter.line([r.corridor, r.name, "", "", "", "", "", "", "", "", "", r.reason ?? ""])) }
                }
                printOut(lines.joined(separator: "\n"))
            case .table:
                guard best != nil else {
                    throw CLIFailure.noRoute("no route from \(ds.places[o].name) to \(ds.places[d].name): " + engine.explainNoRoute(from: o, to: d))
                }
                printOut(RouteText.header(query, ds))
                var t = TextTable([("corridor", .left, 15), ("days", .right, 5), ("p50", .right, 5), ("p90", .right, 5), ("USD", .right, 6), ("kgCO2e", .right, 6), ("brd", .right, 3), ("via", .left, 25)])
                for r in rows {
                    if let route = r.route {
                        let tt = route.totals
                        t.add([r.corridor, Fmt.days(tt.days), r.p50Days.map(Fmt.days) ?? "-", r.p90Days.map(Fmt.days) ?? "-", Fmt.int(tt.usd), Fmt.int(tt.co2eKg),
                               String(tt.borderCrossings), RouteText.via(route, ds).joined(separator: ", ")])
                    } else { t.add([r.corridor, "-", "-", "-", "-", "-", "-", "no route: " + (r.reason ?? "")]) }
                }
                printOut(t.render())
                if let best { printOut("best overall: \(best.corridor ?? best.corridorName), \(Fmt.days(best.totals.days)) days, \(Fmt.int(best.totals.usd)) USD, generalised \(Fmt.int(best.totals.generalisedCostUSD)) USD") }
                for r in rows { for w in r.route?.warnings ?? [] { printOut(RouteText.wrap("warning: \(r.corridor): \(w)")) } }
                if let best, best.corridor == nil { for w in best.warnings { printOut(RouteText.wrap("warning: best overall: \(w)")) } }
                printOut(RouteText.spreadNote(ds))
            }
        }
    }
}

/// FROM and TO, or --pairs FILE: one of the two.
func checkEndpoints(_ from: String?, _ to: String?, _ pairs: String?) throws {
    if pairs != nil && (from != nil || to != nil) { throw ValidationError("give FROM TO or --pairs FILE, not both") }
    if pairs == nil && (from == nil || to == nil) { throw ValidationError("give FROM and TO (or --pairs FILE for a batch)") }
}

/// The inputs of a query, echoed in JSON output so results are reproducible.
struct QueryEcho: Codable {
    var from: String
    var to: String
    var asOf: Day
    var cargo: Cargo
    var weights: CostWeights
    var dataset: String
    var corridor: String?
    var scenarios: [String] = []
    var scenarioEdits: [AppliedEdit] = []
}

struct RouteOutput: Codable {
    var query: QueryEcho; var best: Route; var pareto: [Route]
    /// Days of the best route as a consignment (`--service consignment`), when the block-train answer has 1520 mm legs.
    var consignmentDays: Double?
}
struct CompareOutput: Codable { var query: QueryEcho; var best: Route?; var corridors: [CorridorResult] }

enum RouteText {
    /// Wraps a note at 80 columns, continuation lines indented.
    static func wrap(_ text: String, width: Int = 80) -> String {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "  " }
            line += (line.isEmpty || line == "  " ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    static func name(_ id: String, _ ds: Dataset) -> String { ds.place(id)?.name ?? id }

    static func header(_ q: QueryEcho, _ ds: Dataset) -> String {
        let cargo: String
        switch q.cargo.unit {
        case .tonnes: cargo = "\(Fmt.dec(q.cargo.quantity, 1)) t general cargo"
        case .teu, .feu: cargo = "1 \(q.cargo.unit.rawValue.uppercased()), \(Fmt.dec(q.cargo.tonnes(ds.parameters), 1)) t"
        case .truck: cargo = "1 truck (\(Fmt.dec(q.cargo.teuEquivalents(ds.parameters), 1)) TEU-equivalents), \(Fmt.dec(q.cargo.tonnes(ds.parameters), 1)) t"
        case .trailer: cargo = "1 unaccompanied semi-trailer (\(Fmt.dec(q.cargo.teuEquivalents(ds.parameters), 1)) TEU-equivalents), \(Fmt.dec(q.cargo.tonnes(ds.parameters), 1)) t"
        }
        let sc = q.scenarios.isEmpty ? "" : " with scenario \(q.scenarios.joined(separator: " + "))"
        let perTruck = q.cargo.unit == .truck ? " (\(Fmt.int(q.weights.valueOfTimeUSDPerTEUDay * q.cargo.teuEquivalents(ds.parameters))) a truck-day)" : ""
        return "\(name(q.from, ds)) → \(name(q.to, ds)) as of \(q.asOf)\(sc)\n\(cargo); value of time \(Fmt.int(q.weights.valueOfTimeUSDPerTEUDay)) USD/TEU-day\(perTruck), carbon \(Fmt.int(q.weights.carbonPriceUSDPerTonne)) USD/t"
    }

    /// Legs and stops in travel order.
    static func steps(_ r: Route, _ ds: Dataset) -> String {
        var t = TextTable([("step", .left, 38), ("km", .right, 7), ("days", .right, 5), ("USD", .right, 7), ("kgCO2e", .right, 7), ("", .left, 9)])
        func stopRows(_ i: Int) {
            for s in r.stops where s.beforeLeg == i {
                let what: String
                switch s.kind {
                case .border: what = "border \(name(s.place, ds)) → \(name(s.toPlace ?? "", ds))"
                case .gaugeChange: what = "gauge change at \(name(s.place, ds))"
                case .portHandling: what = "port handling at \(name(s.place, ds))"
                case .roRo:
                    // On before the leg ridden aboard, off after it; a trailer is towed, a truck driven.
                    let next = s.beforeLeg < r.legs.count ? r.legs[s.beforeLeg] : nil
                    let on = next?.truckAboard == true
                    let aboard = on ? next : (s.beforeLeg > 0 ? r.legs[s.beforeLeg - 1] : nil)
                    what = "\(aboard?.aboardVehicle == .trailer ? "tow" : "drive") \(on ? "on" : "off") at \(name(s.place, ds))"
                case .transshipment: what = "transshipment at \(name(s.place, ds))"
                }
                t.add(["  " + what, "", Fmt.dec(s.days, 1), Fmt.int(s.usd), Fmt.int(s.co2eKg), s.oneSideGeneral == true ? "one side" : s.estimated == true ? "general" : s.estimateMethods != nil ? "derived" : s.estimated == false ? "measured" : ""])
            }
        }
        for (i, leg) in r.legs.enumerated() {
            stopRows(i)
            let km = (leg.estimatedLength ? "~" : "") + Fmt.int(leg.km)
            let what = leg.carriage.map { "\($0) \(name(leg.from, ds)) → \(name(leg.to, ds))" }
                ?? "\(leg.truckAboard == true ? "\((leg.aboardVehicle ?? .truck).rawValue) on ferry" : leg.mode.rawValue) \(name(leg.from, ds)) → \(name(leg.to, ds))"
            let basis = leg.carriage != nil ? "estimated" : leg.consignment == true ? leg.linkClass + "*"
                : leg.truckAboard == true ? (leg.truckFareSources != nil ? (leg.truckFareEstimated == true ? "est. fare" : "line fare") : leg.linkClass + "‡") : leg.linkClass
            t.add([what, km, Fmt.dec(leg.days, 1), Fmt.int(leg.usd), Fmt.int(leg.co2eKg), basis])
        }
        stopRows(r.legs.count)
        t.add(["total (\(r.totals.borderCrossings) borders)", Fmt.int(r.totals.km), Fmt.dec(r.totals.days, 1), Fmt.int(r.totals.usd), Fmt.int(r.totals.co2eKg), ""])
        var out = "corridor: \(r.corridorName)\n" + t.render()
        if r.legs.contains(where: \.estimatedLength) { out += "\n~ length estimated (no published length found): great circle x circuity, or\n  the method the link cites (e.g. a searoute sea path)" }
        if r.legs.contains(where: { $0.carriage != nil }) {
            out += "\npre-/on-carriage: estimated road legs between a place off the network and its terminal (road-drayage class)"
        }
        if r.legs.contains(where: { $0.consignment == true }), let perDay = ds.parameters.values[.rail1520ConsignmentKmPerDay] {
            out += "\n" + wrap("* consignment: 1520 mm rail at \(Fmt.int(perDay)) km a day, the published average delivery speed (rail_1520_consignment_km_day), not a block train's")
        }
        if ds.railService == .express, r.legs.contains(where: { $0.mode == .rail && $0.carriage == nil }), let f = ds.parameters.values[.railExpressSpeedFactor] {
            out += "\n" + wrap("express: rail legs at \(Fmt.dec(f, 2)) times the block-train speeds (rail_express_speed_factor, fitted to the published times of timetable and express trains: docs/calibration.md); borders and transfers as for any train")
        }
        if let aboard = r.legs.first(where: { $0.truckAboard == true }) {
            let v = (aboard.aboardVehicle ?? .truck).rawValue
            out += "\n" + wrap((aboard.aboardVehicle == .trailer
                    ? "trailer on ferry: a semi-trailer sails alone on a ro-ro ferry, towed on and off by the port's tractors (roro_transfer_h); a tractor and driver take it on at the far port (no wait for one is counted: no published figure)"
                    : "truck on ferry: a truck with its driver rides a ro-ro ferry, driving on and off (roro_transfer_h)")
                + (r.legs.contains { $0.truckAboard == true && $0.truckFareSources != nil && $0.truckFareEstimated != true } ? "; line fare: the line's published \(v) tariff (ferry-tariffs.csv)" : "")
                + (r.legs.contains { $0.truckFareEstimated == true } ? "; est. fare: a published fare applied here by a stated estimate (another port of the same line, or an undated notice dated by its rates: JSON truckFareSources)" : "")
                + (r.legs.contains { $0.truckAboard == true && $0.truckFareSources == nil } ? "; ‡ no published \(v) tariff: the class tariff per TEU × truck_teu" : ""))
        }
        if r.stops.contains(where: { $0.estimated == true && $0.oneSideGeneral != true }) {
            out += "\ngeneral: dwell from a general parameter (no measured figure for that place)"
        }
        if r.stops.contains(where: { $0.estimateMethods != nil && $0.estimated == false }) {
            out += "\n" + wrap("derived: a measured dwell used through a stated estimation method (a country average assigned to the crossing, a range's midpoint, a median of reports, a port's vessel time read as a transfer; JSON estimateMethods)")
        }
        if r.stops.contains(where: { $0.oneSideGeneral == true }) {
            out += "\n" + wrap("one side: border measured on one country's side only; the other side is half the general border time")
        }
        if r.stops.contains(where: { $0.estimated != nil }) {
            out += "\n" + wrap("sources: --format json cites them per stop; caravan data sources ID shows one")
        }
        for w in r.warnings { out += "\n" + wrap("warning: \(w)") }
        // One factor per class on a date: list each indexed class once, in route order.
        var indexed: [String] = []
        for leg in r.legs where leg.tariffFactor != 1 {
            let item = "\(leg.linkClass) ×\(Fmt.dec(leg.tariffFactor, 2))"
            if !indexed.contains(item) { indexed.append(item) }
        }
        if !indexed.isEmpty { out += "\ntariffs times their dated rate index on this date (tariff-index.csv): " + indexed.joined(separator: ", ") }
        return out
    }

    /// The scenario edits that changed this route's links, with where they come from.
    static func edits(_ r: Route, _ all: [AppliedEdit]) -> String {
        let used = all.filter { r.scenarioEdits.contains($0.id) }
        guard !used.isEmpty else { return "" }
        return "edits on this route:\n" + used.map { "  [\($0.id)] \($0.summary)" }.joined(separator: "\n")
    }

    static func pareto(_ routes: [Route], _ ds: Dataset, limit: Int) -> String {
        guard !routes.isEmpty else { return "" }
        guard limit > 0 else { return "\nPareto set over time, cost and CO2e: \(routes.count) route\(routes.count == 1 ? "" : "s") (shown with --alternatives N)" }
        var t = TextTable([("days", .right, 5), ("USD", .right, 7), ("kgCO2e", .right, 7), ("corridor", .left, 15), ("via", .left, 41)])
        for r in routes.prefix(limit) {
            t.add([Fmt.days(r.totals.days), Fmt.int(r.totals.usd), Fmt.int(r.totals.co2eKg), r.corridor ?? "mixed", via(r, ds).joined(separator: ", ")])
        }
        let more = routes.count > limit ? "\n… \(routes.count - limit) more (see --format json or --alternatives)" : ""
        return "\nPareto set over time, cost and CO2e: \(routes.count) route\(routes.count == 1 ? "" : "s")\n" + t.render() + more
    }

    /// Where sampled percentiles come from, for the footer of tables that print them.
    static func spreadNote(_ ds: Dataset, what: String = "p50, p90") -> String {
        var s = "\(what): sampled transit times with the operations' spreads (reliability.csv, risks.csv)"
        if let sigma = ds.parameters.values[.modelErrorSigma], sigma > 0 {
            s += " and the model's own error on land time (model_error_sigma \(Fmt.dec(sigma, 2)), floor \(Fmt.dec(ds.parameters.values[.modelErrorFloor] ?? 0, 2)), fitted to the published times)"
        }
        return wrap(s + "; docs/reliability.md")
    }

    /// The places where something happens (transfers, borders), in order, without repeats.
    static func via(_ r: Route, _ ds: Dataset) -> [String] {
        var out: [String] = []
        for s in r.stops {
            for id in [s.place] + (s.toPlace.map { [$0] } ?? []) {
                let n = name(id, ds)
                if out.last != n && id != r.origin && id != r.destination { out.append(n) }
            }
        }
        return out
    }

    static func csv(_ routes: [(String, Route)]) -> String {
        var lines = [CSVWriter.line(["route", "corridor", "step", "kind", "mode", "from", "to", "km", "days", "usd", "co2e_kg", "class_or_detail"])]
        for (label, r) in routes {
            var step = 0
            func stops(_ i: Int) {
                for s in r.stops where s.beforeLeg == i {
                    step += 1
                    lines.append(CSVWriter.line([label, r.corridor ?? "", String(step), s.kind.rawValue, "", s.place, s.toPlace ?? "", "0",
                                                 Fmt.dec(s.days, 4), Fmt.dec(s.usd, 2), Fmt.dec(s.co2eKg, 2), s.detail]))
                }
            }
            for (i, leg) in r.legs.enumerated() {
                stops(i)
                step += 1
                lines.append(CSVWriter.line([label, r.corridor ?? "", String(step), "leg", leg.mode.rawValue, leg.from, leg.to, Fmt.dec(leg.km, 1),
                                             Fmt.dec(leg.days, 4), Fmt.dec(leg.usd, 2), Fmt.dec(leg.co2eKg, 2), leg.carriage.map { "\(leg.linkClass) (\($0), estimated)" } ?? leg.linkClass]))
            }
            stops(r.legs.count)
        }
        return lines.joined(separator: "\n")
    }
}
