import Testing
import Foundation
import PropertyBased
import CaravanModel
@testable import CaravanFormats
@testable import CaravanEngine

@Suite("Scenarios")
struct ScenarioTests {
    static let day = Day(iso: "2025-06-01")!

    func parse(_ yaml: String) -> Result<Scenario, InputErrors> {
        do { return .success(try ScenarioReader.parse(yaml, file: "test.yaml", dataset: bundled)) } catch { return .failure(error) }
    }

    @Test("a scenario parses and its edits apply with provenance")
    func parsesAndApplies() throws {
        let yaml = """
        name: test
        title: Caspian closed, faster Georgian rail
        description: A test.
        sources:
          - {id: s-test, kind: estimate, title: test values}
        edits:
          - close: {links: [aktau-alat-ferry, kuryk-alat-ferry, turkmenbashi-alat-ferry]}
            source: [s-test]
          - class: {classes: [ge-rail], speed_factor: 2}
            from: 2025-01-01
            source: [s-test]
        """
        let sc = try parse(yaml).get()
        #expect(sc.edits.count == 2 && sc.edits[0].line == 7 && sc.edits[1].line == 9)
        let (ds, edits) = ScenarioApplier.apply([sc], to: bundled, on: Self.day)
        #expect(edits.map(\.id) == ["test:7", "test:9"])
        #expect(ds.linkClass("ge-rail")!.speedKmh == bundled.linkClass("ge-rail")!.speedKmh * 2)
        let engine = RouteEngine(dataset: ds, day: Self.day)
        // No Caspian crossing: Aktau to Alat must go round the sea, not by ferry.
        let r = try #require(engine.best(from: place("aktau"), to: place("alat"), cargo: Cargo(), weights: .defaults(ds.parameters)))
        #expect(!r.legs.contains { $0.mode == .ferry })
    }

    @Test("errors name the line, the column and the fix", arguments: [
        ("name: t\ntitle: T\ndescription: D\nedits:\n  - close: {links: [aktau-alat-fery]}\n    source: [c-calibration]\n", "test.yaml:5:", "unknown link 'aktau-alat-fery' (did you mean 'aktau-alat-ferry'"),
        ("name: t\ntitle: T\ndescription: D\nedits:\n  - clse: {links: [aktau-alat-ferry]}\n    source: [c-calibration]\n", "test.yaml:5:", "unknown key 'clse'"),
        ("name: t\ntitle: T\ndescription: D\nedits:\n  - close: {links: [aktau-alat-ferry]}\n", "test.yaml:5:", "missing 'source'"),
        ("name: t\ntitle: T\ndescription: D\nedits:\n  - close: {links: [aktau-alat-ferry]}\n    from: 2025-13-01\n    source: [c-calibration]\n", "test.yaml:6:", "expected a date"),
        ("name: t\ntitle: T\ndescription: D\nedits:\n  - open: {links: [aktau-alat-ferry]}\n    source: [c-calibration]\n  - close: {links: [aktau-alat-ferry]}\n    source: [c-calibration]\n", "test.yaml:7:", "conflicting edits"),
        ("name: t\ntitle: T\ndescription: D\nedits:\n  - border: {pair: AZ-XX, time_factor: 0.5}\n    source: [c-calibration]\n", "test.yaml:5:", "unknown country 'XX'"),
        ("name: t\ntitle: T\nedits: [\n", "test.yaml:", "not valid YAML"),
    ])
    func errors(yaml: String, location: String, words: String) {
        switch parse(yaml) {
        case .success: Issue.record("expected an error for \(words)")
        case .failure(let e):
            #expect(e.diagnostics.contains { $0.description.hasPrefix(location) && $0.description.contains(words) }, "got: \(e.diagnostics)")
        }
    }

