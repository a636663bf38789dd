import Foundation
import Logging
import PostgresNIO
import TreuCore

extension PostgresStore {
    public func points(of member: UUID, loadingLotsOf source: String?) async throws -> MemberLedger {
        try await client.withConnection { try await Self.loadLedger(key: nil, id: member, source: source, $0, self.logger) }
    }

    public func changePoints<T: Sendable>(of member: UUID, loadingLotsOf source: String?,
                                          _ change: @Sendable (inout MemberLedger) throws -> T) async throws -> T {
        let logger = self.logger
        return try await transaction { connection in
            // The member's row lock makes changes to one member's points run one at a time.
            let key = try await Self.lockMember(member, connection, logger)
            var ledger = try await Self.loadLedger(key, source: source, connection, logger)
            let result = try change(&ledger)
            try await Self.save(ledger, of: key, connection, logger)
            return result
        }
    }

    public func changePoints<T: Sendable>(of first: UUID, and second: UUID,
                                          _ change: @Sendable (inout MemberLedger, inout MemberLedger) throws -> T) async throws -> T {
        guard first != second else { throw StoreError.sameMember }
        let logger = self.logger
        return try await transaction { connection in
            // Locked in id order, so that two transfers in opposite directions never wait on each other forever.
            var keys: [UUID: Int64] = [:]
            for id in [first, second].sorted(by: { $0.uuidString < $1.uuidString }) { keys[id] = try await Self.lockMember(id, connection, logger) }
            let (firstKey, secondKey) = (keys[first]!, keys[second]!)
            var a = try await Self.loadLedger(firstKey, source: nil, connection, logger)
            var b = try await Self.loadLedger(secondKey, source: nil, connection, logger)
            let result = try change(&a, &b)
            try await Self.save(a, of: firstKey, connection, logger)
            try await Self.save(b, of: secondKey, connection, logger)
            return result
        }
    }

    public func ledgerEntries(of member: UUID, after sequence: Int, limit: Int) async throws -> [LedgerEntry] {
        let rows = try await client.run("""
            SELECT sequence, kind, points, at, lots, debt_change, event, rule, actor, reason, reverses FROM ledger_entries
            WHERE member_key = (SELECT key FROM members WHERE id = \(member)) AND sequence > \(sequence) ORDER BY sequence LIMIT \(limit)
            """, logger)
        var entries: [LedgerEntry] = []
        for try await row in rows {
            let c = row.makeRandomAccess()
            guard let kind = EntryKind(rawValue: try c[1].decode(String.self)) else { continue }
            entries.append(LedgerEntry(
                sequence: try c[0].decode(Int.self), kind: kind, points: try c[2].decode(Int.self), at: Millis.date(try c[3].decode(Int64.self)),
                lots: LotChanges.decode(try c[4].decode(String.self)), debtChange: try c[5].decode(Int.self),
                cause: Cause(event: try c[6].decode(String?.self), rule: try c[7].decode(String?.self),
                             actor: try c[8].decode(String?.self), reason: try c[9].decode(String?.self)),
                reverses: try c[10].decode(String?.self)))
        }
        return entries
    }

    public func allLots(of member: UUID) async throws -> [Lot] {
        try await client.withConnection { connection in
            try await Self.lots(connection.run("""
                SELECT \(unescaped: Lot.columns) FROM lots WHERE member_key = (SELECT key FROM members WHERE id = \(member)) ORDER BY id
                """, self.logger))
        }
    }

    static func lots(_ rows: PostgresRowSequence) async throws -> [Lot] {
        var lots: [Lot] = []
        for try await columns in rows.decode((Int, Int, Int, Int64, Int64, Bool, Int64?, String?).self) { lots.append(lot(columns)) }
        return lots
    }

    /// A lot from its columns, in the order of `Lot.columns`.
    static func lot(_ c: (id: Int, points: Int, remaining: Int, credited: Int64, available: Int64, released: Bool, expires: Int64?,
                          source: String?)) -> Lot {
        Lot(id: c.id, points: c.points, remaining: c.remaining, creditedAt: Millis.date(c.credited), availableAt: Millis.date(c.available),
            released: c.released, expiresAt: c.expires.map(Millis.date), source: c.source)
    }

    /// A column list with each name qualified by `table`.
    private static func qualified(_ columns: String, _ table: String) -> String {
        columns.split(separator: ",").map { "\(table).\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")
    }
    private static let accountAndLotColumns = qualified(AccountRecord.columns, "a") + ", " + qualified(Lot.columns, "l")

    /// The compact key the member's rows are stored under, if there is such a member.
    static func memberKey(_ id: UUID, _ connection: PostgresConnection, _ logger: Logger) async throws -> Int64? {
        try await connection.run("SELECT key FROM members WHERE id = \(id)", logger).decode(Int64.self).all().first
    }

