import Testing
import Foundation
import CaravanModel
@testable import CaravanEngine

@Suite("Reliability: Monte Carlo against closed forms")
struct ReliabilityTests {
    let n = 200_000
    /// Bit pattern of the sum of 10,000 samples (seed 99) on the machine that wrote this test;
    /// sampling uses only IEEE basic operations, so every machine must reproduce it.
    static let fingerprint: UInt64 = 4675171323907807046

    /// |estimate - exact| within 4 standard errors (a 1-in-15,000 false alarm per check).
    func close(_ estimate: Double, _ exact: Double, se: Double, _ what: String) {
        #expect(abs(estimate - exact) <= 4 * max(se, 1e-12), "\(what): \(estimate) vs \(exact) (se \(se))")
    }

    @Test("deterministic route: every percentile equals the total")
    func deterministic() {
        let c = [TimeComponent(kind: .fixed, a: 3.5), TimeComponent(kind: .fixed, a: 1.25)]
        let d = MonteCarlo.summarize(MonteCarlo.sample(c, risks: [], samples: 1000, seed: 7), seed: 7, deadline: 4.75)
        #expect(d.p50 == 4.75 && d.p90 == 4.75 && d.p95 == 4.75 && d.min == d.max && d.probabilityWithinDeadline == 1)
    }

    @Test("sum of normals: mean and percentiles match N(sum mu, sqrt(sum sigma^2))")
    func sumOfNormals() {
        let c = [TimeComponent(kind: .normal, a: 5, sigma: 1), TimeComponent(kind: .normal, a: 3, sigma: 0.5), TimeComponent(kind: .normal, a: 10, sigma: 2)]
        let d = MonteCarlo.summarize(MonteCarlo.sample(c, risks: [], samples: n, seed: 42), seed: 42, deadline: 18)
        let sd = (1 + 0.25 + 4.0).squareRoot()
        close(d.mean, 18, se: d.meanStandardError, "mean")
        close(d.p50, 18, se: d.p50StandardError, "p50")
        close(d.p90, 18 + 1.2815515655446004 * sd, se: d.p90StandardError, "p90")
        close(d.p95, 18 + 1.6448536269514722 * sd, se: d.p95StandardError, "p95")
        close(d.probabilityWithinDeadline!, 0.5, se: d.probabilityStandardError!, "P(<= mean)")
    }

    @Test("single lognormal leg: p50 is the median, p90 is median x ratio")
    func lognormal() {
        let ratio = 1.6, median = 4.0
        let sigma = log(ratio) / 1.2815515655446004
        let c = [TimeComponent(kind: .lognormal, a: median, sigma: sigma)]
        let d = MonteCarlo.summarize(MonteCarlo.sample(c, risks: [], samples: n, seed: 3), seed: 3, deadline: nil)
        close(d.p50, median, se: d.p50StandardError, "p50")
        close(d.p90, median * ratio, se: d.p90StandardError, "p90")
        close(d.mean, median * exp(sigma * sigma / 2), se: d.meanStandardError, "mean")
    }

    @Test("headway wait: uniform between 0 and the headway")
    func uniformWait() {
        let c = [TimeComponent(kind: .uniform, a: 3.5)]
        let d = MonteCarlo.summarize(MonteCarlo.sample(c, risks: [], samples: n, seed: 11), seed: 11, deadline: 1)
        close(d.p50, 1.75, se: d.p50StandardError, "p50")
        close(d.p90, 3.15, se: d.p90StandardError, "p90")
        close(d.probabilityWithinDeadline!, 1 / 3.5, se: d.probabilityStandardError!, "P(wait <= 1)")
    }

