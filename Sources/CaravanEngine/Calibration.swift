import CaravanModel

/// A published transit time beside the model's for the same O-D, corridor and date.
public struct CalibrationRow: Sendable, Codable {
    /// The observation's id (observations.csv).
    public var id: String
    /// Origin place id.
    public var origin: String
    /// Destination place id.
    public var destination: String
    /// Corridor the route is limited to ("any" for none).
    public var corridor: String
    /// Date of the observation; the network is routed as of this day.
    public var date: Day
    /// The published transit time, in days.
    public var publishedDays: Double
    /// The fastest route of the corridor on that date (nil when none exists).
    public var modelDays: Double?
    /// (model - published) / published, in percent.
    public var errorPercent: Double?
    /// Ids of the sources of the published figure.
    public var sources: [String]
    /// Corridor family for error reporting: the corridor, or `road` for runs limited to road.
    public var family: String = ""
    /// Weight in the fit (ObservationMeasure.weight).
    public var weight: Double = 1
    /// The train's service as the source states it (`express`), routed so; nil for a block train.
    public var service: RailService?
    /// Truck crew the run was routed with (1 or 2; nil for trains and ships).
    public var drivers: Int?
    /// True when the crew of two was inferred, not stated: one driver could not have made the
    /// published time within the drivers' hours even at the speed limit (`crewInferred`).
    public var driversInferred: Bool = false
    /// Days of the model's border and transfer stops that rest on general parameters (a
    /// crossing measured on one side counts its unmeasured half): where the model has no
    /// figure of its own for the route's crossings.
    public var generalDwellDays: Double?
    /// Share of the route's km on estimated lengths (0...1).
    public var estimatedKmShare: Double?
    /// The stops behind `generalDwellDays`, each with its days on general parameters.
    public var generalStops: [GeneralStop]?
    /// Place ids the model's route passes, origin to destination: which way the model went, to
    /// read against the observation's note.
    public var path: [String]?
    /// The route's sampled transit time (reliability model; `compare(_:spreadSamples:)` only):
    /// median and 90th percentile, days.
    public var modelP50Days: Double?
    /// See `modelP50Days`.
    public var modelP90Days: Double?
    /// Share of the sampled times at or below the published figure, percent: where the published
    /// time falls in the model's spread (about 50 on average, and under 10 or over 90 for one
    /// observation in ten each, if the spread is honest).
    public var publishedPercentile: Double?
}

/// How often published times fall in the tails of the model's sampled spread.
public struct SpreadCheck: Sendable, Codable, Hashable {
    /// Observations with a sampled spread.
    public var observations: Int
    /// Those whose published time is below the model's 10th percentile.
    public var belowP10: Int
    /// Those whose published time is above the model's 90th percentile.
    public var aboveP90: Int
    /// Median of the published times' percentiles in the model's spread.
    public var medianPercentile: Double?
}

/// A border or transfer stop of a routed observation that rests (wholly or half) on a general parameter.
public struct GeneralStop: Sendable, Codable, Hashable {
    /// The stop's `RouteStop.label`: "border A → B" or "<transfer kind> at P" (place ids).
    public var stop: String
    /// Days of the stop on general parameters.
    public var days: Double
    /// Creates a stop entry.
    public init(stop: String, days: Double) { self.stop = stop; self.days = days }
}

/// One fallback stop across the calibration: how many routed observations pass it on a general
/// time, and how far off those observations are; where a measured figure would help most.
public struct FallbackUse: Sendable, Codable, Hashable {
    /// The stop's `RouteStop.label`.
    public var stop: String
    /// Ids of the observations whose route has the stop on a general time.
    public var observations: [String]
    /// Days on general parameters summed over those observations.
    public var generalDays: Double
    /// Median absolute error (percent) of those observations.
    public var medianAbsoluteErrorPercent: Double
    /// Median signed error (percent): positive when the model is too slow on them.
    public var medianErrorPercent: Double
}

