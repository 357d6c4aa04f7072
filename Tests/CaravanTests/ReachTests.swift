import Testing
import PropertyBased
import Foundation
@testable import CaravanModel
@testable import CaravanFormats
@testable import CaravanEngine

let gazetteerPath = URL(fileURLWithPath: bundledFolder).deletingLastPathComponent().appendingPathComponent("gazetteer/cities.tsv").path

/// Cities a forwarder would type: hubs and capitals from Spain to China, the Caucasus,
/// Central and South Asia, Iran, the Gulf and Russia (our own list, 80 names).
let forwarderCities = [
    "Madrid", "Barcelona", "Valencia", "Lyon", "Paris", "Antwerp", "Brussels", "Amsterdam", "Milan", "Genoa",
    "Trieste", "Munich", "Frankfurt", "Leipzig", "Gdansk", "Krakow", "Vilnius", "Riga", "Tallinn", "Kyiv",
    "Odesa", "Chisinau", "Bucharest", "Sofia", "Athens", "Izmir", "Ankara", "Bursa", "Gaziantep", "Samsun",
    "Trabzon", "Batumi", "Kutaisi", "Yerevan", "Gyumri", "Ganja", "Sumqayit", "Nakhchivan", "Tabriz", "Tehran",
    "Isfahan", "Shiraz", "Mashhad", "Bandar Abbas", "Ashgabat", "Turkmenabat", "Bukhara", "Samarkand", "Tashkent", "Fergana",
    "Andijan", "Dushanbe", "Khujand", "Bishkek", "Osh", "Almaty", "Astana", "Karaganda", "Shymkent", "Aktobe",
    "Atyrau", "Kabul", "Mazar-e Sharif", "Kashgar", "Urumqi", "Lanzhou", "Chengdu", "Chongqing", "Wuhan", "Shenzhen",
    "Moscow", "Saint Petersburg", "Kazan", "Yekaterinburg", "Novosibirsk", "Dubai", "Baghdad", "Erbil", "Lahore", "Karachi",
]

@Suite("Reach: any city, road freight, batches")
struct ReachTests {
    static let dataset = try! DatasetLoader.load(folder: bundledFolder)
    static let gazetteer = try! GazetteerReader.load(path: gazetteerPath)

    @Test("The gazetteer parses: tens of thousands of cities, GeoNames attribution, bad lines reported with their number")
    func gazetteerFile() throws {
        let g = ReachTests.gazetteer
        #expect(g.count > 20_000)
        let head = try String(contentsOfFile: gazetteerPath, encoding: .utf8).prefix(400)
        #expect(head.contains("GeoNames") && head.contains("CC BY 4.0"))
        let e = try #require(throws: InputErrors.self) { try GazetteerReader.parse(Data("# c\n1\tA\tXX\t1\t2\t3\ta\n2\tB\tYY\tnorth\t2\t3\tb\n".utf8), file: "c.tsv") }
        #expect(e.description.contains("c.tsv:3:1"))
    }

    @Test("The one-key scan finds exactly the cities the full gazetteer has for that key")
    func keyScanMatchesFullParse() throws {
        let g = Self.gazetteer
        for key in ["milan", "mailand", "tripoli", "alexandria", "springfield", "zzzz", "a", "istanbul", "almaty", "almaata"] {
            let few = try GazetteerReader.load(path: gazetteerPath, key: key)
            let expected = Set(g.cities(withKey: key).map { g.geonameID[$0] })
            let got = Set(few.cities(withKey: key).map { few.geonameID[$0] })
            #expect(got == expected, "\(key)")
            #expect(few.count == got.count, "\(key): the scan kept lines without the key")
        }
    }

    @Test("Typos, exonyms and transliterations resolve: xain, duisberg, Tiflis, Almaata, Mailand")
    func suggestions() throws {
        let r = EndpointResolver(places: ReachTests.dataset.places, gazetteer: ReachTests.gazetteer)
        guard case .notFound(let s1) = r.resolve("xain") else { Issue.record("xain resolved"); return }
        #expect(s1.first?.hasPrefix("xian") == true)
        guard case .notFound(let s2) = r.resolve("duisberg") else { Issue.record("duisberg resolved"); return }
        #expect(s2.first?.hasPrefix("duisburg") == true)
        // A city's own name comes before another city's alternate name (GeoNames also lists "Islamabad" for Chattogram).
        for (typed, expected) in [("Tiflis", "Tbilisi"), ("Almaata", "Almaty"), ("Mailand", "Milan"), ("Tripoli, LY", "Tripoli"), ("Islamabad", "Islamabad")] {
            guard case .found(let e, _) = r.resolve(typed) else { Issue.record("\(typed) not found"); continue }
            switch e {
            case .place(let i): #expect(ReachTests.dataset.places[i].name == expected, "\(typed)")
            case .point(let p): #expect(p.name == expected, "\(typed)")
            }
        }
        guard case .found(.point(let p), _) = r.resolve("41.7151, 44.8271") else { Issue.record("coordinates"); return }
        #expect(p.country == "GE" && p.origin == .coordinates)
        // Long exonyms are kept (a cap of 12 alternates lost Heraklion, Smyrna, Constantinople).
        for (typed, expected) in [("Heraklion", "Irákleion"), ("Smyrna", "İzmir"), ("Constantinople", "Istanbul"), ("Leningrad", "Saint Petersburg")] {
            guard case .found(.point(let q), _) = r.resolve(typed) else { Issue.record("\(typed) not found"); continue }
            #expect(q.name == expected, "\(typed)")
        }
        // A name two cities bear lists both with their countries, in `places` as in `route`.
        guard case .ambiguous(let both) = r.resolve("Candia") else { Issue.record("Candia not ambiguous"); return }
        #expect(both.count == 2 && both.allSatisfy { $0.label.contains("GR") })
        // A key that is only a city's alternate name, one typo from a network place, asks: Xien is
        // one of Skien's transliterations and one letter from Xi'an.
        guard case .ambiguous(let xien) = r.resolve("Xien") else { Issue.record("Xien not ambiguous"); return }
        #expect(xien.first?.typed == "xian" && xien.contains { $0.typed == "Skien, NO" }, "\(xien)")
        let listed = try CLI.run(["places", "Candia"])
        #expect(listed.status == 0 && listed.out.contains("Irákleion") && listed.out.contains("Chaniá"), "\(listed.out)\(listed.err)")
    }

