import Foundation
import PostgresNIO
import TreuCore

extension PostgresStore {
    public func membersWithDuePoints(at now: Date, limit: Int) async throws -> [UUID] {
        let millis = Millis.from(now)
        return try await client.run("""
            SELECT DISTINCT member_id FROM lots
            WHERE (NOT released AND available_at <= \(millis)) OR (remaining > 0 AND expires_at <= \(millis)) LIMIT \(limit)
            """, logger).decode(UUID.self).all()
    }

    public func pointAccounts(after: UUID?, limit: Int) async throws -> [CachedPoints] {
        let start = after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        return try await client.run("""
            SELECT member_id, available, pending FROM point_accounts WHERE member_id > \(start) ORDER BY member_id LIMIT \(limit)
            """, logger).decode((UUID, Int, Int).self).all().map { CachedPoints(member: $0.0, available: $0.1, pending: $0.2) }
    }
}
