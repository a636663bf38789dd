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

    /// Every order (+) and return (−) as it happened, for tiers: qualification counts returns when
    /// they come back.
    public struct Movement: Sendable, Equatable {
        public var member: Int
        public var at: Date
        /// The order's time (a return's order).
        public var orderAt: Date
        /// Net spend, minor units.
        public var amount: Int
        /// +1 an order, −1 the return that completes one, else 0.
        public var orders: Int
        /// The order's reference (a return's order).
        public var order: String
    }
    public private(set) var movements: [Movement] = []

    public init(members: [UUID], purchases: [Purchase], movements: [Movement] = []) {
        self.members = members
        self.purchases = purchases.sorted { ($0.at, $0.member) < ($1.at, $1.member) }
        self.movements = movements
    }

    /// Reads every order and return the store holds, 10,000 a read: orders by their stored
    /// amount, returns by their documents, and the documents of the orders that came back in
    /// part (to share the order's discounts over the lines that came back).
    public static func read(_ store: any Store) async throws -> PurchaseLog {
        var builder = Builder()
        var after: String?
        while true {
            let page = try await store.purchases(after: after, limit: 10_000)
            guard let last = page.last else { break }
            try builder.add(page)
            after = last.reference
        }
        return try await builder.finish(store)
    }

    /// Some members' orders and returns (one member's for their tier, a sender's friends').
    public static func read(_ store: any Store, members: [UUID]) async throws -> PurchaseLog {
        var builder = Builder()
        try builder.add(try await store.purchases(of: members))
        return try await builder.finish(store)
    }

    /// Orders and returns as they are read, page by page, then what the returns took.
    private struct Builder {
        let decoder = JSONDecoder.treu
        var memberIndex: [UUID: Int] = [:]
        var members: [UUID] = []
        var orders: [(member: Int, at: Date, amount: Int, reference: String)] = []
        var orderIndex: [String: Int] = [:]
        var returns: [Return] = []

        mutating func add(_ rows: [StoredPurchase]) throws {
            for row in rows {
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
                orders.append((member, row.occurredAt, amount, row.reference))
            }
        }

        func finish(_ store: any Store) async throws -> PurchaseLog {
            var needed = Array(ReturnedAmounts.documentsNeeded(returns))
            var documents: [String: String] = [:]
            while !needed.isEmpty {
                let chunk = Array(needed.suffix(1_000))
                needed.removeLast(chunk.count)
                documents.merge(try await store.payloads(of: chunk)) { a, _ in a }
            }
            let taken = try ReturnedAmounts.taken(returns, amount: { orderIndex[$0].map { orders[$0].amount } }, documents: documents)
            var amounts = orders.map(\.amount)
            var returnedWhole = Set<Int>()
            var movements = orders.map { Movement(member: $0.member, at: $0.at, orderAt: $0.at, amount: $0.amount, orders: 1, order: $0.reference) }
            for take in taken {
                guard let index = orderIndex[take.order] else { continue }
                amounts[index] -= take.amount
                if take.completes { returnedWhole.insert(index) }
                movements.append(Movement(member: orders[index].member, at: take.at, orderAt: orders[index].at, amount: -take.amount,
                                          orders: take.completes ? -1 : 0, order: take.order))
            }
            var purchases: [Purchase] = []
            purchases.reserveCapacity(orders.count)
            for (index, entry) in orders.enumerated() where !returnedWhole.contains(index) {
                purchases.append(Purchase(member: entry.member, at: entry.at, amount: max(amounts[index], 0)))
            }
            return PurchaseLog(members: members, purchases: purchases, movements: movements)
        }
    }

    /// Each member's purchase days, by member index, in the order of `purchases`.
    func orderDays(_ days: [Int]) -> [[Int]] {
        var orderDays = [[Int]](repeating: [], count: members.count)
        for (index, purchase) in purchases.enumerated() { orderDays[purchase.member].append(days[index]) }
        return orderDays
    }

    /// The day of each purchase (days since 1970) in `timeZone`, in the order of `purchases`.
    public func days(in timeZone: TimeZone) -> [Int] {
        purchases.map { CalendarDate.dayNumber($0.at, in: timeZone) }
    }
}

/// What each return took of its order's net: a return of lines their share (the order's
/// discounts shared over its lines, as the ledger does), a whole-order return the rest.
enum ReturnedAmounts {
    struct Taken: Equatable {
        var order: String
        var at: Date
        var amount: Int
        /// This return brought back the last of the order.
        var completes: Bool
    }

    /// The orders whose documents `taken` needs: those with a return of lines.
    static func documentsNeeded(_ returns: [Return]) -> Set<String> {
        Set(returns.filter { $0.lines != nil }.map(\.orderReference))
    }

    /// The returns in the order they came, each with what it took. A return of an unknown order,
    /// or one that no longer adds up, is left out (recorded returns were checked when they came).
    /// - Parameters:
    ///   - amount: an order's net, nil if unknown.
    ///   - documents: the documents of `documentsNeeded(returns)`.
    static func taken(_ returns: [Return], amount: (String) -> Int?, documents: [String: String]) throws -> [Taken] {
        let decoder = JSONDecoder.treu
        var decoded: [String: Order] = [:]
        var earlier: [String: (returns: [Return], returned: Int)] = [:]
        var result: [Taken] = []
        var completed = Set<String>()
        for ret in returns.sorted(by: { ($0.at, $0.reference) < ($1.at, $1.reference) }) {
            guard let net = amount(ret.orderReference) else { continue }
            let before = earlier[ret.orderReference] ?? ([], 0)
            let now: (returned: Int, of: Int)
            if let document = documents[ret.orderReference] {
                let order = try decoded[ret.orderReference] ?? decoder.decode(StoredOrder.self, from: Data(document.utf8)).order
                decoded[ret.orderReference] = order
                guard let counted = try? ret.returnedNet(of: order, after: before.returns) else { continue }
                now = counted
            } else if ret.lines == nil {
                now = (net, net)
            } else {
                continue
            }
            guard !completed.contains(ret.orderReference) else { continue }
            if now.returned >= now.of { completed.insert(ret.orderReference) }
            earlier[ret.orderReference] = (before.returns + [ret], now.returned)
            result.append(Taken(order: ret.orderReference, at: ret.at, amount: now.returned - before.returned,
                                completes: now.returned >= now.of))
        }
        return result
    }
}

extension PurchaseLog {
    /// The orders with what each return took of them, as a referral's outcome reads them.
    public var referralOrders: [ReferralOrder] {
        var orders: [ReferralOrder] = []
        var index: [String: Int] = [:]
        for movement in movements {
            if movement.orders == 1 {
                index[movement.order] = orders.count
                orders.append(ReferralOrder(reference: movement.order, at: movement.at, amount: movement.amount))
            } else if let i = index[movement.order] {
                orders[i].returns.append((movement.at, -movement.amount))
            }
        }
        return orders
    }
}
