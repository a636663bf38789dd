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
    /// The credit would take the member's lifetime points past `Limits.balance`.
    case beyondLimit
}

/// A member's lifetime figures, kept with the ledger so that reading them never sums entries.
public struct LedgerTotals: Equatable, Sendable {
    public var earned = 0
    public var spent = 0
    public var expired = 0
    public var reversed = 0

    public init(earned: Int = 0, spent: Int = 0, expired: Int = 0, reversed: Int = 0) {
        self.earned = earned
        self.spent = spent
        self.expired = expired
        self.reversed = reversed
    }

    /// The totals after `entry`.
    mutating func record(_ entry: LedgerEntry) {
        switch entry.kind {
        case .credit, .transferIn: earned += entry.points
        case .adjustment where entry.points > 0: earned += entry.points
        case .debit, .transferOut, .donation, .adjustment: spent -= entry.points
        case .refund: spent -= entry.points
        case .expiry: expired -= entry.points
        case .reversal: reversed -= entry.points
        case .release: break
        }
    }
}

/// One member's points: lots, debt and lifetime totals, changed only by appending entries.
/// Pure and deterministic: every change takes its time as an argument.
///
/// A ledger is made empty or loaded from storage with what a change needs (the open lots, and
/// the lots of an order being returned), never the whole history: `entries` holds the entries
/// appended since then, which the write path stores in the same transaction. `verify(entries:)`
/// recomputes lots, debt and totals from a complete list of entries.
public struct MemberLedger: Equatable, Sendable {
    public private(set) var lots: [Lot]
    public private(set) var debt: Int
    public private(set) var totals: LedgerTotals
    /// Points already taken back, by the reference of the event that earned them.
    public private(set) var reversed: [String: Int]
    public private(set) var nextLotID: Int
    public private(set) var nextSequence: Int
    /// The entries appended since this ledger was made or loaded.
    public private(set) var entries: [LedgerEntry] = []
    /// The lots made or changed since then: all that storage needs to write back.
    public var changedLots: [Lot] { lots.filter { changedLotIDs.contains($0.id) } }
    private var changedLotIDs: Set<Int> = []

    /// What the program's rules count per member (punch-card stamps, points towards a cap in a
    /// period), kept and written with the ledger in the same transaction.
    public var counters: [String: Int] {
        didSet { if counters != oldValue { countersChanged = true } }
    }
    /// The counters changed since this ledger was made or loaded: storage writes them back.
    public private(set) var countersChanged = false
    /// What this change tells the outbox, written with it (see `noteEntries`).
    public var notices: [Notice] = []
    /// How many of `entries` `noteEntries` has told of already.
    var notedEntries = 0

    public init() {
        self.init(lots: [], debt: 0, totals: LedgerTotals(), reversed: [:], nextLotID: 1, nextSequence: 1)
    }

    /// A ledger as storage holds it.
    public init(lots: [Lot], debt: Int, totals: LedgerTotals, reversed: [String: Int], nextLotID: Int, nextSequence: Int,
                counters: [String: Int] = [:]) {
        self.lots = lots
        self.debt = debt
        self.totals = totals
        self.reversed = reversed
        self.nextLotID = nextLotID
        self.nextSequence = nextSequence
        self.counters = counters
    }

    /// Something to write back: new entries or changed counters.
    public var isChanged: Bool { !entries.isEmpty || countersChanged || !notices.isEmpty }

    // MARK: Reading

    public var balance: Balance {
        var balance = Balance(available: -debt, pending: 0, lifetimeEarned: totals.earned, lifetimeSpent: totals.spent,
                              lifetimeExpired: totals.expired, lifetimeReversed: totals.reversed)
        for lot in lots {
            if lot.released { balance.available += lot.remaining } else { balance.pending += lot.remaining }
        }
        return balance
    }

    /// Available points grouped by the last day they can be used in `timeZone` ("120 points
    /// expire on 31 March": they are gone at the midnight that ends it), soonest first.
    public func upcomingExpiries(timeZone: TimeZone, limit: Int = 3) -> [UpcomingExpiry] {
        var byDay: [CalendarDate: Int] = [:]
        for lot in lots where lot.remaining > 0 {
            guard let expires = lot.expiresAt else { continue }
            byDay[CalendarDate(lastDayBefore: expires, in: timeZone), default: 0] += lot.remaining
        }
        return byDay.sorted { $0.key < $1.key }.prefix(limit).map { UpcomingExpiry(points: $0.value, day: $0.key) }
    }

