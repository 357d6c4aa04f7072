import Testing
import Foundation
import CaravanModel
@testable import CaravanFormats

/// A minimal valid dataset, as files, that each test breaks in one place.
enum TinyDataset {
    static let files: [String: String] = [
        "sources.csv": """
        id,kind,publisher,title,year,url
        pub,publication,Test Publisher,A report,2024,https://example.org/report
        est,estimate,,Great-circle distance times 1.2,,
        """,
        "countries.csv": "code,name,source\nAA,Aland,pub\nBB,Bland,pub\n",
        "corridors.csv": "id,name,description\nnorth,North,Test corridor\n",
        "emission_factors.csv": "id,mode,co2e_g_tkm,source\nrail-e,rail,20,pub\n",
        "link_classes.csv": "id,mode,speed_kmh,tariff_usd_teu_fixed,tariff_usd_teu_km,emission_factor,source\naa-rail,rail,40,0,0.5,rail-e,pub\n",
        "parameters.csv": "key,value,unit,source\n" + ParameterKey.all(.always).map { "\($0.rawValue),\($0 == .teuPayloadT ? "10" : $0.rawValue.hasPrefix("circuity") || $0 == .feuTEU ? "1.2" : "5"),\($0.unit),est" }.joined(separator: "\n") + "\n",
        "places.csv": """
        id,name,country,kind,lat,lon,functions,aliases,source
        alpha,Álpha,AA,city,40,50,intermodal,Alfa;A-Town,pub
        beta,Beta,BB,city,41,52,,,pub
        gamma,Gamma,BB,city,42,53,,,pub
        """,
        "links.csv": """
        id,from,to,mode,class,gauge,length_km,source
        alpha-beta,alpha,beta,rail,aa-rail,1520,200,pub
        beta-gamma,beta,gamma,rail,aa-rail,1520,,est
        """,
    ]

    /// Writes the files (with replacements) to a fresh temporary folder.
    static func write(_ changes: [String: String] = [:], remove: [String] = []) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files.merging(changes, uniquingKeysWith: { $1 }) where !remove.contains(name) {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    static func errors(_ changes: [String: String], remove: [String] = []) throws -> [String] {
        let dir = try write(changes, remove: remove)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do { _ = try DatasetLoader.load(folder: dir); return [] } catch { return error.diagnostics.map(\.description) }
    }
}

@Suite("Dataset loading and validation")
struct DatasetLoaderTests {
    @Test("the tiny dataset loads with its values")
    func loads() throws {
        let dir = try TinyDataset.write()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ds = try DatasetLoader.load(folder: dir)
        #expect(ds.places.map(\.id) == ["alpha", "beta", "gamma"])
        #expect(ds.links[0].lengthKm == 200 && ds.links[1].lengthKm == nil)
        #expect(ds.places[0].functions == [.intermodal] && ds.places[0].aliases == ["Alfa", "A-Town"])
        #expect(ds.parameters[.teuPayloadT] == 10)
    }

    @Test("dated periods may not overlap across the files of one table (NAME.csv and NAME-*.csv)")
    func overlapAcrossFiles() throws {
        var files = TinyDataset.files
        files["tariff-index.csv"] = "link_class,factor,valid_from,valid_to,source\naa-rail,2,2024-01-01,2024-06-01,pub\n"
        files["tariff-index-b.csv"] = "link_class,factor,valid_from,valid_to,source\naa-rail,3,2024-05-01,,pub\n"
        let error = try #require(throws: InputErrors.self) { try DatasetLoader.load(files: files, name: "tiny") }
        #expect(error.description.contains("tariff-index.csv:2:") && error.description.contains("on tariff-index-b.csv line 2"), "\(error)")
    }

