import Foundation

/// Points earned together, with their own dates: a lot is spent first-expiring-first and expires
/// on its own date. `remaining` never goes below zero.
public struct Lot: Equatable, Sendable {
    /// Counts up from 1 within a member's ledger.
    public let id: Int
    /// The points credited (after any debt they settled was taken).
    public let points: Int
    public var remaining: Int
    public let creditedAt: Date
    /// Pending until this moment (equal to `creditedAt` if never pending).
    public let availableAt: Date
    public var released: Bool
    /// nil: never expires.
    public let expiresAt: Date?
    /// The reference of the event that earned the lot, for reversals.
    public let source: String?

    public init(id: Int, points: Int, remaining: Int, creditedAt: Date, availableAt: Date, released: Bool,
                expiresAt: Date?, source: String?) {
        self.id = id
        self.points = points
        self.remaining = remaining
        self.creditedAt = creditedAt
        self.availableAt = availableAt
        self.released = released
        self.expiresAt = expiresAt
        self.source = source
    }

    /// Whether the lot can still change: points left, or still pending.
    public var isOpen: Bool { remaining > 0 || !released }
}

/// Why an entry is there, in words a member or a person in service can read.
public struct Cause: Equatable, Sendable {
    /// The event's reference (an order number, an action's id).
    public var event: String?
    /// The program rule that gave or took the points.
    public var rule: String?
    /// Who did it, for manual adjustments (an API key's name, a person).
    public var actor: String?
    public var reason: String?

    public init(event: String? = nil, rule: String? = nil, actor: String? = nil, reason: String? = nil) {
        self.event = event
        self.rule = rule
        self.actor = actor
        self.reason = reason
    }
}

/// What kind of change an entry records.
public enum EntryKind: String, Codable, Sendable, CaseIterable {
    case credit, release, debit, expiry, reversal, adjustment
    case transferIn = "transfer_in", transferOut = "transfer_out", donation
    /// Points of a cancelled redemption given back.
    case refund
}

/// One immutable line of a member's ledger. `points` is the signed change of the member's
/// points (all lots, pending and available, less debt): a credit of 130 that settles a debt of
/// 100 is +130, of which 30 go to a lot. `lots` says which lots changed by how much.
public struct LedgerEntry: Equatable, Sendable {
    public let sequence: Int
    public let kind: EntryKind
    public let points: Int
    public let at: Date
    public let lots: [LotChange]
    /// Debt taken on (positive) or settled (negative) by this entry.
    public let debtChange: Int
    public let cause: Cause
    /// For a reversal: the reference of the event whose points it takes back.
    public let reverses: String?

    public init(sequence: Int, kind: EntryKind, points: Int, at: Date, lots: [LotChange], debtChange: Int,
                cause: Cause, reverses: String?) {
        self.sequence = sequence
        self.kind = kind
        self.points = points
        self.at = at
        self.lots = lots
        self.debtChange = debtChange
        self.cause = cause
        self.reverses = reverses
    }
}

public struct LotChange: Equatable, Sendable {
    public let lot: Int
    public let change: Int

    public init(lot: Int, change: Int) {
        self.lot = lot
        self.change = change
    }
}

/// A member's points as shown to them.
public struct Balance: Equatable, Sendable {
    /// Spendable now: released lots less any debt (negative while a debt is open).
    public var available: Int
    /// Earned but held until the return window closes.
    public var pending: Int
    public var lifetimeEarned: Int
    public var lifetimeSpent: Int
    public var lifetimeExpired: Int
    public var lifetimeReversed: Int
}

/// Points that expire together on one day, for "120 points expire on 2027-03-31".
public struct UpcomingExpiry: Equatable, Sendable {
    public var points: Int
    /// The last day they can be used.
    public var day: CalendarDate
}
