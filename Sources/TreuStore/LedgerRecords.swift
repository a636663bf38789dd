import Foundation
import TreuCore

/// How both engines write a ledger entry's lot changes: `3:-50,1:-20`.
enum LotChanges {
    static func encode(_ changes: [LotChange]) -> String {
        changes.map { "\($0.lot):\($0.change)" }.joined(separator: ",")
    }

    static func decode(_ text: String) -> [LotChange] {
        text.split(separator: ",").compactMap { pair in
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let lot = Int(parts[0]), let change = Int(parts[1]) else { return nil }
            return LotChange(lot: lot, change: change)
        }
    }
}

/// A member's point figures as stored (`point_accounts`); absent means a member without points yet.
struct AccountRecord {
    var available = 0, pending = 0, debt = 0
    var earned = 0, spent = 0, expired = 0, reversed = 0
    var nextLot = 1, nextSequence = 1
    /// The rules' counters as JSON (an object of whole numbers).
    var counters = "{}"

    init() {}

    init(_ ledger: MemberLedger) {
        let balance = ledger.balance
        available = balance.available
        pending = balance.pending
        debt = ledger.debt
        earned = ledger.totals.earned
        spent = ledger.totals.spent
        expired = ledger.totals.expired
        reversed = ledger.totals.reversed
        nextLot = ledger.nextLotID
        nextSequence = ledger.nextSequence
        counters = Self.encode(ledger.counters)
    }

    init(available: Int, pending: Int, debt: Int, earned: Int, spent: Int, expired: Int, reversed: Int, nextLot: Int, nextSequence: Int,
         counters: String) {
        self.counters = counters
        self.available = available
        self.pending = pending
        self.debt = debt
        self.earned = earned
        self.spent = spent
        self.expired = expired
        self.reversed = reversed
        self.nextLot = nextLot
        self.nextSequence = nextSequence
    }

    func ledger(lots: [Lot], reversed bySource: [String: Int]) -> MemberLedger {
        MemberLedger(lots: lots, debt: debt, totals: LedgerTotals(earned: earned, spent: spent, expired: expired, reversed: reversed),
                     reversed: bySource, nextLotID: nextLot, nextSequence: nextSequence, counters: Self.decode(counters))
    }

    static let columns = "available, pending, debt, earned, spent, expired, reversed, next_lot, next_sequence, counters"

    static func encode(_ counters: [String: Int]) -> String {
        guard !counters.isEmpty, let data = try? JSONSerialization.data(withJSONObject: counters, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> [String: Int] {
        guard text != "{}", let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { ($0 as? NSNumber)?.intValue }
    }
}

extension Lot {
    static let columns = "id, points, remaining, credited_at, available_at, released, expires_at, source"
}

extension LedgerEntry {
    static let columns = "sequence, kind, points, at, lots, debt_change, event, rule, actor, reason, reverses"
}
