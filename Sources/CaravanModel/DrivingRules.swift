/// Drivers' hours rules (EU Regulation 561/2006, AETR): how long a truck may be driven before
/// a break or a rest. Routes are searched with the long-run `averageFactor`; the chosen
/// route's road legs are then timed with a `DrivingClock`, so a one-day trip is not charged
/// the rests of a week-long one.
public struct DrivingRules: Hashable, Sendable {
    /// Driving time allowed in one daily period, hours (9 for one driver; 18 for a crew of two).
    public var drivingH: Double
    /// Rest that ends a daily period, hours.
    public var dailyRestH: Double
    /// Break after `breakAfterH` hours of driving, hours; 0 = none (a crew of two breaks while the other drives).
    public var breakH: Double
    /// Driving time after which a break is due, hours.
    public var breakAfterH: Double
    /// Weekly rest taken instead of a daily rest after `periodsPerWeek` daily periods, hours; 0 = none.
    public var weeklyRestH: Double
    /// Daily periods between weekly rests; 0 = no weekly rest.
    public var periodsPerWeek: Int
    /// Driving allowed in an extended period (10 h, Art. 6(1)); used `extensionsPerWeek` times
    /// between weekly rests, as early as a trip needs them. Equal to `drivingH` = none.
    public var extendedDrivingH: Double
    /// Extended periods allowed between weekly rests.
    public var extensionsPerWeek: Int
    /// A reduced daily rest (9 h, Art. 8(4)), taken `reducedRestsPerWeek` times between weekly
    /// rests, as early as a trip needs them; 0 = none.
    public var reducedRestH: Double
    /// Reduced daily rests allowed between weekly rests.
    public var reducedRestsPerWeek: Int

    /// Creates rules; see each field. The flexibilities (extended periods, reduced rests) apply
    /// only with a weekly rest, which resets them.
    public init(drivingH: Double, dailyRestH: Double, breakH: Double = 0, breakAfterH: Double = 0, weeklyRestH: Double = 0, periodsPerWeek: Int = 0,
                extendedDrivingH: Double? = nil, extensionsPerWeek: Int = 0, reducedRestH: Double = 0, reducedRestsPerWeek: Int = 0) {
        self.drivingH = drivingH; self.dailyRestH = dailyRestH; self.breakH = breakH; self.breakAfterH = breakAfterH
        self.weeklyRestH = weeklyRestH; self.periodsPerWeek = periodsPerWeek
        self.extendedDrivingH = max(drivingH, extendedDrivingH ?? drivingH); self.extensionsPerWeek = max(0, extensionsPerWeek)
        self.reducedRestH = reducedRestH; self.reducedRestsPerWeek = max(0, reducedRestsPerWeek)
    }

    var hasBreaks: Bool { breakH > 0 && breakAfterH > 0 }
    var hasWeeklyRest: Bool { weeklyRestH > 0 && periodsPerWeek > 0 }
    var hasExtensions: Bool { hasWeeklyRest && extensionsPerWeek > 0 && extendedDrivingH > drivingH }
    var hasReducedRests: Bool { hasWeeklyRest && reducedRestsPerWeek > 0 && reducedRestH > 0 && reducedRestH < dailyRestH }

    func breaks(in driving: Double) -> Double {
        hasBreaks ? Double(max(0, Int((driving / breakAfterH - 1e-9).rounded(.up)) - 1)) * breakH : 0
    }

