import Foundation

/// What to do when a return takes back points its order earned that were already spent.
public enum ReversalPolicy: String, Codable, Sendable {
    /// Take the shortfall from the member's other available points (first-expiring first); what
    /// still lacks becomes a debt that later credits settle first.
    case clawBack = "claw_back"
    /// Leave the other points alone: the shortfall becomes a debt (a negative balance) that later
    /// credits settle first.
    case negativeBalance = "negative_balance"
}

public enum LedgerError: Error, Equatable, Sendable {
    case insufficientPoints(available: Int, requested: Int)
    case notPositive
}

/// One member's points: lots and the entries that made them, changed only by appending
/// entries. Pure and deterministic: every change takes its time as an argument.
///
/// The balance is a cache of the entries: `verify()` recomputes it from them.
public struct MemberLedger: Equatable, Sendable {
    public private(set) var lots: [Lot] = []
    public private(set) var entries: [LedgerEntry] = []
    public private(set) var debt = 0

    public init() {}

    // MARK: Reading

    public var balance: Balance {
        var balance = Balance(available: -debt, pending: 0, lifetimeEarned: 0, lifetimeSpent: 0, lifetimeExpired: 0, lifetimeReversed: 0)
        for lot in lots {
            if lot.released { balance.available += lot.remaining } else { balance.pending += lot.remaining }
        }
        for entry in entries {
            switch entry.kind {
            case .credit, .transferIn: balance.lifetimeEarned += entry.points
            case .adjustment where entry.points > 0: balance.lifetimeEarned += entry.points
            case .debit, .transferOut, .donation: balance.lifetimeSpent -= entry.points
            case .adjustment: balance.lifetimeSpent -= entry.points
            case .expiry: balance.lifetimeExpired -= entry.points
            case .reversal: balance.lifetimeReversed -= entry.points
            case .release: break
            }
        }
        return balance
    }

    /// Available points grouped by expiry day (UTC midnight of `calendar`'s day), soonest first.
    public func upcomingExpiries(calendar: Calendar, limit: Int = 3) -> [UpcomingExpiry] {
        var byDay: [Date: Int] = [:]
        for lot in lots where lot.remaining > 0 {
            guard let expires = lot.expiresAt else { continue }
            byDay[calendar.startOfDay(for: expires), default: 0] += lot.remaining
        }
        return byDay.sorted { $0.key < $1.key }.prefix(limit).map { UpcomingExpiry(points: $0.value, at: $0.key) }
    }

    /// Recomputes every lot's remaining points and the debt from the entries alone, and
    /// returns what differs from the cached state (empty when the ledger is sound).
    public func verify() -> [String] {
        var remaining: [Int: Int] = [:]
        var debtFromEntries = 0
        var total = 0
        for entry in entries {
            for change in entry.lots { remaining[change.lot, default: 0] += change.change }
            debtFromEntries += entry.debtChange
            total += entry.points
        }
        var differences: [String] = []
        for lot in lots where remaining[lot.id, default: 0] != lot.remaining {
            differences.append("lot \(lot.id): entries say \(remaining[lot.id, default: 0]), the lot says \(lot.remaining)")
        }
        for lot in lots where lot.remaining < 0 { differences.append("lot \(lot.id) is below zero: \(lot.remaining)") }
        if debtFromEntries != debt { differences.append("debt: entries say \(debtFromEntries), the ledger says \(debt)") }
        let cached = lots.reduce(0) { $0 + $1.remaining } - debt
        if total != cached { differences.append("points: entries sum to \(total), lots less debt are \(cached)") }
        return differences
    }

    // MARK: Changing

    /// Credits points as a new lot, pending until `availableAt` if that is later than `at`.
    /// Any debt is settled first from these points.
    @discardableResult
    public mutating func credit(_ points: Int, at: Date, availableAt: Date? = nil, expiresAt: Date?, source: String?,
                                cause: Cause, kind: EntryKind = .credit) throws(LedgerError) -> LedgerEntry {
        guard points > 0 else { throw LedgerError.notPositive }
        let settled = min(points, debt)
        debt -= settled
        let available = max(availableAt ?? at, at)
        let lot = Lot(id: lots.count + 1, points: points - settled, remaining: points - settled, creditedAt: at,
                      availableAt: available, released: available <= at, expiresAt: expiresAt, source: source)
        lots.append(lot)
        return append(kind, points, at: at, lots: lot.points > 0 ? [LotChange(lot: lot.id, change: lot.points)] : [],
                      debtChange: -settled, cause: cause)
    }

