import Foundation
import TreuAnalytics
import TreuCore

/// Cohorts by month of first order: for each cohort whose first month lies from `from` to
/// `to`, the share of its members who bought in each month since (month 0 is the first: 1),
/// and the revenue they brought (net of discounts and returns). A member's first order is their
/// first ever, also before `from`.
public struct CohortReport: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var cohort: String
        var customers: Int
        /// Share of the cohort buying in month k, 0 to 1.
        var retention: [Double]
        var active: [Int]
        var revenue: [Int]
    }

    var from: String
    var to: String
    var currency: String
    var timeZone: String
    var cohorts: [Row]

    enum CodingKeys: String, CodingKey { case from, to, currency, cohorts, timeZone = "time_zone" }

    init(_ log: PurchaseLog, _ query: ReportQuery, program: Program) {
        from = CalendarDate.monthLabel(query.from.monthIndex)
        to = CalendarDate.monthLabel(query.to.monthIndex)
        currency = program.currency
        timeZone = program.timeZoneName
        let days = log.days(in: program.timeZone)
        let orders = log.purchases.indices.map { i in
            CohortMatrix.Order(customer: String(log.purchases[i].member), month: CalendarDate(daysSince1970: days[i]).monthIndex,
                               amount: log.purchases[i].amount)
        }
        let first = query.from.monthIndex
        cohorts = CohortMatrix(orders: orders, lastMonth: query.to.monthIndex).cohorts.filter { $0.month >= first }.map { cohort in
            Row(cohort: CalendarDate.monthLabel(cohort.month), customers: cohort.customers,
                retention: cohort.active.indices.map(cohort.retention), active: cohort.active, revenue: cohort.revenue)
        }
    }

    public var table: ReportTable {
        let width = cohorts.map(\.retention.count).max() ?? 0
        return ReportTable(
            title: "cohorts by month of first order, \(from) to \(to): % of the cohort buying in month k; revenue in \(currency)",
            columns: ["cohort", "customers", "revenue"] + (0..<width).map { "m\($0)" },
            rows: cohorts.map { row in
                [row.cohort, "\(row.customers)", Cell.money(row.revenue.reduce(0, +), currency)] + row.retention.map { Cell.percent($0 * 100) }
            })
    }
}
