import Foundation
import TreuCore
import TreuStore

/// Every recorded order in a compact form for the reports: who bought, when, and for how much
/// net of discounts and of what came back.
///
/// An order's amount is its goods after discounts, without shipping, less what its returns took
/// back (counted on the order's day, so a month's revenue is what that month's orders finally
/// brought). An order that came back whole is not a purchase: its buyer was not a customer
/// because of it.
public struct PurchaseLog: Sendable {
    public struct Purchase: Sendable, Equatable {
        /// Index into `members`.
        public var member: Int
        public var at: Date
        /// Minor units, net of discounts and returns.
        public var amount: Int
    }

    /// The members who bought, by index.
    public private(set) var members: [UUID] = []
    /// In time order.
    public private(set) var purchases: [Purchase] = []

    public init(members: [UUID], purchases: [Purchase]) {
        self.members = members
        self.purchases = purchases.sorted { ($0.at, $0.member) < ($1.at, $1.member) }
    }

    /// Reads every order and return the store holds, 10,000 a read: orders by their stored
    /// amount, returns by their documents, and the documents of the orders that came back in
    /// part (to share the order's discounts over the lines that came back).
    public static func read(_ store: any Store) async throws -> PurchaseLog {
        let decoder = JSONDecoder.treu
        var memberIndex: [UUID: Int] = [:]
        var members: [UUID] = []
        var orders: [(member: Int, at: Date, amount: Int)] = []
        var orderIndex: [String: Int] = [:]
        var returns: [Return] = []
        var after: String?
        while true {
            let page = try await store.purchases(after: after, limit: 10_000)
            guard let last = page.last else { break }
            for row in page {
                if row.kind == "return" {
                    if let payload = row.payload { returns.append(try decoder.decode(StoredReturn.self, from: Data(payload.utf8)).value) }
                    continue
                }
                let amount = try row.amount
                    ?? decoder.decode(StoredOrder.self, from: Data((row.payload ?? "").utf8)).order.netOfDiscounts.minorUnits
                let member: Int
                if let known = memberIndex[row.member] {
                    member = known
                } else {
                    member = members.count
                    memberIndex[row.member] = member
                    members.append(row.member)
                }
                orderIndex[row.reference] = orders.count
                orders.append((member, row.occurredAt, amount))
            }
            after = last.reference
        }
        // What came back, per order: a whole-order return takes it all; returns of lines take
        // their share of the order's net, counted by the order's own lines.
        var byOrder: [Int: [Return]] = [:]
        for ret in returns { if let index = orderIndex[ret.orderReference] { byOrder[index, default: []].append(ret) } }
        var returnedWhole = Set<Int>()
        var partial: [String: [Return]] = [:]
        for (index, list) in byOrder {
            if list.contains(where: { $0.lines == nil }) { returnedWhole.insert(index) } else {
                partial[list[0].orderReference] = list.sorted { ($0.at, $0.reference) < ($1.at, $1.reference) }
            }
        }
        var amounts = orders.map(\.amount)
        let references = Array(partial.keys)
        for start in stride(from: 0, to: references.count, by: 1_000) {
            let documents = try await store.payloads(of: Array(references[start..<min(start + 1_000, references.count)]))
            for (reference, document) in documents {
                guard let index = orderIndex[reference], let list = partial[reference] else { continue }
                let order = try decoder.decode(StoredOrder.self, from: Data(document.utf8)).order
                var accepted: [Return] = []
                var returned = 0
                for ret in list {
                    // Recorded returns were checked when they came in; one that no longer adds up is left out.
                    guard let now = try? ret.returnedNet(of: order, after: accepted) else { continue }
                    accepted.append(ret)
                    returned = now.returned
                    if now.returned >= now.of { returnedWhole.insert(index) }
                }
                amounts[index] -= returned
            }
        }
        var purchases: [Purchase] = []
        purchases.reserveCapacity(orders.count)
        for (index, entry) in orders.enumerated() where !returnedWhole.contains(index) {
            purchases.append(Purchase(member: entry.member, at: entry.at, amount: max(amounts[index], 0)))
        }
        return PurchaseLog(members: members, purchases: purchases)
    }

    /// The day of each purchase (days since 1970) in `timeZone`, in the order of `purchases`.
    public func days(in timeZone: TimeZone) -> [Int] {
        purchases.map { CalendarDate.dayNumber($0.at, in: timeZone) }
    }
}
