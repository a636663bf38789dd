import Foundation
import TreuCore

/// Treu's storage, described at the level of the domain (enrol this member, find the member with
/// one of these identities, claim this idempotency key), not of SQL. Two implementations:
/// `SQLiteStore` (the embedded default) and `PostgresStore`; one conformance suite proves they
/// behave the same.
///
/// Every write is one transaction: it happens whole or not at all.
public typealias Store = DatabaseStore
    & MemberStore
    & PointsStore
    & FigureStore
    & EventStore
    & ReferralStore
    & CouponStore
    & CampaignStore
    & ProgramStore
    & KeyStore
    & IdempotencyStore
    & WebhookStore
    & MessageStore

/// What revoking a key did.
public enum KeyRevocation: Sendable, Equatable {
    case revoked
    /// No live key has the id (none, or revoked already).
    case notFound
    /// It is the last live admin key: kept.
    case lastAdmin
}

/// A member's point figures as cached in storage, for `treu verify` to check against the entries.
public struct CachedPoints: Sendable, Equatable {
    public var member: UUID
    public var available: Int
    public var pending: Int
}

/// Quarter hours are counted from 1970 in UTC: every zone's offset is a whole number of them.
public let quarterHourMilliseconds = 900_000

/// The sum of the ledger entries of one kind in one quarter hour.
public struct LedgerTotal: Sendable, Equatable {
    public var kind: String
    /// Quarter hours since 1970 (UTC).
    public var quarterHour: Int
    /// The sum of the entries' signed points.
    public var points: Int
    public var entries: Int

    public init(kind: String, quarterHour: Int, points: Int, entries: Int) {
        self.kind = kind
        self.quarterHour = quarterHour
        self.points = points
        self.entries = entries
    }

    public var start: Date { Date(timeIntervalSince1970: Double(quarterHour) * Double(quarterHourMilliseconds) / 1000) }
}

/// Members enrolled in one quarter hour.
public struct Enrolments: Sendable, Equatable {
    public var quarterHour: Int
    public var members: Int

    public init(quarterHour: Int, members: Int) {
        self.quarterHour = quarterHour
        self.members = members
    }

    public var start: Date { Date(timeIntervalSince1970: Double(quarterHour) * Double(quarterHourMilliseconds) / 1000) }
}

/// Where a read of `pointsEarned` stopped.
public struct PointsPosition: Sendable, Equatable {
    public var member: UUID
    public var sequence: Int
    public init(member: UUID, sequence: Int) {
        self.member = member
        self.sequence = sequence
    }
}

/// A ledger entry that earned points or took earned points back.
public struct PointsMovement: Sendable, Equatable {
    public var member: UUID
    public var sequence: Int
    /// `credit` or `reversal`.
    public var kind: String
    public var points: Int
    public var at: Date
    public var event: String?
    /// A reversal: the event whose points it took back.
    public var reverses: String?
    public var position: PointsPosition { PointsPosition(member: member, sequence: sequence) }
}

/// An order or a return as the reports read it.
public struct StoredPurchase: Sendable, Equatable {
    public var reference: String
    public var kind: String
    public var member: UUID
    public var occurredAt: Date
    /// An order's net, minor units (nil: recorded before amounts were kept; read `payload`).
    public var amount: Int?
    public var payload: String?
}

public struct StoredEvent: Sendable, Equatable {
    public var reference: String
    public var kind: String
    public var member: UUID
    public var payload: String
}

/// What the store refuses, in the domain's words.
public enum StoreError: Error, Equatable, Sendable {
    case identityTaken(Identity)
    case notFound
    case lastIdentity
    case identityNotHeld
    /// A transfer from a member to the same member.
    case sameMember
}

/// A request's claim on an idempotency key. `scope` keeps keys of different API keys apart;
/// `fingerprint` is a hash of method, path and body, so the same key with another body is caught.
public struct IdempotencyClaim: Sendable {
    public var scope: String
    public var key: String
    public var fingerprint: String
    public var now: Date
    /// A claim older than this whose request never answered (a crash) may be taken over.
    public var staleAfter: TimeInterval

    public init(scope: String, key: String, fingerprint: String, now: Date, staleAfter: TimeInterval = 60) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.now = now
        self.staleAfter = staleAfter
    }
}

/// A response kept for replay.
public struct StoredResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: Data
    public init(status: Int, contentType: String, body: Data) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

public enum IdempotencyOutcome: Sendable, Equatable {
    /// This request holds the key now: act, then complete or release it.
    case claimed
    /// The key was used by an identical request that answered this.
    case replay(StoredResponse)
    /// The key was used by a request with another method, path or body.
    case mismatch
    /// The identical request is still running.
    case inProgress
}
