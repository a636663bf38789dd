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

    /// Reads every order and return the store holds, 5,000 events a read.
    public static func read(_ store: any Store) async throws -> PurchaseLog {
        let decoder = JSONDecoder.treu
        var memberIndex: [UUID: Int] = [:]
        var members: [UUID] = []
        var orders: [(member: Int, order: Order)] = []
        var orderIndex: [String: Int] = [:]
        var returns: [Return] = []
        var after: String?
        while true {
            let page = try await store.events(after: after, limit: 5_000)
            guard let last = page.last else { break }
            for stored in page where stored.kind == "order" || stored.kind == "return" {
                let payload = Data(stored.payload.utf8)
                if stored.kind == "return" {
                    returns.append(try decoder.decode(StoredReturn.self, from: payload).value)
                    continue
                }
                let order = try decoder.decode(StoredOrder.self, from: payload).order
                let member: Int
                if let known = memberIndex[stored.member] {
                    member = known
                } else {
                    member = members.count
                    memberIndex[stored.member] = member
                    members.append(stored.member)
                }
                orderIndex[order.reference] = orders.count
                orders.append((member, order))
            }
            after = last.reference
        }
        var amounts = orders.map { $0.order.netOfDiscounts.minorUnits }
        var returnedWhole = [Bool](repeating: false, count: orders.count)
        var earlier: [Int: (returns: [Return], returned: Int)] = [:]
        for ret in returns.sorted(by: { ($0.at, $0.reference) < ($1.at, $1.reference) }) {
            guard let index = orderIndex[ret.orderReference] else { continue }
            let before = earlier[index] ?? ([], 0)
            // Recorded returns were checked when they came in; one that no longer adds up is left out.
            guard let now = try? ret.returnedNet(of: orders[index].order, after: before.returns) else { continue }
            amounts[index] -= now.returned - before.returned
            returnedWhole[index] = now.returned >= now.of
            earlier[index] = (before.returns + [ret], now.returned)
        }
        var purchases: [Purchase] = []
        purchases.reserveCapacity(orders.count)
        for (index, entry) in orders.enumerated() where !returnedWhole[index] {
            purchases.append(Purchase(member: entry.member, at: entry.order.at, amount: max(amounts[index], 0)))
        }
        return PurchaseLog(members: members, purchases: purchases)
    }

    /// The day of each purchase (days since 1970) in `timeZone`, in the order of `purchases`.
    public func days(in timeZone: TimeZone) -> [Int] {
        purchases.map { CalendarDate.dayNumber($0.at, in: timeZone) }
    }
}
