import Testing
import Foundation
import CaravanModel
import CaravanFormats
import CaravanEngine

/// Crossings, conflicts, prices and the data's agreement with its own sources (issue: corridor economics).
@Suite("Corridor economics: crossings, conflict, prices, sources")
struct EconomicsTests {
    @Test("a consignment's 1520 mm legs run at the published delivery speed; block trains keep the class speeds")
    func consignmentService() throws {
        let (block, consignment) = Self.railOnly(.consignment)
        let perDay = try #require(block.parameters.values[.rail1520ConsignmentKmPerDay])
        let day = Day(iso: "2024-06-01")!
        func best(_ ds: Dataset, _ from: String, _ to: String) throws -> Route {
            try #require(RouteEngine(dataset: ds, day: day).best(from: place(from), to: place(to), cargo: Cargo(), weights: .defaults(ds.parameters), corridor: nil))
        }
        for (from, to) in [("duisburg", "astana"), ("almaty", "duisburg"), ("xian", "duisburg")] {
            let fast = try best(block, from, to), slow = try best(consignment, from, to)
            #expect(fast.legs.allSatisfy { $0.consignment == nil }, "\(from)-\(to)")
            #expect(slow.totals.days > fast.totals.days + 1, "\(from)-\(to): \(slow.totals.days) against \(fast.totals.days)")
            var marked = 0
            for leg in slow.legs {
                let on1520 = leg.links.allSatisfy { block.link($0)?.gauge == .russian }
                let classSpeed = try #require(block.linkClass(leg.linkClass)).speedKmh
                if leg.consignment == true {
                    marked += 1
                    #expect(on1520 && classSpeed * 24 > perDay, "\(leg.linkClass)")
                    if on1520 { #expect(abs(leg.days - leg.waitDays - leg.km / perDay) < 1e-9, "\(leg.linkClass)") }
                } else if leg.mode == .rail && on1520 {
                    #expect(classSpeed * 24 <= perDay, "\(leg.linkClass) is 1520 mm and faster, but not marked")
                }
            }
            #expect(marked > 0, "\(from)-\(to)")
        }
    }

    /// The bundled network with its rail links only, as block trains and as the given service.
    static func railOnly(_ service: RailService) -> (block: Dataset, service: Dataset) {
        var block = bundled
        block.links.removeAll { $0.mode != .rail }
        block.reindex()
        var other = block
        other.railService = service
        return (block, other)
    }

    @Test("an express train's rail legs run at rail_express_speed_factor times the class speeds; borders, transfers and other modes are unchanged")
    func expressService() throws {
        let (block, express) = Self.railOnly(.express)
        let factor = try #require(block.parameters.values[.railExpressSpeedFactor])
        #expect(factor >= 1)
        let day = Day(iso: "2023-09-29")!
        // On the whole network: only rail running times change; other modes, borders and waits stay.
        var all = bundled
        all.railService = .express
        let plain = NetworkSnapshot(dataset: bundled, day: day), fast = NetworkSnapshot(dataset: all, day: day)
        for (i, link) in bundled.links.enumerated() {
            let a = plain.links[i], b = fast.links[i]
            let scaled = link.mode == .rail && link.timeHours == nil
            #expect(abs(b.runHours - (scaled ? a.runHours / factor : a.runHours)) < 1e-9, "\(link.id)")
            #expect(a.waitHours == b.waitHours && a.border?.hours == b.border?.hours && a.borderBack?.hours == b.borderBack?.hours, "\(link.id)")
        }
        for (from, to) in [("xian", "duisburg"), ("almaty", "duisburg")] {
            let slow = try #require(RouteEngine(dataset: block, day: day).best(from: place(from), to: place(to), cargo: Cargo(), weights: .defaults(block.parameters), corridor: nil))
            // The express train on the block train's own path: each rail leg's running time divided by the factor.
            let engine = RouteEngine(dataset: express, day: day)
            let snap = engine.network.snapshot
            var running = 0.0, expressRunning = 0.0
            for leg in slow.legs where leg.mode == .rail {
                for id in leg.links {
                    let l = try #require(block.link(id)), r = snap.links[try #require(block.linkIndex[id])]
                    guard l.timeHours == nil else { continue }
                    let classHours = r.lengthKm / (try #require(block.linkClass(l.linkClass))).speedKmh
                    #expect(abs(r.runHours - classHours / factor) < 1e-9, "\(id)")
                    running += classHours; expressRunning += r.runHours
                }
            }
            let fast = try #require(engine.best(from: place(from), to: place(to), cargo: Cargo(), weights: .defaults(express.parameters), corridor: nil))
            #expect(fast.totals.days < slow.totals.days, "\(from)-\(to)")
            // The express optimum costs at most the block train's path at express speeds: that path saves
            // the value of the running time cut (one TEU, no carbon price) and nothing else.
            let vot = block.parameters[.valueOfTimeUSDPerTEUDay]
            #expect(running > expressRunning && fast.totals.generalisedCostUSD <= slow.totals.generalisedCostUSD - vot * (running - expressRunning) / 24 + 1e-6, "\(from)-\(to)")
        }
        // A dataset without the factor refuses the service, naming the parameter.
        var bare = bundled
        bare.parameters.values[.railExpressSpeedFactor] = nil
        guard case .failure(let e) = RouteOptions(service: .express).apply(to: bare) else { Issue.record("express accepted without its factor"); return }
        #expect(e.option == "service" && e.message.contains("rail_express_speed_factor"))
        try expectRowErrors("observations.csv", [("obs-bad,xian,duisburg,northern,2024-01-01,12,,c-crc-2022-11,,,rail,,,,,fast", "'fast' is not one of: block, consignment, express")])
    }

    @Test("every value that cites a source equals the figure recorded for that source (source-figures.csv)")
    func valuesMatchTheirSources() throws {
        /// A row key of source-figures.csv: the parts joined by `|`, empty for none.
        func key(_ parts: CustomStringConvertible?...) -> String { parts.map { $0.map { "\($0)" } ?? "" }.joined(separator: "|") }
        let rows = bundled.sourceFigures
        try #require(rows.count >= 150)
        // Notes of the parameters (the model keeps values, not notes): a fitted value keeps its source's figure there.
        let params = try CSVReader.parse(String(contentsOfFile: bundledFolder + "/parameters.csv", encoding: .utf8), file: "parameters.csv")
        let pcol = Dictionary(uniqueKeysWithValues: params.header.fields.enumerated().map { ($1, $0) })
        let paramNotes = Dictionary(params.rows.map { ($0.fields[pcol["key"]!], $0.fields[pcol["note"]!]) }, uniquingKeysWith: { a, _ in a })
        var checked = 0
        for r in rows {
            let source = r.source, table = r.table, id = r.row, field = r.field
            var figure = r.figure
            if let key = r.divideBy { figure /= try #require(ParameterKey(rawValue: key).flatMap { bundled.parameters.values[$0] }) }
            let value: Double, cites: Bool, fitted: Bool, note: String
            switch (table, field) {
            case ("parameters", "value"):
                let key = try #require(ParameterKey(rawValue: id), "no parameter \(id)")
                value = try #require(bundled.parameters.values[key], "no parameter \(id)")
                cites = bundled.parameters.sources[key, default: []].contains(source)
                fitted = bundled.parameters.sources[key, default: []].contains("c-calibration"); note = paramNotes[id] ?? ""
            case ("link_classes", "speed_kmh"):
                let c = try #require(bundled.linkClass(id)); value = c.speedKmh; cites = c.sources.contains(source)
                fitted = c.sources.contains("c-calibration"); note = c.note
            case ("link_classes", "tariff_usd_teu_km"):
                // Tariffs are never fitted: a class citing the source must carry its figure.
                let c = try #require(bundled.linkClass(id)); value = c.tariffUSDPerTEUKm; cites = c.sources.contains(source)
                fitted = false; note = c.note
            case ("freight_classes", "tonnes_per_teu"):
                let c = try #require(bundled.freightClasses.first { $0.id == id }); value = c.tonnesPerTEU ?? -1; cites = c.sources.contains(source)
                fitted = false; note = c.note
            case ("links", "length_km"):
                let l = try #require(bundled.link(id)); value = l.lengthKm ?? -1; cites = l.sources.contains(source)
                fitted = l.sources.contains("c-calibration"); note = l.note
            case ("crossings", "dwell_h"), ("crossings", "cost"):
                // Row key: link|entering|side|valid_from, empty parts for none.
                let c = try #require(bundled.crossings.first { key($0.link, $0.entering, $0.side, $0.validity.from) == id }, "no crossing row \(id)")
                value = (field == "dwell_h" ? c.dwellHours : c.cost) ?? -1; cites = c.sources.contains(source); fitted = false; note = c.note
            case ("ferries", "sailings_per_week"), ("ferries", "teu_per_sailing"), ("ferries", "wagons_per_sailing"),
                 ("ferries", "trucks_per_sailing"), ("ferries", "teu_per_year"):
                // Row key: link|valid_from.
                let s = try #require(bundled.ferries.first { key($0.link, $0.validity.from) == id }, "no ferry row \(id)")
                let values = ["sailings_per_week": s.sailingsPerWeek, "teu_per_sailing": s.teuPerSailing, "wagons_per_sailing": s.wagonsPerSailing,
                              "trucks_per_sailing": s.trucksPerSailing, "teu_per_year": s.teuPerYear]
                value = values[field]! ?? -1; cites = s.sources.contains(source); fitted = false; note = s.note
            case ("ferry-tariffs", "amount"):
                // Row key: link|entering|vehicle|valid_from.
                let f = try #require(bundled.ferryTariffs.first { key($0.link, $0.entering, $0.vehicle.rawValue, $0.validity.from) == id }, "no ferry tariff row \(id)")
                value = f.amount; cites = f.sources.contains(source); fitted = false; note = f.note
            case ("places", "transfer_h"):
                let p = try #require(bundled.place(id)); value = p.transferHours ?? -1; cites = p.transferSources.contains(source)
                fitted = false; note = p.note
            case ("place_capacities", "capacity"):
                // Row key: place|unit|valid_from.
                let c = try #require(bundled.placeCapacities.first { key($0.place, $0.unit.rawValue, $0.validity.from) == id }, "no capacity row \(id)")
                value = c.capacity; cites = c.sources.contains(source); fitted = false; note = c.note
            default:
                Issue.record("source-figures.csv: unknown table/field \(table)/\(field)"); continue
            }
            try #require(bundled.sources.contains { $0.id == source }, "\(source) is not in the sources")
            if cites {
                #expect(abs(value - figure) <= 0.005 * abs(figure), "\(table) \(id) \(field) = \(value) cites \(source), which states \(figure)")
            } else if fitted {
                // A fitted value's note gives the figure its source states (in the source's unit).
                let stated = r.figure
                let numbers = note.split(whereSeparator: { !($0.isNumber || $0 == "." || $0 == ",") })
                    .compactMap { Double($0.replacingOccurrences(of: ",", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "."))) }
                #expect(numbers.contains { abs($0 - stated) <= 0.005 * abs(stated) }, "\(table) \(id) is fitted; its note should give \(source)'s \(stated), not: \(note)")
            }
            checked += 1
        }
        #expect(checked == rows.count)
    }

    @Test("ferry-tariffs.csv: a known ferry link, an end as the direction, EUR only with usd_per_eur, one price per period")
    func ferryTariffRowErrors() throws {
        try expectRowErrors("ferry-tariffs.csv", [
            ("no-such-ferry,,truck,900,USD,,,t-asco-roro-tariff,", "unknown link 'no-such-ferry'"),
            ("shanghai-rotterdam-suez,,truck,900,USD,,,t-asco-roro-tariff,", "ro-ro ferry links (mode ferry)"),
            ("kuryk-alat-ferry,baku,truck,900,USD,,,t-asco-roro-tariff,", "'baku' is not an end of kuryk-alat-ferry"),
            ("kuryk-alat-ferry,alat,lorry,900,USD,,,t-asco-roro-tariff,", "'lorry' is not one of: truck, trailer"),
            ("kuryk-alat-ferry,alat,truck,900,GBP,,,t-asco-roro-tariff,", "'GBP' is not one of: USD, EUR"),
            ("kuryk-alat-ferry,alat,truck,0,USD,,,t-asco-roro-tariff,", "amount"),
            ("kuryk-alat-ferry,alat,truck,950,USD,2024-01-01,,t-asco-roro-tariff,", "the truck tariff of kuryk-alat-ferry (to alat)"),
            ("kuryk-alat-ferry,,truck,950,USD,,,,", "missing source"),
        ])
        // A price in euros needs the exchange rate.
        var files: [String: String] = [:]
        for dir in ["", "energy/"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: bundledFolder + "/" + dir) where name.hasSuffix(".csv") {
                files[dir + name] = try String(contentsOfFile: bundledFolder + "/" + dir + name, encoding: .utf8)
            }
        }
        files["parameters.csv"] = files["parameters.csv"]!.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("usd_per_eur,") }.joined(separator: "\n")
        let error = try #require(throws: InputErrors.self) { try DatasetLoader.load(files: files, name: "no-fx") }
        #expect(error.description.contains("ferry-tariffs.csv:") && error.description.contains("needs the parameter usd_per_eur"), "\(error)")
        // A cost per truck needs truck_teu to become a cost per TEU.
        var noTruckTEU = files
        noTruckTEU["parameters.csv"] = (files["parameters.csv"]!.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("truck_teu,") }
            + ["roro_usd_truck,40,USD/truck,c-est-roro-transfer,test row"]).joined(separator: "\n")
        let perTruck = try #require(throws: InputErrors.self) { try DatasetLoader.load(files: noTruckTEU, name: "no-truck-teu") }
        #expect(perTruck.description.contains("roro_usd_truck needs the parameter truck_teu"), "\(perTruck)")
    }

    @Test("source-figures.csv rows name a known source, one per row, and a known parameter to divide by")
    func sourceFigureRowErrors() throws {
        try expectRowErrors("source-figures.csv", [
            ("no-such-source,parameters,border_road_h,value,9.9,h,,", "unknown source 'no-such-source'"),
            ("c-carec-cpmm-2022;c-eca-2016,parameters,border_road_h,value,9.9,h,,", "one source per row"),
            ("c-carec-cpmm-2022,parameters,border_usd_teu,value,215,USD,wagon_tue,", "unknown parameter 'wagon_tue'"),
            ("c-carec-cpmm-2022,parameters,border_road_h,value,many,h,,", "figure"),
        ])
        // The loaded dataset indexes every citation by file and line.
        let cited = try #require(bundled.citations["x-harbin-2019-manzhouli"])
        #expect(cited.contains { $0.file == "crossings.csv" && $0.column == "source" })
        #expect(bundled.sourceReport("x-harbin-2019-manzhouli")?.figures.first?.figure == 4)
        #expect(bundled.citations["c-calibration"]?.contains { $0.file == "parameters.csv" } == true)
    }

    @Test("every calibration prior is the figure source-figures.csv records for a source of the value it pulls")
    func priorsMatchSourceFigures() throws {
        let figures = bundled.sourceFigures
        for knob in CalibrationKnob.standard {
            guard let prior = knob.prior else { continue }
            let targets: [(String, String, String)]
            switch knob.target {
            case .parameter(let k): targets = [("parameters", k.rawValue, "value")]
            case .classSpeed(let c): targets = [("link_classes", c, "speed_kmh")]
            case .classSetSpeed(let cs): targets = cs.map { ("link_classes", $0, "speed_kmh") }
            }
            #expect(figures.contains { f in targets.contains { $0 == (f.table, f.row, f.field) } && abs(f.figure - prior) <= 1e-9 * max(1, prior) },
                    "\(knob.name): prior \(prior) is not a figure source-figures.csv records for it")
        }
    }

    @Test("no explicit link length is shorter than the great circle between its places")
    func lengthsAtLeastGreatCircle() {
        for l in bundled.links {
            guard let km = l.lengthKm, let a = bundled.place(l.from), let b = bundled.place(l.to) else { continue }
            let gc = Geo.distanceKm(lat1: a.lat, lon1: a.lon, lat2: b.lat, lon2: b.lon)
            #expect(km >= gc - 0.5, "\(l.id): \(km) km < great circle \(gc) km")
        }
    }

    @Test("a measured crossing replaces the general border time and is marked; an unmeasured one is marked general; one side measured adds half the general time")
    func measuredCrossings() throws {
        let r = try #require(corridorRoute("xian", "duisburg", on: "2021-09-01", corridor: "northern"))
        let brest = try #require(r.stops.first { $0.kind == .border && ($0.place == "brest" || $0.toPlace == "brest") })
        #expect(brest.estimated == false)
        #expect(brest.detail.contains("measured 240 h"), "\(brest.detail)")
        #expect(brest.days * 24 >= 240)
        // The gauge change of the pair is made at Małaszewicze with the time measured at Brest, and says so.
        let gauge = try #require(r.stops.first { $0.kind == .gaugeChange && $0.place == "malaszewicze" })
        #expect(gauge.estimated == false && gauge.detail.contains("measured 8.5 h") && gauge.detail.contains("x-belta-2019-brest"), "\(gauge.detail)")
        for s in r.stops where s.kind == .border && s.estimated == true {
            #expect(s.detail.contains(s.oneSideGeneral == true ? "one side measured" : "general estimate"), "\(s.detail)")
        }
        // After February 2022 only Belarusian Railways' own processing (5 h, 2019) is measured: the Polish side
        // is half the general time, marked.
        let later = try #require(corridorRoute("xian", "duisburg", on: "2024-06-01", corridor: "northern"))
        let brest2 = try #require(later.stops.first { $0.kind == .border && ($0.place == "brest" || $0.toPlace == "brest") })
        #expect(brest2.estimated == true && brest2.oneSideGeneral == true && brest2.detail.contains("x-belta-2019-brest"), "\(brest2.detail)")
        // Direction and side: CPMM measured China's side of Khorgos, outbound 14 h and inbound 16.3 h in 2023;
        // Kazakhstan's side counts half the general time.
        let snap = NetworkSnapshot(dataset: bundled, day: Day(iso: "2023-06-01")!)
        let i = try #require(bundled.linkIndex["khorgos-altynkol"])
        let fwd = try #require(snap.links[i].border), back = try #require(snap.links[i].borderBack)
        let half = bundled.parameters[.borderRailH] / 2
        #expect(abs(fwd.baseHours - (14 + half)) < 1e-9 && abs(back.baseHours - (16.3 + half)) < 1e-9, "\(fwd.baseHours) \(back.baseHours)")
        #expect(fwd.oneSideGeneral && back.oneSideGeneral && !fwd.timeFallback)
        #expect(abs(fwd.generalShare - half / (14 + half)) < 1e-9)
        // A row for this direction wins over a row for both, even when it covers one side only:
        // Erenhot's 2023 outbound side (14 h) over the 2020 corridor figure for both directions (9.1 h).
        let e = try #require(bundled.linkIndex["erenhot-zamyn-uud"])
        let snapE = NetworkSnapshot(dataset: bundled, day: Day(iso: "2024-06-01")!)
        let out = try #require(snapE.links[e].border)
        #expect(out.oneSideGeneral && abs(out.baseHours - (14 + half)) < 1e-9, "\(out.baseHours)")
        // The unmeasured side takes the measures older than the measured side's figure: the Iranian
        // side of Sarakhs the 2018 US sanctions (+12 h), which the Turkmen 2020 figure cannot contain.
        let snap24 = NetworkSnapshot(dataset: bundled, day: Day(iso: "2024-07-31")!)
        let k = try #require(bundled.linkIndex["sarakhs-tm-sarakhs-ir"])
        let sarakhs = try #require(snap24.links[k].border)
        #expect(sarakhs.oneSideGeneral && abs(sarakhs.hours - (3.6 + half + 12)) < 1e-9, "\(sarakhs.hours)")
        #expect(sarakhs.applied.contains { $0.measure == "iran-us-sanctions" })
        // A whole-crossing row (Brest 2021) is not one-sided.
        let snap21 = NetworkSnapshot(dataset: bundled, day: Day(iso: "2021-09-01")!)
        let j = try #require(bundled.linkIndex["brest-malaszewicze"])
        let b21 = try #require(snap21.links[j].border)
        #expect(!b21.oneSideGeneral && b21.baseHours == 240)
        // The freight assignment makes its own queues: a dwell recorded as a queue counts 0 h there.
        let assigned = NetworkSnapshot(dataset: bundled.withoutMeasuredQueues(), day: Day(iso: "2021-09-01")!)
        #expect(try #require(assigned.links[j].border).baseHours == 0)
        #expect(bundled.crossings.filter { $0.queue == true }.allSatisfy { $0.note.lowercased().contains("queue") || $0.note.contains("wait") })
    }

    @Test("absoluteQuantile is the nearest-rank quantile of absolute values (against counting, on random samples)")
    func absoluteQuantile() throws {
        var rng = SplitMix64(seed: 23)
        for _ in 0..<200 {
            let values = (0..<Int.random(in: 1...40, using: &rng)).map { _ in Double(Int.random(in: -50...50, using: &rng)) }
            for q in [0.0, 0.1, 0.45, 0.5, 0.55, 0.9, 1.0] {
                let x = try #require(Calibration.absoluteQuantile(values, q))
                let n = Double(values.count), abs = values.map(Swift.abs)
                #expect(abs.contains(x))
                // Nearest rank: at least ceil(q n) values are at or below it, fewer strictly below.
                #expect(Double(abs.filter { $0 <= x }.count) >= (q * n).rounded(.up))
                #expect(Double(abs.filter { $0 < x }.count) < max(1, (q * n).rounded(.up)))
            }
        }
        #expect(Calibration.absoluteQuantile([], 0.5) == nil)
        #expect(Calibration.absoluteQuantile([-3, 1, 2], 0.5) == 2)
    }

    @Test("an unmeasured rail border where neither end changes gauge takes border_rail_handover_h; gauge-change borders and other modes keep border_<mode>_h")
    func handoverBorders() throws {
        let p = bundled.parameters
        let handover = try #require(p.values[.borderRailHandoverH])
        #expect(handover != p[.borderRailH])
        func key(_ id: String) throws -> ParameterKey {
            let link = try #require(bundled.link(id), "\(id)")
            return bundled.generalBorderKey(link)
        }
        for id in ["boyuk-kasik-gardabani", "kartsakhi-kars", "saryagash-tashkent", "petropavl-chelyabinsk"] { #expect(try key(id) == .borderRailHandoverH, "\(id)") }
        for id in ["alashankou-dostyk", "brest-malaszewicze", "sarakhs-tm-sarakhs-ir", "erenhot-zamyn-uud"] { #expect(try key(id) == .borderRailH, "\(id)") }
        #expect(try key("khorgos-nur-zholy-road") == .borderRoadH)
        // The snapshot uses it for the whole crossing and for an unmeasured side.
        let snap = NetworkSnapshot(dataset: bundled, day: Day(iso: "2022-08-01")!)
        let btkIndex = try #require(bundled.linkIndex["boyuk-kasik-gardabani"]), kungradIndex = try #require(bundled.linkIndex["kungrad-beyneu"])
        let btk = try #require(snap.links[btkIndex].border)
        #expect(btk.timeFallback && btk.baseHours == handover && btk.generalKey == .borderRailHandoverH)
        let kungrad = try #require(snap.links[kungradIndex].border)
        #expect(kungrad.oneSideGeneral && abs(kungrad.generalSideHours - handover / 2) < 1e-9, "\(kungrad.generalSideHours)")
        // Route stops name the parameter they rest on.
        let r = try #require(corridorRoute("kars", "baku", on: "2022-08-01", corridor: "middle-turkiye"))
        let stop = try #require(r.stops.first { $0.kind == .border && $0.place == "kars" })
        #expect(stop.estimated == true && stop.detail.contains("(border_rail_handover_h)"), "\(stop.detail)")
        #expect(stop.generalParameter == "border_rail_handover_h")
        #expect(r.stops.filter { $0.estimated == false }.allSatisfy { $0.generalParameter == nil })
        #expect(r.stops.filter { $0.estimated == true }.allSatisfy { $0.generalParameter != nil && $0.detail.contains("general estimate") || $0.oneSideGeneral == true })
        // A dataset without the parameter keeps one general rail time for every rail border.
        var values = p.values
        values[.borderRailHandoverH] = nil
        var without = bundled
        without.parameters = Parameters(values: values, sources: p.sources)
        let btkLink = try #require(bundled.link("boyuk-kasik-gardabani"))
        #expect(without.generalBorderKey(btkLink) == .borderRailH)
    }

    @Test("a measured dwell that passes through a stated estimation method (a country average assigned to the crossing) names the method; a plain measurement names none")
    func derivedCrossings() throws {
        var roads = bundled
        roads.links.removeAll { $0.mode != .road }
        roads.reindex()
        func border(_ from: String, _ to: String, on date: String) throws -> RouteStop {
            let r = try #require(RouteEngine(dataset: roads, day: Day(iso: date)!).best(from: place(from), to: place(to), cargo: Cargo(), weights: .defaults(bundled.parameters)))
            return try #require(r.stops.first { $0.kind == .border })
        }
        let dostuk = try border("osh", "andijan", on: "2024-06-01")
        #expect(dostuk.estimated == false && dostuk.oneSideGeneral == nil)
        #expect(dostuk.estimateMethods == ["r-est-country-to-link"], "\(String(describing: dostuk.estimateMethods))")
        // Every method named is an estimate among the crossing's sources, and every estimate is named.
        let rows = bundled.crossings.filter { $0.link == "osh-andijan-road" }
        #expect(rows.allSatisfy { $0.sources.filter(bundled.estimateSourceIDs.contains) == ["r-est-country-to-link"] })
        // Torugart 2022 is CAREC's own figure for that crossing (Kyrgyz side, outbound): no method.
        let torugart = try border("torugart", "kashgar", on: "2022-06-01")
        #expect(torugart.oneSideGeneral == true && torugart.estimateMethods == nil, "\(String(describing: torugart.estimateMethods))")
    }

    @Test("a place's transfer time cites its own sources: Alat's vessel time read as a transfer is derived, Dostyk's measured gauge change is not; a transfer value needs its source")
    func transferSources() throws {
        let r = try #require(RouteEngine(dataset: bundled, day: Day(iso: "2024-06-01")!)
            .best(from: place("aktau"), to: place("tbilisi"), cargo: Cargo(), weights: .defaults(bundled.parameters), corridor: "middle-turkiye"))
        let alat = try #require(r.stops.first { $0.place == "alat" && $0.kind == .portHandling })
        #expect(alat.estimated == false && alat.estimateMethods == ["w-est-vessel-time-as-transfer"], "\(alat)")
        #expect(alat.detail.contains("w-trend-2025-baku-port") && !alat.detail.contains("w-est-coords"), "\(alat.detail)")
        let r2 = try #require(RouteEngine(dataset: bundled, day: Day(iso: "2024-06-01")!)
            .best(from: place("alashankou"), to: place("almaty"), cargo: Cargo(), weights: .defaults(bundled.parameters), corridor: nil))
        let dostyk = try #require(r2.stops.first { $0.place == "dostyk" && $0.kind == .gaugeChange }, "\(r2.stops.map(\.place))")
        #expect(dostyk.estimated == false && dostyk.estimateMethods == nil)
        // Every place with a transfer value cites a source for it.
        #expect(bundled.places.filter { $0.transferHours != nil || $0.transferUSDPerTEU != nil }.allSatisfy { !$0.transferSources.isEmpty })
        try expectRowErrors("places-west.csv", [("zz1,Z,AZ,junction,40,49,,,5,,,w-geonames,", "transfer_source: missing source"),
                                                ("zz2,Z,AZ,junction,40,49,,,,,w-geonames,w-geonames,", "a transfer source without transfer_h")])
    }

    @Test("on a date with a recorded war on Iran, routes through Iran carry a warning and its cost, and the default best route avoids Iran")
    func conflictWarnsAndPenalises() throws {
        let day = Day(iso: "2026-11-26")!
        var ds = bundled; ds.links.removeAll { $0.mode == .road }; ds.reindex()
        let engine = RouteEngine(dataset: ds, day: day)
        let iran = try #require(engine.best(from: place("almaty"), to: place("halkali"), cargo: Cargo(), weights: .defaults(ds.parameters), corridor: "southern-iran"))
        #expect(iran.warnings.contains { $0.contains("conflict") && $0.contains("War on Iran") })
        let before = RouteEngine(dataset: ds, day: Day(iso: "2026-01-01")!)
            .best(from: place("almaty"), to: place("halkali"), cargo: Cargo(), weights: .defaults(ds.parameters), corridor: "southern-iran")
        let prior = try #require(before)
        #expect(iran.totals.usd - prior.totals.usd >= 1000)   // 520 USD/TEU at each of two Iranian borders
        let best = try #require(engine.best(from: place("almaty"), to: place("halkali"), cargo: Cargo(), weights: .defaults(ds.parameters), corridor: nil))
        let viaIran = best.legs.contains { ds.place($0.from)?.country == "IR" || ds.place($0.to)?.country == "IR" }
        #expect(!viaIran || best.warnings.contains { $0.contains("War on Iran") })
    }

    @Test("a measure's perceived risk raises the generalised cost, not the USD charged, and says so; the search avoids it")
    func perceivedRiskIsNotCharged() throws {
        let day = Day(iso: "2024-07-01")!
        var ds = bundled
        let i = try #require(ds.measures.firstIndex { $0.id == "eu-sanctions-by-pl" })
        let w = CostWeights.defaults(ds.parameters)
        let base = try #require(RouteEngine(dataset: ds, day: day).best(from: place("xian"), to: place("duisburg"), cargo: Cargo(), weights: w, corridor: "northern"))
        ds.measures[i].borderRiskUSDPerTEU = 5_000
        let risky = try #require(RouteEngine(dataset: ds, day: day).best(from: place("xian"), to: place("duisburg"), cargo: Cargo(), weights: w, corridor: "northern"))
        #expect(base.totals.riskUSD == 0)
        #expect(abs(risky.totals.riskUSD - 5_000) < 1e-6)
        #expect(abs(risky.totals.usd - base.totals.usd) < 1e-6)
        #expect(abs(risky.totals.generalisedCostUSD - base.totals.generalisedCostUSD - 5_000) < 1e-6)
        #expect(risky.stops.contains { $0.detail.contains("perceived risk +5000 USD/TEU") })
        // Over every corridor, the search now prefers a route that avoids the BY-PL border when one is cheaper.
        let best = try #require(RouteEngine(dataset: ds, day: day).best(from: place("xian"), to: place("duisburg"), cargo: Cargo(), weights: w, corridor: nil))
        #expect(best.totals.generalisedCostUSD <= risky.totals.generalisedCostUSD + 1e-6)
    }

    @Test("indexed tariffs averaged over a window: the mean of the daily factors, in force on the day only")
    func tariffWindowAverage() throws {
        var ds = bundled
        ds.tariffIndex = [TariffIndex(linkClass: "ocean-container", factor: 1, validity: Validity(from: Day(iso: "2024-01-01")!, to: Day(iso: "2024-01-11")!)),
                          TariffIndex(linkClass: "ocean-container", factor: 3, validity: Validity(from: Day(iso: "2024-01-11")!, to: nil))]
        let day = Day(iso: "2024-01-20")!
        let averaged = ds.averagingTariffIndex(over: 20, endingOn: day)   // 1 Jan to 20 Jan: 10 days at 1, 10 at 3
        #expect(abs(averaged.tariffFactor(linkClass: "ocean-container", on: day) - 2) < 1e-12)
        #expect(averaged.tariffFactor(linkClass: "ocean-container", on: Day(iso: "2024-01-21")!) == 3)
        #expect(ds.averagingTariffIndex(over: 1, endingOn: day).tariffFactor(linkClass: "ocean-container", on: day) == 3)
    }

    @Test("bad logit columns in freight_classes.csv and bad mode-volumes.csv rows are reported with file:line and the fix")
    func logitRowErrors() throws {
        try expectRowErrors("freight_classes.csv", [
            ("bad1,Bad,teu,rail;sea,,30,,,,c-est-vot-container-overland,,ocean-container,1000,,,", "a logit split needs demand_share"),
            ("bad2,Bad,teu,rail;sea,,30,,,0.1,c-est-vot-container-overland,,ocean-bogus,1000,,,", "unknown link class 'ocean-bogus'"),
            ("bad3,Bad,teu,rail;sea,,30,,,0.1,c-est-vot-container-overland,,,,500,,", "only used by a logit split"),
            ("bad4,Bad,teu,rail;sea,ocean-container,30,,,0.1,c-est-vot-container-overland,,ocean-container,1000,,,", "also in excluded_classes"),
            ("bad5,Bad,teu,rail,,30,,,,c-est-vot-container-overland,,,,,,20", "only for a class in tonnes"),
            ("bad7,Bad,trucks,road,,30,,,,c-est-vot-general,,,,,,20", "only for a class in tonnes"),
            ("bad6,Bad,tonnes,rail,,0.14,,,,c-est-vot-general,,,,,,0", "tonnes_per_teu"),
        ])
        try expectRowErrors("mode-volumes.csv", [
            ("2030,container,5,d-upply-2025-erai-2024,", "has no demand_share"),
            ("2024,container-eu,5,d-upply-2025-erai-2024,", "a second row for container-eu in 2024"),
            ("2024.5,container-eu,5,d-upply-2025-erai-2024,", "a calendar year"),
            ("2026,bogus,5,d-upply-2025-erai-2024,", "unknown freight class 'bogus'"),
        ])
    }

    @Test("observations: ends off the network get first/last-mile legs; a stated crew of two is timed as such; bad positions name the column")
    func observationEndsAndCrew() throws {
        let jinan = try #require(Calibration.compare(bundled).first { $0.id == "obs-jinan-moscow-2024" })
        #expect(jinan.family == "road")
        let two = try #require(jinan.modelDays)
        var oneDriver = bundled
        let i = try #require(oneDriver.observations.firstIndex { $0.id == "obs-jinan-moscow-2024" })
        #expect(oneDriver.observations[i].drivers == 2 && oneDriver.observations[i].originPoint?.country == "CN")
        oneDriver.observations[i].drivers = nil
        // Unstated, the crew of two is inferred (one driver cannot drive 9,000 km in 8 days)...
        let inferred = try #require(Calibration.compare(oneDriver).first { $0.id == "obs-jinan-moscow-2024" })
        #expect(inferred.driversInferred && inferred.modelDays == two)
        // ...unless the data gives no speed limit to infer it from.
        oneDriver.parameters.values[.truckSpeedLimitKmh] = nil
        let one = try #require(Calibration.compare(oneDriver).first { $0.id == "obs-jinan-moscow-2024" }?.modelDays)
        #expect(one > two + 1, "one driver \(one) days, two \(two)")

        try expectRowErrors("observations.csv", [("obs-bad,Somewhere,moscow,any,2024-01-01,5,,o-haibao-2024-11,,,road,,12;abc;CN,,,", "origin_at: '12;abc;CN' must be LAT;LON;CC"),
                             ("obs-bad,Some Where,moscow,any,2024-01-01,5,,o-haibao-2024-11,,,road,,,,,", "'Some Where' is not a valid id"),
                             ("obs-bad,xian,moscow,any,2024-01-01,5,,o-haibao-2024-11,,,road,,,,3,", "3 drivers: write 1 or 2"),
                             ("obs-bad,Somewhere,moscow,any,2024-01-01,5,,o-haibao-2024-11,,,road,,12;50;ZZ,,,", "unknown country 'ZZ'")])
    }

    @Test("a truck run one driver could not have driven in the published time is timed with a crew of two, marked inferred")
    func crewInference() throws {
        var p = Parameters(values: [.roadDrivingHPerDay: 9, .roadDailyRestH: 11, .roadBreakH: 0.75, .roadBreakAfterH: 4.5,
                                    .roadDrivingHPerDayTwoDrivers: 18, .roadDailyRestHTwoDrivers: 9, .truckSpeedLimitKmh: 90])
        // 900 km at 90 km/h = 10 h of driving: 9 h, a 45-min break on the way, an 11-h rest, 1 h more = 21.75 h.
        #expect(Calibration.crewInferred(publishedDays: 0.8, roadKm: 900, p))
        #expect(!Calibration.crewInferred(publishedDays: 21.8 / 24, roadKm: 900, p))
        p.values[.truckSpeedLimitKmh] = nil
        #expect(!Calibration.crewInferred(publishedDays: 0.1, roadKm: 900, p), "no limit in the data: nothing is inferred")

        let rows = Calibration.compare(bundled)
        let shenzhen = try #require(rows.first { $0.id == "obs-shenzhen-tashkent-2024" })
        #expect(shenzhen.drivers == 2 && shenzhen.driversInferred)
        let jinan = try #require(rows.first { $0.id == "obs-jinan-moscow-2024" })
        #expect(jinan.drivers == 2 && !jinan.driversInferred, "a stated crew is not inferred")
        let khorgos = try #require(rows.first { $0.id == "obs-khorgos-istanbul-2024" })
        #expect(khorgos.drivers == 1 && !khorgos.driversInferred)
        #expect(rows.first { $0.id == "obs-xian-duisburg-2024-06" }?.drivers == nil, "trains have no crew")
    }

    @Test("a road-only measure leaves rail alone")
    func modeSpecificMeasure() throws {
        let m = try #require(bundled.measures.first { $0.id == "az-ir-road-closure-2026" })
        #expect(m.modes == [.road] && m.closed)
        let snap = NetworkSnapshot(dataset: bundled, day: Day(iso: "2026-03-05")!)
        for (i, l) in bundled.links.enumerated() where l.id.contains("astara") && bundled.place(l.from)?.country != bundled.place(l.to)?.country {
            #expect(snap.links[i].available == (l.mode != .road), "\(l.id)")
        }
    }

    @Test("a crossing measured in time only pays the general cost with every measure in force: an EU-internal border its single-market share")
    func generalCostTakesMeasures() throws {
        let day = Day(iso: "2024-06-01")!
        let snap = NetworkSnapshot(dataset: bundled, day: day)
        let general = bundled.parameters[.borderUSDPerTEU]
        let eu = try #require(bundled.measures.first { $0.id == "eu-single-market" })
        let factor = try #require(eu.borderCostFactor)
        // DE-CZ (2017) and DE-PL (undated) rows measure a time and no cost; both countries in the EU since before.
        for id in ["berlin-prague", "frankfurt-oder-poznan"] {
            let i = try #require(bundled.linkIndex[id])
            let b = try #require(snap.links[i].border)
            #expect(!b.timeFallback && b.costFallback, "\(id)")
            #expect(abs(b.usdPerTEU - general * factor) < 1e-9, "\(id): \(b.usdPerTEU)")
            #expect(b.applied.contains { $0.measure == eu.id && $0.name.contains("general cost") }, "\(id)")
            #expect(b.hours == b.baseHours, "\(id): the measured time already contains the single market")
        }
        // Sides measured with their own costs keep them, per TEU: Keles into Uzbekistan, the Uzbek
        // inbound 132 USD a wagon (2023) and the Kazakh outbound 185 USD a wagon (2022).
        let k = try #require(bundled.linkIndex["saryagash-tashkent"])
        let keles = try #require(snap.links[k].border)
        let wagon = bundled.parameters[.wagonTEU]
        #expect(!keles.costFallback && abs(keles.usdPerTEU - (132 + 185) / wagon) < 1e-9, "\(keles.usdPerTEU)")
    }

    @Test("a fee on foreign trucks is charged on top of a measured crossing whatever the measurement's date, on road only")
    func feesOnForeignTrucks() throws {
        let tm = try #require(bundled.measures.first { $0.id == "tm-foreign-truck-fees-2022" })
        #expect(tm.kind == .fee && tm.modes == [.road])
        let i = try #require(bundled.linkIndex["olot-farap-road"])
        // 2025: CPMM's 2022 and 2023 rows measure both sides (after the Turkmen fee came into force);
        // the fees still apply, Turkmenistan's and, from 2025, Uzbekistan's.
        let before = try #require(NetworkSnapshot(dataset: bundled, day: Day(iso: "2022-09-01")!).links[i].border)
        let after = try #require(NetworkSnapshot(dataset: bundled, day: Day(iso: "2025-06-01")!).links[i].border)
        #expect(!before.applied.contains { $0.measure == tm.id })
        #expect(after.applied.contains { $0.measure == tm.id } && after.applied.contains { $0.measure == "uz-foreign-truck-fees-2025" })
        var withoutFees = bundled
        withoutFees.measures.removeAll { $0.kind == .fee }
        let bare = try #require(NetworkSnapshot(dataset: withoutFees, day: Day(iso: "2025-06-01")!).links[i].border)
        #expect(abs(after.usdPerTEU - bare.usdPerTEU - 191.25) < 1e-9, "\(after.usdPerTEU) \(bare.usdPerTEU)")
        #expect(after.hours == bare.hours)
        // Rail across the same border pays nothing of it.
        for (k, l) in bundled.links.enumerated() where l.mode == .rail && l.id == "bukhara-turkmenabat" {
            let b = try #require(NetworkSnapshot(dataset: bundled, day: Day(iso: "2025-06-01")!).links[k].border)
            #expect(!b.applied.contains { $0.measure == tm.id })
        }
    }

    @Test("red-sea-closure raises ocean rates as well as the days (as of 2023-11-01)")
    func redSeaMovesPrices() throws {
        let day = Day(iso: "2023-11-01")!
        let sc = try ScenarioReader.load(bundledFolder + "/scenarios/red-sea-closure.yaml", datasetFolder: bundledFolder, dataset: bundled)
        let applied = ScenarioApplier.apply([sc], to: bundled, on: day)
        let base = try #require(RouteEngine(dataset: bundled, day: day).best(from: place("shanghai"), to: place("rotterdam"), cargo: Cargo(), weights: .defaults(bundled.parameters), corridor: nil))
        let closed = try #require(RouteEngine(dataset: applied.dataset, day: day).best(from: place("shanghai"), to: place("rotterdam"), cargo: Cargo(), weights: .defaults(bundled.parameters), corridor: "maritime-cape"))
        #expect(closed.totals.days > base.totals.days + 5)
        #expect(closed.totals.usd > 2 * base.totals.usd)
        #expect(closed.legs.contains { abs($0.tariffFactor - 2.49) < 1e-9 })
    }

    @Test("crossings.csv errors name file, line and the fix")
    func crossingErrors() throws {
        let dir = try copyOfBundled()
        try ("link,side,queue,dwell_h,source\nbaku-alat,,,5,x-xinhua-2023-alashankou\nnope,,,5,x-xinhua-2023-alashankou\n"
             + "khorgos-altynkol,dostyk,,5,x-xinhua-2023-alashankou\nkhorgos-altynkol,,maybe,5,x-xinhua-2023-alashankou\n")
            .write(toFile: dir + "/crossings.csv", atomically: true, encoding: .utf8)
        do { _ = try DatasetLoader.load(folder: dir); Issue.record("accepted a crossing inside one country") } catch {
            let text = error.diagnostics.map(\.description).joined(separator: "\n")
            #expect(text.contains("crossings.csv:2:") && text.contains("does not cross a border"))
            #expect(text.contains("crossings.csv:3:") && text.contains("unknown link"))
            #expect(text.contains("crossings.csv:4:") && text.contains("side") && text.contains("khorgos or altynkol"), "\(text)")
            #expect(text.contains("crossings.csv:5:") && text.contains("must be yes"), "\(text)")
        }
    }

    @Test("a port's import clearance ('*' rows) serves sea arrivals; errors name the fix")
    func portClearance() throws {
        let link = try #require(bundled.links.firstIndex { $0.id == "shanghai-hamburg-cape" })
        let now = NetworkSnapshot(dataset: bundled, day: Day(iso: "2024-07-01")!)
        let hamburg = try #require(now.links[link].border)
        #expect(hamburg.crossing?.link == Crossing.seaArrivals && hamburg.crossing?.entering == "hamburg")
        #expect(hamburg.baseHours == 48, "LPI 2018: two days in Germany")
        let back = try #require(now.links[link].borderBack)
        #expect(back.crossing?.entering == "shanghai" && back.baseHours == 144, "the China row serves the eastbound arrival")
        let before = NetworkSnapshot(dataset: bundled, day: Day(iso: "2016-07-01")!)
        #expect(before.links[link].border?.baseHours == 72, "the 2016 survey before 2018")
        let constanta = try #require(bundled.links.firstIndex { $0.id == "shanghai-constanta-suez" })
        #expect(now.links[constanta].border?.timeFallback == true, "no Romanian figure: the general time, marked")

        // Columns: link,entering,side,queue,dwell_h,p90_over_p50,cost,cost_unit,valid_from,valid_to,source,note.
        try expectRowErrors("crossings.csv", [("*,,,,5,,,,,,x-xinhua-2023-alashankou,", "needs entering"),
                                              ("*,almaty,,,5,,,,,,x-xinhua-2023-alashankou,", "is not a port"),
                                              ("*,hamburg,hamburg,,5,,,,,,x-xinhua-2023-alashankou,", "leave side empty")])
    }

    @Test("observations: weights by how the figure was published; road runs limited to their modes")
    func observationKinds() throws {
        let rows = Calibration.compare(bundled)
        #expect(rows.count >= 40)
        #expect(Set(rows.map(\.family)).isSuperset(of: ["northern", "middle-blacksea", "middle-turkiye", "southern-iran", "maritime-suez", "maritime-cape", "road"]))
        #expect(rows.contains { $0.weight == 0.5 })
        let road = try #require(rows.first { $0.id == "obs-khorgos-istanbul-2024" })
        #expect(road.family == "road" && road.modelDays != nil)
    }
}

/// A scratch copy of the bundled dataset (CSV files only) to break on purpose.
func copyOfBundled() throws -> String {
    let dir = NSTemporaryDirectory() + "caravan-econ-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for f in try FileManager.default.contentsOfDirectory(atPath: bundledFolder) where f.hasSuffix(".csv") {
        try FileManager.default.copyItem(atPath: bundledFolder + "/" + f, toPath: dir + "/" + f)
    }
    return dir
}
