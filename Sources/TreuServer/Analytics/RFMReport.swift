import Foundation
import TreuAnalytics
import TreuCore

/// Each member's recency, frequency and monetary scores (quintiles 1–5, 5 best; ties broken by
/// member id, see `RFM`) as of a day, over every order up to and including it, and the named
/// segments they fall in. Recency is days since the last order, frequency the number of orders,
/// monetary their net spend.
public struct RFMScores: Sendable {
    public struct Member: Sendable {
        public var id: UUID
        public var customer: RFM.Customer
        public var score: RFM.Score
    }

    public var day: CalendarDate
    public var members: [Member]

    init(_ log: PurchaseLog, days: [Int], on day: CalendarDate) {
        self.day = day
        let last = day.daysSince1970
        var customers: [Int: RFM.Customer] = [:]
        for (index, purchase) in log.purchases.enumerated() where days[index] <= last {
            var customer = customers[purchase.member]
                ?? RFM.Customer(key: log.members[purchase.member].uuidString.lowercased(), daysSinceLastOrder: .max, orders: 0, spend: 0)
            customer.daysSinceLastOrder = min(customer.daysSinceLastOrder, last - days[index])
            customer.orders += 1
            customer.spend += purchase.amount
            customers[purchase.member] = customer
        }
        let ordered = customers.sorted { $0.key < $1.key }
        let scores = RFM.score(ordered.map(\.value))
        members = zip(ordered, scores).map { Member(id: log.members[$0.key], customer: $0.value, score: $1) }
    }
}

/// The segments of `RFMScores`, with how many members each holds and their mean figures; with
/// `segment`, that segment's members, biggest spenders first.
public struct RFMReport: Encodable, Sendable {
    struct SegmentRow: Encodable, Sendable {
        var segment: String
        var key: String
        var customers: Int
        var share: Double
        @OrNull var meanDaysSinceLastOrder: Double?
        @OrNull var meanOrders: Double?
        @OrNull var meanSpend: Double?
        enum CodingKeys: String, CodingKey {
            case segment, key, customers, share
            case meanDaysSinceLastOrder = "mean_days_since_last_order", meanOrders = "mean_orders", meanSpend = "mean_spend"
        }
    }

    struct MemberRow: Encodable, Sendable {
        var memberID: String
        var recency: Int
        var frequency: Int
        var monetary: Int
        var segment: String
        var daysSinceLastOrder: Int
        var orders: Int
        var spend: Int
        enum CodingKeys: String, CodingKey {
            case recency, frequency, monetary, segment, orders, spend
            case memberID = "member_id", daysSinceLastOrder = "days_since_last_order"
        }
    }

    var at: CalendarDate
    var customers: Int
    var currency: String
    var segments: [SegmentRow]
    var segment: String?
    var members: [MemberRow]?

    enum CodingKeys: String, CodingKey { case at, customers, currency, segments, segment, members }

    init(_ scores: RFMScores, _ query: ReportQuery, program: Program) {
        at = scores.day
        customers = scores.members.count
        currency = program.currency
        var groups: [RFM.Segment: [RFMScores.Member]] = [:]
        for member in scores.members { groups[member.score.segment, default: []].append(member) }
        let total = max(scores.members.count, 1)
        segments = RFM.Segment.allCases.map { segment in
            let members = groups[segment] ?? []
            func mean(_ value: (RFM.Customer) -> Int) -> Double? {
                members.isEmpty ? nil : Double(members.reduce(0) { $0 + value($1.customer) }) / Double(members.count)
            }
            return SegmentRow(segment: segment.rawValue, key: segment.key, customers: members.count,
                              share: Double(members.count) / Double(total), meanDaysSinceLastOrder: mean(\.daysSinceLastOrder),
                              meanOrders: mean(\.orders), meanSpend: mean(\.spend))
        }
        segment = query.segment?.key
        members = query.segment.map { segment in
            (groups[segment] ?? []).sorted { ($0.customer.spend, $1.customer.key) > ($1.customer.spend, $0.customer.key) }
                .prefix(query.limit).map { member in
                    MemberRow(memberID: member.customer.key, recency: member.score.recency, frequency: member.score.frequency,
                              monetary: member.score.monetary, segment: segment.rawValue,
                              daysSinceLastOrder: member.customer.daysSinceLastOrder, orders: member.customer.orders, spend: member.customer.spend)
                }
        }
    }

    public var tables: [ReportTable] {
        var tables = [ReportTable(
            title: "RFM segments on \(at): \(customers) customers (spend in \(currency))",
            columns: ["segment", "customers", "share %", "days since last order", "orders", "spend"],
            rows: segments.map { row in
                [row.segment, "\(row.customers)", Cell.percent(row.share * 100), Cell.number(row.meanDaysSinceLastOrder, 0),
                 Cell.number(row.meanOrders, 1), Cell.money(row.meanSpend, currency)]
            })]
        if let members, let segment {
            tables.append(ReportTable(title: "members of \(segment)", columns: ["member", "R", "F", "M", "days since last order", "orders", "spend"],
                                      rows: members.map { [$0.memberID, "\($0.recency)", "\($0.frequency)", "\($0.monetary)",
                                                           "\($0.daysSinceLastOrder)", "\($0.orders)", Cell.money($0.spend, currency)] }))
        }
        return tables
    }
}