    @Test("80 cities a forwarder would type resolve, and at least 95% of them route to Duisburg and from Shanghai")
    func eightyCities() throws {
        let base = ReachTests.dataset
        let day = Day(iso: "2025-06-01")!
        let resolver = EndpointResolver(places: base.places, gazetteer: ReachTests.gazetteer, indexed: true)
        var ds = base
        var ends: [(String, Int)] = []
        for city in forwarderCities {
            guard case .found(let e, _) = resolver.resolve(city) else { Issue.record("\(city) does not resolve"); continue }
            switch e {
            case .place(let i): ends.append((city, i))
            case .point(let p):
                if let i = try? FirstLastMile.attach(p, role: .origin, to: &ds) { ends.append((city, i)) }
            }
        }
        let duisburg = try #require(ds.placeIndex["duisburg"])
        let engine = RouteEngine(dataset: ds, day: day)
        let routed = ends.filter { $0.1 != duisburg && engine.best(from: $0.1, to: duisburg, cargo: Cargo(), weights: CostWeights.defaults(ds.parameters)) != nil }
        let share = Double(routed.count + 1) / Double(forwarderCities.count)   // Duisburg itself counts as served
        #expect(share >= 0.95, "routed \(routed.count) of \(forwarderCities.count): missing \(Set(forwarderCities).subtracting(routed.map(\.0)).sorted())")
    }

    @Test("An off-network destination gets on-carriage from one of its nearest terminals, marked and estimated")
    func onCarriage() throws {
        var ds = ReachTests.dataset
        let r = EndpointResolver(places: ds.places, gazetteer: ReachTests.gazetteer)
        guard case .found(.point(let milan), _) = r.resolve("Milan") else { Issue.record("Milan"); return }
        let d = try FirstLastMile.attach(milan, role: .destination, to: &ds)
        let o = try #require(ds.placeIndex["tashkent"])
        let route = try #require(RouteEngine(dataset: ds, day: Day(iso: "2025-06-01")!).best(from: o, to: d, cargo: Cargo(), weights: CostWeights.defaults(ds.parameters)))
        let last = try #require(route.legs.last)
        #expect(last.carriage == "on-carriage" && last.estimatedLength && last.mode == .road && last.to == ds.places[d].id)
        #expect(route.legs.dropLast().allSatisfy { $0.carriage == nil })
        // Off-network places are one-way ends: no other route may pass through them.
        #expect(ds.links.filter { $0.from == ds.places[d].id }.isEmpty)
    }

    @Test("First- and last-mile legs follow the land: Dubai joins Jebel Ali and is not trucked across Hormuz, Manama (an island) is refused; Bari stays on its side of the Adriatic and Palermo goes round the Tyrrhenian; London uses the Channel Tunnel; a point at sea is an error")
    func drayageFollowsLand() throws {
        let land = try #require(ReachTests.dataset.land)
        #expect(land.isLand(lat: 41.31, lon: 69.28) == true)      // Tashkent
        #expect(land.isLand(lat: 41.5, lon: 50.5) == false)       // the Caspian
        #expect(land.isLand(lat: 43.0, lon: 34.0) == false)       // the Black Sea
        #expect(land.isLand(lat: -60, lon: 0) == nil)             // outside the mask
        // The geometry of the paths, across any number of borders (`oneBorder: false`).
        func overLand(_ a: (Double, Double), _ b: (Double, Double), oneBorder: Bool = false) -> Double? {
            guard let s = land.grid.landCell(lat: a.0, lon: a.1), let t = land.grid.landCell(lat: b.0, lon: b.1) else { return nil }
            var buffer = LandSearchBuffer()
            return land.grid.nearestOverLand(from: s, targets: [t], wanted: 1, maxKm: 10_000, oneBorder: oneBorder, buffer: &buffer).first?.1
        }
        #expect(overLand((35.34, 25.13), (37.98, 23.73)) == nil)                        // Crete–Athens: the Cretan Sea stays open
        #expect((overLand((51.5, -0.12), (48.86, 2.35)) ?? .infinity) < 500)             // London–Paris through the Channel Tunnel, drawn as land
        #expect((overLand((55.68, 12.57), (53.55, 9.99)) ?? .infinity) < 350)           // Copenhagen–Hamburg over the closed belts
        #expect((overLand((41.12, 16.87), (43.32, 21.90)) ?? 0) > 1_400)               // Bari–Niš round the Adriatic, not 480 km across
        #expect((overLand((25.2, 55.3), (27.18, 56.27)) ?? 0) > FirstLastMile.maxKm)   // Dubai–Bandar Abbas round the Gulf
        // A first or last mile crosses one border at most: Bari–Niš and Lahore–Osh cross third countries;
        // Lahore–Kashgar (Pakistan into China) and Tbilisi–Kars (Georgia into Türkiye) cross one border.
        #expect(overLand((41.12, 16.87), (43.32, 21.90), oneBorder: true) == nil)
        #expect(overLand((31.55, 74.34), (40.53, 72.80)) != nil && overLand((31.55, 74.34), (40.53, 72.80), oneBorder: true) == nil)
        #expect(overLand((31.55, 74.34), (39.47, 75.99), oneBorder: true) != nil)
        #expect(overLand((41.72, 44.79), (40.60, 43.10), oneBorder: true) != nil)
        #expect(land.grid.country(try #require(land.grid.landCell(lat: 41.31, lon: 69.28))) == "UZ")
        let r = EndpointResolver(places: ReachTests.dataset.places, gazetteer: ReachTests.gazetteer)
        var ds = ReachTests.dataset
        // Dubai reaches the Gulf's own port, Jebel Ali, and crosses to Bandar Abbas by sea; Manama, on an
        // island, has no terminal over land and is refused.
        guard case .found(.point(let dubai), _) = r.resolve("Dubai") else { Issue.record("Dubai"); return }
        let d = try FirstLastMile.attach(dubai, role: .origin, to: &ds)
        let dubaiLegs = ds.links.filter { $0.from == ds.places[d].id }
        #expect(dubaiLegs.contains { $0.to == "jebel-ali" } && !dubaiLegs.contains { $0.to == "bandar-abbas" }, "\(dubaiLegs.map(\.to))")
        guard case .found(.point(let manama), _) = r.resolve("Manama") else { Issue.record("Manama"); return }
        let e = try #require(throws: FirstLastMile.Failure.self) { try FirstLastMile.attach(manama, role: .origin, to: &ds) }
        #expect(e.description.contains("across open sea") && e.description.contains("Jebel Ali"), "\(e)")
        guard case .found(.point(let seoul), _) = r.resolve("Seoul") else { Issue.record("Seoul"); return }
        let k = try #require(throws: FirstLastMile.Failure.self) { try FirstLastMile.attach(seoul, role: .origin, to: &ds) }
        #expect(k.description.contains("closed to transit"), "North Korea is left out of the mask: \(k)")
        guard case .found(.point(let bari), _) = r.resolve("Bari") else { Issue.record("Bari"); return }
        let b = try FirstLastMile.attach(bari, role: .origin, to: &ds)
        let legs = ds.links.filter { $0.from == ds.places[b].id }
        #expect(!legs.isEmpty && !legs.contains { $0.to == "nis" || $0.to == "sofia" }, "\(legs.map(\.to))")
        // Since session 34 Bari's nearest terminals are Italian and need no detour; Palermo's lie across
        // the Tyrrhenian in a straight line, so its legs go round by land and carry that length.
        guard case .found(.point(let palermo), _) = r.resolve("Palermo") else { Issue.record("Palermo"); return }
        let p = try FirstLastMile.attach(palermo, role: .origin, to: &ds)
        let palermoLegs = ds.links.filter { $0.from == ds.places[p].id }
        #expect(palermoLegs.contains { ($0.lengthKm ?? 0) > 0 }, "a leg round the sea carries its length over land: \(palermoLegs.map { ($0.to, $0.lengthKm) })")
        let munich = try #require(ds.placeIndex["munich"])
        let route = try #require(RouteEngine(dataset: ds, day: Day(iso: "2025-06-01")!).best(from: b, to: munich, cargo: Cargo(), weights: CostWeights.defaults(ds.parameters)))
        #expect(route.legs.first?.estimatedLength == true && route.legs.first?.carriage == "pre-carriage")
        let sea = OffNetworkPoint(name: "43.0000,34.0000", country: "", lat: 43, lon: 34, origin: .coordinates)
        let s = try #require(throws: FirstLastMile.Failure.self) { try FirstLastMile.attach(sea, role: .origin, to: &ds) }
        #expect(s.description.contains("at sea"))
        let cli = try CLI.run(["route", "Manama", "Tashkent"])
        #expect(cli.status != 0 && cli.err.contains("across open sea"), "\(cli.err)")
        // Through Hormuz in the war on Iran: the sea leg to Bandar Abbas pays the war risk, and says so.
        let gulf = try CLI.run(["route", "Dubai", "Tashkent", "--as-of", "2026-06-01"])
        #expect(gulf.status == 0 && gulf.out.contains("sea Jebel Ali (Dubai) → Bandar Abbas"), "\(gulf.out)\(gulf.err)")
        #expect(gulf.out.contains("Strait of Hormuz pay war risk"), "\(gulf.out)")
    }