    @Test("a trip factor multiplies the whole trip: fixed 10 days times a lognormal of median 1 is lognormal of median 10")
    func tripFactor() {
        let sigma = 0.3
        let c = [TimeComponent(kind: .fixed, a: 6), TimeComponent(kind: .fixed, a: 4), TimeComponent(kind: .factor, a: 1, sigma: sigma)]
        let d = MonteCarlo.summarize(MonteCarlo.sample(c, risks: [], samples: n, seed: 13), seed: 13, deadline: 12)
        close(d.p50, 10, se: d.p50StandardError, "p50")
        close(d.p90, 10 * exp(1.2815515655446004 * sigma), se: d.p90StandardError, "p90")
        close(d.probabilityWithinDeadline!, 0.5 * (1 + erf(log(1.2) / (sigma * 2.0.squareRoot()))), se: d.probabilityStandardError!, "P(<= 12)")
        // Two factors combine: medians multiply, sigmas add in quadrature; a factor without spread only scales.
        let scaled = MonteCarlo.sample([TimeComponent(kind: .fixed, a: 3), TimeComponent(kind: .factor, a: 2)], risks: [], samples: 100, seed: 1)
        #expect(scaled.allSatisfy { $0 == 6 })
        let two = [TimeComponent(kind: .fixed, a: 10), TimeComponent(kind: .factor, a: 1, sigma: 0.3), TimeComponent(kind: .factor, a: 1.5, sigma: 0.4)]
        let d2 = MonteCarlo.summarize(MonteCarlo.sample(two, risks: [], samples: n, seed: 17), seed: 17, deadline: nil)
        close(d2.p50, 15, se: d2.p50StandardError, "p50 of two factors")
        close(d2.p90, 15 * exp(1.2815515655446004 * 0.5), se: d2.p90StandardError, "p90 of two factors")
        // A floor bounds the factor from below and keeps its median: floor + (median − floor) × lognormal(1, sigma).
        let floored = [TimeComponent(kind: .fixed, a: 10), TimeComponent(kind: .factor, a: 1, sigma: 0.5, floor: 0.4)]
        let d3 = MonteCarlo.summarize(MonteCarlo.sample(floored, risks: [], samples: n, seed: 19), seed: 19, deadline: nil)
        close(d3.p50, 10, se: d3.p50StandardError, "p50 with a floor")
        close(d3.p90, 10 * (0.4 + 0.6 * exp(1.2815515655446004 * 0.5)), se: d3.p90StandardError, "p90 with a floor")
        #expect(d3.min >= 4)
        // Exempt components are added after the factor: a wait keeps its own spread.
        let exempt = [TimeComponent(kind: .fixed, a: 3), TimeComponent(kind: .fixed, a: 5, exempt: true), TimeComponent(kind: .factor, a: 2)]
        #expect(MonteCarlo.sample(exempt, risks: [], samples: 10, seed: 1).allSatisfy { $0 == 11 })
        // Without a factor the samples are those of before: the fingerprint test covers that.
    }

    @Test("a risk adds its delay with its probability")
    func risk() {
        let r = TripRisk(id: "storm", probability: 0.2, delayDaysMin: 2, delayDaysMax: 4)
        let d = MonteCarlo.summarize(MonteCarlo.sample([TimeComponent(kind: .fixed, a: 10)], risks: [r], samples: n, seed: 5), seed: 5, deadline: 10.5)
        close(d.mean, 10 + 0.2 * 3, se: d.meanStandardError, "mean")
        close(d.probabilityWithinDeadline!, 0.8, se: d.probabilityStandardError!, "P(no delay)")
    }

    @Test("same seed, same samples; another seed, other samples; independent of block layout")
    func reproducible() {
        let c = [TimeComponent(kind: .lognormal, a: 2, sigma: 0.3), TimeComponent(kind: .uniform, a: 1), TimeComponent(kind: .normal, a: 1, sigma: 0.1)]
        let a = MonteCarlo.sample(c, risks: [], samples: 10_000, seed: 99), b = MonteCarlo.sample(c, risks: [], samples: 10_000, seed: 99)
        #expect(a == b)
        #expect(a != MonteCarlo.sample(c, risks: [], samples: 10_000, seed: 100))
        // The first samples do not depend on how many are drawn in total.
        #expect(Array(MonteCarlo.sample(c, risks: [], samples: 5_000, seed: 99)) == Array(a.prefix(5_000)))
        // A fixed fingerprint: the bit pattern of the sum (same on every machine, by construction).
        let sum = a.reduce(0, +)
        #expect(sum.bitPattern == Self.fingerprint, "samples differ from the reference machine's: \(sum.bitPattern)")
    }

    @Test("deterministic exp and log agree with the platform's to a few ulp")
    func detMath() {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<20_000 {
            let x = Double.random(in: -30...30, using: &rng)
            #expect(abs(DetMath.exp(x) - exp(x)) <= 4 * exp(x).ulp)
            let y = Double.random(in: 1e-6...1e6, using: &rng)
            #expect(abs(DetMath.log(y) - log(y)) <= 4 * max(abs(log(y)).ulp, 1e-300))
        }
        #expect(DetMath.log(1) == 0 && DetMath.exp(0) == 1)
    }

    @Test("a route's components: medians are the route's values; zero spread without rules")
    func routeComponents() throws {
        let ds = randomDataset(seed: 17, places: 6, links: 12)
        let engine = RouteEngine(dataset: ds, day: Day(iso: "2025-01-01")!)
        let r = try #require(engine.best(from: 0, to: 5, cargo: Cargo(), weights: .defaults(ds.parameters)))
        let model = ReliabilityModel(dataset: ds, day: Day(iso: "2025-01-01")!)
        let (c, _) = model.components(of: r, snapshot: engine.network.snapshot)
        // Mean of the components = the route's deterministic days (uniform waits have mean h/2).
        let mean = c.reduce(0.0) { $0 + ($1.kind == .uniform ? $1.a / 2 : $1.a) }
        #expect(abs(mean - r.totals.days) < 1e-9)
    }
}
