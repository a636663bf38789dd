import Foundation
import TreuCore
import TreuStore

/// "Spenders and senders": the members who brought the most friends (senders) next to those who
/// spent the most (spenders), each with the other figure too. Spend is net of discounts and
/// returns, over everything recorded; a friend counts once accepted (refused referrals do not).
public struct SendersReport: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var memberID: String
        /// Friends brought (referrals not refused), and of those rewarded so far.
        var brought: Int
        var rewarded: Int
        /// What the friends bought, minor units.
        var friendsSpend: Int
        /// What the member bought, minor units.
        var spend: Int
        var orders: Int
        enum CodingKeys: String, CodingKey {
            case brought, rewarded, spend, orders
            case memberID = "member_id", friendsSpend = "friends_spend"
        }
    }

    var currency: String
    /// Members who brought at least one friend.
    var senders: Int
    /// Friends brought, all senders together, and what they bought.
    var friends: Int
    var friendsSpend: Int
    var topSenders: [Row]
    var topSpenders: [Row]

    enum CodingKeys: String, CodingKey {
        case currency, senders, friends
        case friendsSpend = "friends_spend", topSenders = "top_senders", topSpenders = "top_spenders"
    }

    init(_ log: PurchaseLog, referrals: [Referral], limit: Int, program: Program) {
        var spend: [UUID: (amount: Int, orders: Int)] = [:]
        for purchase in log.purchases {
            spend[log.members[purchase.member], default: (0, 0)].amount += purchase.amount
            spend[log.members[purchase.member], default: (0, 0)].orders += 1
        }
        var rows: [UUID: Row] = [:]
        func row(_ id: UUID) -> Row {
            rows[id] ?? Row(memberID: id.uuidString.lowercased(), brought: 0, rewarded: 0, friendsSpend: 0,
                            spend: spend[id]?.amount ?? 0, orders: spend[id]?.orders ?? 0)
        }
        for referral in referrals where referral.status != .refused {
            var sender = row(referral.referrer)
            sender.brought += 1
            if referral.status == .rewarded { sender.rewarded += 1 }
            sender.friendsSpend += spend[referral.referred]?.amount ?? 0
            rows[referral.referrer] = sender
        }
        currency = program.currency
        senders = rows.count
        friends = rows.values.reduce(0) { $0 + $1.brought }
        friendsSpend = rows.values.reduce(0) { $0 + $1.friendsSpend }
        topSenders = rows.values.sorted { ($1.brought, $1.friendsSpend, $0.memberID) < ($0.brought, $0.friendsSpend, $1.memberID) }
            .prefix(limit).map { $0 }
        topSpenders = spend.sorted { ($1.value.amount, $0.key.uuidString) < ($0.value.amount, $1.key.uuidString) }
            .prefix(limit).map { row($0.key) }
    }

    var tables: [ReportTable] {
        let columns = ["member", "brought", "rewarded", "friends' spend", "own spend", "orders"]
        func cells(_ r: Row) -> [String] {
            [r.memberID, "\(r.brought)", "\(r.rewarded)", Cell.money(r.friendsSpend, currency), Cell.money(r.spend, currency), "\(r.orders)"]
        }
        return [ReportTable(title: "Top senders (\(senders) members brought \(friends) friends, who spent \(Cell.money(friendsSpend, currency)) \(currency))",
                            columns: columns, rows: topSenders.map(cells)),
                ReportTable(title: "Top spenders", columns: columns, rows: topSpenders.map(cells))]
    }
}
