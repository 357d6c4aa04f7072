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

    /// Creates rules; see each field.
    public init(drivingH: Double, dailyRestH: Double, breakH: Double = 0, breakAfterH: Double = 0, weeklyRestH: Double = 0, periodsPerWeek: Int = 0) {
        self.drivingH = drivingH; self.dailyRestH = dailyRestH; self.breakH = breakH; self.breakAfterH = breakAfterH
        self.weeklyRestH = weeklyRestH; self.periodsPerWeek = periodsPerWeek
    }

    var hasBreaks: Bool { breakH > 0 && breakAfterH > 0 }
    var hasWeeklyRest: Bool { weeklyRestH > 0 && periodsPerWeek > 0 }

    /// Elapsed over driving time on a long trip: one daily period with its breaks and rest,
    /// plus the weekly rest's excess over a daily rest spread over the week.
    public var averageFactor: Double {
        guard drivingH > 0 else { return 1 }
        let breaks = hasBreaks ? Double(max(0, Int((drivingH / breakAfterH - 1e-9).rounded(.up)) - 1)) * breakH : 0
        let weekly = hasWeeklyRest ? max(0, weeklyRestH - dailyRestH) / Double(periodsPerWeek) : 0
        return (drivingH + breaks + dailyRestH + weekly) / drivingH
    }
}

/// The drivers' hours state of one truck along a route: driving in the current period, since
/// the last break, and daily periods since the last weekly rest.
public struct DrivingClock: Sendable {
    /// The rules the clock follows.
    public let rules: DrivingRules
    var driven = 0.0, sinceBreak = 0.0, periods = 0
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
            if driven >= rules.drivingH - eps { elapsed += takeRest(); continue }
            if rules.hasBreaks && sinceBreak >= rules.breakAfterH - eps { elapsed += rules.breakH; sinceBreak = 0; continue }
            var step = min(left, rules.drivingH - driven)
            if rules.hasBreaks { step = min(step, rules.breakAfterH - sinceBreak) }
            driven += step; sinceBreak += step; left -= step; elapsed += step
        }
        return elapsed
    }

    /// The truck stands still for `hours` (a border, a transfer, a ferry). It counts as a break
    /// when long enough, and as a daily (or weekly) rest only when `canRest` (on a ferry: the
    /// regulation lets a driver rest on board; queueing at a border is not rest).
    public mutating func stand(_ hours: Double, canRest: Bool) {
        if canRest && hours >= rules.dailyRestH {
            if rules.hasWeeklyRest && hours >= rules.weeklyRestH { periods = 0 } else { periods += 1 }
            driven = 0; sinceBreak = 0
        } else if rules.hasBreaks && hours >= rules.breakH {
            sinceBreak = 0
        }
    }

    mutating func takeRest() -> Double {
        periods += 1
        driven = 0; sinceBreak = 0
        if rules.hasWeeklyRest && periods >= rules.periodsPerWeek { periods = 0; return rules.weeklyRestH }
        return rules.dailyRestH
    }
}