    @Test("malformed input is reported with file:line:column and the reason", arguments: [
        // (file, replacement text, expected diagnostic prefix, expected words)
        ("links.csv", "id,from,to,mode,gauge,source\nx,alpha,beta,rail,1520,pub\n", "links.csv:1:1:", "missing column 'class'"),
        ("links.csv", "id,from,to,mode,class,gauge,length_km,source\nx,alpha,beta,rail,aa-rail,1520,12a,pub\n", "links.csv:2:32:", "not a number"),
        ("links.csv", "id,from,to,mode,class,gauge,length_km,source\nx,alpha,omega,rail,aa-rail,1520,5,pub\n", "links.csv:2:9:", "unknown place 'omega'"),
        ("links.csv", "id,from,to,mode,class,gauge,length_km,source\nx,alpha,beta,rail,aa-rail,1520,5,pub\nx,beta,gamma,rail,aa-rail,1520,5,pub\n", "links.csv:3:1:", "duplicate id"),
        ("links.csv", "id,from,to,mode,class,gauge,length_km,source\nx,alpha,beta,rail,aa-rail,1520,-5,pub\n", "links.csv:2:32:", "out of range"),
        ("links.csv", "id,from,to,mode,class,gauge,length_km,source\nx,alpha,alpha,rail,aa-rail,1520,5,pub\n", "links.csv:2:9:", "to itself"),
        ("links.csv", "id,from,to,mode,class,gauge,length_km,source\nx,alpha,beta,rail,aa-rail,1520,5,\n", "links.csv:2:34:", "missing source"),
        ("links.csv", "id,from,to,mode,class,gauge,length_km,source\nx,alpha,beta,rail,aa-rail,1520,5,nobody\n", "links.csv:2:34:", "unknown source 'nobody'"),
        ("links.csv", "id,from,to,mode,class,gauge,length_km,source,colour\nx,alpha,beta,rail,aa-rail,1520,5,pub,red\n", "links.csv:1:46:", "unknown column 'colour'"),
        ("links.csv", "id,from,to,mode,class,gauge,length_km,source\nx,alpha,beta,rail,aa-rail,1000,5,pub\n", "links.csv:2:27:", "not a supported gauge"),
        ("places.csv", "id,name,country,kind,lat,lon,source\nalpha,A,AA,city,95,50,pub\nbeta,B,BB,city,1,1,pub\ngamma,G,BB,city,1,1,pub\n", "places.csv:2:17:", "out of range"),
        ("places.csv", "id,name,country,kind,lat,lon,source\nalpha,A,ZZ,city,45,50,pub\nbeta,B,BB,city,1,1,pub\ngamma,G,BB,city,1,1,pub\n", "places.csv:2:9:", "unknown country"),
        ("places.csv", "id,name,country,kind,lat,lon,source\nalpha,\"A, unclosed,AA,city,45,50,pub\n", "places.csv:2:7:", "unterminated"),
        ("sea-tracks.csv", "link,points,source\nalpha-beta,10 20;11 21,est\n", "sea-tracks.csv:2:1:", "tracks are for sea and ferry links"),
        ("sea-tracks.csv", "link,points,source\nomega,10 20,est\n", "sea-tracks.csv:2:1:", "unknown link 'omega'"),
        ("sea-tracks.csv", "link,points,source\nalpha-beta,10 20;200 21,est\n", "sea-tracks.csv:2:12:", "point 2 '200 21' is not 'lon lat'"),
        ("tariff-index.csv", "link_class,factor,valid_from,valid_to,source\nbb-rail,2,2024-01-01,,pub\n", "tariff-index.csv:2:1:", "unknown link class 'bb-rail'"),
        ("tariff-index.csv", "link_class,factor,valid_from,valid_to,source\naa-rail,0,2024-01-01,,pub\n", "tariff-index.csv:2:9:", "above 0"),
        ("tariff-index.csv", "link_class,factor,valid_from,valid_to,source\naa-rail,2,2024-01-01,2024-06-01,pub\naa-rail,3,2024-05-01,,pub\n", "tariff-index.csv:3:11:", "overlaps"),
        ("tariff-index.csv", "link_class,factor,valid_from,valid_to,source\naa-rail,2,2024-01-01,,\n", "tariff-index.csv:2:23:", "missing source"),
        ("risks.csv", "id,name,applies_to,probability,delay_days_min,delay_days_max,valid_from,valid_to,source\nr,R,link:alpha-beta,0.1,1,2,2024-01-01,2023-01-01,pub\n",
         "risks.csv:2:40:", "is not after valid_from"),
    ])
    func malformed(file: String, text: String, location: String, words: String) throws {
        let errors = try TinyDataset.errors([file: text])
        #expect(errors.contains { $0.hasPrefix(location) && $0.contains(words) }, "got: \(errors)")
    }