    @Test("every bundled scenario validates")
    func bundledScenarios() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/eurasia").path
        let all = ScenarioReader.available(datasetFolder: folder)
        #expect(Set(all.map(\.name)).isSuperset(of: ["red-sea-closure", "northern-route-closed", "zangezur-open", "middle-corridor-2030", "caspian-storm", "btk-upgrade"]))
        for (name, path) in all {
            do { _ = try ScenarioReader.load(path, datasetFolder: folder, dataset: bundled) } catch { Issue.record("\(name): \(error)") }
        }
    }

    @Test("patching a compiled network equals compiling the edited dataset anew")
    func retargetEqualsRecompile() async {
        await propertyCheck(count: 80, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let base = randomDataset(seed: UInt64(seed), places: 7, links: 14)
            // A random scenario: close a link, slow a class, change a border, a dated edit.
            var edits: [ScenarioEdit] = [ScenarioEdit(action: .close(.links([base.links.randomElement(using: &rng)!.id])))]
            edits.append(ScenarioEdit(action: .linkClass([base.linkClasses.randomElement(using: &rng)!.id], ClassChanges(speedFactor: Double.random(in: 0.5...2, using: &rng)))))
            edits.append(ScenarioEdit(action: .border(.pair("AA", "BB"), BorderChanges(timeFactor: 0.5, costAddUSDPerTEU: 10))))
            edits.append(ScenarioEdit(action: .place(["p1"], hours: nil, usdPerTEU: nil, factor: 3), validity: Validity(from: Day(iso: "2026-01-01"))))
            let sc = Scenario(name: "r", title: "random", description: "", edits: edits)
            let day = Self.day
            let (edited, _) = ScenarioApplier.apply([sc], to: base, on: day)
            var patched = RouteEngine(dataset: base, day: day)
            let retargeted = patched.retarget(to: NetworkSnapshot(dataset: edited, day: day))
            #expect(retargeted)
            let fresh = RouteEngine(dataset: edited, day: day)
            let w = CostWeights.defaults(base.parameters)
            for o in 0..<3 {
                for d in 3..<7 {
                    let a = patched.best(from: o, to: d, cargo: Cargo(), weights: w), b = fresh.best(from: o, to: d, cargo: Cargo(), weights: w)
                    #expect(a?.totals == b?.totals, "seed \(seed) \(o)->\(d)")
                }
            }
        }
    }
}

@Suite("Criticality and hubs")
struct CriticalityTests {
    @Test("patched removal equals recomputing from scratch without the item")
    func criticalityMatchesNaive() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            let ds = randomDataset(seed: UInt64(seed), places: 7, links: 14)
            let day = Day(iso: "2025-01-01")!
            let engine = RouteEngine(dataset: ds, day: day)
            let pairs = [ODPair(origin: 0, destination: 6, weight: 2), ODPair(origin: 1, destination: 5), ODPair(origin: 2, destination: 4, weight: 0.5)]
            let w = CostWeights.defaults(ds.parameters)
            let report = engine.criticality(pairs: pairs, cargo: Cargo(), weights: w)
            let baseCost = pairs.map { engine.best(from: $0.origin, to: $0.destination, cargo: Cargo(), weights: w)?.totals.generalisedCostUSD }
            for item in report.items where item.kind == .link {
                var reduced = ds
                reduced.links.removeAll { $0.id == item.id }
                reduced.reindex()
                let naive = RouteEngine(dataset: reduced, day: day)
                var added = 0.0, lost = 0
                for (i, p) in pairs.enumerated() {
                    guard let before = baseCost[i] else { continue }
                    if let after = naive.best(from: p.origin, to: p.destination, cargo: Cargo(), weights: w)?.totals.generalisedCostUSD {
                        added += p.weight * (after - before)
                    } else { lost += 1 }
                }
                #expect(abs(added - item.addedCostUSD) < 1e-6 * max(1, abs(added)), "seed \(seed) link \(item.id): \(item.addedCostUSD) vs \(added)")
                #expect(lost == item.pairsLost, "seed \(seed) link \(item.id)")
            }
        }
    }

    @Test("hub shares are fractions and China–Europe routes cross Kazakhstan or the sea")
    func hubs() {
        let engine = RouteEngine(dataset: bundled, day: Day(iso: "2024-06-01")!)
        let pairs = [ODPair(origin: place("xian"), destination: place("duisburg")), ODPair(origin: place("almaty"), destination: place("tbilisi"))]
        let report = engine.hubs(pairs: pairs, cargo: Cargo(), weights: .defaults(bundled.parameters))
        #expect(report.pairsRouted == 2)
        for s in report.countries + report.places { #expect(s.routeShare > 0 && s.routeShare <= 1 && s.tonKmShare >= 0 && s.tonKmShare <= 1) }
        #expect(abs(report.countries.map(\.tonKmShare).reduce(0, +) - 1) < 1e-9)
        #expect(report.countries.contains { $0.id == "KZ" || $0.id == RouteEngine.seaID })
    }
}
