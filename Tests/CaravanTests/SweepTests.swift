import Testing
import Foundation
import Yams
@testable import CaravanFormats
import CaravanModel

@Suite("Sweeps: plan, shards, merge")
struct SweepTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/examples")

    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-sweep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test("units number the grid with seeds fastest; shards are contiguous, cover every unit once and differ by at most one")
    func planAndShards() throws {
        let spec = try SweepSpec.parse("""
            name: t
            pairs: [[xian, duisburg]]
            scenarios: [base, red-sea-closure+zangezur-open]
            dates: {from: 2024-01-01, to: 2024-01-03, step_days: 1}
            cargo: [teu, feu]
            value_of_time: {from: 10, to: 30, step: 10}
            seeds: {from: 7, count: 4}
            """, file: "t.yaml")
        #expect(spec.unitCount == 2 * 3 * 2 * 3 * 4)
        #expect(spec.scenarioSets.map(\.label) == ["base", "red-sea-closure+zangezur-open"])
        #expect(spec.valuesOfTime == [10, 20, 30])
        // Brute force: the nested loops in the documented order give the same units.
        var i = 0
        for s in spec.scenarioSets { for d in spec.dates { for c in spec.cargo { for v in spec.valuesOfTime { for seed in spec.seeds {
            let u = spec.unit(i)
            #expect(u.scenarios == s && u.date == d && u.cargo == c && u.valueOfTime == v && u.seed == seed, "unit \(i)")
            i += 1
        } } } } }
        for n in [1, 3, 4, 7, 144, 200] {
            let ranges = (0..<n).map { spec.shard($0, of: n) }
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == spec.unitCount)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(ranges.map(\.count).max()! - ranges.map(\.count).min()! <= 1)
            for (k, r) in ranges.enumerated() { for i in r { #expect(spec.shardOf(i, count: n) == k, "unit \(i) of \(n) shards") } }
        }
        #expect(spec.fingerprint.count == 16)
    }

    @Test("bad sweep files name the line and column and the fix")
    func badSpecs() throws {
        func problems(_ text: String) -> [String] {
            do { _ = try SweepSpec.parse(text, file: "s.yaml"); return [] } catch { return error.diagnostics.map(\.description) }
        }
        #expect(problems("name: x\npairs: [[a, b]]\ndates: [2024-13-01]\n").contains { $0.hasPrefix("s.yaml:3:") && $0.contains("not a date") })
        #expect(problems("name: x\npairs: [[a]]\ndates: [2024-01-01]\n").contains { $0.hasPrefix("s.yaml:2:") && $0.contains("[origin, destination]") })
        #expect(problems("name: x\npairs: [[a, b]]\ndates: [2024-01-01]\nseed: [1]\n").contains { $0.contains("unknown key 'seed'") })
        #expect(problems("name: X Y\npairs: [[a, b]]\ndates: [2024-01-01]\n").contains { $0.contains("lowercase") })
        #expect(problems("name: x\npairs: [[a, b]]\n").contains { $0.contains("missing 'dates'") })
        #expect(problems("name: x\npairs: [[a, b]]\ndates: [2024-01-01]\ncargo: [boxes]\n").contains { $0.contains("use teu, feu or tonnes") })
        #expect(problems("name: x\npairs: [[a, b]]\ndates: [2024-01-01]\nsamples: 2.5\n").contains { $0.contains("whole number") })
        #expect(problems("name: x\npairs: [[a, b]]\ndates: [2024-01-01]\nseeds: {from: 1, count: 1000000}\nvalue_of_time: {from: 1, to: 100, step: 1}\n").contains { $0.contains("at most 10000000") })
        #expect(problems("name: [x\n").first?.contains("not valid YAML") == true)
        // A grid whose unit count overflows Int is refused, not trapped on.
        #expect(problems("name: x\npairs: [[a, b]]\ndates: {from: 2000-01-01, to: 2200-01-01, step_days: 1}\nseeds: {from: 1, count: 1000000}\nvalue_of_time: {from: 0, to: 1000000, step: 1}\nscenarios: [" + (0..<100).map { "s\($0)" }.joined(separator: ", ") + "]\n").contains { $0.contains("units: at most") })
        // Unknown scenarios and places are caught by `sweep plan` with the spec's position.
        let dir = try tempDir()
        let path = dir + "/bad.yaml"
        try "name: bad\npairs:\n  - [xian, nowhere-at-all]\nscenarios: [base, no-such-scenario]\ndates: [2024-01-01]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLI.run(["sweep", "plan", path])
        #expect(r.status == 2 && r.err.contains("bad.yaml:4:") && r.err.contains("no-such-scenario"), "\(r.err)")
        try "name: bad\npairs:\n  - [xian, nowhere-at-all]\ndates: [2024-01-01]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r2 = try CLI.run(["sweep", "plan", path])
        #expect(r2.status == 2 && r2.err.contains("bad.yaml:3:") && r2.err.contains("nowhere-at-all"), "\(r2.err)")
        let r3 = try CLI.run(["sweep", "run", path])
        #expect(r3.status == 2 && r3.err.contains("--shard I/N"), "\(r3.err)")
        let r4 = try CLI.run(["sweep", "run", path, "--shard", "4/4"])
        #expect(r4.status == 2 && r4.err.contains("0 ≤ I < N"), "\(r4.err)")
    }

    /// The check: 10,000 units in 4 shards run as 4 processes merge to the same bytes as
    /// one process; a missing or duplicated unit fails the merge naming it.
    @Test("a 10,000-unit sweep in 4 shard processes merges to the same bytes as one process")
    func shardsMergeToTheSameTable() throws {
        let dir = try tempDir()
        // The documented example with fewer samples (the test binary is a debug build).
        var text = try String(contentsOf: Self.docs.appendingPathComponent("sweep-red-sea.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "samples: 50 ", with: "samples: 10 ")
        let spec = dir + "/spec.yaml"
        try text.write(toFile: spec, atomically: true, encoding: .utf8)
        let plan = try CLI.run(["sweep", "plan", spec, "--shards", "4", "--format", "json"])
        #expect(plan.status == 0, "\(plan.err)")
        #expect(plan.out.contains("\"units\" : 10000"))

        let one = try CLI.run(["sweep", "run", spec, "--shard", "0/1", "--out", dir + "/one"])
        #expect(one.status == 0, "\(one.err)")
        // Four processes at once; two of them take their index from the environment, as a
        // Kubernetes indexed Job and a Slurm array task would.
        var procs: [Process] = []
        for i in 0..<4 {
            let p = Process()
            p.executableURL = CLI.executable
            var env = ProcessInfo.processInfo.environment
            env["CARAVAN_DATA"] = bundledFolder
            switch i {
            case 1: p.arguments = ["sweep", "run", spec, "--shards", "4", "--out", dir + "/four"]; env["JOB_COMPLETION_INDEX"] = "1"
            case 2: p.arguments = ["sweep", "run", spec, "--out", dir + "/four"]; env["SLURM_ARRAY_TASK_ID"] = "2"; env["SLURM_ARRAY_TASK_COUNT"] = "4"
            default: p.arguments = ["sweep", "run", spec, "--shard", "\(i)/4", "--out", dir + "/four"]
            }
            p.environment = env
            p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
            try p.run()
            procs.append(p)
        }
        for p in procs { p.waitUntilExit(); #expect(p.terminationStatus == 0) }
        let a = try CLI.run(["sweep", "merge", spec, "--in", dir + "/one", "-o", dir + "/one.csv"])
        let b = try CLI.run(["sweep", "merge", spec, "--in", dir + "/four", "-o", dir + "/four.csv"])
        #expect(a.status == 0 && b.status == 0, "\(a.err) \(b.err)")
        let oneBytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/one.csv")), fourBytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/four.csv"))
        #expect(oneBytes == fourBytes, "the merged tables differ")
        let lines = String(decoding: oneBytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1 + 20_000)
        #expect(lines[1].hasPrefix("0,base,2024-01-01,teu,10.00,1,xian,duisburg,ok,"))
        // Values move with the inputs: the seed changes p50 and p90, not the route's days.
        let r0 = lines[1].split(separator: ",", omittingEmptySubsequences: false), r1 = lines[3].split(separator: ",", omittingEmptySubsequences: false)
        #expect(r0[10] == r1[10] && (r0[13] != r1[13] || r0[14] != r1[14]))

        // A missing part: its units are named. A part copied under another name: the duplicate is named.
        try FileManager.default.removeItem(atPath: dir + "/four/part-00002-of-00004.csv")
        let missing = try CLI.run(["sweep", "merge", spec, "--in", dir + "/four"])
        #expect(missing.status == 3 && missing.err.contains("units missing: 5000, 5001"), "\(missing.err)")
        try FileManager.default.copyItem(atPath: dir + "/four/part-00001-of-00004.csv", toPath: dir + "/four/part-00002-of-00004.csv")
        let dup = try CLI.run(["sweep", "merge", spec, "--in", dir + "/four"])
        #expect(dup.status == 3 && dup.err.contains("unit 2500 appears twice"), "\(dup.err)")
        // A part written for another plan is refused.
        try (text + "\n# changed\n").replacingOccurrences(of: "count: 50", with: "count: 49").write(toFile: spec, atomically: true, encoding: .utf8)
        let stale = try CLI.run(["sweep", "merge", spec, "--in", dir + "/one"])
        #expect(stale.status == 3 && stale.err.contains("written for another plan"), "\(stale.err)")
    }

    @Test("the Kubernetes and Slurm examples in docs run the sweep's shards")
    func clusterExamples() throws {
        let job = try #require(try Yams.load(yaml: String(contentsOf: Self.docs.appendingPathComponent("sweep-job.yaml"), encoding: .utf8)) as? [String: Any])
        #expect(job["kind"] as? String == "Job" && job["apiVersion"] as? String == "batch/v1")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        let completions = try #require(spec["completions"] as? Int)
        let template = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let command = try #require(((template["containers"] as? [[String: Any]])?.first?["command"] as? [String]))
        #expect(Array(command.prefix(3)) == ["caravan", "sweep", "run"])
        #expect(command.contains("--shards") && command[command.firstIndex(of: "--shards")! + 1] == String(completions))
        let slurm = try String(contentsOf: Self.docs.appendingPathComponent("sweep.slurm"), encoding: .utf8)
        #expect(slurm.hasPrefix("#!/bin/bash"))
        #expect(slurm.contains("#SBATCH --array=0-3"))
        #expect(slurm.split(separator: "\n").contains { $0.hasPrefix("caravan sweep run docs/examples/sweep-red-sea.yaml") })
        // The example spec plans as documented.
        let r = try CLI.run(["sweep", "plan", Self.docs.appendingPathComponent("sweep-red-sea.yaml").path, "--shards", "4"])
        #expect(r.status == 0 && r.out.contains("10000 units = 2 scenario sets × 2 dates × 1 cargo × 50 values of time × 50 seeds"), "\(r.out)\(r.err)")
    }
}
