import Foundation
import TreuCore

/// Whose event it is, as the store resolves it inside the event's transaction.
public enum EventMember: Sendable {
    case id(UUID)
    /// The member holding the first of these identities that anyone holds; when nobody does,
    /// `enrol` (if given) makes a new member, stored only if the event is recorded. It is called
    /// only then: most events are for members who exist.
    case holder(of: [Identity], enrol: (@Sendable () throws -> Member)?)
    /// The member of the event named by `source` (a return's order).
    case ofSource
    /// A new member, enrolled with the event (their sign-up): refused with
    /// `StoreError.identityTaken` when another member holds one of their identities.
    case new(Member)

    /// The identities the store looks up before it resolves the member (`holder` and `new`).
    var identities: [Identity]? {
        switch self {
        case .holder(let identities, _): identities
        case .new(let member): member.identities
        default: nil
        }
    }
}

/// Whose event it is, once the store has found the source event and the identities' holder.
enum MemberResolution {
    case existing(UUID)
    /// Nobody holds the identities: this new member, to enrol with the event.
    case new(Member)
}

/// An event to record. `source` is the event it refers to (a return's order); `fingerprint` tells
/// a retry (same fingerprint) from another event that reuses the reference.
public struct EventDraft: Sendable {
    public var reference: String
    public var kind: String
    public var member: EventMember
    public var source: String?
    public var fingerprint: String
    public var payload: String
    public var occurredAt: Date
    /// Events of one member with the same tally are counted together by the rules (orders, for a
    /// first order; actions of one name, for their limits).
    public var tally: String?
    /// The rules read the earlier events of the tally: the change sees their times (read only then).
    public var readsTally: Bool
    /// An order's net (after discounts, without shipping), minor units: what reports read.
    public var amount: Int?

    public init(reference: String, kind: String, member: EventMember, source: String? = nil,
                fingerprint: String, payload: String, occurredAt: Date, tally: String? = nil, readsTally: Bool = false,
                amount: Int? = nil) {
        self.reference = reference
        self.kind = kind
        self.member = member
        self.source = source
        self.fingerprint = fingerprint
        self.payload = payload
        self.occurredAt = occurredAt
        self.tally = tally
        self.readsTally = readsTally
        self.amount = amount
    }

    /// Whose event this is, given the event its `source` names and the member holding its identities.
    /// - Throws: an `EventRefusal`, or what making the new member throws.
    func resolveMember(source: StoredEvent?, holder: UUID?) throws -> MemberResolution {
        switch member {
        case .id(let id): return .existing(id)
        case .ofSource:
            guard let source else { throw EventRefusal.sourceNotFound(self.source ?? "") }
            return .existing(source.member)
        case .holder(_, let enrol):
            if let holder { return .existing(holder) }
            guard let enrol else { throw EventRefusal.memberNotFound }
            return .new(try enrol())
        case .new(let member):
            // The store names the identity taken (`identityHeld`) when there is a holder.
            guard holder == nil else { throw EventRefusal.identityHeld }
            return .new(member)
        }
    }
}

/// What the store knows about an event when its change runs.
/// A reward's coupons not cancelled: how many, their points, and how many members hold them.
public struct RewardTotal: Sendable, Equatable {
    public var coupons: Int
    public var points: Int
    public var members: Int

    public init(coupons: Int, points: Int, members: Int) {
        self.coupons = coupons
        self.points = points
        self.members = members
    }
}

/// What an event's evaluation gives the store to write with it: the answer to store, the
/// coupons it issued (a next-order coupon) and events it caused (a new member's sign-up),
/// written in the event's transaction.
public struct EventAnswer: Sendable {
    public var response: Data
    public var coupons: [Coupon]
    /// The document to store instead of the draft's (the evaluation adds what it found: which
    /// lines earned which points, for a later return).
    public var payload: String?
    /// Events of the same member recorded with this one.
    public var companions: [CompanionEvent]
    /// Coupons to cancel with the event (those a fully returned order issued and nobody used).
    public var cancelCoupons: [String]
    /// Coupons used on the event's source order to make usable again (a return of it).
    public var reissueCoupons: [String]
    /// Whether the event counts in its draft's tally (an action that a limit or a missing rule
    /// kept from earning does not: limits count what was rewarded).
    public var counts = true

    public init(_ response: Data, coupons: [Coupon] = [], payload: String? = nil, companions: [CompanionEvent] = [],
                cancelCoupons: [String] = [], reissueCoupons: [String] = []) {
        self.response = response
        self.coupons = coupons
        self.payload = payload
        self.companions = companions
        self.cancelCoupons = cancelCoupons
        self.reissueCoupons = reissueCoupons
    }
}

/// An event an event caused for the same member, stored with it: it counts towards its tally
/// (a sign-up's welcome gift, once ever) and a later event with its reference replays nothing.
public struct CompanionEvent: Sendable, Equatable {
    public var reference: String
    public var kind: String
    public var payload: String
    public var occurredAt: Date
    public var tally: String?
    /// Stored as the fingerprint: nobody sends these, so a client's event under the reference conflicts.
    public static let fingerprint = "companion"

    public init(reference: String, kind: String, payload: String, occurredAt: Date, tally: String?) {
        self.reference = reference
        self.kind = kind
        self.payload = payload
        self.occurredAt = occurredAt
        self.tally = tally
    }
}

public struct EventContext: Sendable {
    /// The event's place in its batch.
    public var index: Int
    public var member: UUID
    public var memberActive: Bool
    /// The member's birthday as stored (a birthday action is checked against it).
    public var birthday: CalendarDate?
    /// The member was enrolled by this event.
    public var enrolled: Bool
    /// The event named by the draft's `source`, if any.
    public var source: StoredEvent?
    /// Payloads of events recorded earlier with the same source (an order's earlier returns), oldest first.
    public var earlier: [String]
    /// When the member's other events with the same tally happened (recorded before this one, at any time).
    public var tallied: [Date]
    /// Coupons the source event issued or was paid with (a returned order's).
    public var sourceCoupons: [Coupon] = []
}

/// A version of the program document as stored.
public struct StoredProgram: Sendable, Equatable {
    public var version: Int
    public var effectiveFrom: Date
    public var document: String
    public var createdAt: Date
    public var createdBy: String?

    public init(version: Int, effectiveFrom: Date, document: String, createdAt: Date, createdBy: String?) {
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.document = document
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// Why the store did not record an event of a batch (the others are unaffected).
public enum EventRefusal: Error, Equatable, Sendable {
    case memberNotFound
    case sourceNotFound(String)
    /// A new member's identity is held by another (the store turns it into `StoreError.identityTaken`).
    case identityHeld
}

public enum EventOutcome: Sendable {
    /// Recorded now, with this answer.
    case recorded(Data)
    /// Recorded before with the same fingerprint: its first answer; nothing changed.
    case replay(Data)
    /// The reference was recorded before with another fingerprint; nothing changed.
    case mismatch
    /// Not recorded: an `EventRefusal`, or what the change threw. Nothing of it was written.
    case refused(any Error)
}
