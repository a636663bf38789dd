import Foundation
import TreuCore

/// Points: each member's ledger (entries, lots, debt) with its counters, and the timed work due on them.
public protocol PointsStore: Sendable {
    /// A member's points as stored: the figures and the open lots (and, for a return, the lots
    /// the event `source` created, open or not).
    func points(of member: UUID, loadingLotsOf source: String?) async throws -> MemberLedger
    /// Changes a member's points in one transaction, one change per member at a time: `change`
    /// gets the ledger as `points(of:loadingLotsOf:)` gives it; the entries it appends are stored
    /// with the new lots and figures; if it throws, nothing is written and the error is rethrown.
    /// - Throws: `StoreError.notFound` if there is no such member.
    func changePoints<T: Sendable>(of member: UUID, loadingLotsOf source: String?,
                                   _ change: @Sendable (inout MemberLedger) throws -> T) async throws -> T
    /// Changes two members' points in one transaction (a transfer): both ledgers are locked and
    /// loaded, `change` changes them, both are written, or neither if it throws.
    /// - Throws: `StoreError.notFound` if either member does not exist, `sameMember` if they are one.
    func changePoints<T: Sendable>(of first: UUID, and second: UUID,
                                   _ change: @Sendable (inout MemberLedger, inout MemberLedger) throws -> T) async throws -> T
    /// A member's entries in order, those after `sequence`, at most `limit`.
    func ledgerEntries(of member: UUID, after sequence: Int, limit: Int) async throws -> [LedgerEntry]
    /// Every lot of a member, open or not, for verification.
    func allLots(of member: UUID) async throws -> [Lot]
    /// Changes, in one transaction, up to `limit` members with pending points whose release date
    /// has come or points whose expiry date has: `change` gets each one's ledger (under its
    /// lock) and says how many entries it made. Members another transaction holds are skipped
    /// (PostgreSQL: `FOR UPDATE SKIP LOCKED`), so several servers share the work without waiting
    /// on each other; what one did, the other no longer finds due.
    /// - Returns: how many members were changed, and the sum of what `change` returned.
    func changeDuePoints(at now: Date, limit: Int, _ change: @Sendable (inout MemberLedger) -> Int) async throws -> (members: Int, entries: Int)
    /// Members that have points, in enrolment order (their keys') after `after`, with the figures cached for them.
    func pointAccounts(after: UUID?, limit: Int) async throws -> [CachedPoints]
    /// Members whose counter `name` is above zero, in enrolment order after `after` (those with a
    /// recorded tier, for the downgrade at a window's end).
    func members(withCounter name: String, after: UUID?, limit: Int) async throws -> [UUID]
    /// Members with open points whose expiry is in (`start`, `end`], in enrolment order after `after`.
    func members(withPointsExpiringAfter start: Date, through end: Date, after: UUID?, limit: Int) async throws -> [UUID]
    /// Members' rule counters (those with a points account), in enrolment order after `after`.
    func counters(after: UUID?, limit: Int) async throws -> [(member: UUID, counters: [String: Int])]
    /// Changes the counters of `members` in one transaction, each under its member's lock (as an
    /// event takes it, so none is lost to an event recorded at the same time): `change` gets a
    /// member's counters and returns new ones, or nil to keep them. A member without a points
    /// account gets one.
    /// The notices `change` returns with them (a tier's change) are written in the same
    /// transaction, for the members whose counters it changed.
    /// - Returns: how many members' counters changed.
    func changeCounters(of members: [UUID], _ change: @Sendable (UUID, [String: Int]) -> CounterChange?) async throws -> Int
    /// Writes each member's `new` counters where they still hold `old` (as read before), with
    /// their `notices`, in one transaction; returns the members whose counters had changed
    /// meanwhile, left as they are (and their notices unwritten).
    func replaceCounters(_ changes: [(member: UUID, old: [String: Int], new: [String: Int])], notices: [UUID: [Notice]]) async throws -> [UUID]
}

/// A member's new counters and what their change tells (each notice names its member).
public struct CounterChange: Sendable {
    public var counters: [String: Int]
    public var notices: [Notice]
    public init(_ counters: [String: Int], notices: [Notice] = []) {
        self.counters = counters
        self.notices = notices
    }
}

extension PointsStore {
    /// Counters changed with nothing to tell.
    public func changeCounters(of members: [UUID], _ change: @Sendable @escaping (UUID, [String: Int]) -> [String: Int]?) async throws -> Int {
        try await changeCounters(of: members) { member, current in change(member, current).map { CounterChange($0) } }
    }
}