/// Calibration of general parameters against published transit times (see docs/calibration.md).
public enum Calibration {
    /// Routes every observation on its own date, within its corridor (and modes), by least time.
    /// With `spreadSamples` > 0 each route's transit time is also sampled (reliability model, seed
    /// 1, as `caravan compare`'s p50 and p90) to place the published figure in the model's spread.
    public static func compare(_ base: Dataset, spreadSamples: Int = 0) -> [CalibrationRow] {
        routed(base, components: spreadSamples > 0).map { item in
            var row = item.row
            if let c = item.components { placeInSpread(&row, c.components, c.risks, samples: spreadSamples) }
            return row
        }
    }

    /// A route's sampled time summarised into the row: p50, p90 and the published figure's
    /// percentile (seed 1, as `RouteEngine.percentiles`).
    static func placeInSpread(_ row: inout CalibrationRow, _ components: [TimeComponent], _ risks: [TripRisk], samples: Int) {
        let d = MonteCarlo.summarize(MonteCarlo.sample(components, risks: risks, samples: samples, seed: 1), seed: 1, deadline: row.publishedDays)
        row.modelP50Days = d.p50; row.modelP90Days = d.p90
        row.publishedPercentile = d.probabilityWithinDeadline.map { 100 * $0 }
    }

    /// Each observation's row and, with `components`, its route's sampled-time components.
    static func routed(_ base: Dataset, components: Bool) -> [(row: CalibrationRow, components: (components: [TimeComponent], risks: [TripRisk])?)] {
        // Ends off the network get their first/last-mile legs, once for all observations.
        var ds = base
        let ends = base.observations.flatMap { o in [o.originPoint.map { ($0, FirstLastMile.Role.origin) }, o.destinationPoint.map { ($0, .destination) }].compactMap { $0 } }
        var attached = ends.isEmpty ? [] : FirstLastMile.attach(ends, to: &ds).map { try? $0.get() }
        attached.reverse()   // taken from the back, in observation order
        var engines: [String: RouteEngine] = [:]
        return ds.observations.map { o in
            // An end off the network is its attached place (nil when no terminal is within reach).
            let a = o.originPoint == nil ? ds.placeIndex[o.origin] : attached.removeLast()
            let b = o.destinationPoint == nil ? ds.placeIndex[o.destination] : attached.removeLast()
            let key = "\(o.date) \(o.modes.map(\.rawValue).sorted().joined(separator: ";")) \(o.drivers ?? 1) \((o.service ?? .block).rawValue)"
            let engine = engines[key] ?? {
                var restricted = ds
                if !o.modes.isEmpty {
                    restricted.links.removeAll { !o.modes.contains($0.mode) && $0.linkClass != FirstLastMile.linkClass }
                }
                if o.drivers == 2, let two = restricted.parameters.crewOfTwo() { restricted.parameters = two }
                restricted.railService = o.service ?? .block
                restricted.reindex()
                return RouteEngine(dataset: restricted, day: o.date)
            }()
            engines[key] = engine
            let truckRun = o.modes.contains(.road) && !o.modes.contains(.rail)
            var row = CalibrationRow(id: o.id, origin: o.origin, destination: o.destination, corridor: o.corridor, date: o.date,
                                     publishedDays: o.transitDays, modelDays: nil, errorPercent: nil, sources: o.sources)
            row.family = o.modes.contains(.road) ? "road" : o.corridor
            row.weight = o.measure?.weight ?? 1
            row.service = o.service
            guard let a, let b else { return (row, nil) }
            let cargo = Cargo(unit: .teu)
            var costs = engine.edgeCosts(cargo: cargo, weights: .defaults(ds.parameters))
            costs.generalised = costs.days
            var ws = DijkstraWorkspace(nodeCount: engine.network.stateCount)
            let corridor = o.corridor == "any" ? nil : o.corridor
            let via = o.via.compactMap { ds.placeIndex[$0] }
            guard var r = engine.best(from: a, via: via, to: b, costs: costs, cargo: cargo, weights: .defaults(ds.parameters),
                                      corridor: corridor, workspace: &ws) else { return (row, nil) }
            var routedBy = engine
            if truckRun {
                row.drivers = o.drivers ?? 1
                if o.drivers == nil, crewInferred(publishedDays: o.transitDays, roadKm: r.legs.filter { $0.mode == .road }.reduce(0) { $0 + $1.km }, ds.parameters) {
                    let key2 = key + " inferred"
                    let two = engines[key2] ?? {
                        var restricted = engine.dataset
                        if let p = restricted.parameters.crewOfTwo() { restricted.parameters = p }
                        return RouteEngine(dataset: restricted, day: o.date)
                    }()
                    engines[key2] = two
                    var costs2 = two.edgeCosts(cargo: cargo, weights: .defaults(ds.parameters))
                    costs2.generalised = costs2.days
                    if let r2 = two.best(from: a, via: via, to: b, costs: costs2, cargo: cargo, weights: .defaults(ds.parameters), corridor: corridor, workspace: &ws) {
                        r = r2; routedBy = two; row.drivers = 2; row.driversInferred = true
                    }
                }
            }
            row.modelDays = r.totals.days
            row.path = r.legs.isEmpty ? [] : [r.legs[0].from] + r.legs.flatMap { $0.via + [$0.to] }
            let general = r.stops.filter { $0.generalDays > 0 }.map { GeneralStop(stop: $0.label, days: $0.generalDays) }
            row.generalStops = general
            row.generalDwellDays = general.reduce(0) { $0 + $1.days }
            let km = r.legs.reduce(0) { $0 + $1.km }
            row.estimatedKmShare = km > 0 ? r.legs.reduce(0) { $0 + $1.estimatedKm } / km : 0
            row.errorPercent = (r.totals.days - o.transitDays) / o.transitDays * 100
            return (row, components ? routedBy.timeComponents(of: r) : nil)
        }
    }