    /// Forgets spent, released lots credited before `cutoff` (a simulation's memory; a return
    /// of their order after that takes nothing back).
    public mutating func dropClosedLots(creditedBefore cutoff: Date) {
        lots.removeAll { $0.remaining == 0 && $0.released && $0.creditedAt < cutoff }
    }

    /// Drops the entries appended so far (kept in memory only, as a simulation does, where
    /// nothing is stored and entries would only pile up).
    public mutating func forgetEntries() {
        entries.removeAll()
        notices.removeAll()
        notedEntries = 0
        changedLotIDs.removeAll()
        countersChanged = false
    }

    /// For a ledger made empty: what its entries say against what it holds (empty when sound).
    public func verify() -> [String] {
        Self.verify(entries: entries, lots: lots, debt: debt, totals: totals)
    }

    /// Recomputes every lot's remaining points, the debt and the totals from a member's complete
    /// list of entries, and returns each difference from the stored state (empty when sound).
    public static func verify(entries: [LedgerEntry], lots: [Lot], debt: Int, totals: LedgerTotals) -> [String] {
        var remaining: [Int: Int] = [:]
        var debtFromEntries = 0, total = 0
        var totalsFromEntries = LedgerTotals()
        for entry in entries {
            for change in entry.lots { remaining[change.lot, default: 0] += change.change }
            debtFromEntries += entry.debtChange
            total += entry.points
            totalsFromEntries.record(entry)
        }
        var differences: [String] = []
        for lot in lots where remaining[lot.id, default: 0] != lot.remaining {
            differences.append("lot \(lot.id): entries say \(remaining[lot.id, default: 0]), the lot says \(lot.remaining)")
        }
        for lot in lots where lot.remaining < 0 { differences.append("lot \(lot.id) is below zero: \(lot.remaining)") }
        if debtFromEntries != debt { differences.append("debt: entries say \(debtFromEntries), the ledger says \(debt)") }
        if totalsFromEntries != totals { differences.append("totals: entries say \(totalsFromEntries), the ledger says \(totals)") }
        let held = lots.reduce(0) { $0 + $1.remaining } - debt
        if total != held { differences.append("points: entries sum to \(total), lots less debt are \(held)") }
        return differences
    }

    // MARK: Changing

    /// Credits points as a new lot, pending until `availableAt` if that is later than `at`.
    /// Any debt is settled first from these points.
    @discardableResult
    public mutating func credit(_ points: Int, at: Date, availableAt: Date? = nil, expiresAt: Date?, source: String?,
                                cause: Cause, kind: EntryKind = .credit) throws(LedgerError) -> LedgerEntry {
        guard points > 0 else { throw LedgerError.notPositive }
        // Every figure of the ledger is bounded by what was ever earned: kept within the limit, no sum overflows.
        guard points <= Limits.balance, totals.earned <= Limits.balance - points else { throw LedgerError.beyondLimit }
        let settled = min(points, debt)
        debt -= settled
        let available = max(availableAt ?? at, at)
        let lot = Lot(id: nextLotID, points: points - settled, remaining: points - settled, creditedAt: at,
                      availableAt: available, released: available <= at, expiresAt: expiresAt, source: source)
        lots.append(lot)
        changedLotIDs.insert(lot.id)
        nextLotID += 1
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
            changedLotIDs.insert(lots[index].id)
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
            changedLotIDs.insert(lots[index].id)
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
        // The lots `source` created must be loaded: the points they were credited with bound the reversal.
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
        reversed[source, default: 0] += wanted
        return append(.reversal, -wanted, at: at, lots: changes, debtChange: shortfall, cause: cause, reverses: source)
    }

    /// Points already taken back from what `source` earned.
    public func reversedSoFar(_ source: String) -> Int { reversed[source, default: 0] }

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
            changedLotIDs.insert(lots[index].id)
            left -= taken
            changes.append(LotChange(lot: lots[index].id, change: -taken))
        }
        return changes
    }

    private mutating func append(_ kind: EntryKind, _ points: Int, at: Date, lots changes: [LotChange], debtChange: Int,
                                 cause: Cause, reverses: String? = nil) -> LedgerEntry {
        let entry = LedgerEntry(sequence: nextSequence, kind: kind, points: points, at: at, lots: changes,
                                debtChange: debtChange, cause: cause, reverses: reverses)
        nextSequence += 1
        totals.record(entry)
        entries.append(entry)
        return entry
    }
}
