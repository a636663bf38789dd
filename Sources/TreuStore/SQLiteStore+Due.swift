import Foundation
import GRDB
import TreuCore

extension SQLiteStore {
    public func membersWithDuePoints(at now: Date, limit: Int) async throws -> [UUID] {
        try read { db in
            try String.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT member_id FROM lots
                WHERE (released = 0 AND available_at <= ?1) OR (remaining > 0 AND expires_at <= ?1) LIMIT ?2
                """), arguments: [Millis.from(now), limit]).compactMap(UUID.init(uuidString:))
        }
    }

    public func pointAccounts(after: UUID?, limit: Int) async throws -> [CachedPoints] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT member_id, available, pending FROM point_accounts WHERE member_id > ? ORDER BY member_id LIMIT ?
                """), arguments: [after.map(Self.key) ?? "", limit]).compactMap { row in
                UUID(uuidString: row[0]).map { CachedPoints(member: $0, available: row[1], pending: row[2]) }
            }
        }
    }
}
