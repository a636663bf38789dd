import Foundation
import TreuAnalytics
import TreuCore
import TreuStore

/// What the program does and costs, by month, quarter or year: members enrolled (in the period,
/// and in all at its end), active members (customers at its end: bought within `active_days`),
/// points issued (credits), taken back by returns (reversals), redeemed (spent on rewards and
/// donated), expired, adjusted by staff (net), moved between members (transfers), and the
/// points outstanding at its end (available and pending, less debts).
///
/// Over the range: the redemption rate (redeemed / issued), breakage (of the points whose fate is
/// settled by the end — redeemed or expired since the program began — the share that expired),
/// and the outstanding liability in money: outstanding × `point_value` × (1 − breakage).
public struct ProgramReport: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var period: String
        var from: CalendarDate
        var to: CalendarDate
        var enrolled: Int
        var members: Int
        var activeMembers: Int
        var issued: Int
        var takenBack: Int
        var redeemed: Int
        var expired: Int
        var adjusted: Int
        var transferred: Int
        var outstanding: Int
        enum CodingKeys: String, CodingKey {
            case period, from, to, enrolled, members, issued, redeemed, expired, adjusted, transferred, outstanding
            case activeMembers = "active_members", takenBack = "taken_back"
        }
    }
    struct Totals: Encodable, Sendable {
        var issued: Int
        var redeemed: Int
        var expired: Int
        @OrNull var redemptionRate: Double?
        @OrNull var breakage: Double?
        var outstanding: Int
        var pointValue: Double
        var liability: Int
        enum CodingKeys: String, CodingKey {
            case issued, redeemed, expired, breakage, outstanding, liability
            case redemptionRate = "redemption_rate", pointValue = "point_value"
        }
    }

    var from: CalendarDate
    var to: CalendarDate
    var period: String
    var activeDays: Int
    var currency: String
    var timeZone: String
    var periods: [Row]
    var totals: Totals

    enum CodingKeys: String, CodingKey {
        case from, to, period, currency, periods, totals
        case activeDays = "active_days", timeZone = "time_zone"
    }

    init(_ log: PurchaseLog, ledger: [LedgerTotal], enrolments: [Enrolments], _ query: ReportQuery, program: Program) {
        from = query.from
        to = query.to
        period = query.period.rawValue
        activeDays = query.activeDays
        currency = program.currency
        timeZone = program.timeZoneName
        let zone = program.timeZone
        let spans = query.periods
        // The period a day falls in: -1 before the range (counts towards what is outstanding), nil after.
        func span(of day: Int) -> Int? {
            guard day <= query.to.daysSince1970 else { return nil }
            return spans.lastIndex { $0.first.daysSince1970 <= day } ?? -1
        }
        var flows = [[String: Int]](repeating: [:], count: spans.count)
        var balanceBefore = 0, balanceDelta = [Int](repeating: 0, count: spans.count)
        var lifetime: [String: Int] = [:]
        var quarterDays: [Int: Int] = [:]
        func day(_ start: Date, _ quarter: Int) -> Int {
            if let known = quarterDays[quarter] { return known }
            let day = CalendarDate.dayNumber(start, in: zone)
            quarterDays[quarter] = day
            return day
        }
        for total in ledger {
            guard let index = span(of: day(total.start, total.quarterHour)) else { continue }
            lifetime[total.kind, default: 0] += total.points
            if index < 0 { balanceBefore += total.points; continue }
            flows[index][total.kind, default: 0] += total.points
            balanceDelta[index] += total.points
        }
        var membersBefore = 0, joined = [Int](repeating: 0, count: spans.count)
        for group in enrolments {
            guard let index = span(of: day(group.start, group.quarterHour)) else { continue }
            if index < 0 { membersBefore += group.members } else { joined[index] += group.members }
        }
        let days = log.days(in: zone)
        let orderDays = log.orderDays(days)
        let activity = CustomerActivity(activeDays: query.activeDays)
        var outstanding = balanceBefore, members = membersBefore
        periods = spans.indices.map { i in
            outstanding += balanceDelta[i]
            members += joined[i]
            let last = spans[i].last.daysSince1970
            let f = flows[i]
            return Row(period: spans[i].label, from: spans[i].first, to: spans[i].last, enrolled: joined[i], members: members,
                       activeMembers: orderDays.filter { activity.isCustomer(orderDays: $0, on: last) }.count,
                       issued: f["credit"] ?? 0, takenBack: -(f["reversal"] ?? 0),
                       redeemed: -((f["debit"] ?? 0) + (f["donation"] ?? 0)), expired: -(f["expiry"] ?? 0),
                       adjusted: f["adjustment"] ?? 0, transferred: f["transfer_in"] ?? 0, outstanding: outstanding)
        }
        let figures = ProgramFigures(issued: lifetime["credit"] ?? 0, redeemed: -((lifetime["debit"] ?? 0) + (lifetime["donation"] ?? 0)),
                                     expired: -(lifetime["expiry"] ?? 0), pointValue: query.pointValue)
        let issued = periods.reduce(0) { $0 + $1.issued }, redeemed = periods.reduce(0) { $0 + $1.redeemed }
        let liability = ProgramFigures.liability(outstanding: outstanding, pointValue: query.pointValue, breakage: figures.breakage)
        totals = Totals(issued: issued, redeemed: redeemed, expired: periods.reduce(0) { $0 + $1.expired },
                        redemptionRate: issued > 0 ? Double(redeemed) / Double(issued) : nil, breakage: figures.breakage,
                        outstanding: outstanding, pointValue: query.pointValue, liability: liability)
    }

    public var tables: [ReportTable] {
        [ReportTable(title: "program \(from) to \(to) by \(period) (active: bought within \(activeDays) days)",
                     columns: ["period", "enrolled", "members", "active", "issued", "taken back", "redeemed", "expired", "adjusted",
                               "transferred", "outstanding"],
                     rows: periods.map { row in
                         [row.period, "\(row.enrolled)", "\(row.members)", "\(row.activeMembers)", "\(row.issued)", "\(row.takenBack)",
                          "\(row.redeemed)", "\(row.expired)", "\(row.adjusted)", "\(row.transferred)", "\(row.outstanding)"]
                     }),
         ReportTable(title: "totals (money in \(currency); a point is worth \(Cell.number(totals.pointValue)) minor units)",
                     columns: ["figure", "value"],
                     rows: [["issued", "\(totals.issued)"], ["redeemed", "\(totals.redeemed)"], ["expired", "\(totals.expired)"],
                            ["redemption rate %", Cell.percent(totals.redemptionRate.map { $0 * 100 })],
                            ["breakage %", Cell.percent(totals.breakage.map { $0 * 100 })],
                            ["outstanding points", "\(totals.outstanding)"], ["liability", Cell.money(totals.liability, currency)]])]
    }
}
