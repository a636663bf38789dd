import Foundation
import TreuCore

/// Events: recorded once by reference, each with the member's changes in one transaction.
public protocol EventStore: Sendable {
    /// The event with this reference, if one was recorded.
    func event(reference: String) async throws -> StoredEvent?
    /// Recorded events in reference order, those after `reference`, at most `limit` (the shop's
    /// own history, for a simulation).
    func events(after reference: String?, limit: Int) async throws -> [StoredEvent]
    /// Records events in order, in one transaction, each once per reference, with its change to its
    /// member's points: `change` gets the member's ledger (with the lots the event's `source`
    /// created) and the event's context, and returns the answer to store with the event (and
    /// coupons to write with it). An event
    /// whose reference was recorded before changes nothing and gets `.replay` with the first answer
    /// (or `.mismatch` if its fingerprint differs); one that `change` refuses gets `.refused` and
    /// leaves no trace. Later events of a batch see the earlier ones (a return of an order sent
    /// just before it). A storage error fails the whole batch; nothing of it is written. With
    /// `dryRun`, everything is done and the transaction rolled back: the outcomes say what would happen.
    func recordEvents(_ events: [EventDraft], at now: Date, dryRun: Bool,
                      _ change: @Sendable (inout MemberLedger, EventContext) throws -> EventAnswer) async throws -> [EventOutcome]
}
