/// Cohorts by month of first order: for each cohort, the share of its customers who bought in
/// each later month, and the revenue they brought.
///
/// Months are whole numbers counted from any origin (year × 12 + month − 1, in the shop's time
/// zone), so the numerics stay free of calendars.
public struct CohortMatrix: Equatable, Sendable {
    public struct Cohort: Equatable, Sendable {
        /// The month of the first order.
        public var month: Int
        public var customers: Int
        /// `active[k]`: customers of the cohort who ordered in month `month + k` (k = 0 is all of them).
        public var active: [Int]
        /// `revenue[k]`: their spend in month `month + k`, in minor units.
        public var revenue: [Int]

        /// The share of the cohort that bought in month k, 0 to 1.
        public func retention(_ k: Int) -> Double { customers > 0 ? Double(active[k]) / Double(customers) : 0 }
    }

    public var cohorts: [Cohort]

    public struct Order: Sendable {
        public var customer: String
        public var month: Int
        public var amount: Int
        public init(customer: String, month: Int, amount: Int) {
            self.customer = customer
            self.month = month
            self.amount = amount
        }
    }

    /// The matrix of these orders up to `lastMonth` (inclusive): each cohort has one column per
    /// month from its first to `lastMonth`.
    public init(orders: [Order], lastMonth: Int) {
        var first: [String: Int] = [:]
        for order in orders { first[order.customer] = min(first[order.customer] ?? .max, order.month) }
        var byCohort: [Int: Cohort] = [:]
        for (_, month) in first where month <= lastMonth {
            byCohort[month, default: Cohort(month: month, customers: 0, active: Array(repeating: 0, count: lastMonth - month + 1),
                                            revenue: Array(repeating: 0, count: lastMonth - month + 1))].customers += 1
        }
        var seen = Set<String>()
        for order in orders where order.month <= lastMonth {
            guard let start = first[order.customer] else { continue }
            let k = order.month - start
            byCohort[start]!.revenue[k] += order.amount
            if seen.insert("\(order.customer)\u{0}\(order.month)").inserted { byCohort[start]!.active[k] += 1 }
        }
        cohorts = byCohort.values.sorted { $0.month < $1.month }
    }
}
