import Foundation
import TreuAnalytics
import TreuCore

/// Retention, churn and purchase figures by month, quarter or year.
///
/// A member is a customer on a day if they bought within the `active_days` days up to and
/// including it (365 by default). For each period: S, the customers as it opens (at the end of
/// the day before its first day); E, the customers on its last day; N, the members whose first
/// order ever falls in it. CRR = (E − N) / S × 100; the repeat-buyer rate |S ∩ E| / |S| × 100;
/// churn = 100 − the repeat-buyer rate. Purchase figures count the period's own orders: buyers,
/// orders, revenue (net of discounts and returns), the share of buyers with more than one order,
/// orders per buyer and revenue per order. With `by=tier`, each period has a row per tier (and
/// one for no tier): the members who held it as the period opened, by the program's tiers.
public struct RetentionReport: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var period: String
        /// By tier: the tier the row's members held as the period opened ("none": no tier).
        var tier: String?
        var from: CalendarDate
        var to: CalendarDate
        var customersAtStart: Int
        var customersAtEnd: Int
        var newCustomers: Int
        var keptFromStart: Int
        @OrNull var retentionRate: Double?
        @OrNull var repeatBuyerRate: Double?
        @OrNull var churnRate: Double?
        var buyers: Int
        var orders: Int
        var revenue: Int
        @OrNull var repeatPurchaseRate: Double?
        @OrNull var purchaseFrequency: Double?
        @OrNull var averageOrderValue: Double?

        enum CodingKeys: String, CodingKey {
            case period, tier, from, to, buyers, orders, revenue
            case customersAtStart = "customers_at_start", customersAtEnd = "customers_at_end", newCustomers = "new_customers"
            case keptFromStart = "kept_from_start", retentionRate = "retention_rate", repeatBuyerRate = "repeat_buyer_rate"
            case churnRate = "churn_rate", repeatPurchaseRate = "repeat_purchase_rate", purchaseFrequency = "purchase_frequency"
            case averageOrderValue = "average_order_value"
        }
    }

    var from: CalendarDate
    var to: CalendarDate
    var period: String
    var activeDays: Int
    var currency: String
    var timeZone: String
    var periods: [Row]
    /// The same figures over the whole range at once, all members (S as `from` opens, E on `to`).
    var wholeRange: Row

    enum CodingKeys: String, CodingKey {
        case from, to, period, currency, periods
        case activeDays = "active_days", timeZone = "time_zone", wholeRange = "whole_range"
    }

    /// - Parameter tiers: with `by=tier`, the program's tiers and every member's qualifying activity.
    init(_ log: PurchaseLog, _ query: ReportQuery, program: Program, tiers: (TierProgram, [UUID: [QualifyingActivity]])? = nil) {
        from = query.from
        to = query.to
        period = query.period.rawValue
        activeDays = query.activeDays
        currency = program.currency
        timeZone = program.timeZoneName
        let days = log.days(in: program.timeZone)
        let orderDays = log.orderDays(days)
        let activity = CustomerActivity(activeDays: query.activeDays)
        // A span's own orders: purchases are in time order, so their days are too.
        func purchases(in span: ReportPeriod) -> ArraySlice<PurchaseLog.Purchase> {
            let first = span.first.daysSince1970, last = span.last.daysSince1970
            return log.purchases[days.partitioningIndex { $0 >= first }..<days.partitioningIndex { $0 > last }]
        }
        let whole = ReportPeriod(label: "\(query.from) to \(query.to)", first: query.from, last: query.to)
        wholeRange = Self.row(whole, nil, activity, orderDays, purchases(in: whole))
        periods = query.periods.flatMap { span -> [Row] in
            let own = purchases(in: span)
            guard let (tiers, qualifying) = tiers else {
                return [Self.row(span, nil, activity, orderDays, own)]
            }
            // Each member's tier as the period opened: index 0 is no tier, then the levels.
            let opening = span.first.start(in: program.timeZone).addingTimeInterval(-0.001)
            let group = log.members.map { id in
                tiers.status(of: qualifying[id] ?? [], at: opening, timeZone: program.timeZone).level.map { $0 + 1 } ?? 0
            }
            return (["none"] + tiers.levels.map(\.name)).enumerated().map { g, name in
                Self.row(span, name, activity, orderDays.indices.map { group[$0] == g ? orderDays[$0] : [] },
                         own.filter { group[$0.member] == g })
            }
        }
    }

    /// One row: retention of these members' order days, and the figures of these purchases.
    static func row(_ span: ReportPeriod, _ tier: String?, _ activity: CustomerActivity, _ orderDays: [[Int]],
                    _ purchases: some Sequence<PurchaseLog.Purchase>) -> Row {
        let retention = activity.retention(orders: orderDays, from: span.first.daysSince1970, to: span.last.daysSince1970)
        var amounts: [Int: [Int]] = [:]
        for purchase in purchases { amounts[purchase.member, default: []].append(purchase.amount) }
        let figures = PurchaseFigures(orderAmounts: Array(amounts.values))
        return Row(period: span.label, tier: tier, from: span.first, to: span.last,
                   customersAtStart: retention.counts.start, customersAtEnd: retention.counts.end, newCustomers: retention.counts.new,
                   keptFromStart: retention.keptFromStart, retentionRate: retention.retentionRate,
                   repeatBuyerRate: retention.repeatBuyerRate, churnRate: retention.churnRate,
                   buyers: figures.customers, orders: figures.orders, revenue: figures.revenue,
                   repeatPurchaseRate: figures.repeatPurchaseRate, purchaseFrequency: figures.purchaseFrequency,
                   averageOrderValue: figures.averageOrderValue)
    }

    public var table: ReportTable {
        ReportTable(
            title: "retention \(from) to \(to) by \(period) (a customer bought within \(activeDays) days; money in \(currency))",
            columns: ["period"] + (periods.first?.tier == nil ? [] : ["tier"])
                + ["S", "E", "N", "kept", "CRR %", "repeat-buyer %", "churn %", "buyers", "orders", "revenue", "repeat purchase %", "orders/buyer", "AOV"],
            rows: (periods + [wholeRange]).map { row in
                [row.period] + (periods.first?.tier == nil ? [] : [row.tier ?? "all"])
                    + ["\(row.customersAtStart)", "\(row.customersAtEnd)", "\(row.newCustomers)", "\(row.keptFromStart)",
                       Cell.percent(row.retentionRate), Cell.percent(row.repeatBuyerRate), Cell.percent(row.churnRate),
                       "\(row.buyers)", "\(row.orders)", Cell.money(row.revenue, currency), Cell.percent(row.repeatPurchaseRate),
                       Cell.number(row.purchaseFrequency), Cell.money(row.averageOrderValue, currency)]
            })
    }
}

extension Collection {
    /// The first index whose element satisfies `predicate`, for a predicate false then true along the collection.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Index {
        var low = startIndex, count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if predicate(self[middle]) { count = half } else { low = index(after: middle); count -= half + 1 }
        }
        return low
    }
}