    /// True when one driver cannot have driven `roadKm` in `publishedDays`: the drivers' hours
    /// (with every flexibility, from a rested start, no border or ferry time) at the legal speed
    /// limit `truck_speed_limit_kmh` take longer. A run that fast had a crew of two (or relays),
    /// stated or not. False when the dataset gives no limit, no drivers' hours or no crew of two.
    public static func crewInferred(publishedDays: Double, roadKm: Double, _ p: Parameters) -> Bool {
        guard let limit = p.values[.truckSpeedLimitKmh], limit > 0, let rules = p.drivingRules, p.crewOfTwo() != nil, roadKm > 0 else { return false }
        var clock = DrivingClock(rules: rules)
        return clock.drive(roadKm / limit) > publishedDays * 24
    }

    /// The general-time stops of the routed observations, most observations first (then most days):
    /// where a crossing's or a port's own measured figure would move the most residuals.
    public static func fallbackUses(_ rows: [CalibrationRow]) -> [FallbackUse] {
        var byStop: [String: [(id: String, days: Double, error: Double)]] = [:]
        for r in rows {
            guard let e = r.errorPercent else { continue }
            for g in r.generalStops ?? [] { byStop[g.stop, default: []].append((r.id, g.days, e)) }
        }
        return byStop.map { stop, uses in
            FallbackUse(stop: stop, observations: uses.map(\.id), generalDays: uses.reduce(0) { $0 + $1.days },
                        medianAbsoluteErrorPercent: median(uses.map(\.error)) ?? 0, medianErrorPercent: signedMedian(uses.map(\.error)) ?? 0)
        }.sorted { ($0.observations.count, $0.generalDays, $1.stop) > ($1.observations.count, $1.generalDays, $0.stop) }
    }

