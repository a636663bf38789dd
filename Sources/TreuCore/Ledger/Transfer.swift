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
        var byExpiry: [Date?: Int] = [:]
        for change in out.lots {
            let expiry = sender.lots.first { $0.id == change.lot }?.expiresAt
            byExpiry[expiry, default: 0] -= change.change
        }
        var receiver = recipient
        var made: [LedgerEntry] = []
        // Soonest expiry first, points that never expire last: the order the recipient spends them.
        let groups = byExpiry.sorted { ($0.key ?? .distantFuture) < ($1.key ?? .distantFuture) }
        for (expiry, amount) in groups where amount > 0 {
            made.append(try receiver.credit(amount, at: at, availableAt: at, expiresAt: expiry, source: cause.event,
                                            cause: cause, kind: .transferIn))
        }
        self = sender
        recipient = receiver
        return (out, made)
    }

    /// Gives available points to a cause (a charity, a tree-planting fund): spent like a
    /// redemption, first-expiring first, and named on the entry.
    @discardableResult
    public mutating func donate(_ points: Int, to cause: String, at: Date, actor: String?) throws(LedgerError) -> LedgerEntry {
        try debit(points, at: at, cause: Cause(actor: actor, reason: "donation to \(cause)"), kind: .donation)
    }
}
