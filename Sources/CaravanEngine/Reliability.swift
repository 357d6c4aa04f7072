import CaravanModel

/// One random part of a trip's time.
public struct TimeComponent: Sendable, Codable, Hashable {
    /// The distribution a component follows; `factor` multiplies the sum of the components that
    /// are not `exempt` (the others add).
    public enum Kind: String, Sendable, Codable { case lognormal, normal, uniform, fixed, factor }
    /// Lognormal, normal, uniform, fixed or factor.
    public var kind: Kind
    /// lognormal: the median; normal: the mean; uniform: the upper bound (lower is 0); fixed: the
    /// value, days; factor: the median multiplier (lognormal).
    public var a: Double
    /// lognormal and factor: sigma of the underlying normal; normal: the standard deviation.
    public var sigma: Double
    /// factor only: its lower bound; the factor is floor + (a − floor) × a lognormal of median 1,
    /// so its median stays a and it never falls below floor (nil: 0).
    public var floor: Double?
    /// What the component is, e.g. "run <link>", "wait <link>" or "border <place>-<place>".
    public var label: String
    /// True: not multiplied by the trip's factors (e.g. a wait for a sailing or a voyage, where
    /// the calibration shows no model error); nil or false: multiplied.
    public var exempt: Bool?
    /// Creates a component from its kind, parameters (days) and label.
    public init(kind: Kind, a: Double, sigma: Double = 0, label: String = "", exempt: Bool? = nil, floor: Double? = nil) {
        self.kind = kind; self.a = a; self.sigma = sigma; self.label = label; self.exempt = exempt; self.floor = floor
    }
}

/// A disruption that may hit a trip.
public struct TripRisk: Sendable, Codable, Hashable {
    /// The risk's id (risks.csv).
    public var id: String
    /// Probability that the disruption hits a trip (0–1).
    public var probability: Double
    /// Smallest delay, in days (the delay is uniform between min and max).
    public var delayDaysMin: Double
    /// Largest delay, in days.
    public var delayDaysMax: Double
}

/// The distribution of a route's transit time, estimated by Monte Carlo.
public struct TransitDistribution: Sendable, Codable {
    /// Number of samples drawn.
    public var samples: Int
    /// The seed the samples were drawn from.
    public var seed: UInt64
    /// Mean transit time, in days.
    public var mean: Double
    /// Standard error of the mean (sd/√n), in days.
    public var meanStandardError: Double
    /// Median transit time, in days.
    public var p50: Double
    /// 90th percentile of the transit time, in days.
    public var p90: Double
    /// 95th percentile of the transit time, in days.
    public var p95: Double
    /// Standard errors of the percentiles (order-statistic confidence interval / 3.92).
    public var p50StandardError: Double
    /// Standard error of p90, in days.
    public var p90StandardError: Double
    /// Standard error of p95, in days.
    public var p95StandardError: Double
    /// Shortest sampled transit time, in days.
    public var min: Double
    /// Longest sampled transit time, in days.
    public var max: Double
    /// The deadline in days, when one was given.
    public var deadline: Double?
    /// Share of samples within the deadline (nil without one).
    public var probabilityWithinDeadline: Double?
    /// Standard error of that share, √(p(1−p)/n).
    public var probabilityStandardError: Double?
    /// Histogram of days: `histogramStart + i * histogramWidth` is the left edge of bin i.
    public var histogramStart: Double
    /// Width of each histogram bin, in days.
    public var histogramWidth: Double
    /// Sample count of each bin (the lowest and highest 0.1% fall into the end bins).
    public var histogram: [Int]
}

/// Turns routes into time components using the dataset's spread rules and risks,
/// and samples them.
public struct ReliabilityModel: Sendable {
    /// The dataset whose spread rules (reliability.csv) and risks (risks.csv) apply.
    public let dataset: Dataset
    /// The date: its month selects seasonal rules and risks, the day itself risks' validity.
    public let day: Day
    /// Month (1–12) of the date.
    public let month: Int
    static let z90 = 1.2815515655446004

    /// Creates a model for the dataset and the given day.
    public init(dataset: Dataset, day: Day) { self.dataset = dataset; self.day = day; month = day.components.month }