    /// The ledger of the member with this key.
    static func loadLedger(_ member: Int64, source: String?, _ connection: PostgresConnection, _ logger: Logger) async throws -> MemberLedger {
        try await loadLedger(key: member, id: nil, source: source, connection, logger)
    }

    /// The ledger of the member with this key, or with this id: a read by id finds the key in the
    /// same statement, one round trip as by key. An empty ledger when there is no such member.
    private static func loadLedger(key: Int64?, id: UUID?, source: String?, _ connection: PostgresConnection,
                                   _ logger: Logger) async throws -> MemberLedger {
        // The account and its open lots (and the source's) in one round trip: a row per lot, the
        // account's columns on each; one row of nulls where there is neither.
        var account: AccountRecord?
        var lots: [Lot] = []
        var member: Int64?
        let rows = try await connection.run("""
            SELECT k.key, \(unescaped: accountAndLotColumns)
            FROM (SELECT COALESCE(\(key), (SELECT key FROM members WHERE id = \(id))) AS key) AS k
            LEFT JOIN point_accounts a ON a.member_key = k.key
            LEFT JOIN lots l ON l.member_key = k.key AND (l.remaining > 0 OR NOT l.released OR l.source = \(source))
            ORDER BY l.id
            """, logger)
        for try await (found, available, pending, debt, earned, spent, expired, reversed, nextLot, nextSequence, counters,
                       id, points, remaining, credited, availableAt, released, expires, lotSource)
            in rows.decode((Int64?, Int?, Int?, Int?, Int?, Int?, Int?, Int?, Int?, Int?, String?,
                            Int?, Int?, Int?, Int64?, Int64?, Bool?, Int64?, String?).self) {
            member = found
            if account == nil, let available, let pending, let debt, let earned, let spent, let expired, let reversed, let nextLot,
               let nextSequence, let counters {
                account = AccountRecord(available: available, pending: pending, debt: debt, earned: earned, spent: spent, expired: expired,
                                        reversed: reversed, nextLot: nextLot, nextSequence: nextSequence, counters: counters)
            }
            if let id, let points, let remaining, let credited, let availableAt, let released {
                lots.append(lot((id, points, remaining, credited, availableAt, released, expires, lotSource)))
            }
        }
        var reversed: [String: Int] = [:]
        if let source {
            reversed[source] = member == nil ? 0 : try await connection.run("""
                SELECT COALESCE(SUM(-points), 0)::int8 FROM ledger_entries WHERE member_key = \(member) AND reverses = \(source)
                """, logger).decode(Int.self).all().first ?? 0
        }
        return (account ?? AccountRecord()).ledger(lots: lots, reversed: reversed)
    }

    /// Writes what changed in the ledger of the member with this key.
    static func save(_ ledger: MemberLedger, of member: Int64, _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard ledger.isChanged else { return }
        let a = AccountRecord(ledger)
        try await connection.run("""
            INSERT INTO point_accounts (member_key, \(unescaped: AccountRecord.columns))
            VALUES (\(member), \(a.available), \(a.pending), \(a.debt), \(a.earned), \(a.spent), \(a.expired), \(a.reversed), \(a.nextLot), \(a.nextSequence),
                    \(a.counters))
            ON CONFLICT (member_key) DO UPDATE SET available = excluded.available, pending = excluded.pending, debt = excluded.debt,
              earned = excluded.earned, spent = excluded.spent, expired = excluded.expired, reversed = excluded.reversed,
              next_lot = excluded.next_lot, next_sequence = excluded.next_sequence, counters = excluded.counters
            """, logger)
        // A handful of rows per change: one statement each. (Batch with unnest when imports come.)
        for lot in ledger.changedLots {
            try await connection.run("""
                INSERT INTO lots (member_key, \(unescaped: Lot.columns))
                VALUES (\(member), \(lot.id), \(lot.points), \(lot.remaining), \(Millis.from(lot.creditedAt)), \(Millis.from(lot.availableAt)),
                        \(lot.released), \(lot.expiresAt.map(Millis.from)), \(lot.source))
                ON CONFLICT (member_key, id) DO UPDATE SET remaining = excluded.remaining, released = excluded.released
                """, logger)
        }
        for e in ledger.entries {
            try await connection.run("""
                INSERT INTO ledger_entries (member_key, \(unescaped: LedgerEntry.columns))
                VALUES (\(member), \(e.sequence), \(e.kind.rawValue), \(e.points), \(Millis.from(e.at)), \(LotChanges.encode(e.lots)),
                        \(e.debtChange), \(e.cause.event), \(e.cause.rule), \(e.cause.actor), \(e.cause.reason), \(e.reverses))
                """, logger)
        }
        try await insert(ledger.notices, memberKey: member, connection, logger)
    }
}
