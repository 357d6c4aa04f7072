import Testing
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
        for (typed, expected) in [("Tiflis", "Tbilisi"), ("Almaata", "Almaty"), ("Mailand", "Milan"), ("Tripoli, LY", "Tripoli")] {
            guard case .found(let e, _) = r.resolve(typed) else { Issue.record("\(typed) not found"); continue }
            switch e {
            case .place(let i): #expect(ReachTests.dataset.places[i].name == expected, "\(typed)")
            case .point(let p): #expect(p.name == expected, "\(typed)")
            }
        }
        guard case .found(.point(let p), _) = r.resolve("41.7151, 44.8271") else { Issue.record("coordinates"); return }
        #expect(p.country == "GE" && p.origin == .coordinates)
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