    /// Spends available points, first-expiring lots first (lots that never expire last).
    /// - Throws: `insufficientPoints` and changes nothing if the available points do not cover it.
    @discardableResult
    public mutating func debit(_ points: Int, at: Date, cause: Cause, kind: EntryKind = .debit) throws(LedgerError) -> LedgerEntry {
        guard points > 0 else { throw LedgerError.notPositive }
        let available = balance.available
        guard available >= points else { throw LedgerError.insufficientPoints(available: available, requested: points) }
        let changes = take(points, from: spendableLots())
        return append(kind, -points, at: at, lots: changes, debtChange: 0, cause: cause)
    }

    /// Releases every pending lot whose date has come; one entry per lot.
    @discardableResult
    public mutating func releasePending(at now: Date) -> [LedgerEntry] {
        var made: [LedgerEntry] = []
        for index in lots.indices where !lots[index].released && lots[index].availableAt <= now {
            lots[index].released = true
            made.append(append(.release, 0, at: lots[index].availableAt, lots: [],
                               debtChange: 0, cause: Cause(event: lots[index].source, reason: "return window closed")))
        }
        return made
    }

    /// Expires what is left of every lot whose date has come, on that date; one entry per lot.
    @discardableResult
    public mutating func expire(at now: Date) -> [LedgerEntry] {
        var made: [LedgerEntry] = []
        for index in lots.indices {
            guard let expires = lots[index].expiresAt, expires <= now, lots[index].remaining > 0 else { continue }
            let left = lots[index].remaining
            lots[index].remaining = 0
            made.append(append(.expiry, -left, at: expires, lots: [LotChange(lot: lots[index].id, change: -left)],
                               debtChange: 0, cause: Cause(event: lots[index].source, reason: "expired")))
        }
        return made
    }

    /// Takes back `points` earned by the event `source` (a return): from the lots that event
    /// created first, then per `policy`. Never more than the event earned in all.
    @discardableResult
    public mutating func reverse(_ points: Int, earnedBy source: String, at: Date, policy: ReversalPolicy,
                                 cause: Cause) throws(LedgerError) -> LedgerEntry {
        guard points > 0 else { throw LedgerError.notPositive }
        let earned = lots.filter { $0.source == source }.reduce(0) { $0 + $1.points }
        let wanted = min(points, earned - reversedSoFar(source))
        guard wanted > 0 else { throw LedgerError.notPositive }
        var changes = take(wanted, from: lots.indices.filter { lots[$0].source == source })
        var shortfall = wanted + changes.reduce(0) { $0 + $1.change }
        if shortfall > 0, policy == .clawBack {
            let others = take(shortfall, from: spendableLots())
            shortfall += others.reduce(0) { $0 + $1.change }
            changes += others
        }
        debt += shortfall
        return append(.reversal, -wanted, at: at, lots: changes, debtChange: shortfall, cause: cause, reverses: source)
    }

    /// Points already taken back from what `source` earned.
    public func reversedSoFar(_ source: String) -> Int {
        entries.reduce(0) { $0 + ($1.reverses == source ? -$1.points : 0) }
    }

    // MARK: Helpers

    /// Indices of released lots with points left, first-expiring first, never-expiring last, then oldest.
    private func spendableLots() -> [Int] {
        lots.indices.filter { lots[$0].released && lots[$0].remaining > 0 }.sorted { i, j in
            switch (lots[i].expiresAt, lots[j].expiresAt) {
            case let (a?, b?) where a != b: return a < b
            case (.some, nil): return true
            case (nil, .some): return false
            default: return lots[i].id < lots[j].id
            }
        }
    }

    /// Takes up to `points` from the lots at `indices`, in that order; returns the changes.
    private mutating func take(_ points: Int, from indices: [Int]) -> [LotChange] {
        var left = points
        var changes: [LotChange] = []
        for index in indices where left > 0 && lots[index].remaining > 0 {
            let taken = min(left, lots[index].remaining)
            lots[index].remaining -= taken
            left -= taken
            changes.append(LotChange(lot: lots[index].id, change: -taken))
        }
        return changes
    }

    private mutating func append(_ kind: EntryKind, _ points: Int, at: Date, lots changes: [LotChange], debtChange: Int,
                                 cause: Cause, reverses: String? = nil) -> LedgerEntry {
        let entry = LedgerEntry(sequence: entries.count + 1, kind: kind, points: points, at: at, lots: changes,
                                debtChange: debtChange, cause: cause, reverses: reverses)
        entries.append(entry)
        return entry
    }
}