    @Test("a tariff index multiplies a class's tariffs on the dates it covers, and only then")
    func tariffIndex() throws {
        let dir = try TinyDataset.write(["tariff-index.csv": "link_class,factor,valid_from,valid_to,source\naa-rail,2.5,2024-01-01,2024-07-01,pub\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ds = try DatasetLoader.load(folder: dir)
        #expect(ds.tariffFactor(linkClass: "aa-rail", on: Day(iso: "2024-03-01")!) == 2.5)
        #expect(ds.tariffFactor(linkClass: "aa-rail", on: Day(iso: "2024-07-01")!) == 1)
        #expect(ds.tariffFactor(linkClass: "aa-rail", on: Day(iso: "2023-12-31")!) == 1)
    }

    @Test("a risk exists only between its valid_from and valid_to (months select within that)")
    func riskValidity() throws {
        let risks = "id,name,applies_to,probability,delay_days_min,delay_days_max,months,valid_from,valid_to,source\n"
            + "dated,Dated,link:alpha-beta,0.1,1,2,,2024-01-01,2025-01-01,pub\nwinter,Winter,link:alpha-beta,0.1,1,2,1;2,,,pub\n"
        let dir = try TinyDataset.write(["risks.csv": risks])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ds = try DatasetLoader.load(folder: dir)
        let dated = try #require(ds.risks.first { $0.id == "dated" })
        #expect(dated.validity == Validity(from: Day(iso: "2024-01-01"), to: Day(iso: "2025-01-01")))
        #expect(dated.validity.contains(Day(iso: "2024-12-31")!) && !dated.validity.contains(Day(iso: "2025-01-01")!))
        #expect(ds.risks.first { $0.id == "winter" }?.validity == .always)
    }

    @Test("a length written into the file counts as estimated when the link cites only estimation methods")
    func writtenLengthOnEstimates() throws {
        let links = "id,from,to,mode,class,gauge,length_km,source\nalpha-beta,alpha,beta,rail,aa-rail,1520,200,est\nbeta-gamma,beta,gamma,rail,aa-rail,1520,150,est;pub\n"
        let dir = try TinyDataset.write(["links.csv": links])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ds = try DatasetLoader.load(folder: dir)
        #expect(ds.lengthIsEstimated(try #require(ds.link("alpha-beta"))))
        #expect(!ds.lengthIsEstimated(try #require(ds.link("beta-gamma"))))
    }

    @Test("a missing file and a missing parameter are named")
    func missingPieces() throws {
        #expect(try TinyDataset.errors([:], remove: ["links.csv"]).contains { $0.contains("links.csv") && $0.contains("missing file") })
        let params = "key,value,unit,source\nteu_payload_t,10,t,est\n"
        #expect(try TinyDataset.errors(["parameters.csv": params]).contains { $0.contains("missing parameter 'circuity_rail'") })
    }

    @Test("CSV quoting: commas and quotes inside quoted fields")
    func csvQuoting() throws {
        let (header, rows) = try CSVReader.parse("# comment\na,b,c\n\"x, y\",\"say \"\"hi\"\"\",z\n", file: "t.csv")
        #expect(header.fields == ["a", "b", "c"])
        #expect(rows[0].fields == ["x, y", "say \"hi\"", "z"])
        #expect(rows[0].line == 3 && rows[0].columns == [1, 8, 21])
    }
}

@Suite("Dates and names")
struct ModelTests {
    @Test("days round-trip and reject impossible dates")
    func days() {
        for text in ["1970-01-01", "2017-10-30", "2000-02-29", "2026-11-21", "1899-12-31"] { #expect(Day(iso: text)?.description == text) }
        for bad in ["2023-02-29", "2023-13-01", "2023-1-01", "20230101", "", "2023-00-10"] { #expect(Day(iso: bad) == nil) }
        #expect(Day(iso: "1970-01-02")!.daysSinceEpoch == 1)
        #expect(Validity(from: Day(iso: "2020-01-01"), to: Day(iso: "2021-01-01")).contains(Day(iso: "2020-12-31")!))
        #expect(!Validity(from: Day(iso: "2020-01-01"), to: Day(iso: "2021-01-01")).contains(Day(iso: "2021-01-01")!))
    }

    @Test("places resolve by id, name or alias ignoring case, diacritics and punctuation")
    func resolver() {
        let places = [
            Place(id: "xian", name: "Xi'an", country: "CN", kind: .city, lat: 34, lon: 109),
            Place(id: "boyuk-kasik", name: "Böyük Kəsik", country: "AZ", kind: .borderStation, lat: 41, lon: 45),
            Place(id: "lodz", name: "Łódź", country: "PL", kind: .city, lat: 51, lon: 19),
            Place(id: "astara-az", name: "Astara", country: "AZ", kind: .borderStation, lat: 38, lon: 48),
            Place(id: "astara-ir", name: "Astara", country: "IR", kind: .borderStation, lat: 38, lon: 48),
            Place(id: "alat", name: "Alat (Port of Baku)", country: "AZ", kind: .port, lat: 39, lon: 49, aliases: ["Port of Baku"]),
        ]
        let r = PlaceResolver(places: places)
        #expect(r.resolve("xian") == .found(0) && r.resolve("Xi'an") == .found(0) && r.resolve("XI AN") == .found(0))
        #expect(r.resolve("boyuk kesik") == .found(1) && r.resolve("Lodz") == .found(2) && r.resolve("port of baku") == .found(5))
        #expect(r.resolve("Astara") == .ambiguous([3, 4]))
        if case .notFound(let s) = r.resolve("Xien") { #expect(s.first == 0) } else { Issue.record("Xien should not resolve") }
    }
}

@Suite("CSV lines")
struct CSVLineTests {
    /// The byte path for ASCII lines must give exactly the character path's fields, columns
    /// and errors; random lines over the characters that matter to the grammar.
    @Test("ASCII fast path equals the character path on 20,000 random lines")
    func asciiPathMatches() {
        let alphabet: [Character] = ["a", "b", "1", ",", ",", "\"", "\"", " ", "\t", "#", ".", "-"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        var differ = 0, errors = 0
        for _ in 0..<20_000 {
            let line = String((0..<(next() % 24)).map { _ in alphabet[next() % alphabet.count] })
            let a = CSVReader.parseASCIILine(Array(line.utf8)), c = CSVReader.parseLine(Substring(line))
            switch (a, c) {
            case (.success(let x), .success(let y)): if x.0 != y.0 || x.1 != y.1 { differ += 1 }
            case (.failure(let x), .failure(let y)): errors += 1; if x != y { differ += 1 }
            default: differ += 1
            }
        }
        #expect(differ == 0)
        #expect(errors > 1000, "the random lines exercise the error paths too")
    }
}
