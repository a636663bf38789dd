import Foundation
import TreuCore

/// Members and their identities.
public protocol MemberStore: Sendable {
    /// Stores a new member with its identities, and `notices` (the member's) in the same transaction.
    /// - Throws: `StoreError.identityTaken` if another member already holds one of the identities.
    func enrol(_ member: Member, notices: [Notice]) async throws
    /// Stores many new members in one transaction: all of them or, on any error, none.
    /// `progress` hears how many are written so far, now and then.
    /// - Throws: `StoreError.identityTaken` naming the first identity already held.
    func importMembers(_ members: [Member], progress: (@Sendable (Int) -> Void)?) async throws
    func member(id: UUID) async throws -> Member?
    /// The member holding the first of `identities` (in the order given) that anyone holds, in one read.
    func member(holdingAnyOf identities: [Identity]) async throws -> Member?
    /// The holder of each of `identities` that someone holds, for any number of them in one call
    /// (PostgreSQL reads 10,000 a statement; SQLite one each, a read without a round trip).
    func holders(of identities: [Identity]) async throws -> [Identity: UUID]
    /// Changes the profile, consents or status of a member (not its identities): `change` gets
    /// the member as stored, under a lock, and returns it changed; the result is written in the
    /// same transaction, so two concurrent changes never lose one another.
    /// `notices` gets the member before and after a change that changed something, and what it
    /// returns is written in the same transaction.
    /// - Returns: the member as written.
    /// - Throws: `StoreError.notFound` if there is no such member, or what `change` throws.
    func updateMember(id: UUID, notices: @Sendable (Member, Member) -> [Notice],
                      _ change: @Sendable (Member) throws -> Member) async throws -> Member
    /// - Returns: the member with the identity.
    /// - Throws: `StoreError.identityTaken`, `StoreError.notFound`.
    @discardableResult
    func add(_ identity: Identity, to memberID: UUID, at now: Date) async throws -> Member
    /// - Throws: `StoreError.lastIdentity` rather than leave a member with none; `StoreError.notFound`.
    /// - Returns: the member without the identity.
    @discardableResult
    func remove(_ identity: Identity, from memberID: UUID, at now: Date) async throws -> Member
    /// Members in enrolment order, filtered and paginated by `query`.
    func members(_ query: MemberQuery) async throws -> Page<Member>
    func memberCount() async throws -> Int
}

extension MemberStore {
    /// Stores a new member that tells nobody.
    public func enrol(_ member: Member) async throws { try await enrol(member, notices: []) }

    /// Changes a member without notices.
    public func updateMember(id: UUID, _ change: @Sendable (Member) throws -> Member) async throws -> Member {
        try await updateMember(id: id, notices: { _, _ in [] }, change)
    }
}
