import Foundation

// A member's tier from the counters kept with their points: held, counted, recorded, changed.

extension TierProgram {
    /// `status` with a membership's paid level in force when it is higher than what the
    /// metric holds (the next level is then the first the metric reaches above it).
    /// A level set by hand that runs at `now` is applied last.
    public func holding(_ status: TierStatus, counters: [String: Int], at now: Date) -> TierStatus {
        var held = status
        if let paid = paidLevel(counters: counters, at: now), paid > (status.level ?? -1) { held.level = paid }
        if let override = override(in: counters), override.runs(at: now) {
            held.level = override.apply(to: held.level, at: now)
            if override.mode == .fixed || held.level != status.level { held.keptUntil = override.until }
        }
        guard held.level != status.level else { return held }
        held.setNext(in: self)
        return held
    }
}

/// The member's qualifying metrics, kept with their point account as counters so that an event
/// knows the member's tier without reading their history: for each metric, one counter per
/// calendar year of the program's zone (`q:spend:2026`), and with a rolling window one per
/// month (`q:spend:2026-03`). An order adds to its own period; a return takes from its order's
/// period while that year is still the return's, else from the return's (the rule of
/// `TierProgram.status`).
public enum QualifyingCounters {
    /// Every qualifying counter's name starts with this.
    public static let prefix = "q:"

    static func key(_ metric: TierProgram.Metric, year: Int, month: Int? = nil) -> String {
        guard let month else { return "\(prefix)\(metric.rawValue):\(year)" }
        return "\(prefix)\(metric.rawValue):\(year)-\(month < 10 ? "0" : "")\(month)"
    }

    /// Adds what an order or a return did to every metric.
    /// - Parameters:
    ///   - at: when it happened; `orderAt`: its order's time (a return's).
    ///   - monthly: keep monthly counters too (a rolling window).
    public static func add(spend: Int, orders: Int, points: Int, at: Date, orderAt: Date, timeZone: TimeZone, monthly: Bool,
                           to counters: inout [String: Int]) {
        // Every order passes here: the day by arithmetic, not by Foundation's calendar.
        let when = CalendarDate(at, in: timeZone), order = CalendarDate(orderAt, in: timeZone)
        let (year, month) = when.year > order.year ? (when.year, when.month) : (order.year, order.month)
        for (metric, amount) in [(TierProgram.Metric.spend, spend), (.orders, orders), (.points, points)] where amount != 0 {
            counters[key(metric, year: year), default: 0] += amount
            if monthly { counters[key(metric, year: year, month: month), default: 0] += amount }
        }
    }

    /// The counters of one metric as activity `TierProgram.status` reads: each period's total at
    /// its first moment. Exact for calendar and lifetime windows; a rolling window counts whole months.
    public static func activity(_ counters: [String: Int], metric: TierProgram.Metric, monthly: Bool, timeZone: TimeZone) -> [QualifyingActivity] {
        let start = "\(prefix)\(metric.rawValue):"
        return counters.compactMap { key, amount in
            guard key.hasPrefix(start), amount != 0 else { return nil }
            let parts = key.dropFirst(start.count).split(separator: "-").compactMap { Int($0) }
            guard parts.count == (monthly ? 2 : 1) else { return nil }
            return QualifyingActivity(at: CalendarDate(year: parts[0], month: monthly ? parts[1] : 1, day: 1).start(in: timeZone), amount: amount)
        }
    }
}

extension TierProgram {
    /// Monthly counters are kept (a rolling window).
    public var monthly: Bool { if case .rolling = window { true } else { false } }

    /// The member's level at `at` from their qualifying counters: the level their metric holds,
    /// or the paid level of a membership running at `at` if that is higher.
    /// A level set by hand overrides both (see `TierOverride`).
    public func level(counters: [String: Int], at: Date, timeZone: TimeZone) -> Int? {
        let earned = status(of: QualifyingCounters.activity(counters, metric: metric, monthly: monthly, timeZone: timeZone), at: at, timeZone: timeZone).level
        let held = paidLevel(counters: counters, at: at).map { max(earned ?? -1, $0) } ?? earned
        guard let override = override(in: counters) else { return held }
        return override.apply(to: held, at: at)
    }

    /// The paid level of the membership running at `at`, if one is.
    public func paidLevel(counters: [String: Int], at: Date) -> Int? {
        guard let until = Membership.until(counters), until > at, let rank = counters[Membership.levelKey],
              levels.indices.contains(rank - 1), levels[rank - 1].paid else { return nil }
        return rank - 1
    }
}

extension Program {
    /// Counts an order towards the member's qualifying metrics. They are counted whether the
    /// program has tiers or not, so that tiers added later know every member's year (by month
    /// only from a version with a rolling window).
    func countQualifying(order: Order, points: Int, counters: inout [String: Int]) {
        QualifyingCounters.add(spend: order.netOfDiscounts.minorUnits, orders: 1, points: points, at: order.at, orderAt: order.at,
                               timeZone: timeZone, monthly: tiers?.monthly ?? false, to: &counters)
    }