    @Test("India and Pakistan by sea: Mumbai-Moscow takes the North-South corridor through Bandar Abbas (INSTC); Karachi ships to Europe")
    func southAsiaBySea() throws {
        let ds = ReachTests.dataset
        let day = Day(iso: "2025-06-01")!
        let engine = RouteEngine(dataset: ds, day: day)
        let (mumbai, moscow) = (try #require(ds.placeIndex["mumbai"]), try #require(ds.placeIndex["moscow"]))
        let instc = try #require(engine.best(from: mumbai, to: moscow, cargo: Cargo(), weights: CostWeights.defaults(ds.parameters), corridor: "north-south-east"))
        #expect(instc.legs.first?.mode == .sea && instc.legs.first?.to == "bandar-abbas" && instc.legs.dropFirst().allSatisfy { $0.mode != .sea })
        #expect(instc.totals.days > 15 && instc.totals.days < 35, "\(instc.totals.days) days")
        let karachi = try #require(ds.placeIndex["karachi"]), rotterdam = try #require(ds.placeIndex["rotterdam"])
        let sea = try #require(engine.best(from: karachi, to: rotterdam, cargo: Cargo(), weights: CostWeights.defaults(ds.parameters)))
        #expect(sea.legs.allSatisfy { $0.mode == .sea } && sea.legs.count == 1)
    }

    @Test("A route is labelled with a corridor only when its links belong to that corridor alone")
    func corridorLabelOnlyWhenOne() throws {
        let ds = ReachTests.dataset
        let engine = RouteEngine(dataset: ds, day: Day(iso: "2025-06-01")!)
        for k in ds.corridors.indices { #expect(engine.corridorLabel(UInt64(1) << UInt64(k)) == ds.corridors[k].id) }
        #expect(engine.corridorLabel(0) == nil && engine.corridorLabel(0b11) == nil && engine.corridorLabel(.max) == nil)
        // Kabul to Tashkent runs on a first mile and Uzbek roads that several corridors share: no corridor's name.
        let cli = try CLI.run(["route", "Kabul", "Tashkent", "--as-of", "2025-06-01", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(cli.out.utf8)) as? [String: Any])
        let best = try #require(json["best"] as? [String: Any])
        #expect(best["corridor"] == nil && best["corridorName"] as? String == "shared links only", "\(best["corridorName"] ?? "")")
    }

    @Test("Western Europe by rail: Madrid, Barcelona, Paris, Antwerp and the Italian terminals from Duisburg on published lengths; Milan is joined to Milano Smistamento by a short on-carriage")
    func westernEuropeByRail() throws {
        for to in ["Madrid", "Barcelona", "Paris", "Antwerp", "Verona", "Novara"] {
            let r = try CLI.run(["route", "Duisburg", to, "--modes", "rail", "--as-of", "2025-06-01", "--format", "json"])
            #expect(r.status == 0, "\(to): \(r.err)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
            let legs = try #require((json["best"] as? [String: Any])?["legs"] as? [[String: Any]], "\(to)")
            #expect(!legs.isEmpty && legs.allSatisfy { $0["mode"] as? String == "rail" && $0["estimatedLength"] as? Bool == false }, "\(to): \(legs)")
        }
        // Madrid is on Iberian gauge: the route changes gauge once, where the standard-gauge lines end.
        let madrid = try CLI.run(["route", "Duisburg", "Madrid", "--modes", "rail", "--as-of", "2025-06-01", "--format", "json"])
        let stops = try #require(((try JSONSerialization.jsonObject(with: Data(madrid.out.utf8)) as? [String: Any])?["best"] as? [String: Any])?["stops"] as? [[String: Any]])
        let gauge = stops.filter { $0["kind"] as? String == "gauge_change" }
        #expect(gauge.count == 1 && ["barcelona", "irun"].contains(gauge.first?["place"] as? String ?? ""), "\(gauge)")
        // Milan stays a city off the network: the train ends at Milano Smistamento (Segrate), then a few km by road.
        let milan = try CLI.run(["route", "Tashkent", "Milan", "--as-of", "2025-06-01", "--format", "json"])
        let legs = try #require(((try JSONSerialization.jsonObject(with: Data(milan.out.utf8)) as? [String: Any])?["best"] as? [String: Any])?["legs"] as? [[String: Any]])
        let last = try #require(legs.last)
        #expect(last["carriage"] as? String == "on-carriage" && last["from"] as? String == "milano-smistamento", "\(last)")
        #expect((last["km"] as? Double ?? .infinity) < 30, "\(last)")
    }

    @Test("A first or last mile crosses one border at most, and a closure measure on that border closes it")
    func drayageOneBorder() throws {
        // Lahore is trucked into China (the Karakoram), not across a third country to Osh.
        let lahore = try CLI.run(["route", "Lahore", "Duisburg", "--as-of", "2025-06-01", "--format", "json"])
        #expect(lahore.status == 0, "\(lahore.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(lahore.out.utf8)) as? [String: Any])
        let first = try #require(((json["best"] as? [String: Any])?["legs"] as? [[String: Any]])?.first)
        let to = try #require(first["to"] as? String)
        #expect(first["carriage"] as? String == "pre-carriage" && ["PK", "CN", "IR", "AF", "IN"].contains(ReachTests.dataset.place(to)?.country ?? ""), "\(to)")
        // Srinagar's terminals in reach lie in China and Pakistan, and neither border carries freight by road.
        let srinagar = try CLI.run(["route", "Srinagar", "Duisburg", "--as-of", "2025-06-01"])
        #expect(srinagar.status != 0 && srinagar.err.contains("cn-in-no-freight-crossing") && srinagar.err.contains("in-pk-closure"), "\(srinagar.err)")
        // Delhi is trucked to its own country's port, Mumbai (Nhava Sheva), and ships from there.
        let delhi = try CLI.run(["route", "Delhi", "Duisburg", "--as-of", "2025-06-01", "--format", "json"])
        let dj = try #require(try JSONSerialization.jsonObject(with: Data(delhi.out.utf8)) as? [String: Any])
        let dlegs = try #require((dj["best"] as? [String: Any])?["legs"] as? [[String: Any]])
        #expect(dlegs.first?["to"] as? String == "mumbai" && dlegs.dropFirst().first?["mode"] as? String == "sea", "\(dlegs.map { $0["to"] ?? "" })")
        // Cairo's nearest terminal, Mersin, lies beyond the Levant.
        let cairo = try CLI.run(["route", "Cairo", "Duisburg"])
        #expect(cairo.status != 0 && cairo.err.contains("beyond a third country"), "\(cairo.err)")
    }

    @Test("A seasonal closure (measure months) shuts the Khunjerab Pass from December to March until it opened year-round, and the error names it")
    func seasonalClosure() throws {
        let m = try #require(ReachTests.dataset.measures.first { $0.id == "cn-pk-khunjerab-winter" })
        #expect(m.months == [12, 1, 2, 3])
        #expect(m.inForce(on: Day(iso: "2024-01-15")!) && !m.inForce(on: Day(iso: "2023-06-15")!) && !m.inForce(on: Day(iso: "2025-01-15")!))
        func road(_ day: String) throws -> (status: Int32, out: String, err: String) {
            try CLI.run(["route", "Islamabad", "Kashgar", "--modes", "road", "--as-of", day])
        }
        let summer = try road("2023-06-15"), winter = try road("2024-01-15"), yearRound = try road("2025-01-15")
        #expect(summer.status == 0 && summer.out.contains("pre-carriage Islamabad → Kashgar"), "\(summer.err)")
        #expect(winter.status != 0 && winter.err.contains("closed between them") && winter.err.contains("cn-pk-khunjerab-winter"), "\(winter.err)")
        #expect(yearRound.status == 0, "\(yearRound.err)")
        let covid = try road("2020-07-01")
        #expect(covid.status != 0 && covid.err.contains("cn-pk-khunjerab-covid"), "\(covid.err)")
        // policy names a seasonal measure out of season, so a summer answer does not hide the winter closure.
        let policy = try CLI.run(["policy", "China", "Pakistan", "--mode", "road", "--as-of", "2023-06-15"])
        #expect(policy.status == 0 && policy.out.contains("out of season on this date") && policy.out.contains("[cn-pk-khunjerab-winter], in force in months 1, 2, 3, 12"), "\(policy.out)")
        let policyJSON = try CLI.run(["policy", "CN", "PK", "--mode", "road", "--as-of", "2023-06-15", "--format", "json"])
        #expect(policyJSON.out.contains("\"outOfSeason\"") && policyJSON.out.contains("cn-pk-khunjerab-winter"), "\(policyJSON.out)")
        let inSeason = try CLI.run(["policy", "China", "Pakistan", "--mode", "road", "--as-of", "2024-01-15"])
        #expect(!inSeason.out.contains("out of season") && inSeason.out.contains("CLOSED"), "\(inSeason.out)")
        try expectRowErrors("measures.csv", [("x-season,Season,closure,pair:CN-PK,,,,,yes,,,p-dawn-2024-khunjerab,,road,12;13", "'13' is not a month 1-12")])
    }

    @Test("Paths over land equal a brute-force Bellman-Ford on small random grids (with and without countries, one border at most), and never undercut the straight line")
    func landPathsMatchBruteForce() async throws {
        await propertyCheck(count: 80, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let rows = 3 + Int.random(in: 0..<6, using: &rng), cols = 3 + Int.random(in: 0..<6, using: &rng)
            let lat0 = Double.random(in: -10..<70, using: &rng)
            // Bands of 0.5 degree with random land runs of whole cells.
            var bands: [LandMask.Band] = []
            for r in 0..<rows {
                var runs: [Double] = []
                var c = 0
                while c < cols {
                    if Bool.random(using: &rng) || Bool.random(using: &rng) {
                        let s = c
                        while c < cols && Int.random(in: 0..<4, using: &rng) > 0 { c += 1 }
                        if c > s { runs += [Double(s) * 0.5, Double(c) * 0.5] }
                    }
                    c += 1
                }
                if runs.isEmpty { runs = [0, 0.5] }
                // Odd seeds name a random country per run: paths then cross one border at most, out of the start's country.
                let names = seed % 2 == 1 ? (0..<runs.count / 2).map { _ in ["AA", "BB", "CC"][Int.random(in: 0..<3, using: &rng)] } : nil
                bands.append(LandMask.Band(latFrom: lat0 + Double(r) * 0.5, latTo: lat0 + Double(r + 1) * 0.5, runs: runs, countries: names))
            }
            let mask = LandMask(bands: bands)
            let g = mask.grid
            let landCells = (0..<g.land.count).filter { g.land[$0] != 0 }
            guard landCells.count >= 2 else { return }
            let start = landCells[Int.random(in: 0..<landCells.count, using: &rng)]
            // Bellman-Ford over the same moves.
            var dist = [Double](repeating: .infinity, count: g.land.count)
            dist[start] = 0
            func centre(_ c: Int) -> (Double, Double) { (g.lat0 + (Double(c / g.cols) + 0.5) * g.cellDeg, g.lon0 + (Double(c % g.cols) + 0.5) * g.cellDeg) }
            let ns = Geo.earthRadiusKm * g.cellDeg * .pi / 180
            for _ in 0..<g.land.count {
                for c in landCells where dist[c] < .infinity {
                    let r = c / g.cols, k = c % g.cols
                    for dr in -1...1 { for dk in -1...1 where dr != 0 || dk != 0 {
                        let rr = r + dr, kk = k + dk
                        guard rr >= 0, rr < g.rows, kk >= 0, kk < g.cols, g.land[rr * g.cols + kk] != 0 else { continue }
                        guard g.countries.isEmpty || g.land[c] == g.land[start] || g.land[rr * g.cols + kk] == g.land[c] else { continue }
                        let ew = ns * cos((g.lat0 + (Double(r) + 0.5 + Double(dr) / 2) * g.cellDeg) * .pi / 180)
                        let step = dr == 0 ? ew : (dk == 0 ? ns : (ew * ew + ns * ns).squareRoot())
                        dist[rr * g.cols + kk] = min(dist[rr * g.cols + kk], dist[c] + step)
                    } }
                }
            }
            var buffer = LandSearchBuffer()
            let found = g.nearestOverLand(from: start, targets: landCells, wanted: landCells.count, maxKm: .infinity, buffer: &buffer)
            let reachable = landCells.filter { dist[$0] < .infinity }
            #expect(found.count == reachable.count)
            for (i, km) in found {
                #expect(abs(km - dist[landCells[i]]) < 1e-6)
                let (a, b) = (centre(start), centre(landCells[i]))
                #expect(km >= Geo.distanceKm(lat1: a.0, lon1: a.1, lat2: b.0, lon2: b.1) * 0.999)
            }
            #expect(zip(found, found.dropFirst()).allSatisfy { $0.1 <= $1.1 }, "nearest first")
        }
    }

    @Test("land-mask.csv rows are checked: bands south to north, runs west to east, known sources")
    func landMaskRowErrors() throws {
        try expectRowErrors("land-mask.csv", [
            ("89.0,88.0,10.0 11.0,NO,g-naturalearth-50m-land", "must be above lat_from"),
            ("40.0,40.1,10.0 11.0,NO,g-naturalearth-50m-land", "must not overlap"),
            ("89.0,89.1,12.0 11.0,NO,g-naturalearth-50m-land", "west to east"),
            ("89.0,89.1,10.0 11.0;10.5 12.0,NO;NO,g-naturalearth-50m-land", "after the previous run"),
            ("89.0,89.1,10.0 east,NO,g-naturalearth-50m-land", "is not 'from to'"),
            ("89.0,89.1,10.0 11.0,NO,no-such-source", "unknown source 'no-such-source'"),
            ("89.0,89.1,10.0 11.0;12.0 13.0,NO,g-naturalearth-50m-land", "1 countries for 2 runs"),
            ("89.0,89.1,10.0 11.0,Norway,g-naturalearth-50m-land", "'Norway' is not a country code"),
            ("89.0,89.1,10.0 11.0,,g-naturalearth-50m-land", "countries"),
        ])
        // A grid too fine to hold in memory is refused, not allocated.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-land-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: bundledFolder, toPath: dir.path)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "lat_from,lat_to,lon_runs,source\n-80,-79.999,-170 170,g-naturalearth-50m-land\n80,81,0 1,g-naturalearth-50m-land\n"
            .write(to: dir.appendingPathComponent("land-mask.csv"), atomically: true, encoding: .utf8)
        let e = try #require(throws: InputErrors.self) { try DatasetLoader.load(folder: dir.path) }
        #expect(e.description.contains("land-mask.csv:2") && e.description.contains("more than 20000000"), "\(e)")
    }

    @Test("A route that is only the last mile is on-carriage, not pre-carriage")
    func lastMileOnly() throws {
        var ds = ReachTests.dataset
        let r = EndpointResolver(places: ds.places, gazetteer: ReachTests.gazetteer)
        guard case .found(.point(let augsburg), _) = r.resolve("Augsburg") else { Issue.record("Augsburg"); return }
        let d = try FirstLastMile.attach(augsburg, role: .destination, to: &ds)
        let o = try #require(ds.placeIndex["munich"])
        let route = try #require(RouteEngine(dataset: ds, day: Day(iso: "2025-06-01")!).best(from: o, to: d, cargo: Cargo(), weights: CostWeights.defaults(ds.parameters)))
        #expect(route.legs.count == 1 && route.legs[0].carriage == "on-carriage", "\(route.legs.map { ($0.from, $0.to, $0.carriage ?? "-") })")
    }

    @Test("Khorgos to Istanbul by road and ferry: a truck route across the Caspian, no rail")
    func truckAcrossCaspian() throws {
        let r = try CLI.run(["compare", "Khorgos", "Istanbul", "--modes", "road,ferry", "--as-of", "2024-06-01", "--format", "json", "--samples", "200"])
        #expect(r.status == 0, "\(r.err)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let best = try #require(obj["best"] as? [String: Any])
        let modes = Set((best["legs"] as? [[String: Any]] ?? []).compactMap { $0["mode"] as? String })
        #expect(modes.contains("road") && modes.contains("ferry") && !modes.contains("rail"), "\(modes)")
    }

    @Test("A truck rides a ro-ro ferry: it drives on and off, and pays the line's published truck tariff in each direction")
    func truckOnRoRo() throws {
        let ds = try RouteOptions(modes: [.road, .ferry]).apply(to: bundled).get(), p = ds.parameters
        let engine = RouteEngine(dataset: ds, day: Day(iso: "2025-06-01")!)
        let truckTEU = try #require(p.values[.truckTEU]), usdPerEUR = try #require(p.values[.usdPerEUR])
        func route(_ a: String, _ b: String, via: [String]) throws -> Route {
            try #require(engine.best(from: ds.placeIndex[a]!, via: via.map { ds.placeIndex[$0]! }, to: ds.placeIndex[b]!, cargo: Cargo(),
                                     weights: CostWeights.defaults(p)))
        }
        func fare(_ link: String, entering: String) throws -> Double {
            let row = try #require(ds.ferryTariffs.first { $0.link == link && $0.vehicle == .truck && ($0.entering == entering || $0.entering == nil) })
            return try #require(row.usd(p))
        }
        // Westbound and eastbound over Batumi-Varna: one TEU pays its share of the direction's truck tariff.
        // Each direction's aboard edge carries its own tariff (per TEU, border included).
        let l = try #require(ds.links.firstIndex { $0.id == "batumi-varna-ferry" })
        let border = try #require(engine.network.snapshot.links[l].border).usdPerTEU
        #expect(abs(engine.network.usdPerTEU[Int(engine.network.linkAboardForwardEdge[l])] - (try fare("batumi-varna-ferry", entering: "varna") / truckTEU + border)) < 1e-9)
        #expect(abs(engine.network.usdPerTEU[Int(engine.network.linkAboardBackwardEdge[l])] - (try fare("batumi-varna-ferry", entering: "batumi") / truckTEU + border)) < 1e-9)
        // Westbound the truck fare is the cheapest way across.
        for (a, b, via, entering) in [("tbilisi", "sofia", ["batumi", "varna"], "varna")] {
            let r = try route(a, b, via: via)
            let leg = try #require(r.legs.first { $0.truckAboard == true }, "\(a)-\(b): no truck aboard")
            #expect(leg.links == ["batumi-varna-ferry"] && leg.truckFareSources == ["t-aircuz-2025-varna-batumi"])
            #expect(abs(leg.usd - (try fare("batumi-varna-ferry", entering: entering)) / truckTEU) < 1e-9, "\(a)-\(b): \(leg.usd)")
            // It drove on before the ferry and off after it, at the general ro-ro time, with no crane move.
            let li = try #require(r.legs.firstIndex(of: leg))
            let roRo = r.stops.filter { $0.kind == .roRo }
            #expect(roRo.count == 2 && roRo[0].beforeLeg == li && roRo[1].beforeLeg == li + 1, "\(roRo)")
            #expect(roRo.allSatisfy { abs($0.days - p[.roroTransferH] / 24) < 1e-9 && $0.co2eKg == 0 && $0.generalParameter == "roro_transfer_h" })
            #expect(!r.stops.contains { $0.kind == .portHandling })
        }
        #expect(abs(try fare("batumi-varna-ferry", entering: "batumi") - 1820 * usdPerEUR) < 1e-9)
        // A line without a published tariff charges the class tariff per TEU, and says so (no fare sources).
        let burgas = try route("tbilisi", "sofia", via: ["burgas"])
        let leg = try #require(burgas.legs.first { $0.truckAboard == true })
        #expect(leg.links == ["batumi-burgas-ferry"] && leg.truckFareSources == nil)
        let snap = NetworkSnapshot(dataset: ds, day: Day(iso: "2025-06-01")!)
        let link = try #require(snap.links.first { ds.links[$0.index].id == "batumi-burgas-ferry" })
        #expect(abs(leg.usd - link.usdPerTEU) < 1e-9)
        // The text output names the truck leg and marks both kinds of tariff.
        let text = try CLI.run(["route", "Tbilisi", "Sofia", "--modes", "road,ferry", "--via", "batumi", "--as-of", "2025-06-01"])
        #expect(text.status == 0 && text.out.contains("truck on ferry Batumi → Varna") && text.out.contains("drive on at Batumi") && text.out.contains("line fare"), "\(text.out)")
    }

