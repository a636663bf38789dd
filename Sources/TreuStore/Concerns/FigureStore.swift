import Foundation
import TreuCore

/// What the reports read: the shop's purchases, points earned, the ledger's totals, enrolments.
public protocol FigureStore: Sendable {
    /// The points of every ledger entry before `end`, summed by kind and quarter hour (UTC): the
    /// quarter hours let a report put them in the days and months of any time zone.
    func ledgerTotals(before end: Date) async throws -> [LedgerTotal]
    /// Recorded orders and returns in reference order, those after `reference`, at most `limit`:
    /// an order with its amount (its document only if it was recorded before amounts were kept),
    /// a return with its document.
    func purchases(after reference: String?, limit: Int) async throws -> [StoredPurchase]
    /// Credits and reversals of every member, by member and sequence, after `position`, at most
    /// `limit` (points earned, for tiers over the whole shop).
    func pointsEarned(after position: PointsPosition?, limit: Int) async throws -> [PointsMovement]
    /// These members' orders and returns, in time order, as `purchases(after:limit:)` reads them.
    func purchases(of members: [UUID]) async throws -> [StoredPurchase]
    /// The documents of the events with these references (those recorded).
    func payloads(of references: [String]) async throws -> [String: String]
    /// The members enrolled before `end`, counted by quarter hour (UTC). A member counts from
    /// their enrolment or their first recorded event, whichever is earlier (a shop's imported
    /// history has customers from before Treu).
    func enrolments(before end: Date) async throws -> [Enrolments]
}