    /// The most specific rule in force this month for the candidates, in priority order.
    func rule(_ candidates: [SpreadTarget]) -> SpreadRule? {
        for c in candidates {
            let rules = dataset.spreads.filter { $0.target == c }
            if let seasonal = rules.first(where: { $0.months?.contains(month) == true }) { return seasonal }
            if let allYear = rules.first(where: { $0.months == nil }) { return allYear }
        }
        return nil
    }

    func lognormal(_ median: Double, _ r: SpreadRule?, _ label: String, exempt: Bool? = nil) -> TimeComponent {
        guard median > 0 else { return TimeComponent(kind: .fixed, a: 0, sigma: 0, label: label, exempt: exempt) }
        let m = median * (r?.medianFactor ?? 1)
        let sigma = DetMath.log(r?.p90OverP50 ?? 1) / Self.z90
        return sigma > 0 ? TimeComponent(kind: .lognormal, a: m, sigma: sigma, label: label, exempt: exempt)
                         : TimeComponent(kind: .fixed, a: m, sigma: 0, label: label, exempt: exempt)
    }

    /// The random components and risks of a route; the medians are the route's own values.
    public func components(of route: Route, snapshot: NetworkSnapshot) -> (components: [TimeComponent], risks: [TripRisk]) {
        let ds = dataset
        var out: [TimeComponent] = []
        var linkIDs: [String] = []
        for leg in route.legs {
            for lid in leg.links {
                guard let li = ds.linkIndex[lid] else { continue }
                let l = ds.links[li], r = snapshot.links[li]
                linkIDs.append(lid)
                // A truck's driving varies; its rests (timed once for the route) do not.
                // The model error (a trip factor) scales land times only: voyages and waits for a sailing are exempt.
                out.append(lognormal((r.drivingHours ?? r.runHours) / 24, rule([.link(lid), .linkClass(l.linkClass), .mode(l.mode)]), "run \(lid)", exempt: l.mode.isWater ? true : nil))
                if let h = l.headwayHours, h > 0 { out.append(TimeComponent(kind: .uniform, a: h / 24, sigma: 0, label: "wait \(lid)", exempt: true)) }
            }
            if let rest = leg.restDays, rest > 0 { out.append(TimeComponent(kind: .fixed, a: rest, sigma: 0, label: "drivers' rests \(leg.from)-\(leg.to)")) }
        }
        for s in route.stops {
            switch s.kind {
            case .border:
                let a = ds.place(s.place)?.country ?? "", b = ds.place(s.toPlace ?? "")?.country ?? ""
                let link = ds.links.first { ($0.from == s.place && $0.to == s.toPlace) || ($0.to == s.place && $0.from == s.toPlace) }
                out.append(lognormal(s.days, rule([.pair(a, b), .pair(b, a), .border(link?.mode ?? .rail)]), "border \(s.place)-\(s.toPlace ?? "")",
                                     exempt: link?.mode.isWater == true ? true : nil))
            case .gaugeChange, .portHandling, .transshipment, .roRo:
                out.append(lognormal(s.days, rule([.place(s.place), .transfer(s.kind.rawValue)]), "\(s.kind.rawValue) \(s.place)",
                                     exempt: s.kind == .portHandling || s.kind == .roRo ? true : nil))   // port moves, by crane or ramp
            }
        }
        var risks: [TripRisk] = []
        let placesOnRoute = Set(route.legs.flatMap { [$0.from, $0.to] + $0.via })
        for risk in ds.risks where risk.validity.contains(day) && (risk.months.map({ $0.contains(month) }) ?? true) {
            let hit: Bool
            switch risk.scope {
            case .links(let ids): hit = linkIDs.contains(where: ids.contains)
            case .linkClass(let c): hit = linkIDs.contains { ds.link($0)?.linkClass == c }
            case .corridor(let c): hit = linkIDs.contains { if case .only(let t) = ds.link($0)?.corridors { return t.contains(c) }; return false }
            case .country(let c): hit = placesOnRoute.contains { ds.place($0)?.country == c }
            case .place(let p): hit = placesOnRoute.contains(p)
            }
            if hit { risks.append(TripRisk(id: risk.id, probability: risk.probability, delayDaysMin: risk.delayDaysMin, delayDaysMax: risk.delayDaysMax)) }
        }
        // The model's own error on a trip's land time, fitted to the published times (docs/reliability.md).
        if let sigma = ds.parameters.values[.modelErrorSigma], sigma > 0 {
            out.append(Self.modelError(sigma: sigma, floor: ds.parameters.values[.modelErrorFloor]))
        }
        return (out, risks)
    }

