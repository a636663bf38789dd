import Foundation
import TreuCore
import TreuStore

/// What the API and the command line do with members, over any `Store`: the one place that
/// turns requests into domain operations, so both surfaces behave alike.
public struct MemberService: Sendable {
    let store: any MemberStore
    let clock: TreuClock
    let ids: IDGenerator
    let defaultCountryCode: String?
    /// Enrolments are recorded as the member's sign-up (with the program's welcome gift).
    let signups: EventGroupCommit?
    let notices: NoticeBoard

    init(store: any MemberStore, clock: TreuClock, ids: IDGenerator, defaultCountryCode: String?, signups: EventGroupCommit?,
         notices: NoticeBoard = .silent) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.defaultCountryCode = defaultCountryCode
        self.signups = signups
        self.notices = notices
    }

    /// Enrols a member, with the program's sign-up rule (the welcome gift) in the same
    /// transaction, recorded as their `signup` action. Two concurrent enrolments with one
    /// identity make one member; the other gets `identityTaken`.
    public func enrol(_ enrolment: Enrolment) async throws -> Member {
        let now = clock.now()
        let member = try enrolment.makeMember(id: ids.next(), now: now)
        guard let signups else {
            try await store.enrol(member, notices: notices.notices(.memberEnrolled, member: member.id, at: now, MemberNoticeFields(member)))
            return member
        }
        if case .refused(let error) = try await signups.record(.signup(member, at: now), fingerprint: "signup") { throw error }
        return member
    }

    public func member(id: UUID) async throws -> Member {
        guard let member = try await store.member(id: id) else { throw StoreError.notFound }
        return member
    }

    /// The member holding `raw` as any identity (or as `kind` when given). When the text is
    /// several identities of different members (a card number that is also someone's customer
    /// id), the first kind in the order email, phone, card, customer_id wins.
    public func lookUp(_ raw: String, kind: IdentityKind? = nil) async throws -> Member {
        let candidates: [Identity]
        if let kind {
            candidates = [try Identity(kind, raw, defaultCountryCode: defaultCountryCode)]
        } else {
            candidates = Identity.candidates(for: raw, defaultCountryCode: defaultCountryCode)
        }
        guard let member = try await store.member(holdingAnyOf: candidates) else { throw StoreError.notFound }
        return member
    }

    public func update(id: UUID, with change: MemberChange) async throws -> Member {
        let now = clock.now()
        let board = notices
        return try await store.updateMember(id: id, notices: { old, new in
            board.notices(.memberUpdated, at: now, MemberNoticeFields(new, changedFrom: old))
        }) { current in try change.applied(to: current, now: now) }
    }

    public func addIdentity(_ kind: IdentityKind, _ raw: String, to id: UUID) async throws -> Member {
        let identity = try Identity(kind, raw, defaultCountryCode: defaultCountryCode)
        return try await store.add(identity, to: id, at: clock.now())
    }

    public func removeIdentity(_ kind: IdentityKind, _ raw: String, from id: UUID) async throws -> Member {
        let identity = try Identity(kind, raw, defaultCountryCode: defaultCountryCode)
        return try await store.remove(identity, from: id, at: clock.now())
    }

    public func list(_ query: MemberQuery) async throws -> Page<Member> {
        try await store.members(query)
    }
}
