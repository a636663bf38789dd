import Foundation
import GRDB

extension SQLiteStore {
    public func ledgerTotals(before end: Date) async throws -> [LedgerTotal] {
        try await scan { db in
            try Row.fetchAll(db, sql: """
                SELECT kind, at / ? AS quarter, SUM(points), COUNT(*) FROM ledger_entries WHERE at < ? GROUP BY kind, quarter
                """, arguments: [quarterHourMilliseconds, Millis.from(end)]).map { row in
                LedgerTotal(kind: row[0], quarterHour: row[1], points: row[2], entries: row[3])
            }
        }
    }

    public func enrolments(before end: Date) async throws -> [Enrolments] {
        try await scan { db in
            try Row.fetchAll(db, sql: """
                SELECT since / ? AS quarter, COUNT(*) FROM (
                    SELECT MIN(m.created_at, COALESCE(e.first, m.created_at)) AS since FROM members m
                    LEFT JOIN (SELECT member_key, MIN(occurred_at) AS first FROM events GROUP BY member_key) e ON e.member_key = m.key
                ) WHERE since < ? GROUP BY quarter
                """,
                             arguments: [quarterHourMilliseconds, Millis.from(end)]).map { row in
                Enrolments(quarterHour: row[0], members: row[1])
            }
        }
    }
}

extension SQLiteStore {
    public func purchases(after reference: String?, limit: Int) async throws -> [StoredPurchase] {
        try await scan { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(JoinedColumns.purchase) FROM \(JoinedColumns.events)
                WHERE e.reference > ? AND e.kind IN ('order', 'return') ORDER BY e.reference LIMIT ?
                """), arguments: [reference ?? "", limit]).compactMap(Self.storedPurchase)
        }
    }

    public func purchases(of members: [UUID]) async throws -> [StoredPurchase] {
        try await scan { db in
            // A few hundred members a statement (SQLite binds a limited number of values).
            var found: [StoredPurchase] = []
            for start in stride(from: 0, to: members.count, by: 500) {
                let some = members[start..<min(start + 500, members.count)]
                found += try Row.fetchAll(db, sql: """
                    SELECT \(JoinedColumns.purchase) FROM \(JoinedColumns.events)
                    WHERE m.id IN (\(databaseQuestionMarks(count: some.count))) AND e.kind IN ('order', 'return')
                    """, arguments: StatementArguments(some.map(Self.key))).compactMap(Self.storedPurchase)
            }
            return found.sorted { ($0.occurredAt, $0.reference) < ($1.occurredAt, $1.reference) }
        }
    }

    /// `JoinedColumns.purchase` as a purchase.
    static func storedPurchase(_ row: Row) -> StoredPurchase? {
        UUID(uuidString: row[2]).map { StoredPurchase(reference: row[0], kind: row[1], member: $0, occurredAt: Millis.date(row[3]),
                                                      amount: row[4], payload: row[5]) }
    }

    public func payloads(of references: [String]) async throws -> [String: String] {
        try await scan { db in
            let statement = try db.cachedStatement(sql: "SELECT payload FROM events WHERE reference = ?")
            var payloads: [String: String] = [:]
            for reference in references {
                if let payload = try String.fetchOne(statement, arguments: [reference]) { payloads[reference] = payload }
            }
            return payloads
        }
    }
}

extension SQLiteStore {
    public func pointsEarned(after position: PointsPosition?, limit: Int) async throws -> [PointsMovement] {
        try await scan { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT m.id, l.sequence, l.kind, l.points, l.at, l.event, l.reverses FROM ledger_entries l JOIN members m ON m.key = l.member_key
                WHERE l.kind IN ('credit', 'reversal') AND (l.member_key, l.sequence) > (?, ?) ORDER BY l.member_key, l.sequence LIMIT ?
                """), arguments: [try Self.keyAfter(position?.member, db), position?.sequence ?? 0, limit]).compactMap { row in
                UUID(uuidString: row[0]).map { PointsMovement(member: $0, sequence: row[1], kind: row[2], points: row[3],
                                                              at: Millis.date(row[4]), event: row[5], reverses: row[6]) }
            }
        }
    }
}
