import Foundation
import PostgresNIO
import TreuCore

extension PostgresStore {
    public func changeDuePoints(at now: Date, limit: Int,
                                _ change: @Sendable (inout MemberLedger) -> Int) async throws -> (members: Int, entries: Int) {
        let millis = Millis.from(now)
        let logger = self.logger
        return try await transaction { connection in
            // The members' rows are the locks every change of points takes: those another server
            // is changing right now are skipped, not waited for.
            let due = try await connection.run("""
                SELECT id FROM members WHERE id IN (
                    SELECT member_id FROM lots WHERE NOT released AND available_at <= \(millis)
                    UNION SELECT member_id FROM lots WHERE remaining > 0 AND expires_at <= \(millis))
                LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger).decode(UUID.self).all()
            var entries = 0
            for member in due {
                var ledger = try await Self.loadLedger(member, source: nil, connection, logger)
                entries += change(&ledger)
                try await Self.save(ledger, of: member, connection, logger)
            }
            return (due.count, entries)
        }
    }

    public func pointAccounts(after: UUID?, limit: Int) async throws -> [CachedPoints] {
        let start = after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        return try await client.run("""
            SELECT member_id, available, pending FROM point_accounts WHERE member_id > \(start) ORDER BY member_id LIMIT \(limit)
            """, logger).decode((UUID, Int, Int).self).all().map { CachedPoints(member: $0.0, available: $0.1, pending: $0.2) }
    }

    public func members(withCounter name: String, after: UUID?, limit: Int) async throws -> [UUID] {
        let start = after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        return try await client.run("""
            SELECT member_id FROM point_accounts WHERE member_id > \(start) AND (counters::jsonb ->> \(name))::int8 > 0
            ORDER BY member_id LIMIT \(limit)
            """, logger).decode(UUID.self).all()
    }
}