    /// Elapsed over driving time on a long trip, over one week between weekly rests: its
    /// periods' driving (extended ones first) and breaks, its daily rests (reduced ones first)
    /// and the weekly rest; without a weekly rest, one daily period and its rest.
    public var averageFactor: Double {
        guard drivingH > 0 else { return 1 }
        guard hasWeeklyRest else { return (drivingH + breaks(in: drivingH) + dailyRestH) / drivingH }
        let p = periodsPerWeek
        let e = hasExtensions ? min(extensionsPerWeek, p) : 0
        let r = hasReducedRests ? min(reducedRestsPerWeek, p - 1) : 0
        let driving = Double(e) * extendedDrivingH + Double(p - e) * drivingH
        let pauses = Double(e) * breaks(in: extendedDrivingH) + Double(p - e) * breaks(in: drivingH)
        let rests = Double(r) * reducedRestH + Double(p - 1 - r) * dailyRestH + max(weeklyRestH, dailyRestH)
        return (driving + pauses + rests) / driving
    }
}

/// The drivers' hours state of one truck along a route: driving in the current period, since
/// the last break, and daily periods since the last weekly rest.
public struct DrivingClock: Sendable {
    /// The rules the clock follows.
    public let rules: DrivingRules
    var driven = 0.0, sinceBreak = 0.0, periods = 0, extensionsUsed = 0, reductionsUsed = 0
    /// Daily periods beyond which a leg is timed with the average factor (no truck trip has
    /// that many; it keeps absurd lengths from looping).
    static let periodLimit = 400.0

    /// A fresh crew, rested.
    public init(rules: DrivingRules) { self.rules = rules }

    /// Drives `hours` of driving time; returns the elapsed hours, breaks and rests included.
    /// A rest falls inside the drive only when driving remains: the trip may end at the limit.
    public mutating func drive(_ hours: Double) -> Double {
        guard hours > 0, rules.drivingH > 0 else { return max(0, hours) }
        if hours / rules.drivingH > Self.periodLimit { self = DrivingClock(rules: rules); return hours * rules.averageFactor }
        let eps = 1e-9
        var left = hours, elapsed = 0.0
        while left > eps {
            let limit = periodLimit
            if driven >= limit - eps { elapsed += takeRest(); continue }
            if rules.hasBreaks && sinceBreak >= rules.breakAfterH - eps { elapsed += rules.breakH; sinceBreak = 0; continue }
            var step = min(left, limit - driven)
            if rules.hasBreaks { step = min(step, rules.breakAfterH - sinceBreak) }
            driven += step; sinceBreak += step; left -= step; elapsed += step
        }
        return elapsed
    }

    /// The truck stands still for `hours` (a border, a transfer, a ferry). It counts as a break
    /// when long enough, and as a daily (or weekly) rest only when `canRest` (on a ferry: the
    /// regulation lets a driver rest on board; queueing at a border is not rest).
    public mutating func stand(_ hours: Double, canRest: Bool) {
        let reduced = rules.hasReducedRests && reductionsUsed < rules.reducedRestsPerWeek
        if canRest && (hours >= rules.dailyRestH || (reduced && hours >= rules.reducedRestH)) {
            if rules.hasWeeklyRest && hours >= rules.weeklyRestH { startWeek() } else {
                endPeriod()
                if hours < rules.dailyRestH { reductionsUsed += 1 }
            }
            driven = 0; sinceBreak = 0
        } else if rules.hasBreaks && hours >= rules.breakH {
            sinceBreak = 0
        }
    }

    /// Driving allowed in the current period: extended while extensions remain.
    var periodLimit: Double {
        rules.hasExtensions && extensionsUsed < rules.extensionsPerWeek ? rules.extendedDrivingH : rules.drivingH
    }

    mutating func endPeriod() {
        if driven > rules.drivingH + 1e-9 { extensionsUsed += 1 }
        periods += 1
    }

    mutating func startWeek() { periods = 0; extensionsUsed = 0; reductionsUsed = 0 }

    mutating func takeRest() -> Double {
        endPeriod()
        driven = 0; sinceBreak = 0
        if rules.hasWeeklyRest && periods >= rules.periodsPerWeek { startWeek(); return rules.weeklyRestH }
        if rules.hasReducedRests && reductionsUsed < rules.reducedRestsPerWeek { reductionsUsed += 1; return rules.reducedRestH }
        return rules.dailyRestH
    }
}
