import Foundation

/// The program's tiers: ordered levels, each reached when a metric over a qualification window
/// meets its threshold, and the policy that decides how long a level is kept.
///
/// A member's level is a pure function of their qualifying activity and the time (see
/// `status(of:at:)`): the store keeps no tier that could drift from the history.
public struct TierProgram: Equatable, Sendable {
    public enum Metric: String, Sendable, CaseIterable {
        /// Net spend (after discounts, without shipping, less returns), minor units.
        case spend
        /// Points earned by orders and actions (less what returns took back).
        case points
        /// Orders (an order returned whole no longer counts).
        case orders
    }

    public enum Window: Equatable, Sendable {
        /// 1 January to 31 December in the program's time zone.
        case calendarYear
        /// The last `months` months up to now.
        case rolling(months: Int)
        case lifetime
    }

    /// What happens to a level that the ended window did not earn again (calendar windows).
    public enum Downgrade: String, Sendable, CaseIterable {
        /// Down to what the window earned.
        case toEarned = "to_earned"
        /// Down one level a window: Platinum → Gold, even if nothing was earned.
        case oneLevel = "one_level"
        /// Down as soon as the window's metric is below the level (a return, a rolling window
        /// moving on, a new calendar year): nothing carried, no grace.
        case belowLevel = "below_level"
    }

    public struct Level: Equatable, Sendable {
        public var name: String
        /// The metric's value that reaches the level (0 for a paid level).
        public var threshold: Int
        /// A paid level (a club, a subscription): held while a `membership` bought for it runs,
        /// never reached by the metric.
        public var paid: Bool
        /// Points of orders × this (the highest of the level's and the rules' multipliers applies per line).
        public var multiplier: Factor?
        public var freeShipping: Bool
        /// Perks as text, by language (en, de, vi).
        public var perks: [String: String]

        public init(name: String, threshold: Int, multiplier: Factor? = nil, freeShipping: Bool = false, perks: [String: String] = [:],
                    paid: Bool = false) {
            self.name = name
            self.threshold = threshold
            self.paid = paid
            self.multiplier = multiplier
            self.freeShipping = freeShipping
            self.perks = perks
        }
    }

    public var metric: Metric
    public var window: Window
    /// From the lowest to the highest; the thresholds of the levels not paid ascend.
    public var levels: [Level]
    /// A level earned in a window is kept through the next one too.
    public var keepNextWindow: Bool
    public var downgrade: Downgrade
    /// Days after a window's end before a downgrade takes effect.
    public var graceDays: Int

    public init(metric: Metric, window: Window, levels: [Level], keepNextWindow: Bool = true,
                downgrade: Downgrade = .toEarned, graceDays: Int = 0) {
        self.metric = metric
        self.window = window
        self.levels = levels
        self.keepNextWindow = keepNextWindow
        self.downgrade = downgrade
        self.graceDays = graceDays
    }
}

/// One thing that moves a member's qualifying metric: an order (+), a return (−), points earned.
public struct QualifyingActivity: Equatable, Sendable {
    /// When it happened (a return: when it came back).
    public var at: Date
    /// The time of the order it belongs to (a return's order; else `at`).
    public var orderAt: Date
    /// Signed, in the metric's units.
    public var amount: Int

    public init(at: Date, orderAt: Date? = nil, amount: Int) {
        self.at = at
        self.orderAt = orderAt ?? at
        self.amount = amount
    }
}

/// Where a member stands at a moment.
public struct TierStatus: Equatable, Sendable {
    /// The level in force (index into `levels`), nil below the first.
    public var level: Int?
    /// The level the current window's activity alone reaches.
    public var earned: Int?
    /// The metric over the current window so far.
    public var value: Int
    public var windowStart: Date?
    /// When the current window ends (nil: lifetime).
    public var windowEnd: Date?
    /// The next level and how much more of the metric reaches it in this window.
    public var next: Int?
    public var needed: Int?
    /// How much more this window keeps the level in force after the window ends (0: kept already).
    public var toKeep: Int?
    /// When the level in force ends if nothing more happens (nil: not before the window's end, or never).
    public var keptUntil: Date?
}

