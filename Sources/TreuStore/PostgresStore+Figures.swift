import Foundation
import PostgresNIO

extension PostgresStore {
    public func ledgerTotals(before end: Date) async throws -> [LedgerTotal] {
        let quarter = Int64(quarterHourMilliseconds)
        return try await client.run("""
            SELECT kind, at / \(quarter) AS quarter, SUM(points)::int8, COUNT(*)::int8 FROM ledger_entries
            WHERE at < \(Millis.from(end)) GROUP BY kind, quarter
            """, logger).decode((String, Int64, Int64, Int64).self).all().map {
            LedgerTotal(kind: $0.0, quarterHour: Int($0.1), points: Int($0.2), entries: Int($0.3))
        }
    }

    public func enrolments(before end: Date) async throws -> [Enrolments] {
        let quarter = Int64(quarterHourMilliseconds)
        return try await client.run("""
            SELECT since / \(quarter) AS quarter, COUNT(*)::int8 FROM (
                SELECT LEAST(m.created_at, COALESCE(e.first, m.created_at)) AS since FROM members m
                LEFT JOIN (SELECT member_key, MIN(occurred_at) AS first FROM events GROUP BY member_key) e ON e.member_key = m.key
            ) s WHERE since < \(Millis.from(end)) GROUP BY quarter
            """, logger).decode((Int64, Int64).self).all().map { Enrolments(quarterHour: Int($0.0), members: Int($0.1)) }
    }
}

extension PostgresStore {
    public func purchases(after reference: String?, limit: Int) async throws -> [StoredPurchase] {
        try await client.run("""
            SELECT \(unescaped: JoinedColumns.purchase) FROM \(unescaped: JoinedColumns.events)
            WHERE e.reference > \(reference ?? "") AND e.kind IN ('order', 'return') ORDER BY e.reference LIMIT \(limit)
            """, logger).decode((String, String, UUID, Int64, Int64?, String?).self).all().map(Self.storedPurchase)
    }

    public func purchases(of members: [UUID]) async throws -> [StoredPurchase] {
        try await client.run("""
            SELECT \(unescaped: JoinedColumns.purchase) FROM \(unescaped: JoinedColumns.events)
            WHERE m.id = ANY(\(members)::uuid[]) AND e.kind IN ('order', 'return') ORDER BY e.occurred_at, e.reference
            """, logger).decode((String, String, UUID, Int64, Int64?, String?).self).all().map(Self.storedPurchase)
    }

    static func storedPurchase(_ row: (String, String, UUID, Int64, Int64?, String?)) -> StoredPurchase {
        StoredPurchase(reference: row.0, kind: row.1, member: row.2, occurredAt: Millis.date(row.3), amount: row.4.map(Int.init), payload: row.5)
    }

    public func payloads(of references: [String]) async throws -> [String: String] {
        guard !references.isEmpty else { return [:] }
        var payloads: [String: String] = [:]
        for try await (reference, payload) in try await client.run(
            "SELECT reference, payload FROM events WHERE reference = ANY(\(references))", logger
        ).decode((String, String).self) {
            payloads[reference] = payload
        }
        return payloads
    }
}

extension PostgresStore {
    public func pointsEarned(after position: PointsPosition?, limit: Int) async throws -> [PointsMovement] {
        let member = position?.member
        let sequence = Int64(position?.sequence ?? 0)
        return try await client.run("""
            SELECT m.id, l.sequence, l.kind, l.points, l.at, l.event, l.reverses FROM ledger_entries l JOIN members m ON m.key = l.member_key
            WHERE l.kind IN ('credit', 'reversal')
              AND (l.member_key, l.sequence) > (COALESCE((SELECT key FROM members WHERE id = \(member)), \(Self.fallbackKey(after: member))), \(sequence))
            ORDER BY l.member_key, l.sequence LIMIT \(limit)
            """, logger).decode((UUID, Int64, String, Int64, Int64, String?, String?).self).all().map {
            PointsMovement(member: $0.0, sequence: Int($0.1), kind: $0.2, points: Int($0.3), at: Millis.date($0.4), event: $0.5, reverses: $0.6)
        }
    }
}