    /// The model-error factor on a trip's land time (`model_error_sigma`, `model_error_floor`).
    public static func modelError(sigma: Double, floor: Double?) -> TimeComponent {
        TimeComponent(kind: .factor, a: 1, sigma: sigma, label: "model error (land legs, borders and transfers)", floor: floor)
    }
}

/// Standard normal draws from one stream (Marsaglia's polar method: two normals per accepted pair).
struct NormalDraws {
    var rng: Xoshiro256
    var spare = 0.0, hasSpare = false

    init(rng: Xoshiro256) { self.rng = rng }

    mutating func normal() -> Double {
        if hasSpare { hasSpare = false; return spare }
        var u = 0.0, v = 0.0, s = 0.0
        repeat { u = 2 * rng.unit() - 1; v = 2 * rng.unit() - 1; s = u * u + v * v } while s >= 1 || s == 0
        let f = (-2 * DetMath.log(s) / s).squareRoot()
        spare = v * f; hasSpare = true
        return u * f
    }
}

/// Monte Carlo sampling of a sum of independent components plus risks.
/// Samples are drawn in fixed blocks, each from its own stream derived from the seed,
/// so results do not depend on the number of threads and repeat bit for bit.
public enum MonteCarlo {
    /// Samples per block; each block draws from its own stream derived from the seed.
    public static let blockSize = 4096

    /// Draws `samples` trip times.
    public static func sample(_ components: [TimeComponent], risks: [TripRisk], samples: Int, seed: UInt64) -> [Double] {
        var out = [Double](repeating: 0, count: samples)
        let f = TripFactor(components)
        out.withUnsafeMutableBufferPointer { buf in
            eachSample(components, risks: risks, samples: samples, seed: seed, factorNormal: f.present && f.sigma > 0) { i, t, te, z in
                buf[i] = f.present ? t * (f.floor + (f.median - f.floor) * (f.sigma > 0 ? DetMath.exp(f.sigma * z) : 1)) + te : t + te
            }
        }
        return out
    }

    /// Each sample's parts before its trip factor (`components` must hold one): the sum the factor
    /// scales, the exempt sum and the factor's standard normal draw. `sample` with the same
    /// components, and any factor sigma above 0, gives scaled × (floor + (1 − floor) × e^(sigma z))
    /// + exempt from the same draws: a fit of the factor samples once.
    static func sampleParts(_ components: [TimeComponent], risks: [TripRisk], samples: Int, seed: UInt64) -> (scaled: [Double], exempt: [Double], z: [Double]) {
        precondition(components.contains { $0.kind == .factor }, "sampleParts needs a trip factor")
        var scaled = [Double](repeating: 0, count: samples), exempt = scaled, z = scaled
        eachSample(components, risks: risks, samples: samples, seed: seed, factorNormal: true) { i, t, te, n in
            scaled[i] = t; exempt[i] = te; z[i] = n
        }
        return (scaled, exempt, z)
    }

    /// The trip factors of a route's components combined into one: the product of medians, the
    /// root sum of squared sigmas and the highest floor (a route has one, the model error).
    struct TripFactor {
        let present: Bool, median: Double, sigma: Double, floor: Double
        init(_ components: [TimeComponent]) {
            let factors = components.filter { $0.kind == .factor }
            present = !factors.isEmpty
            median = factors.reduce(1.0) { $0 * $1.a }
            sigma = factors.reduce(0.0) { $0 + $1.sigma * $1.sigma }.squareRoot()
            floor = Swift.min(median, factors.reduce(0.0) { Swift.max($0, $1.floor ?? 0) })
        }
    }