    /// Counts a return: the net that came back with it, the order if it came back whole, the
    /// points it took back.
    public func countQualifying(return ret: Return, of order: Order, earlier: [Return], pointsTakenBack: Int, counters: inout [String: Int]) {
        guard let share = try? ret.share(of: order, after: earlier) else { return }
        QualifyingCounters.add(spend: -share.amount, orders: share.completes ? -1 : 0, points: -pointsTakenBack,
                               at: ret.at, orderAt: order.at, timeZone: timeZone, monthly: tiers?.monthly ?? false, to: &counters)
    }

    /// Counts points earned without an order (an action, a referral).
    public func countQualifying(points: Int, at: Date, counters: inout [String: Int]) {
        guard points != 0 else { return }
        QualifyingCounters.add(spend: 0, orders: 0, points: points, at: at, orderAt: at, timeZone: timeZone,
                               monthly: tiers?.monthly ?? false, to: &counters)
    }
}

extension Array where Element == Effect {
    /// Points credited, and points taken back.
    public var credited: Int { reduce(0) { if case let .credit(p, _, _, _) = $1 { $0.saturatingAdd(p) } else { $0 } } }
    public var takenBack: Int { reduce(0) { if case let .reverse(p, _) = $1 { $0.saturatingAdd(p) } else { $0 } } }
}

/// A member's tier before and after an event (nil: no tier).
public struct TierChange: Equatable, Sendable {
    public var from: String?
    public var to: String?
    public var isUpgrade: Bool
    public init(from: String?, to: String?, isUpgrade: Bool) {
        self.from = from
        self.to = to
        self.isUpgrade = isUpgrade
    }
}

extension Program {
    /// The counter that holds the member's level as last recorded: its rank (1 the first level),
    /// absent below the first.
    public static let recordedTierKey = "tier"

    /// Records the member's level at `now` from their qualifying counters, and says how it
    /// differs from the level recorded before (an event's answer reports it as an upgrade or a
    /// downgrade). Without a recorded level (a member from before Treu kept one) the level is
    /// recorded as new.
    public func recordTier(at now: Date, counters: inout [String: Int]) -> TierChange? {
        guard let tiers else { return nil }
        // A member holds the level of no activity (a threshold of 0) from enrolment, as
        // GET /tier shows before any order: reaching it is no change, leaving it is.
        let recorded = counters[Self.recordedTierKey] ?? tiers.enrolmentRank
        let level = tiers.level(counters: counters, at: now, timeZone: timeZone)
        let rank = level.map { $0 + 1 } ?? 0
        guard rank != recorded else {
            if rank != 0 { counters[Self.recordedTierKey] = rank }
            return nil
        }
        counters[Self.recordedTierKey] = rank == 0 ? nil : rank
        return TierChange(from: tiers.name(rank: recorded), to: level.map { tiers.levels[$0].name }, isUpgrade: rank > recorded)
    }

    /// Records the drop due at `now`, if one is: the level the counters give is below the one
    /// recorded (a window ended without the level earned again, its grace did, a membership
    /// lapsed). Nothing changes when none is due.
    public func recordDowngrade(at now: Date, counters: inout [String: Int]) -> TierChange? {
        var after = counters
        guard let change = recordTier(at: now, counters: &after), !change.isUpgrade else { return nil }
        counters = after
        return change
    }

    /// The drop due at `now`, without recording it.
    public func dueDowngrade(counters: [String: Int], at now: Date) -> TierChange? {
        var after = counters
        return recordDowngrade(at: now, counters: &after)
    }
}

extension TierProgram {
    /// The rank of the level a member holds with no activity at all (1 when the first level's
    /// threshold is 0), 0 when a member must qualify for every level.
    public var enrolmentRank: Int { (levels.lastIndex { !$0.paid && $0.threshold <= 0 }).map { $0 + 1 } ?? 0 }

    /// The name of the level of a rank (1 the first); nil for 0, or a rank this definition no longer has.
    public func name(rank: Int) -> String? { levels.indices.contains(rank - 1) ? levels[rank - 1].name : nil }

    /// Whether a level may have dropped with time between `last` and `now` (a window's end, its
    /// grace over): for a calendar year at the year's first midnight plus the grace days; for a
    /// rolling window every midnight; never for a lifetime. Without a `last`, always.
    public func downgradeMayBeDue(since last: Date?, at now: Date, timeZone: TimeZone) -> Bool {
        let hasPaid = levels.contains(where: \.paid)
        guard let last else { return window != .lifetime || hasPaid }
        // Rolling windows slide and memberships end at midnights of the program's zone.
        let newDay = CalendarDate.dayNumber(last, in: timeZone) != CalendarDate.dayNumber(now, in: timeZone)
        switch window {
        case .lifetime:
            return hasPaid && newDay
        case .rolling:
            return newDay
        case .calendarYear:
            if hasPaid && newDay { return true }
            let year = CalendarDate(now, in: timeZone).year
            return [year - 1, year].contains { y in
                let boundary = CalendarDate(daysSince1970: CalendarDate(year: y, month: 1, day: 1).daysSince1970 + graceDays).start(in: timeZone)
                return last < boundary && boundary <= now
            }
        }
    }
}

extension TierProgram {
    /// The level set by hand in `counters`, if it names a level these tiers still have.
    public func override(in counters: [String: Int]) -> TierOverride? {
        TierOverride.read(counters).flatMap { levels.indices.contains($0.rank - 1) ? $0 : nil }
    }
}