    /// Median of the values as they are, signs kept (nil for none).
    static func signedMedian(_ values: [Double]) -> Double? {
        let v = values.sorted()
        guard !v.isEmpty else { return nil }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    /// Median of absolute errors in percent over the routed observations.
    public static func medianAbsoluteError(_ rows: [CalibrationRow]) -> Double? { median(rows.compactMap(\.errorPercent)) }

    /// The reliability model's error on a trip's land time, fitted to the published times' place in
    /// the sampled spread: the floor (`model_error_floor`) and sigma (`model_error_sigma`) that put
    /// the tails closest to the 10% below the 10th and 10% above the 90th percentile an honest
    /// spread gives. The floor is tried from 0 in steps of `floorStep` up to its cap, the smallest
    /// ratio of a published time to the model's rounded down to 0.01 (a higher floor would make a
    /// published trip impossible); sigma over `grid`, with 0 (no factor) first if the grid lacks it.
    /// Ties keep the higher floor, then the smaller sigma. Each route is routed and sampled once;
    /// every pair rescales the same draws, which equal `compare`'s for any sigma above 0.
    public static func fitModelError(_ base: Dataset, grid: [Double] = stride(from: 0, through: 1.0, by: 0.05).map { $0 },
                                     floorStep: Double = 0.05, samples: Int = 20_000)
        -> (sigma: Double, floor: Double, floorCap: Double, check: SpreadCheck, without: SpreadCheck, tried: [(sigma: Double, floor: Double, check: SpreadCheck)]) {
        precondition(floorStep > 0, "floorStep must be positive")
        let grid = grid.contains(0) ? grid : [0] + grid
        let items = routed(base, components: true)
        let ratios = items.compactMap { i in i.row.modelDays.map { i.row.publishedDays / $0 } }
        let cap = Swift.min(0.99, Swift.max(0, ((ratios.min() ?? 0) * 100).rounded(.down) / 100))
        let floors = stride(from: 0.0, to: cap - 1e-9, by: floorStep).map { ($0 * 100).rounded() / 100 } + [cap]
        let placeholder = ReliabilityModel.modelError(sigma: 1, floor: 0)
        let parts = items.compactMap { i -> (published: Double, scaled: [Double], exempt: [Double], z: [Double])? in
            guard let c = i.components else { return nil }
            let p = MonteCarlo.sampleParts(c.components.filter { $0.kind != .factor } + [placeholder], risks: c.risks, samples: samples, seed: 1)
            return (i.row.publishedDays, p.scaled, p.exempt, p.z)
        }
        // below[f][s], above[f][s]: published times under the 10th / over the 90th percentile.
        var below = [[Int]](repeating: [Int](repeating: 0, count: grid.count), count: floors.count), above = below
        var factor = [Double](repeating: 0, count: samples)
        for r in parts {
            for (s, sigma) in grid.enumerated() {
                let root = (sigma * sigma).squareRoot()   // as MonteCarlo combines factors: the same bits
                for k in 0..<samples { factor[k] = sigma > 0 ? DetMath.exp(root * r.z[k]) : 1 }
                for (f, floor) in floors.enumerated() {
                    var within = 0
                    for k in 0..<samples where r.scaled[k] * (floor + (1 - floor) * factor[k]) + r.exempt[k] <= r.published { within += 1 }
                    let pct = 100 * Double(within) / Double(samples)
                    if pct < 10 { below[f][s] += 1 } else if pct > 90 { above[f][s] += 1 }
                }
            }
        }
        var tried: [(sigma: Double, floor: Double, check: SpreadCheck)] = []
        for (f, floor) in floors.enumerated() {
            for (s, sigma) in grid.enumerated() {
                tried.append((sigma, floor, SpreadCheck(observations: parts.count, belowP10: below[f][s], aboveP90: above[f][s], medianPercentile: nil)))
            }
        }
        func loss(_ c: SpreadCheck) -> Double {
            let n = Double(max(1, c.observations))
            return (Double(c.belowP10) / n - 0.1) * (Double(c.belowP10) / n - 0.1) + (Double(c.aboveP90) / n - 0.1) * (Double(c.aboveP90) / n - 0.1)
        }
        let best = tried.min { a, b in
            let la = loss(a.check), lb = loss(b.check)
            return la < lb || (la == lb && (a.floor > b.floor || (a.floor == b.floor && a.sigma < b.sigma)))
        }!
        // What `compare` shows with the chosen values, and without any factor.
        func check(_ sigma: Double?, _ floor: Double) -> SpreadCheck {
            spreadCheck(items.map { i -> CalibrationRow in
                var row = i.row
                if let c = i.components {
                    let rest = c.components.filter { $0.kind != .factor }
                    placeInSpread(&row, rest + (sigma.map { [ReliabilityModel.modelError(sigma: $0, floor: floor)] } ?? []), c.risks, samples: samples)
                }
                return row
            })
        }
        let without = check(nil, 0)
        return (best.sigma, best.floor, cap, best.sigma > 0 ? check(best.sigma, best.floor) : without, without, tried)
    }

    /// How many published times fall below the model's 10th and above its 90th percentile
    /// (rows from `compare(_:spreadSamples:)`).
    public static func spreadCheck(_ rows: [CalibrationRow]) -> SpreadCheck {
        let p = rows.compactMap(\.publishedPercentile)
        return SpreadCheck(observations: p.count, belowP10: p.filter { $0 < 10 }.count, aboveP90: p.filter { $0 > 90 }.count,
                           medianPercentile: signedMedian(p))
    }
}

/// A general parameter that calibration may change, within bounds.
public struct CalibrationKnob: Sendable, Hashable {
    /// What a knob sets: a general parameter, or the speed (km/h) of a link class.
    public enum Target: Sendable, Hashable {
        case parameter(ParameterKey), classSpeed(String)
        /// One speed for the listed link classes (networks that share one estimated speed, or
        /// road classes that differ only in tariff).
        case classSetSpeed([String])
    }
    /// The parameter or link-class speed the knob sets.
    public var target: Target
    /// Lower bound of the search, in the parameter's unit.
    public var lower: Double
    /// Upper bound of the search, in the parameter's unit.
    public var upper: Double
    /// The value the cited source states; the fit pays `Calibration.priorWeight` × log(v / prior)²
    /// for moving away from it, so a parameter the observations barely inform stays near its source.
    public var prior: Double?
    /// Creates a knob with its bounds and, optionally, the source's value as prior.
    public init(_ target: Target, lower: Double, upper: Double, prior: Double? = nil) {
        self.target = target; self.lower = lower; self.upper = upper; self.prior = prior
    }
    /// The parameter key, or `speed_kmh[class]` for a link-class speed.
    public var name: String {
        switch target {
        case .parameter(let k): return k.rawValue
        case .classSpeed(let c): return "speed_kmh[\(c)]"
        case .classSetSpeed(let ids): return "speed_kmh[\(ids.joined(separator: ","))]"
        }
    }
    func value(in ds: Dataset) -> Double {
        switch target {
        case .parameter(let k): return ds.parameters[k]
        case .classSpeed(let c): return ds.linkClass(c)?.speedKmh ?? 0
        case .classSetSpeed(let ids): return ids.first.flatMap { ds.linkClass($0)?.speedKmh } ?? 0
        }
    }
    func apply(_ v: Double, to ds: inout Dataset) {
        switch target {
        case .parameter(let k): ds.parameters.values[k] = v
        case .classSpeed(let c): if let i = ds.classIndex[c] { ds.linkClasses[i].speedKmh = v }
        case .classSetSpeed(let ids): for c in ids { if let i = ds.classIndex[c] { ds.linkClasses[i].speedKmh = v } }
        }
    }
}

/// Result of a calibration fit: the knobs' values before and after, and the observations under each.
public struct CalibrationFit: Sendable {
    /// The knobs searched.
    public var knobs: [CalibrationKnob]
    /// Each knob's value in the dataset before the fit.
    public var initial: [Double]
    /// Each knob's value after the fit.
    public var fitted: [Double]
    /// The observations routed with the initial values.
    public var before: [CalibrationRow]
    /// The observations routed with the fitted values.
    public var after: [CalibrationRow]
    /// Number of objective evaluations (each routes every observation).
    public var evaluations: Int
    /// The dataset with the fitted values.
    public var dataset: Dataset
}

extension Calibration {
    /// Mean absolute log error of the routed observations, each capped at log(1.5) so
    /// that the few observations defined differently from the model (e.g. a ferry's
    /// crossing time without the wait for a sailing) cannot dominate the fit.
    static func objective(_ rows: [CalibrationRow], leaving out: Set<String> = []) -> Double {
        let cap = log(1.5)
        var sum = 0.0, weights = 0.0
        for r in rows where !out.contains(r.id) {
            guard let m = r.modelDays else { continue }
            sum += r.weight * min(cap, abs(log(m / r.publishedDays))); weights += r.weight
        }
        return weights > 0 ? sum / weights : .infinity
    }

