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
    /// Every rule's points come back alike (spend, multipliers and bonuses are all in `earned`).
    /// - Parameters:
    ///   - earned: the points the order earned.
    ///   - reversedSoFar: the points earlier returns took back.
    public func pointsTakenBack(from order: Order, earlier: [Return], earned: Int, reversedSoFar: Int) throws(ValidationError) -> [Effect] {
        let (returned, net) = try returnedNet(of: order, after: earlier)
        guard net > 0 else { return [] }
        let due = returned >= net ? earned : earned * returned / net
        let points = min(due, earned) - reversedSoFar
        return points > 0 ? [.reverse(points: points, earnedBy: order.reference)] : []
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
