import Foundation

extension MemberLedger {
    /// Moves available points to another member, both sides or neither: a `transfer_out` here,
    /// and in `recipient` one `transfer_in` per expiry date of the lots the points came from, so
    /// that points keep their expiry date whoever holds them (a transfer never makes points
    /// live longer).
    /// - Throws: `insufficientPoints` or `notPositive`; then neither ledger changes.
    /// - Returns: the entries made here and in the recipient's ledger.
    @discardableResult
    public mutating func transfer(_ points: Int, to recipient: inout MemberLedger, at: Date,
                                  cause: Cause) throws(LedgerError) -> (out: LedgerEntry, in: [LedgerEntry]) {
        var sender = self
        let out = try sender.debit(points, at: at, cause: cause, kind: .transferOut)
        let spent = out.lots.map { change in (points: -change.change, expiresAt: sender.lots.first { $0.id == change.lot }?.expiresAt) }
        var receiver = recipient
        let made = try receiver.creditByExpiry(spent, at: at, cause: cause, kind: .transferIn)
        self = sender
        recipient = receiver
        return (out, made)
    }

    /// Gives back the points of a cancelled redemption, `spent` as they were taken from lots: one
    /// `refund` per expiry date of those lots, so that they expire when they would have. Points
    /// whose date has passed by `at` are not given back (they would have expired meanwhile).
    @discardableResult
    public mutating func refund(_ spent: [(points: Int, expiresAt: Date?)], at: Date, cause: Cause) -> [LedgerEntry] {
        // Amounts are positive and credits cannot fail then.
        (try? creditByExpiry(spent.filter { $0.expiresAt.map { $0 > at } ?? true }, at: at, cause: cause, kind: .refund)) ?? []
    }

    /// Credits `points`, one lot per expiry date, soonest first and points that never expire
    /// last (the order they are spent in).
    private mutating func creditByExpiry(_ points: [(points: Int, expiresAt: Date?)], at: Date, cause: Cause,
                                         kind: EntryKind) throws(LedgerError) -> [LedgerEntry] {
        var byExpiry: [Date?: Int] = [:]
        for share in points { byExpiry[share.expiresAt, default: 0] += share.points }
        var made: [LedgerEntry] = []
        for (expiry, amount) in byExpiry.sorted(by: { ($0.key ?? .distantFuture) < ($1.key ?? .distantFuture) }) where amount > 0 {
            made.append(try credit(amount, at: at, availableAt: at, expiresAt: expiry, source: cause.event, cause: cause, kind: kind))
        }
        return made
    }

    /// Gives available points to a cause (a charity, a tree-planting fund): spent like a
    /// redemption, first-expiring first, and named on the entry.
    @discardableResult
    public mutating func donate(_ points: Int, to cause: String, at: Date, actor: String?) throws(LedgerError) -> LedgerEntry {
        try debit(points, at: at, cause: Cause(actor: actor, reason: Self.donationPrefix + cause), kind: .donation)
    }

    /// A donation's reason starts with this, then names the cause.
    public static let donationPrefix = "donation to "
}