    /// Weight of the pull towards each knob's source value (per knob, on the squared log ratio).
    public static let priorWeight = 0.02

    static func penalty(_ knobs: [CalibrationKnob], _ ds: Dataset) -> Double {
        knobs.reduce(0) { sum, k in
            guard let p = k.prior, p > 0 else { return sum }
            let r = log(k.value(in: ds) / p)
            return sum + priorWeight * r * r
        }
    }

    /// Default search: rounds over all knobs, grid steps per knob.
    public static let rounds = 6, steps = 24
    /// Most evaluations a fit with the default search makes (it stops early once nothing improves).
    public static func maxEvaluations(knobs: Int) -> Int { 1 + rounds * knobs * (steps + 1) }

    /// Fits the knobs by coordinate search on a geometric grid within their bounds, minimising the capped
    /// weighted mean absolute log error plus the prior penalty; `leavingOut` drops those observations' errors
    /// (one for leave-one-out, the later ones for a holdout by date); every observation is still routed.
    /// Rounds repeat until no single change improves the objective. Deterministic.
    public static func fit(_ dataset: Dataset, knobs: [CalibrationKnob], rounds: Int = Calibration.rounds, steps: Int = Calibration.steps, leavingOut out: Set<String> = [],
                           progress: ((Int) -> Void)? = nil) -> CalibrationFit {
        var ds = dataset
        let initial = knobs.map { $0.value(in: ds) }
        let before = compare(ds)
        var best = objective(before, leaving: out) + penalty(knobs, ds)
        var evaluations = 1
        for _ in 0..<rounds {
            var improved = false
            for k in knobs {
                let current = k.value(in: ds)
                var bestValue = current
                for i in 0...steps {
                    let v = k.lower * pow(k.upper / max(k.lower, 1e-9), Double(i) / Double(steps))
                    var trial = ds
                    k.apply(v, to: &trial)
                    let o = objective(compare(trial), leaving: out) + penalty(knobs, trial)
                    evaluations += 1
                    progress?(evaluations)
                    if o < best - 1e-12 { best = o; bestValue = v; improved = true }
                }
                k.apply(bestValue, to: &ds)
            }
            if !improved { break }
        }
        return CalibrationFit(knobs: knobs, initial: initial, fitted: knobs.map { $0.value(in: ds) }, before: before, after: compare(ds),
                              evaluations: evaluations, dataset: ds)
    }
}

/// One observation predicted by a fit that did not see it.
public struct LeaveOneOutRow: Sendable, Codable {
    /// The observation's id.
    public var id: String
    /// Corridor family for error reporting (the corridor, or `road`).
    public var family: String
    /// The published transit time, in days.
    public var publishedDays: Double
    /// The model's days with the full fit (nil when not routed).
    public var inSampleDays: Double?
    /// The model's days with the fit that left this observation out (nil when not routed).
    public var outOfSampleDays: Double?
    /// (in-sample − published) / published, in percent.
    public var inSampleErrorPercent: Double? { inSampleDays.map { ($0 - publishedDays) / publishedDays * 100 } }
    /// (out-of-sample − published) / published, in percent.
    public var outOfSampleErrorPercent: Double? { outOfSampleDays.map { ($0 - publishedDays) / publishedDays * 100 } }

