import Foundation
import GRDB

extension SQLiteStore {
    public func ledgerTotals(before end: Date) async throws -> [LedgerTotal] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT kind, at / ? AS quarter, SUM(points), COUNT(*) FROM ledger_entries WHERE at < ? GROUP BY kind, quarter
                """, arguments: [quarterHourMilliseconds, Millis.from(end)]).map { row in
                LedgerTotal(kind: row[0], quarterHour: row[1], points: row[2], entries: row[3])
            }
        }
    }

    public func enrolments(before end: Date) async throws -> [Enrolments] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT since / ? AS quarter, COUNT(*) FROM (
                    SELECT MIN(m.created_at, COALESCE(e.first, m.created_at)) AS since FROM members m
                    LEFT JOIN (SELECT member_id, MIN(occurred_at) AS first FROM events GROUP BY member_id) e ON e.member_id = m.id
                ) WHERE since < ? GROUP BY quarter
                """,
                             arguments: [quarterHourMilliseconds, Millis.from(end)]).map { row in
                Enrolments(quarterHour: row[0], members: row[1])
            }
        }
    }
}