    /// Draws every sample's components in a fixed order and hands `body` the sample's index, the
    /// sum a trip factor would scale, the exempt sum and (with `factorNormal`) one more standard
    /// normal for the factor, drawn last.
    @inline(__always)
    static func eachSample(_ components: [TimeComponent], risks: [TripRisk], samples: Int, seed: UInt64, factorNormal: Bool,
                           _ body: (Int, Double, Double, Double) -> Void) {
        let kinds = components.map(\.kind), a = components.map(\.a), sigma = components.map(\.sigma)
        // Components a trip factor multiplies (scaled) and those it leaves alone (exempt); without
        // a factor every component is summed in one order, as before factors existed.
        let hasFactor = components.contains { $0.kind == .factor }
        let scaled = components.map { !hasFactor || $0.exempt != true }
        let fixed = components.indices.reduce(0.0) { $0 + (kinds[$1] == .fixed && scaled[$1] ? a[$1] : 0) }
        let fixedExempt = components.indices.reduce(0.0) { $0 + (kinds[$1] == .fixed && !scaled[$1] ? a[$1] : 0) }
        let logNormals = components.indices.filter { kinds[$0] == .lognormal }
        let uniforms = components.indices.filter { kinds[$0] == .uniform }
        let normals = components.indices.filter { kinds[$0] == .normal }
        // Lognormals first, then normals: both draw one standard normal z each.
        let lnMu = logNormals.map { DetMath.log(a[$0]) } + normals.map { a[$0] }, lnSigma = logNormals.map { sigma[$0] } + normals.map { sigma[$0] }
        let lnScaled = (logNormals + normals).map { scaled[$0] }
        let logCount = logNormals.count
        let uWidth = uniforms.map { a[$0] }, uScaled = uniforms.map { scaled[$0] }
        var block = 0
        while block * blockSize < samples {
            var draw = NormalDraws(rng: Xoshiro256(seed: seed &+ UInt64(block) &* 0x9E37_79B9_7F4A_7C15))
            let end = Swift.min(samples, (block + 1) * blockSize)
            for i in (block * blockSize)..<end {
                var t = fixed, te = fixedExempt
                for k in 0..<lnMu.count {
                    let z = draw.normal()
                    let x = k < logCount ? DetMath.exp(lnMu[k] + lnSigma[k] * z) : lnMu[k] + lnSigma[k] * z
                    if lnScaled[k] { t += x } else { te += x }
                }
                for (w, sc) in zip(uWidth, uScaled) { if sc { t += w * draw.rng.unit() } else { te += w * draw.rng.unit() } }
                for r in risks where draw.rng.unit() < r.probability {
                    let delay = r.delayDaysMin + (r.delayDaysMax - r.delayDaysMin) * draw.rng.unit()
                    if hasFactor { te += delay } else { t += delay }
                }
                body(i, t, te, factorNormal ? draw.normal() : 0)
            }
            block += 1
        }
    }

    /// Summary statistics of samples, with standard errors and a histogram.
    public static func summarize(_ values: [Double], seed: UInt64, deadline: Double?, bins: Int = 24) -> TransitDistribution {
        let n = values.count
        let sorted = values.sorted()
        let mean = values.reduce(0, +) / Double(n)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, n - 1))
        func quantile(_ q: Double) -> (Double, Double) {
            let idx = Swift.min(n - 1, Swift.max(0, Int((Double(n) * q).rounded(.up)) - 1))
            // Distribution-free 95% interval of the order statistic, turned into a standard error.
            let half = 1.96 * (Double(n) * q * (1 - q)).squareRoot()
            let lo = sorted[Swift.max(0, Int((Double(idx) - half).rounded(.down)))], hi = sorted[Swift.min(n - 1, Int((Double(idx) + half).rounded(.up)))]
            return (sorted[idx], (hi - lo) / 3.92)
        }
        let (p50, s50) = quantile(0.5), (p90, s90) = quantile(0.9), (p95, s95) = quantile(0.95)
        var prob: Double?, probSE: Double?
        if let deadline {
            let k = sorted.partitioningIndex { $0 > deadline }
            let p = Double(k) / Double(n)
            prob = p; probSE = (p * (1 - p) / Double(n)).squareRoot()
        }
        let lo = sorted[Swift.min(n - 1, n / 1000)], hi = sorted[Swift.max(0, n - 1 - n / 1000)]
        let bins = hi - lo < 1e-9 ? 1 : bins   // no spread: one bin
        let width = Swift.max((hi - lo) / Double(bins), 1e-9)
        var hist = [Int](repeating: 0, count: bins)
        for v in values { hist[Swift.min(bins - 1, Swift.max(0, Int((v - lo) / width)))] += 1 }
        return TransitDistribution(samples: n, seed: seed, mean: mean, meanStandardError: (variance / Double(n)).squareRoot(), p50: p50, p90: p90, p95: p95,
                                   p50StandardError: s50, p90StandardError: s90, p95StandardError: s95, min: sorted.first ?? 0, max: sorted.last ?? 0,
                                   deadline: deadline, probabilityWithinDeadline: prob, probabilityStandardError: probSE,
                                   histogramStart: lo, histogramWidth: width, histogram: hist)
    }
}