    public init(id: String, family: String, publishedDays: Double, inSampleDays: Double?, outOfSampleDays: Double?) {
        self.id = id; self.family = family; self.publishedDays = publishedDays; self.inSampleDays = inSampleDays; self.outOfSampleDays = outOfSampleDays
    }
}

extension Calibration {
    /// Leave-one-out: for every observation, refit without it and route it with the refitted
    /// values. The refit is one Jacobi step from the full fit: each knob is searched on its grid
    /// with the others at their fitted values, the evaluations shared by all observations
    /// (knobs × (steps + 1) routings of every observation), and each observation then takes
    /// per knob the value best for the others. Deterministic.
    public static func leaveOneOut(_ fitted: CalibrationFit, knobs: [CalibrationKnob], steps: Int = 12,
                                   progress: ((Int, Int) -> Void)? = nil) -> [LeaveOneOutRow] {
        let base = fitted.dataset, obs = base.observations
        // grid[k][g]: every observation's rows with knob k at grid value g.
        var grid: [[(value: Double, rows: [CalibrationRow])]] = []
        let total = knobs.count * (steps + 1) + obs.count
        var done = 0
        for k in knobs {
            var line: [(Double, [CalibrationRow])] = [(k.value(in: base), fitted.after)]
            for i in 0...steps {
                let v = k.lower * pow(k.upper / max(k.lower, 1e-9), Double(i) / Double(steps))
                var trial = base
                k.apply(v, to: &trial)
                line.append((v, compare(trial)))
                done += 1; progress?(done, total)
            }
            grid.append(line)
        }
        return obs.map { o in
            var ds = base
            for (k, line) in zip(knobs, grid) {
                func cost(_ v: Double, _ rows: [CalibrationRow]) -> Double {
                    let r = k.prior.map { log(v / $0) } ?? 0
                    return objective(rows, leaving: [o.id]) + priorWeight * r * r
                }
                let best = line.min { cost($0.value, $0.rows) < cost($1.value, $1.rows) }!
                k.apply(best.value, to: &ds)
            }
            var only = ds
            only.observations = [o]
            let out = compare(only).first
            done += 1; progress?(done, total)
            let inRow = fitted.after.first { $0.id == o.id }
            return LeaveOneOutRow(id: o.id, family: inRow?.family ?? o.corridor, publishedDays: o.transitDays,
                                  inSampleDays: inRow?.modelDays, outOfSampleDays: out?.modelDays)
        }
    }

