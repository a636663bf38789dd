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

    static func encode(_ counters: [String: Int]) -> String { CountersJSON.encode(counters) }
    static func decode(_ text: String) -> [String: Int] { CountersJSON.decode(text) }
}

/// Counters as a JSON object of whole numbers, keys sorted (`{"q:spend:2026":55000,"tier":1}`).
/// Every event writes its member's counters and a tier recompute reads and writes them all: a
/// reader and writer for this one shape, several times faster than `JSONSerialization`. A text
/// of another shape (escapes, fractions) goes to `JSONSerialization`.
enum CountersJSON {
    static func encode(_ counters: [String: Int]) -> String {
        guard !counters.isEmpty else { return "{}" }
        var out = "{"
        out.reserveCapacity(counters.count * 24)
        for (i, key) in counters.keys.sorted().enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for scalar in key.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\":"
            out += String(counters[key]!)
        }
        return out + "}"
    }

    static func decode(_ text: String) -> [String: Int] {
        guard text != "{}" else { return [:] }
        if let counters = fastDecode(text) { return counters }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { ($0 as? NSNumber)?.intValue }
    }

    /// Reads `{"key":123,...}` (spaces allowed) without escapes in keys; nil for anything else.
    static func fastDecode(_ text: String) -> [String: Int]? {
        var text = text
        return text.withUTF8 { bytes -> [String: Int]? in
            var i = 0
            func skipSpaces() { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 } }
            skipSpaces()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
            i += 1
            var counters: [String: Int] = [:]
            skipSpaces()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; skipSpaces(); return i == bytes.count ? counters : nil }
            while true {
                skipSpaces()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
                i += 1
                let start = i
                while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                skipSpaces()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                skipSpaces()
                var negative = false
                if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
                var value = 0, digits = 0
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39, digits < 18 {
                    value = value * 10 + Int(bytes[i] - 0x30)
                    i += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
                counters[key] = negative ? -value : value
                skipSpaces()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "}") else { return nil }
                i += 1
                skipSpaces()
                return i == bytes.count ? counters : nil
            }
        }
    }
}

extension Lot {
    static let columns = "id, points, remaining, credited_at, available_at, released, expires_at, source"
}

extension LedgerEntry {
    static let columns = "sequence, kind, points, at, lots, debt_change, event, rule, actor, reason, reverses"
}