extension Array where Element == Double {
    /// First index whose element satisfies the predicate, for a sorted array partitioned by it.
    func partitioningIndex(where belongs: (Double) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi { let mid = (lo + hi) / 2; if belongs(self[mid]) { hi = mid } else { lo = mid + 1 } }
        return lo
    }
}

/// A route with its transit-time distribution.
public struct ReliableRoute: Sendable, Codable {
    /// The candidate route.
    public var route: Route
    /// Its sampled transit-time distribution.
    public var distribution: TransitDistribution
    /// USD + value of time x TEU-eq x p90 days + carbon price x t CO2e.
    public var p90GeneralisedCostUSD: Double
}

/// The candidate routes of an O-D pair with their distributions, and the three picks.
public struct ReliabilityResult: Sendable, Codable {
    /// The route with the lowest mean transit time among the candidates.
    public var fastestMean: ReliableRoute
    /// The route most likely to arrive within the deadline (when one is given).
    public var mostLikelyOnTime: ReliableRoute?
    /// The route with the lowest p90-based generalised cost.
    public var lowestP90Cost: ReliableRoute
    /// Every candidate (best route, Pareto set, best per corridor), each route once.
    public var candidates: [ReliableRoute]
}

extension RouteEngine {
    /// Samples the candidate routes (best, Pareto set, best per corridor) with common random
    /// numbers and picks by mean time, by the chance to meet the deadline, and by p90 cost.
    public func reliability(from o: Int, to d: Int, cargo: Cargo, weights: CostWeights, deadline: Double?, samples: Int, seed: UInt64) -> ReliabilityResult? {
        var candidates: [Route] = []
        func add(_ r: Route?) {
            guard let r else { return }
            if !candidates.contains(where: { $0.legs.flatMap(\.links) == r.legs.flatMap(\.links) }) { candidates.append(r) }
        }
        add(best(from: o, to: d, cargo: cargo, weights: weights))
        pareto(from: o, to: d, cargo: cargo, weights: weights).forEach(add)
        compare(from: o, to: d, cargo: cargo, weights: weights).forEach { add($0.route) }
        guard !candidates.isEmpty else { return nil }
        let model = ReliabilityModel(dataset: dataset, day: network.snapshot.day)
        let teu = cargo.teuEquivalents(dataset.parameters)
        let rated = candidates.map { r -> ReliableRoute in
            let (c, risks) = model.components(of: r, snapshot: network.snapshot)
            let dist = MonteCarlo.summarize(MonteCarlo.sample(c, risks: risks, samples: samples, seed: seed), seed: seed, deadline: deadline)
            let gc = r.totals.usd + weights.valueOfTimeUSDPerTEUDay * teu * dist.p90 + weights.carbonPriceUSDPerTonne * r.totals.co2eKg / 1000
            return ReliableRoute(route: r, distribution: dist, p90GeneralisedCostUSD: gc)
        }
        let fastest = rated.min { ($0.distribution.mean, $0.route.totals.usd) < ($1.distribution.mean, $1.route.totals.usd) }!
        let onTime = deadline == nil ? nil : rated.max { ($0.distribution.probabilityWithinDeadline ?? 0, -$0.distribution.mean) < ($1.distribution.probabilityWithinDeadline ?? 0, -$1.distribution.mean) }
        let cheapest = rated.min { $0.p90GeneralisedCostUSD < $1.p90GeneralisedCostUSD }!
        return ReliabilityResult(fastestMean: fastest, mostLikelyOnTime: onTime, lowestP90Cost: cheapest, candidates: rated)
    }

    /// p50 and p90 of a route (for compare tables).
    public func percentiles(of route: Route, samples: Int = 20_000, seed: UInt64 = 1, deadline: Double? = nil) -> TransitDistribution {
        let (c, risks) = timeComponents(of: route)
        return MonteCarlo.summarize(MonteCarlo.sample(c, risks: risks, samples: samples, seed: seed), seed: seed, deadline: deadline)
    }

    /// What a route's transit time is sampled from; built once, it can be sampled under many
    /// seeds (sweeps) with `MonteCarlo.sample`.
    public func timeComponents(of route: Route) -> (components: [TimeComponent], risks: [TripRisk]) {
        ReliabilityModel(dataset: dataset, day: network.snapshot.day).components(of: route, snapshot: network.snapshot)
    }
}