    /// Median of absolute values.
    public static func median(_ values: [Double]) -> Double? { signedMedian(values.map(abs)) }

    /// The q-quantile of absolute values (nearest rank, q in 0...1; nil for none): with q = 0.45 and
    /// 0.55, the band a median of absolute errors moves in when one or two observations change.
    public static func absoluteQuantile(_ values: [Double], _ q: Double) -> Double? {
        let v = values.map(abs).sorted()
        guard !v.isEmpty else { return nil }
        return v[Swift.min(v.count - 1, Swift.max(0, Int((Double(v.count) * q).rounded(.up)) - 1))]
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CalibrationKnob {
    /// The general parameters `caravan calibration --fit` may change, with plausible bounds. Priors
    /// are the figures the cited sources state; a test checks each against source-figures.csv.
    public static let standard: [CalibrationKnob] = [
        // Priors are the figures the cited sources state (source-figures.csv, docs/calibration.md).
        .init(.parameter(.borderRailH), lower: 4, upper: 60, prior: 40.6), .init(.parameter(.portHandlingH), lower: 4, upper: 48, prior: 24),
        // Rail borders without a gauge change (Dataset.generalBorderKey): no source states their average.
        .init(.parameter(.borderRailHandoverH), lower: 1, upper: 60),
        .init(.parameter(.gaugeChangeH), lower: 2, upper: 24, prior: 4.25),
        // Express and timetable trains (observations with service express): China Railway states a whole-trip
        // cut of more than 30% (c-people-2025-11-timetable), which is not a running speed, so no prior.
        .init(.parameter(.railExpressSpeedFactor), lower: 1, upper: 2.5),
        .init(.classSpeed("cn-rail"), lower: 25, upper: 70, prior: 45),
        // Uzbek and Mongolian lines are estimated to run like the Kazakh network (c-est-speed-uz, c-est-speed-mn).
        .init(.classSetSpeed(["kz-rail", "uz-rail", "mn-rail"]), lower: 20, upper: 60, prior: 33.3),
        // Belarusian rail (and the Lithuanian links, which take its class) is estimated with Russian rail (c-est-speed-1520).
        .init(.classSetSpeed(["ru-rail", "by-rail"]), lower: 25, upper: 70, prior: 40), .init(.classSpeed("eu-rail"), lower: 15, upper: 50, prior: 18),
        .init(.classSpeed("tr-rail"), lower: 20, upper: 50, prior: 36.1),
        // Trucks: CAREC's Central Asian road speed for the region's roads and the first/last mile; the
        // trunk networks of China, Russia and Belarus and the EU (expressways) have no source, so no prior.
        .init(.classSetSpeed(["road-truck", "road-truck-kz", "road-truck-kg", "road-truck-uz", "road-truck-ge", "road-drayage"]), lower: 30, upper: 80, prior: 42),
        .init(.classSetSpeed(["road-truck-cn", "road-truck-ru", "road-truck-eu"]), lower: 40, upper: 90),
        // Kyrgyz, Turkmen and Iranian rail share one estimate (c-est-speed-central); Iran's 1435 mm
        // network is fitted apart from the two 1520 mm networks, with the same prior.
        .init(.classSetSpeed(["kg-rail", "tm-rail"]), lower: 15, upper: 50, prior: 25),
        .init(.classSpeed("ir-rail"), lower: 15, upper: 50, prior: 25),
    ]
}
