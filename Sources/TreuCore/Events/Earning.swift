import Foundation

/// What an event does to a member's points, as the pure core decides it: the write path applies
/// these to the ledger in one transaction and returns them to the caller.
public enum Effect: Equatable, Sendable {
    /// Points earned, named by the rule that gave them; pending until `availableAt`.
    case credit(points: Int, rule: String, availableAt: Date, expiresAt: Date?)
    /// Points an earlier event earned, taken back (a return).
    case reverse(points: Int, earnedBy: String)
    /// A coupon of the catalog's `reward` for a later order, issued by the rule `rule`.
    case coupon(reward: String, rule: String)
}

extension Return {
    /// The points this return takes back from what its order earned: in proportion to the net
    /// returned so far (this return with the `earlier` ones), rounded down for the member, less
    /// what earlier returns took; once everything has come back, everything the order earned has.
    /// Every rule's points come back alike (for orders recorded before Treu kept which lines
    /// earned what; see `Program.takeBack` for the others).
    /// - Parameters:
    ///   - earned: the points the order earned.
    ///   - reversedSoFar: the points earlier returns took back.
    public func pointsTakenBack(from order: Order, earlier: [Return], earned: Int, reversedSoFar: Int) throws(ValidationError) -> [Effect] {
        let (returned, net) = try returnedNet(of: order, after: earlier)
        guard net > 0 else { return [] }
        let due = returned >= net ? earned : Arithmetic.product(earned, returned) / net
        let points = min(due, earned) - reversedSoFar
        return points > 0 ? [.reverse(points: points, earnedBy: order.reference)] : []
    }

    /// Units of each of the order's lines that have come back with this return and the
    /// `earlier` ones (a sku's units go to its lines in order); every unit when one was a whole-order return.
    public func returnedUnits(of order: Order, after earlier: [Return]) throws(ValidationError) -> [Int] {
        let all = earlier + [self]
        if all.contains(where: { $0.lines == nil }) { return order.lines.map(\.quantity) }
        _ = try returnedNet(of: order, after: earlier)  // refuses lines the order does not have
        var left: [String: Int] = [:]
        for line in all.flatMap({ $0.lines ?? [] }) { left[line.sku, default: 0] += line.quantity }
        return order.lines.map { line in
            let units = min(left[line.sku] ?? 0, line.quantity)
            left[line.sku, default: 0] -= units
            return units
        }
    }
}

/// What one return takes back, rule by rule.
public struct TakenBack: Equatable, Sendable {
    public var effects: [Effect]
    /// Points taken back by rule.
    public var byRule: [String: Int]
}

extension Program {
    /// The points a return takes back from what its order earned, rule by rule: a line's
    /// points come back with its units (points × units returned ÷ units bought, rounded down for
    /// the member); the order's own share (shipping, an order bonus) in proportion to the net
    /// returned; a punch card's stamps of the returned units come off the open card, and a card
    /// this order filled is taken back when its stamps are no longer there (a card another order
    /// filled stays: the stamps it lacks are bought again before the next). Once the whole order
    /// is back, everything it earned is. Never more than the order earned in all (`earned`,
    /// less `reversedSoFar`).
    /// - Parameters:
    ///   - parts: what each rule gave the order, as recorded with it.
    ///   - earlierTaken: what earlier returns of the order took by rule (nil if unknown).
    ///   - counters: the member's counters (punch cards' open stamps), updated.
    public static func takeBack(_ ret: Return, of order: Order, parts: [EarnedPart], earlier: [Return], earlierTaken: [String: Int]?,
                                earned: Int, reversedSoFar: Int, counters: inout [String: Int]) throws(ValidationError) -> TakenBack {
        let now = try ret.returnedUnits(of: order, after: earlier)
        let before = earlier.isEmpty ? order.lines.map { _ in 0 } : try earlier.last!.returnedUnits(of: order, after: Array(earlier.dropLast()))
        let (returnedNet, orderNet) = try ret.returnedNet(of: order, after: earlier)
        let returnedBefore = try earlier.last.map { r throws(ValidationError) in try r.returnedNet(of: order, after: Array(earlier.dropLast())).returned } ?? 0
        let whole = returnedNet >= orderNet && now == order.lines.map(\.quantity)
        func due(_ part: EarnedPart, units: [Int], net: Int, all: Bool) -> Int {
            if all { return part.points }
            var due = 0
            for (i, line) in order.lines.enumerated() where line.quantity > 0 {
                due += Arithmetic.product(part.lines[i], units[i]) / line.quantity
            }
            if orderNet > 0 { due += Arithmetic.product(part.order, net) / orderNet }
            return min(due, part.points)
        }
        var byRule: [String: Int] = [:]
        for part in parts {
            let taken: Int
            if let card = part.card {
                var returnedStamps = 0
                for (i, line) in order.lines.enumerated() where line.quantity > 0 {
                    returnedStamps += Arithmetic.product(card.stamps[i], now[i]) / line.quantity - Arithmetic.product(card.stamps[i], before[i]) / line.quantity
                }
                let key = PunchCards.key(part.rule)
                var open = (counters[key] ?? 0) - returnedStamps
                let takenBefore = earlierTaken?[part.rule] ?? 0
                let cardsLeft = card.pointsPerCard > 0 ? (part.points - takenBefore) / card.pointsPerCard : 0
                var undone = 0
                if open < 0, cardsLeft > 0 {
                    undone = min((-open + card.size - 1) / card.size, cardsLeft)
                    open += undone * card.size
                }
                counters[key] = open == 0 ? nil : open
                taken = undone * card.pointsPerCard
            } else {
                let after = due(part, units: now, net: returnedNet, all: whole)
                let earlierDue = earlierTaken.map { $0[part.rule] ?? 0 } ?? due(part, units: before, net: returnedBefore, all: false)
                taken = max(0, after - earlierDue)
            }
            if taken > 0 { byRule[part.rule, default: 0] += taken }
        }
        let total = min(byRule.values.reduce(0, +), max(earned - reversedSoFar, 0))
        return TakenBack(effects: total > 0 ? [.reverse(points: total, earnedBy: order.reference)] : [], byRule: byRule)
    }
}

extension MemberLedger {
    /// Applies effects in order; all or nothing.
    @discardableResult
    public mutating func apply(_ effects: [Effect], event reference: String, at: Date, policy: ReversalPolicy) throws(LedgerError) -> [LedgerEntry] {
        var copy = self
        var made: [LedgerEntry] = []
        for effect in effects {
            switch effect {
            case let .credit(points, rule, availableAt, expiresAt):
                made.append(try copy.credit(points, at: at, availableAt: availableAt, expiresAt: expiresAt, source: reference,
                                            cause: Cause(event: reference, rule: rule)))
            case let .reverse(points, earnedBy):
                made.append(try copy.reverse(points, earnedBy: earnedBy, at: at, policy: policy, cause: Cause(event: reference)))
            case .coupon:
                continue
            }
        }
        self = copy
        return made
    }
}
