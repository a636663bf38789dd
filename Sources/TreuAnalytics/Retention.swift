/// Customer retention over a period, from three counts: customers at the start (S), at the end
/// (E), and new during the period (N).
///
/// CRR = ((E − N) / S) × 100: the share of the starting customers that the shop still has,
/// counting only those it did not newly win. Who counts as "a customer at a date" is the
/// caller's definition (see `CustomerActivity`).
public struct RetentionCounts: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var new: Int

    public init(start: Int, end: Int, new: Int) {
        self.start = start
        self.end = end
        self.new = new
    }

    /// The customer retention rate in percent, or nil without customers at the start.
    public var retentionRate: Double? {
        guard start > 0 else { return nil }
        return Double(end - new) / Double(start) * 100
    }
}

/// Who is a customer when: someone whose last order before or on a day lies within the last
/// `activeDays` days (365 by default: "bought within the last year").
///
/// Days are whole days counted from any fixed origin (the caller converts dates in the shop's
/// time zone), so the numerics stay free of calendars.
public struct CustomerActivity: Sendable {
    public var activeDays: Int

    public init(activeDays: Int = 365) {
        precondition(activeDays > 0, "a customer is active for at least one day after an order")
        self.activeDays = activeDays
    }

    /// Whether a customer with these order days (sorted or not) is a customer on `day`.
    public func isCustomer(orderDays: [Int], on day: Int) -> Bool {
        orderDays.contains { $0 <= day && day - $0 < activeDays }
    }

    /// Retention figures for the period from `start` to `end` (both days inclusive) over every
    /// customer's order days. S counts the customers as the period opens (at the end of the day
    /// before `start`), so someone whose first order falls on `start` is new, not kept.
    public func retention(orders: [[Int]], from start: Int, to end: Int) -> PeriodRetention {
        var counts = RetentionCounts(start: 0, end: 0, new: 0)
        var kept = 0
        for days in orders where !days.isEmpty {
            let atStart = isCustomer(orderDays: days, on: start - 1)
            let atEnd = isCustomer(orderDays: days, on: end)
            let first = days.min()!
            if atStart { counts.start += 1 }
            if atEnd { counts.end += 1 }
            if first >= start && first <= end { counts.new += 1 }
            if atStart && atEnd { kept += 1 }
        }
        return PeriodRetention(counts: counts, keptFromStart: kept)
    }
}

/// Retention of one period, in the two usual readings.
public struct PeriodRetention: Equatable, Sendable {
    public var counts: RetentionCounts
    /// |S ∩ E|: customers at the start who are still customers at the end.
    public var keptFromStart: Int

    /// CRR = ((E − N) / S) × 100.
    public var retentionRate: Double? { counts.retentionRate }

    /// The repeat-buyer reading, |S ∩ E| / |S| × 100.
    public var repeatBuyerRate: Double? {
        counts.start > 0 ? Double(keptFromStart) / Double(counts.start) * 100 : nil
    }

    /// The share of the starting customers lost by the end, 100 − repeat-buyer rate.
    public var churnRate: Double? { repeatBuyerRate.map { 100 - $0 } }
}