    @Test("--cargo truck: a truck stays on its wheels (road, ferries ridden aboard), priced per truck at a truck's value of time")
    func truckCargo() throws {
        let r = try CLI.run(["route", "Khorgos", "Istanbul", "--cargo", "truck", "--as-of", "2025-06-01", "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let best = try #require(obj["best"] as? [String: Any])
        let legs = try #require(best["legs"] as? [[String: Any]]), stops = try #require(best["stops"] as? [[String: Any]])
        #expect(legs.contains { $0["mode"] as? String == "ferry" }, "the truck crosses a sea")
        for leg in legs {
            let mode = leg["mode"] as? String ?? ""
            #expect(mode == "road" || (mode == "ferry" && leg["truckAboard"] as? Bool == true), "\(leg)")
        }
        #expect(stops.allSatisfy { ["border", "ro_ro"].contains($0["kind"] as? String ?? "") }, "no crane, rail or gauge move")
        let p = bundled.parameters
        let weights = try #require((obj["query"] as? [String: Any])?["weights"] as? [String: Any])
        let vot = try #require(weights["valueOfTimeUSDPerTEUDay"] as? Double)
        #expect(abs(vot - p[.valueOfTimeUSDPerTruckDay] / p[.truckTEU]) < 1e-9)
        // The table names the truck, its TEU-equivalents and its value of time per truck-day.
        let text = try CLI.run(["route", "Khorgos", "Istanbul", "--cargo", "truck", "--as-of", "2025-06-01"])
        #expect(text.out.contains("1 truck (2.0 TEU-equivalents)") && text.out.contains("a truck-day)"), "\(text.out)")
        let rail = try CLI.run(["route", "Khorgos", "Istanbul", "--cargo", "truck", "--modes", "rail,road"])
        #expect(rail.status == 2 && rail.err.contains("a truck travels by road and on ro-ro ferries, not by rail"), "\(rail.err)")
        // No truck route inside the Black Sea corridor to Istanbul, though the places are connected:
        // the answer names the restriction, not a gap in the network.
        let inCorridor = try CLI.run(["route", "Khorgos", "Istanbul", "--cargo", "truck", "--corridor", "middle-blacksea", "--as-of", "2025-06-01"])
        #expect(inCorridor.status == 1 && inCorridor.err.contains("are connected on 2025-06-01"), "\(inCorridor.err)")
        // Compiled for a truck: only road and truck-aboard states.
        let ds = try RouteOptions(truck: true).apply(to: bundled).get()
        let net = CompiledNetwork(NetworkSnapshot(dataset: ds, day: Day(iso: "2025-06-01")!))
        #expect(Set(net.stateClass) == [.road, .vehicleAboard])
    }

    @Test("A line that takes no road vehicles (ferries.csv trucks_per_sailing 0): from December 2017 a truck crosses the Caspian from Kuryk, not on the Aktau feeder, which still carries containers")
    func feederTakesNoTrucks() throws {
        let truck = try RouteOptions(truck: true).apply(to: bundled).get()
        let w = CostWeights.defaults(truck.parameters)
        func crossing(_ ds: Dataset, _ date: String) throws -> [String] {
            let r = try #require(RouteEngine(dataset: ds, day: Day(iso: date)!).best(from: place("aktau"), to: place("alat"), cargo: Cargo(), weights: w))
            return r.legs.filter { $0.mode == .ferry }.flatMap(\.links)
        }
        let (before, after, container) = (try crossing(truck, "2017-06-01"), try crossing(truck, "2024-06-01"), try crossing(bundled, "2024-06-01"))
        #expect(before == ["aktau-alat-ferry"], "trucks sailed from Aktau before Kuryk's berth")
        #expect(after == ["kuryk-alat-ferry"])
        #expect(container == ["aktau-alat-ferry"], "containers keep the feeder")
        let snap = NetworkSnapshot(dataset: truck, day: Day(iso: "2024-06-01")!)
        let net = CompiledNetwork(snap)
        let i = try #require(truck.linkIndex["aktau-alat-ferry"]), k = try #require(truck.linkIndex["kuryk-alat-ferry"])
        #expect(!snap.links[i].carriesRoadVehicles && snap.links[k].carriesRoadVehicles)
        #expect(net.edges(ofLink: i).allSatisfy { net.corridorMask[Int($0)] == 0 }, "every aboard edge of the feeder is shut")
        // A truck kept to the ferry at Aktau has no way out, and the error says why.
        let stuck = try CLI.run(["route", "Aktau", "Alat", "--cargo", "truck", "--modes", "ferry", "--as-of", "2024-06-01"])
        #expect(stuck.status != 0 && stuck.err.contains("takes no trucks then") && stuck.err.contains("aktau-alat-ferry"), "\(stuck.err)")
        // data validate says which lines take no trucks on the day.
        let v = try CLI.run(["data", "validate"])
        #expect(v.out.contains("take no trucks on") && v.out.contains("aktau-alat-ferry"), "\(v.out)")
    }

    @Test("A fare carried to a line by a stated estimate (Ukrferry's Batumi fare at Poti from April 2026) is charged and marked est. fare; before that date the class tariff, marked ‡")
    func estimatedLineFare() throws {
        let args = ["route", "Poti", "Varna", "--cargo", "truck", "--modes", "ferry"]
        let after = try CLI.run(args + ["--as-of", "2026-06-01"])
        #expect(after.status == 0 && after.out.contains("truck on ferry Poti → Varna") && after.out.contains("est. fare"), "\(after.out)")
        #expect(after.out.contains("est. fare: a published fare applied here by a stated") && !after.out.contains("line fare"), "\(after.out)")
        let before = try CLI.run(args + ["--as-of", "2026-03-01"])
        #expect(before.status == 0 && before.out.contains("truck on ferry Poti → Varna") && !before.out.contains("fare: "), "\(before.out)")
        #expect(before.out.contains("‡ no published truck tariff"), "\(before.out)")
        let json = try CLI.run(args + ["--as-of", "2026-06-01", "--format", "json"])
        #expect(json.status == 0 && json.out.contains("t-est-poti-as-batumi") && json.out.contains("\"truckFareEstimated\" : true"), "\(json.out)")
        // Without the estimate the fare differs: the line's published fare is charged, not the class tariff.
        #expect(after.out != before.out)
    }

    @Test("--cargo trailer: an unaccompanied semi-trailer pays the line's trailer fare, is towed on and off, and its next tractor starts rested")
    func trailerCargo() throws {
        let p = bundled.parameters
        let truckTEU = try #require(p.values[.truckTEU]), usdPerEUR = try #require(p.values[.usdPerEUR])
        let trailerFare = try #require(bundled.ferryTariffs.first { $0.link == "batumi-varna-ferry" && $0.vehicle == .trailer && $0.entering == "varna" })
        let truckFare = try #require(bundled.ferryTariffs.first { $0.link == "batumi-varna-ferry" && $0.vehicle == .truck && $0.entering == "varna" })
        #expect(trailerFare.amount != truckFare.amount, "the test needs different fares")
        let r = try CLI.run(["route", "Tbilisi", "Sofia", "--cargo", "trailer", "--via", "batumi,varna", "--as-of", "2025-06-01", "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let best = try #require(obj["best"] as? [String: Any])
        let legs = try #require(best["legs"] as? [[String: Any]]), stops = try #require(best["stops"] as? [[String: Any]])
        let sea = try #require(legs.first { $0["truckAboard"] as? Bool == true })
        #expect(sea["aboardVehicle"] as? String == "trailer" && sea["truckFareSources"] as? [String] == trailerFare.sources, "\(sea)")
        // One trailer (truck_teu TEU-equivalents) pays the trailer fare, not the truck's.
        #expect(trailerFare.usd(p) == 990 * usdPerEUR && truckTEU > 1)
        #expect(abs((sea["usd"] as? Double ?? 0) - 990 * usdPerEUR) < 1e-6, "\(sea)")
        let roRo = stops.filter { $0["kind"] as? String == "ro_ro" }
        #expect(roRo.count == 2 && roRo.allSatisfy { ($0["detail"] as? String ?? "").hasPrefix("trailer towed") }, "\(roRo)")
        // The stop where it comes off says, in JSON as well, that no wait for a tractor is counted.
        let offDetail = try #require(roRo.last?["detail"] as? String)
        #expect(offDetail.contains("no wait for a tractor counted"), "\(roRo)")
        // Its default value of time is the goods' (per TEU-equivalent), not a truck and driver's day.
        let weights = try #require((obj["query"] as? [String: Any])?["weights"] as? [String: Any])
        #expect(weights["valueOfTimeUSDPerTEUDay"] as? Double == p[.valueOfTimeUSDPerTEUDay])
        // The table says what sails and which fare it paid.
        let text = try CLI.run(["route", "Tbilisi", "Sofia", "--cargo", "trailer", "--via", "batumi,varna", "--as-of", "2025-06-01"])
        #expect(text.out.contains("1 unaccompanied semi-trailer") && text.out.contains("trailer on ferry Batumi → Varna") && text.out.contains("tow on at Batumi")
                && text.out.contains("published trailer tariff"), "\(text.out)")
        // No driver sails: the road leg after the ferry starts with a rested crew. With a truck, the
        // driver's rest aboard does the same here; so compare the clocks on a long drive after a short sailing.
        let rules = try #require(p.drivingRules)
        var legsA = [RouteLeg(mode: .road, linkClass: "road-truck", from: "a", to: "b", via: [], links: [], km: 700, days: 0, waitDays: 0, usd: 0, co2eKg: 0, corridors: [], estimatedLength: false),
                     RouteLeg(mode: .ferry, linkClass: "ferry", from: "b", to: "c", via: [], links: [], km: 50, days: 0.1, waitDays: 0, usd: 0, co2eKg: 0, corridors: [], estimatedLength: false),
                     RouteLeg(mode: .road, linkClass: "road-truck", from: "c", to: "d", via: [], links: [], km: 700, days: 0, waitDays: 0, usd: 0, co2eKg: 0, corridors: [], estimatedLength: false)]
        var legsB = legsA
        RouteEngine.timeTruckLegs(&legsA, driving: [rules.drivingH, 0, rules.drivingH], stops: [], rules: rules)
        RouteEngine.timeTruckLegs(&legsB, driving: [rules.drivingH, 0, rules.drivingH], stops: [], rules: rules, unaccompanied: true)
        let accompanied = legsA[2].restDays ?? 0, alone = legsB[2].restDays ?? 0
        let shortestRest = rules.reducedRestsPerWeek > 0 ? min(rules.reducedRestH, rules.dailyRestH) : rules.dailyRestH
        #expect(alone < shortestRest / 24 && accompanied - alone >= shortestRest / 24 - 1e-9, "accompanied: \(accompanied), unaccompanied: \(alone)")
        // Rail is not for a trailer on its own wheels.
        let bad = try CLI.run(["route", "Tbilisi", "Sofia", "--cargo", "trailer", "--modes", "rail"])
        #expect(bad.status == 2 && bad.err.contains("a trailer travels by road and on ro-ro ferries"), "\(bad.err)")
    }

    @Test("Compiled ro-ro: trucks ride only ferry links, drive on and off only at ports, and containers still go by crane")
    func compiledRoRo() throws {
        let net = CompiledNetwork(NetworkSnapshot(dataset: bundled, day: Day(iso: "2025-06-01")!))
        var aboardLinks = Set<Int>()
        for e in 0..<net.edgeCount {
            let head = Int(net.graph.head[e]), tail = Int(net.tailOf(edge: e))
            switch net.edgeKind[e] {
            case .linkForward, .linkBackward:
                let link = bundled.links[Int(net.edgeRef[e])]
                if net.isAboard(edge: e) { aboardLinks.insert(Int(net.edgeRef[e])); #expect(link.mode == .ferry, "\(link.id)") }
            case .roRo:
                let place = bundled.places[Int(net.edgeRef[e])]
                #expect(place.functions.contains(.port), "\(place.id)")
                let classes = Set([net.stateClass[head], net.stateClass[tail]])
                #expect(classes == [.road, .vehicleAboard], "\(place.id): \(classes)")
            case .through:
                #expect(net.stateClass[head] == net.stateClass[tail])
            default:
                #expect(net.stateClass[head] != .vehicleAboard && net.stateClass[tail] != .vehicleAboard, "a truck aboard leaves only by driving off")
            }
        }
        let ferries = Set(bundled.links.indices.filter { bundled.links[$0].mode == .ferry })
        #expect(aboardLinks == ferries)
        for l in ferries { #expect(net.edges(ofLink: l).count == 4 && net.linkForwardEdge[l] >= 0 && !net.isAboard(edge: Int(net.linkForwardEdge[l]))) }
    }

    @Test("Batches: --pairs reports a bad row by line, routes the others and exits 2; matrix routes every pair")
    func batches() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pairs-\(UUID().uuidString).csv")
        try "origin,destination\nxian,duisburg\nnowhere-at-all,baku\nMilan,Tashkent\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["route", "--pairs", file.path, "--format", "csv", "--as-of", "2025-06-01"])
        #expect(r.status == 2)
        #expect(r.err.contains(":3:") && r.err.contains("nowhere-at-all"))
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 4 && lines[1].contains(",ok,") && lines[2].contains(",invalid,") && lines[3].contains("pre-carriage"))
        let m = try CLI.run(["matrix", "--from", "xian,Chengdu", "--to", "Duisburg,Baku", "--as-of", "2025-06-01"])
        #expect(m.status == 0, "\(m.err)")
        #expect(m.out.split(separator: "\n").count == 5)
    }
}
