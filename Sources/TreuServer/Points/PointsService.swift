import Foundation
import TreuCore
import TreuStore

/// A member's points: the balance and the ledger read, corrections by hand, transfers between
/// members and donations to a cause — each change in one transaction under the member's lock.
public struct PointsService: Sendable {
    let store: any MemberStore & PointsStore
    let clock: TreuClock
    let programs: ProgramService
    let notices: NoticeBoard

    public init(store: any MemberStore & PointsStore, clock: TreuClock, programs: ProgramService, notices: NoticeBoard = .silent) {
        self.store = store
        self.clock = clock
        self.programs = programs
        self.notices = notices
    }

    /// The most points one adjustment moves, either way.
    static let maxAdjustment = 10_000_000

    /// The zone of the program in force now, for the days points expire on.
    func timeZone() async throws -> TimeZone { try await programs.book().version(at: clock.now()).program.timeZone }

    /// - Throws: `Problem.memberNotFound`.
    func points(of member: UUID) async throws -> MemberLedger {
        guard try await store.member(id: member) != nil else { throw Problem.memberNotFound }
        return try await store.points(of: member, loadingLotsOf: nil)
    }

    /// The member's entries after `sequence`, at most `limit`. - Throws: `Problem.memberNotFound`.
    func entries(of member: UUID, after sequence: Int, limit: Int) async throws -> [LedgerEntry] {
        guard try await store.member(id: member) != nil else { throw Problem.memberNotFound }
        return try await store.ledgerEntries(of: member, after: sequence, limit: limit)
    }

    /// Adds or takes points by hand with a reason; credited points expire as earned ones do,
    /// unless `expiresAt` says when. - Returns: the ledger after it (its first entry the adjustment).
    func adjust(_ member: UUID, points: Int, reason raw: String, expiresAt: Date?, actor: String?) async throws -> MemberLedger {
        let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count) else {
            throw Problem(.unprocessableContent, code: "reason_required", detail: "an adjustment says why, in 1 to 500 characters", field: "reason")
        }
        guard points != 0, (-Self.maxAdjustment...Self.maxAdjustment).contains(points) else {
            throw Problem(.unprocessableContent, code: "invalid_points",
                          detail: "an adjustment is a whole number of points other than 0, from -\(Self.maxAdjustment.grouped) to \(Self.maxAdjustment.grouped)",
                          field: "points")
        }
        let now = clock.now()
        if let expiresAt {
            guard points > 0 else {
                throw Problem(.unprocessableContent, code: "invalid_field", detail: "expires_at is for points credited (a positive adjustment)", field: "expires_at")
            }
            guard expiresAt > now else {
                throw Problem(.unprocessableContent, code: "invalid_time", detail: "expires_at is in the future", field: "expires_at")
            }
        }
        // Points given by hand expire as earned points do, unless the adjustment says when.
        let expiry: Date?
        if let expiresAt { expiry = expiresAt } else { expiry = try await programs.book().version(at: now).program.expiryDate(earnedAt: now) }
        let cause = Cause(actor: actor, reason: reason)
        let board = notices
        return try await store.changePoints(of: member, loadingLotsOf: nil) { ledger in
            if points > 0 {
                try ledger.credit(points, at: now, expiresAt: expiry, source: nil, cause: cause, kind: .adjustment)
            } else {
                try ledger.debit(-points, at: now, cause: cause, kind: .adjustment)
            }
            ledger.noteEntries(board.interest, at: now, ids: board.ids)
            return ledger
        }
    }

    /// Gives points to another member, who keeps their expiry dates; both sides or neither.
    func transfer(_ points: Int, from sender: UUID, to receiver: UUID, cause: Cause) async throws
        -> (sender: MemberLedger, receiver: MemberLedger, made: (out: LedgerEntry, in: [LedgerEntry])) {
        try Self.check(points: points)
        let now = clock.now()
        let board = notices
        return try await store.changePoints(of: sender, and: receiver) { sending, receiving in
            let made = try sending.transfer(points, to: &receiving, at: now, cause: cause)
            sending.noteEntries(board.interest, at: now, ids: board.ids)
            receiving.noteEntries(board.interest, at: now, ids: board.ids)
            return (sending, receiving, made)
        }
    }

    /// Gives points to a cause the member names.
    func donate(_ points: Int, from member: UUID, to rawCause: String, actor: String?) async throws -> (ledger: MemberLedger, entry: LedgerEntry) {
        try Self.check(points: points)
        let cause = rawCause.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(cause.count) else {
            throw Problem(.unprocessableContent, code: "cause_required", detail: "a donation names its cause in 1 to 200 characters", field: "cause")
        }
        let now = clock.now()
        let board = notices
        return try await store.changePoints(of: member, loadingLotsOf: nil) { ledger in
            let entry = try ledger.donate(points, to: cause, at: now, actor: actor)
            ledger.noteEntries(board.interest, at: now, ids: board.ids)
            return (ledger, entry)
        }
    }

    /// The member holding one of `identities` (points go to someone who exists: nobody is enrolled).
    func holder(of identities: [Identity]) async throws -> UUID? { try await store.member(holdingAnyOf: identities)?.id }

    static func check(points: Int) throws {
        guard (1...10_000_000).contains(points) else {
            throw Problem(.unprocessableContent, code: "invalid_points", detail: "points are a whole number from 1 to 10,000,000", field: "points")
        }
    }
}
