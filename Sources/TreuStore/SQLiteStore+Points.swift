import Foundation
import GRDB
import TreuCore

extension SQLiteStore {
    public func points(of member: UUID, loadingLotsOf source: String?) async throws -> MemberLedger {
        try read { db in
            guard let key = try Self.memberKey(member, db) else { return MemberLedger() }
            return try Self.loadLedger(key, source: source, db)
        }
    }

    public func changePoints<T: Sendable>(of member: UUID, loadingLotsOf source: String?,
                                          _ change: @Sendable (inout MemberLedger) throws -> T) async throws -> T {
        try await writer.write { db in
            let key = try Self.requireMember(member, db)
            var ledger = try Self.loadLedger(key, source: source, db)
            let result = try change(&ledger)
            try Self.save(ledger, of: key, db)
            return result
        }
    }

    public func changePoints<T: Sendable>(of first: UUID, and second: UUID,
                                          _ change: @Sendable (inout MemberLedger, inout MemberLedger) throws -> T) async throws -> T {
        guard first != second else { throw StoreError.sameMember }
        return try await writer.write { db in
            let firstKey = try Self.requireMember(first, db)
            let secondKey = try Self.requireMember(second, db)
            var a = try Self.loadLedger(firstKey, source: nil, db)
            var b = try Self.loadLedger(secondKey, source: nil, db)
            let result = try change(&a, &b)
            try Self.save(a, of: firstKey, db)
            try Self.save(b, of: secondKey, db)
            return result
        }
    }

    public func ledgerEntries(of member: UUID, after sequence: Int, limit: Int) async throws -> [LedgerEntry] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(LedgerEntry.columns) FROM ledger_entries
                WHERE member_key = (SELECT key FROM members WHERE id = ?) AND sequence > ? ORDER BY sequence LIMIT ?
                """), arguments: [Self.key(member), sequence, limit]).compactMap(Self.entry)
        }
    }

    public func allLots(of member: UUID) async throws -> [Lot] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Lot.columns) FROM lots WHERE member_key = (SELECT key FROM members WHERE id = ?) ORDER BY id
                """),
                             arguments: [Self.key(member)]).map(Self.lot)
        }
    }

    /// The ledger of the member with this key.
    static func loadLedger(_ key: Int64, source: String?, _ db: Database) throws -> MemberLedger {
        let account = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(AccountRecord.columns) FROM point_accounts WHERE member_key = ?"),
                                       arguments: [key]).map { row in
            AccountRecord(available: row[0], pending: row[1], debt: row[2], earned: row[3], spent: row[4], expired: row[5],
                          reversed: row[6], nextLot: row[7], nextSequence: row[8], counters: row[9])
        } ?? AccountRecord()
        let lots = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT \(Lot.columns) FROM lots WHERE member_key = ? AND (remaining > 0 OR released = 0 OR source = ?) ORDER BY id
            """), arguments: [key, source]).map(lot)
        var reversed: [String: Int] = [:]
        if let source {
            reversed[source] = try Int.fetchOne(db.cachedStatement(sql: """
                SELECT COALESCE(SUM(-points), 0) FROM ledger_entries WHERE member_key = ? AND reverses = ?
                """), arguments: [key, source]) ?? 0
        }
        return account.ledger(lots: lots, reversed: reversed)
    }

    /// Writes what changed in the ledger of the member with this key.
    static func save(_ ledger: MemberLedger, of key: Int64, _ db: Database) throws {
        guard ledger.isChanged else { return }
        let a = AccountRecord(ledger)
        try db.cachedStatement(sql: """
            INSERT INTO point_accounts (member_key, \(AccountRecord.columns)) VALUES (?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (member_key) DO UPDATE SET available = excluded.available, pending = excluded.pending, debt = excluded.debt,
              earned = excluded.earned, spent = excluded.spent, expired = excluded.expired, reversed = excluded.reversed,
              next_lot = excluded.next_lot, next_sequence = excluded.next_sequence, counters = excluded.counters
            """).execute(arguments: [key, a.available, a.pending, a.debt, a.earned, a.spent, a.expired, a.reversed, a.nextLot, a.nextSequence,
                                     a.counters])
        let upsertLot = try db.cachedStatement(sql: """
            INSERT INTO lots (member_key, \(Lot.columns)) VALUES (?,?,?,?,?,?,?,?,?)
            ON CONFLICT (member_key, id) DO UPDATE SET remaining = excluded.remaining, released = excluded.released
            """)
        for lot in ledger.changedLots {
            try upsertLot.execute(arguments: [key, lot.id, lot.points, lot.remaining, Millis.from(lot.creditedAt), Millis.from(lot.availableAt),
                                              lot.released, lot.expiresAt.map(Millis.from), lot.source])
        }
        let insertEntry = try db.cachedStatement(sql: "INSERT INTO ledger_entries (member_key, \(LedgerEntry.columns)) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
        for e in ledger.entries {
            try insertEntry.execute(arguments: [key, e.sequence, e.kind.rawValue, e.points, Millis.from(e.at), LotChanges.encode(e.lots),
                                                e.debtChange, e.cause.event, e.cause.rule, e.cause.actor, e.cause.reason, e.reverses])
        }
        try insert(ledger.notices, memberKey: key, db)
    }

    static func lot(_ row: Row) -> Lot {
        Lot(id: row[0], points: row[1], remaining: row[2], creditedAt: Millis.date(row[3]), availableAt: Millis.date(row[4]),
            released: row[5], expiresAt: (row[6] as Int64?).map(Millis.date), source: row[7])
    }

    static func entry(_ row: Row) -> LedgerEntry? {
        guard let kind = EntryKind(rawValue: row[1]) else { return nil }
        return LedgerEntry(sequence: row[0], kind: kind, points: row[2], at: Millis.date(row[3]), lots: LotChanges.decode(row[4]),
                           debtChange: row[5], cause: Cause(event: row[6], rule: row[7], actor: row[8], reason: row[9]), reverses: row[10])
    }
}