extension TierProgram {
    /// The member's level at `now` from their activity (any order), in `timeZone`.
    ///
    /// Calendar windows: the level is the higher of what the current window has earned so far
    /// (an upgrade takes effect at once) and what is carried from the last window. At a window's
    /// end, the carried level is the level then in force, lowered by `downgrade` towards what that
    /// window earned (with `keepNextWindow`; without it, towards no level), `graceDays` after the
    /// end. Rolling windows: a level is held while the last `months` months reach it, and with
    /// `keepNextWindow` for `months` months (plus grace) after the last moment they did.
    /// Lifetime: everything counts, for ever.
    ///
    /// Returns: a return lowers the window of its order while that window is still open (so it
    /// can undo an upgrade its order brought); once that window has ended, the return lowers the
    /// window it happens in.
    public func status(of activity: [QualifyingActivity], at now: Date, timeZone: TimeZone) -> TierStatus {
        let known = activity.filter { $0.at <= now }
        func level(_ value: Int) -> Int? { levels.lastIndex { !$0.paid && $0.threshold <= value } }
        func rank(_ level: Int?) -> Int { level.map { $0 + 1 } ?? 0 }
        func fromRank(_ rank: Int) -> Int? { rank > 0 ? rank - 1 : nil }
        switch window {
        case .lifetime:
            let value = known.reduce(0) { $0 + $1.amount }
            let earned = level(value)
            return finish(TierStatus(level: earned, earned: earned, value: value), value: value, keepTarget: nil)

        case .calendarYear:
            // Days and years by arithmetic: this runs for every member on every event.
            func yearStart(_ year: Int, plusDays days: Int = 0) -> Date {
                CalendarDate(year: year, month: 1, day: 1).adding(days: days).start(in: timeZone)
            }
            func yearOf(_ date: Date) -> Int { CalendarDate(date, in: timeZone).year }
            let year = yearOf(now)
            // Each activity counts in the year of its order, unless it is a return that came
            // after that year had ended: then in the year it came back.
            func countingYear(_ a: QualifyingActivity) -> Int {
                let orderYear = yearOf(a.orderAt), atYear = a.at == a.orderAt ? orderYear : yearOf(a.at)
                return atYear > orderYear ? atYear : orderYear
            }
            var totals: [Int: Int] = [:]
            for a in known { totals[countingYear(a), default: 0] += a.amount }
            // Walk the years from the first with activity, carrying the level from one to the next.
            var carried = 0, inForceAtEnd = 0
            let first = totals.keys.min() ?? year
            if first < year {
                for y in first..<year {
                    let earnedRank = rank(level(totals[y] ?? 0))
                    inForceAtEnd = max(earnedRank, carried)
                    let towards = keepNextWindow ? earnedRank : 0
                    carried = downgrade == .oneLevel ? max(towards, inForceAtEnd - 1) : towards
                    carried = max(carried, 0)
                }
            }
            let start = yearStart(year), end = yearStart(year + 1)
            let graceEnd = yearStart(year, plusDays: graceDays)
            let inGrace = now < graceEnd && inForceAtEnd > carried
            let value = totals[year] ?? 0
            let earned = level(value)
            let inForce = max(rank(earned), inGrace ? inForceAtEnd : carried)
            var status = TierStatus(level: fromRank(inForce), earned: earned, value: value, windowStart: start, windowEnd: end)
            // When the level in force drops if nothing more happens.
            if inForce > 0 {
                if inGrace && inForceAtEnd > max(rank(earned), carried) {
                    status.keptUntil = graceEnd
                } else if inForce == rank(earned) && keepNextWindow {
                    status.keptUntil = yearStart(year + 2, plusDays: graceDays)
                } else {
                    status.keptUntil = yearStart(year + 1, plusDays: graceDays)
                }
            }
            return finish(status, value: value, keepTarget: keepNextWindow ? fromRank(inForce) : nil)

        case .rolling(let months):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            func back(_ t: Date) -> Date { calendar.date(byAdding: .month, value: -months, to: t)! }
            // The value at a moment: what counts at its order's time within the last `months` months.
            func value(at t: Date) -> Int {
                let from = back(t)
                return known.reduce(0) { $0 + ($1.at <= t && $1.orderAt > from && $1.orderAt <= t ? $1.amount : 0) }
            }
            // A level reached at a moment is held for `hold` after it: a window with
            // keepNextWindow, and the grace days.
            func held(_ t: Date) -> Date {
                let kept = keepNextWindow ? calendar.date(byAdding: .month, value: months, to: t)! : t
                return calendar.date(byAdding: .day, value: graceDays, to: kept)!
            }
            // The value changes only when an activity happens or an order leaves the window:
            // the level reached over a span is the highest at those moments (and just before them).
            let leaving = known.map { calendar.date(byAdding: .month, value: months, to: $0.orderAt)! }
            let moments = Set(known.map(\.at) + leaving)
            let current = value(at: now)
            let earned = level(current)
            var inForce = rank(earned), lastReached: Date? = nil
            for t in moments.sorted() where t <= now && held(t) > now {
                let reached = max(rank(level(value(at: t))), rank(level(value(at: t.addingTimeInterval(-0.001)))))
                if reached > inForce { inForce = reached; lastReached = t } else if reached == inForce, reached > rank(earned) { lastReached = t }
            }
            var status = TierStatus(level: fromRank(inForce), earned: earned, value: current, windowStart: back(now), windowEnd: nil)
            if inForce > 0 {
                if inForce > rank(earned) {
                    status.keptUntil = lastReached.map(held)
                } else {
                    // Reached now: it holds until an order leaving the window takes the value below it.
                    let threshold = levels[inForce - 1].threshold
                    if let drop = leaving.filter({ $0 > now }).sorted().first(where: { value(at: $0) < threshold }) {
                        status.keptUntil = held(drop)
                    }
                }
            }
            return finish(status, value: current, keepTarget: nil)
        }
    }

    /// Fills in the next level, what reaches it, and what keeps the level in force.
    private func finish(_ status: TierStatus, value: Int, keepTarget: Int?) -> TierStatus {
        var status = status
        status.setNext(in: self)
        if let keep = keepTarget {
            status.toKeep = max(levels[keep].threshold - value, 0)
        }
        return status
    }
}

extension TierStatus {
    /// The next level the metric reaches above the level in force (paid levels are not reached)
    /// and how much more of the metric it needs.
    mutating func setNext(in tiers: TierProgram) {
        let above = level.map { $0 + 1 } ?? 0
        next = tiers.levels.indices.first { $0 >= above && !tiers.levels[$0].paid }
        needed = next.map { max(tiers.levels[$0].threshold - value, 0) }
    }
}
