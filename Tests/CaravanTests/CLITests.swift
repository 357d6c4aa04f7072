import Testing
import Foundation

/// Runs the built `caravan` executable (beside the test binary) and captures its output.
struct CLI {
    static var executable: URL {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("caravan")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/caravan")
    }

    static func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["CARAVAN_DATA"] = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/eurasia").path
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

@Suite("Command line, end to end", .serialized)
struct CLITests {
    @Test("route prints legs and totals and fits in 80 columns")
    func routeTable() throws {
        let r = try CLI.run(["route", "Xi'an", "Duisburg", "--as-of", "2024-06-01"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("total") && r.out.contains("Duisburg"))
        #expect(r.out.split(separator: "\n").allSatisfy { $0.count <= 80 }, "a line is wider than 80 columns")
    }

    @Test("route --service consignment marks its 1520 mm legs and explains the speed; a bad kind is refused")
    func consignmentService() throws {
        let r = try CLI.run(["route", "Duisburg", "Astana", "--modes", "rail", "--service", "consignment", "--as-of", "2024-06-01"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("kz-rail*") && r.out.contains("rail_1520_consignment_km_day"))
        #expect(r.out.split(separator: "\n").allSatisfy { $0.count <= 80 }, "a line is wider than 80 columns")
        let bad = try CLI.run(["route", "Duisburg", "Astana", "--service", "wagon"])
        #expect(bad.status != 0 && bad.err.contains("--service"), "\(bad.err)")
        // A block train's answer says what a consignment would take, and it is the consignment route's total.
        let block = try CLI.run(["route", "Duisburg", "Astana", "--modes", "rail", "--as-of", "2024-06-01"])
        #expect(block.status == 0 && block.out.contains("as a consignment") && !block.out.contains("kz-rail*"), "\(block.out)")
        let json = try CLI.run(["route", "Duisburg", "Astana", "--modes", "rail", "--as-of", "2024-06-01", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let blockDays = try #require(((object["best"] as? [String: Any])?["totals"] as? [String: Any])?["days"] as? Double)
        let consignmentDays = try #require(object["consignmentDays"] as? Double)
        #expect(consignmentDays > blockDays + 1, "\(consignmentDays) vs \(blockDays)")
        #expect(block.out.contains(String(format: "%.1f days", consignmentDays)), "\(block.out)")
        // An express train says how its rail legs are timed.
        let express = try CLI.run(["route", "Xi'an", "Duisburg", "--modes", "rail", "--service", "express", "--as-of", "2024-06-01"])
        #expect(express.status == 0 && express.out.contains("rail_express_speed_factor") && !express.out.contains("as a consignment"), "\(express.out)\(express.err)")
        #expect(bad.err.contains("express"), "\(bad.err)")
    }

    @Test("route JSON has the documented fields and consistent totals")
    func routeJSON() throws {
        let r = try CLI.run(["route", "xian", "duisburg", "--as-of", "2024-06-01", "--format", "json"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let best = try #require(json["best"] as? [String: Any])
        let totals = try #require(best["totals"] as? [String: Any])
        let legs = try #require(best["legs"] as? [[String: Any]])
        let stops = try #require(best["stops"] as? [[String: Any]])
        for key in ["days", "usd", "co2eKg", "km", "borderCrossings", "generalisedCostUSD"] { #expect(totals[key] != nil, "totals.\(key)") }
        for key in ["mode", "from", "to", "km", "days", "usd", "co2eKg", "corridors"] { #expect(legs[0][key] != nil, "leg.\(key)") }
        let sum = legs.compactMap { $0["days"] as? Double }.reduce(0, +) + stops.compactMap { $0["days"] as? Double }.reduce(0, +)
        #expect(abs(sum - (totals["days"] as? Double ?? -1)) < 1e-6)
        #expect((json["pareto"] as? [Any])?.isEmpty == false)
    }

    @Test("compare lists every corridor, and GeoJSON is a FeatureCollection")
    func compare() throws {
        let r = try CLI.run(["compare", "xian", "duisburg", "--as-of", "2024-06-01", "--format", "csv"])
        #expect(r.status == 0)
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == bundled.corridors.count + 1 && lines[0].hasPrefix("corridor,"))  // header + one row per corridor
        let g = try CLI.run(["compare", "xian", "duisburg", "--as-of", "2024-06-01", "--format", "geojson"])
        let geo = try #require(try JSONSerialization.jsonObject(with: Data(g.out.utf8)) as? [String: Any])
        #expect(geo["type"] as? String == "FeatureCollection" && ((geo["features"] as? [Any])?.count ?? 0) > 5)
        // The table says where its p50 and p90 come from, with the fitted model error it includes.
        let t = try CLI.run(["compare", "xian", "duisburg", "--as-of", "2024-06-01", "--samples", "2000"])
        let note = t.out.replacingOccurrences(of: "\n  ", with: " ")
        #expect(t.status == 0 && note.contains("p50, p90: sampled transit times") && note.contains("the model's own error on land time (model_error_sigma "))
    }

    @Test("unknown and ambiguous places exit 2 with the nearest matches")
    func badPlaces() throws {
        let unknown = try CLI.run(["route", "Xien", "Duisburg"])
        #expect(unknown.status == 2 && unknown.err.contains("xian"))
        let ambiguous = try CLI.run(["route", "Astara", "Duisburg"])
        #expect(ambiguous.status == 2 && ambiguous.err.contains("astara-az") && ambiguous.err.contains("astara-ir"))
        let badDate = try CLI.run(["route", "xian", "duisburg", "--as-of", "2024-02-30"])
        #expect(badDate.status == 2 && badDate.err.contains("YYYY-MM-DD"))
    }

    @Test("no route exits 1 and says which part is unreachable")
    func noRoute() throws {
        // Before BTK opened there was no rail link into Kars from the Caucasus.
        let r = try CLI.run(["route", "alat", "kars", "--as-of", "2016-01-01", "--corridor", "middle-turkiye", "--modes", "rail,ferry,sea"])
        #expect(r.status == 1 && r.err.contains("no route"), "\(r.err)")
    }

    @Test("a malformed dataset exits 3 with file:line:column")
    func malformedDataset() throws {
        let dir = try TinyDataset.write(["links.csv": "id,from,to,mode,class,gauge,length_km,source\nx,alpha,nowhere,rail,aa-rail,1520,5,pub\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["data", "validate", dir])
        #expect(r.status == 3 && r.err.contains("links.csv:2:9:"), "\(r.err)")
    }

    @Test("data validate on the bundled data counts the estimates on the default routes and, with --list-fallbacks, names them")
    func validateFallbacks() throws {
        let r = try CLI.run(["data", "validate", "--list-fallbacks"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("border links and") && r.out.contains("ports' import clearance"), "\(r.out)")
        #expect(r.out.contains("border crossings without a measured dwell"))
        #expect(r.out.contains("transfer stops (ports, gauge changes, transshipments) on general times"))
        // Every summary count has its list, one line per stop.
        #expect(r.out.contains("    general transfer time: port handling at "))
        #expect(r.out.contains("    derived through an estimation method: shanghai -> rotterdam"), "a sea arrival takes its port's clearance")
        // A general stop names the parameter it rests on.
        #expect(r.out.contains("    general border time: boyuk-kasik -> gardabani (border_rail_handover_h)"), "\(r.out)")
        #expect(r.out.contains("    general transfer time: port handling at batumi (port_handling_h)"), "\(r.out)")
    }

    @Test("calibration --fallbacks: one row per general-time stop of the observations' routes, as a table or CSV; not with --fit")
    func calibrationFallbacks() throws {
        let table = try CLI.run(["calibration", "--fallbacks"])
        #expect(table.status == 0 && table.out.contains("border kars → kartsakhi") && table.out.contains("|err|"), "\(table.err)")
        let csv = try CLI.run(["calibration", "--fallbacks", "--format", "csv"])
        let lines = csv.out.split(separator: "\n")
        #expect(lines.first == "stop,observations,general_days,median_abs_error_pct,median_error_pct,observation_ids" && lines.count > 5, "\(csv.out)")
        let both = try CLI.run(["calibration", "--fallbacks", "--fit"])
        #expect(both.status != 0 && both.err.contains("--fallbacks"), "\(both.err)")
        let loo = try CLI.run(["calibration", "--leave-one-out"])
        #expect(loo.status != 0 && loo.err.contains("add --fit"), "\(loo.err)")
        let holdout = try CLI.run(["calibration", "--holdout-from", "2023-01-01"])
        #expect(holdout.status != 0 && holdout.err.contains("add --fit"), "\(holdout.err)")
        let late = try CLI.run(["calibration", "--fit", "--holdout-from", "2030-01-01"])
        #expect(late.status == 2 && late.err.contains("no observation is dated on or after it") && late.err.contains("observations run from 2011-03-19"), "\(late.err)")
        let bad = try CLI.run(["calibration", "--fit", "--holdout-from", "2023-13-01"])
        #expect(bad.status != 0 && bad.err.contains("is not a date"), "\(bad.err)")
    }

    @Test("data sources says where a value comes from: the source, the figure it states and the rows citing it")
    func dataSources() throws {
        let r = try CLI.run(["data", "sources", "x-xinhua-2023-alashankou"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("http://ourjiangsu.com/") && r.out.contains("2023"), "\(r.out)")
        #expect(r.out.contains("states 5 h for crossings alashankou-dostyk|dostyk|alashankou|2023-06-01 dwell_h"), "\(r.out)")
        #expect(r.out.contains("crossings.csv: line "), "\(r.out)")
        let json = try CLI.run(["data", "sources", "c-calibration", "--format", "json"])
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
        #expect((reports.first?["citations"] as? [Any])?.count ?? 0 > 5, "the fitted values cite the calibration")
        let typo = try CLI.run(["data", "sources", "x-xinhua-2023-alashankuo"])
        #expect(typo.status == 2 && typo.err.contains("x-xinhua-2023-alashankou"), "\(typo.err)")
        let search = try CLI.run(["data", "sources", "--search", "CPMM 2022 Azerbaijan"])
        #expect(search.status == 0 && search.out.contains("r-cpmm-2022-az"), "\(search.out)")
        #expect(try CLI.run(["data", "sources"]).status != 0)
        // A route's table points to the command for its stops' sources.
        let route = try CLI.run(["route", "xian", "duisburg", "--as-of", "2024-06-15", "--modes", "rail"])
        #expect(route.status == 0 && route.out.contains("caravan data sources ID"), "\(route.out)")
    }

    @Test("policy names the general parameter of the pair's borders: one-gauge rail handovers their own")
    func policyGeneralKey() throws {
        let azge = try CLI.run(["policy", "Azerbaijan", "Georgia", "--as-of", "2024-06-01"])
        #expect(azge.status == 0 && azge.out.contains("(parameters border_rail_handover_h,"), "\(azge.out)")
        let cnkz = try CLI.run(["policy", "CN", "KZ", "--as-of", "2024-06-01"])
        #expect(cnkz.status == 0 && cnkz.out.contains("(parameters border_rail_h,") && !cnkz.out.contains("handover"), "\(cnkz.out)")
        // A country with itself has no border links: its domestic lines are not listed as handovers.
        let same = try CLI.run(["policy", "KZ", "KZ", "--as-of", "2024-06-01"])
        #expect(same.status == 0 && !same.out.contains("no gauge change at either end"), "\(same.out)")
        let road = try CLI.run(["policy", "AZ", "GE", "--mode", "road", "--as-of", "2024-06-01"])
        #expect(road.status == 0 && road.out.contains("(parameters border_road_h,"), "\(road.out)")
    }

    @Test("places finds names without diacritics; TNTP folders are detected")
    func placesAndTNTP() throws {
        let r = try CLI.run(["places", "boyuk"])
        #expect(r.status == 0 && r.out.contains("Böyük"))
        let tntp = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/SiouxFalls").path
        let t = try CLI.run(["route", "1", "20", "--data", tntp, "--format", "json"])
        #expect(t.status == 0, "\(t.err)")
    }

    @Test("scenarios: bundled ones validate, compose, and an unknown one exits 2 with the list")
    func scenarios() throws {
        let v = try CLI.run(["scenario", "validate"])
        #expect(v.status == 0 && v.out.split(separator: "\n").count >= 6, "\(v.err)")
        let r = try CLI.run(["compare", "xian", "duisburg", "--as-of", "2023-06-01", "--scenario", "red-sea-closure", "--scenario", "caspian-storm", "--format", "json"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let query = try #require(json["query"] as? [String: Any])
        #expect((query["scenarios"] as? [String]) == ["red-sea-closure", "caspian-storm"])
        let bad = try CLI.run(["route", "xian", "duisburg", "--scenario", "red-sea-closur"])
        #expect(bad.status == 2 && bad.err.contains("red-sea-closure"))
        let diff = try CLI.run(["scenario", "diff", "base", "northern-route-closed", "--as-of", "2024-06-01", "--format", "csv"])
        #expect(diff.status == 0 && diff.out.hasPrefix("origin,destination"))
    }

    @Test("reliability: same seed, same JSON; a deadline gives a probability")
    func reliability() throws {
        let args = ["reliability", "xian", "duisburg", "--as-of", "2024-06-01", "--deadline", "20", "--samples", "5000", "--seed", "7", "--format", "json"]
        let a = try CLI.run(args), b = try CLI.run(args)
        #expect(a.status == 0 && a.out == b.out)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(a.out.utf8)) as? [String: Any])
        let fastest = try #require(json["fastestMean"] as? [String: Any])
        let dist = try #require(fastest["distribution"] as? [String: Any])
        let p = try #require(dist["probabilityWithinDeadline"] as? Double)
        #expect(p >= 0 && p <= 1)
    }

    @Test("criticality and hubs run on the default pairs")
    func criticalityAndHubs() throws {
        let c = try CLI.run(["criticality", "--as-of", "2024-06-01", "--format", "csv", "--quiet"])
        #expect(c.status == 0 && c.out.split(separator: "\n").count > 100)
        let h = try CLI.run(["hubs", "--as-of", "2024-06-01", "--format", "csv"])
        #expect(h.status == 0 && h.out.contains("country,KZ"))
    }

    @Test("assign: the bundled freight matrix converges; JSON has shares, bottlenecks and link flows; bad input exits 2")
    func assignFreight() throws {
        let r = try CLI.run(["assign", "--quiet", "--gap", "1e-8", "--format", "json", "--as-of", "2025-06-01"])
        #expect(r.status == 0, "\(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect((json["relativeGap"] as? Double ?? 1) <= 1e-8)
        #expect((json["bottlenecks"] as? [Any])?.count == 5)
        let shares = try #require(json["corridors"] as? [[String: Any]])
        #expect(abs(shares.reduce(0) { $0 + ($1["share"] as? Double ?? 0) } - 1) < 1e-6)
        #expect(((json["links"] as? [Any])?.count ?? 0) > 50)
        let table = try CLI.run(["assign", "--quiet", "--scale", "3"])
        #expect(table.status == 0 && table.out.contains("Five worst bottlenecks") && table.out.contains("x 3"), "\(table.err)")
        #expect(table.out.contains("Mode split") && table.out.contains("container-eu"), "the market class reports its land/sea split")
        #expect(table.out.contains("containers, all TEU classes: mean") && table.out.contains("land paths"), "the containers' mean transit, all classes together")
        let noShare = try CLI.run(["assign", "--quiet", "--fit-value-of-time", "container"])
        #expect(noShare.status == 2 && noShare.err.contains("no demand_share"), "\(noShare.err)")
        let noMeasure = try CLI.run(["assign", "--quiet", "--fit-border-risk", "no-such-measure"])
        #expect(noMeasure.status == 2 && noMeasure.err.contains("no measure 'no-such-measure'"), "\(noMeasure.err)")
        let both = try CLI.run(["assign", "--quiet", "--fit-border-risk", "eu-sanctions-by-pl", "--fit-value-of-time", "container-eu"])
        #expect(both.status == 2 && both.err.contains("give one"), "\(both.err)")
        let badDates = try CLI.run(["assign", "--quiet", "--fit-border-risk", "eu-sanctions-by-pl", "--fit-dates", "2024-13-01"])
        #expect(badDates.status == 2 && badDates.err.contains("--fit-dates"), "\(badDates.err)")
        let noLogit = try CLI.run(["assign", "--quiet", "--fit-logit", "container"])
        #expect(noLogit.status == 2 && noLogit.err.contains("has no logit split"), "\(noLogit.err)")
        let scaledFit = try CLI.run(["assign", "--quiet", "--fit-logit", "container-eu", "--scale", "3"])
        #expect(scaledFit.status == 2 && scaledFit.err.contains("leave out --scale"), "\(scaledFit.err)")
        let window = try CLI.run(["assign", "--quiet", "--as-of", "2024-07-01", "--rate-window", "365"])
        #expect(window.status == 0 && window.out.contains("mean over the 365 days to 2024-07-01"), "\(window.err)")
        let missing = try CLI.run(["assign", "--demand", "/nonexistent/demand.csv"])
        #expect(missing.status == 2 && missing.err.contains("cannot read the demand file"))
        let scale = try CLI.run(["assign", "--scale", "0"])
        #expect(scale.status == 2 && scale.err.contains("--scale"))
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-demand-\(getpid()).csv").path
        try "origin,destination,class,amount,unit\nxian,nowhere,container,5,teu_per_year\n".write(toFile: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let badRun = try CLI.run(["assign", "--demand", bad])
        #expect(badRun.status == 2 && badRun.err.contains(":2:") && badRun.err.contains("unknown place 'nowhere'"), "\(badRun.err)")
        let geo = try CLI.run(["assign", "--quiet", "--format", "geojson"])
        #expect(geo.status == 0 && geo.out.contains("FeatureCollection") && geo.out.contains("volume_capacity"))
    }

    @Test("energy: flows and bottlenecks on the bundled data; the contract basis; bad options exit 2")
    func energy() throws {
        let r = try CLI.run(["energy", "flows", "--year", "2024", "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(json["bottlenecks"] is [[String: Any]])
        let tap = try #require((json["assets"] as? [[String: Any]])?.first { $0["id"] as? String == "tap" })
        #expect((tap["flow"] as? Double ?? 0) > 10 && (tap["capacity"] as? Double) == 12, "TAP's short-term capacity of 2022-2025")
        let c = try CLI.run(["energy", "flows", "--year", "2024", "--commodity", "natural_gas", "--demand-basis", "contracts", "--format", "json"])
        #expect(c.status == 0 && c.out.contains("sd2-italy-buyers") && !c.out.contains("it-gas-tap"), "\(c.err)")
        let h = try CLI.run(["energy", "history", "--commodity", "natural_gas", "--from", "2024", "--to", "2024", "--format", "csv"])
        #expect(h.status == 0 && h.out.contains("modelled_contracts") && h.out.contains("2024,natural_gas,eu"), "\(h.err)")
        let b = try CLI.run(["energy", "bottlenecks", "--year", "2024", "--scenario", "sgc-expansion"])
        #expect(b.status == 0 && b.out.contains("no capacity binds"), "\(b.out)\(b.err)")
        let table = try CLI.run(["energy", "flows", "--year", "2032", "--scenario", "blacksea-cable", "--commodity", "electricity"])
        #expect(table.status == 0 && table.out.contains("Black Sea Submarine Cable"))
        let lp = try CLI.run(["energy", "flows", "--year", "2024", "--format", "lp"])
        #expect(lp.status == 0 && lp.out.contains("\"A_eq\""))
        #expect(try CLI.run(["energy", "flows", "--year", "1800"]).status == 2)
        #expect(try CLI.run(["energy", "bottlenecks", "--format", "geojson"]).status == 2)
        #expect(try CLI.run(["energy", "flows", "--commodity", "coal"]).status != 0)
    }
}
