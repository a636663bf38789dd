import Foundation

/// What an event does to a member's points, as the pure core decides it: the write path applies
/// these to the ledger in one transaction and returns them to the caller.
public enum Effect: Equatable, Sendable {
    /// Points earned, named by the rule that gave them; pending until `availableAt`.
    case credit(points: Int, rule: String, availableAt: Date, expiresAt: Date?)
    /// Points an earlier event earned, taken back (a return).
    case reverse(points: Int, earnedBy: String)
}

/// The earning of the default program, until the program document (issue 4) replaces it: one
/// point per whole currency unit of an order's net after discounts, without shipping; pending for
/// the return window; expiring after a fixed time. Returns take back points in proportion to the
/// net that comes back, never more than the order earned.
public struct DefaultEarning: Sendable {
    public var pendingDays: Int
    /// nil: points never expire.
    public var expiryDays: Int?

    /// Points for actions, by name; actions not named here are recorded and earn nothing. Limits
    /// (once a year, N a month) come with the program's action rules.
    public var actionPoints: [String: Int]

    public init(pendingDays: Int = 14, expiryDays: Int? = 365,
                actionPoints: [String: Int] = ["signup": 50, "birthday": 100, "review": 25, "social_share": 10]) {
        self.pendingDays = pendingDays
        self.expiryDays = expiryDays
        self.actionPoints = actionPoints
    }

    /// An action's points are available at once (nothing can be returned) and expire like any others.
    public func effects(of action: Action) -> [Effect] {
        guard let points = actionPoints[action.name], points > 0 else { return [] }
        let expires = expiryDays.map { action.at.addingTimeInterval(Double($0) * 86_400) }
        return [.credit(points: points, rule: "\(points) points for \(action.name)", availableAt: action.at, expiresAt: expires)]
    }

    public static let ruleName = "1 point per whole unit spent"

    public func effects(of order: Order) -> [Effect] {
        let points = order.netOfDiscounts.wholeUnits
        guard points > 0 else { return [] }
        let available = order.at.addingTimeInterval(Double(pendingDays) * 86_400)
        let expires = expiryDays.map { available.addingTimeInterval(Double($0) * 86_400) }
        return [.credit(points: points, rule: Self.ruleName, availableAt: available, expiresAt: expires)]
    }

    /// Points come back in proportion to the net returned so far (this return with the earlier
    /// ones), rounded down for the member, less what earlier returns took; once everything has
    /// come back, everything the order earned has.
    /// - Parameters:
    ///   - earlier: the order's earlier returns.
    ///   - earned: the points the order earned.
    ///   - reversedSoFar: the points earlier returns took back.
    public func effects(of ret: Return, order: Order, earlier: [Return], earned: Int, reversedSoFar: Int) throws(ValidationError) -> [Effect] {
        let (returned, net) = try ret.returnedNet(of: order, after: earlier)
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
            }
        }
        self = copy
        return made
    }
}
