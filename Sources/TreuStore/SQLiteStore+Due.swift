import Foundation
import GRDB
import TreuCore

extension SQLiteStore {
    public func changeDuePoints(at now: Date, limit: Int,
                                _ change: @Sendable (inout MemberLedger) -> Int) async throws -> (members: Int, entries: Int) {
        try await writer.write { db in
            let due = try Int64.fetchAll(db.cachedStatement(sql: """
                SELECT member_key FROM lots WHERE released = 0 AND available_at <= ?1
                UNION SELECT member_key FROM lots WHERE remaining > 0 AND expires_at <= ?1 LIMIT ?2
                """), arguments: [Millis.from(now), limit])
            var entries = 0
            for member in due {
                var ledger = try Self.loadLedger(member, source: nil, db)
                entries += change(&ledger)
                try Self.save(ledger, of: member, db)
            }
            return (due.count, entries)
        }
    }

    public func pointAccounts(after: UUID?, limit: Int) async throws -> [CachedPoints] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT m.id, p.available, p.pending FROM point_accounts p JOIN members m ON m.key = p.member_key
                WHERE p.member_key > ? ORDER BY p.member_key LIMIT ?
                """), arguments: [try Self.keyAfter(after, db), limit]).compactMap { row in
                UUID(uuidString: row[0]).map { CachedPoints(member: $0, available: row[1], pending: row[2]) }
            }
        }
    }

    public func members(withPointsExpiringAfter start: Date, through end: Date, after: UUID?, limit: Int) async throws -> [UUID] {
        try read { db in
            try String.fetchAll(db.cachedStatement(sql: """
                SELECT m.id FROM members m WHERE m.key IN (
                    SELECT DISTINCT member_key FROM lots WHERE remaining > 0 AND expires_at > ? AND expires_at <= ? AND member_key > ?
                    ORDER BY member_key LIMIT ?)
                ORDER BY m.key
                """), arguments: [Millis.from(start), Millis.from(end), try Self.keyAfter(after, db), limit]).compactMap(UUID.init(uuidString:))
        }
    }

    public func members(withCounter name: String, after: UUID?, limit: Int) async throws -> [UUID] {
        try read { db in
            try String.fetchAll(db.cachedStatement(sql: """
                SELECT m.id FROM point_accounts p JOIN members m ON m.key = p.member_key
                WHERE p.member_key > ? AND json_extract(p.counters, ?) > 0 ORDER BY p.member_key LIMIT ?
                """), arguments: [try Self.keyAfter(after, db), "$.\"\(name)\"", limit]).compactMap(UUID.init(uuidString:))
        }
    }

    public func counters(after: UUID?, limit: Int) async throws -> [(member: UUID, counters: [String: Int])] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT m.id, p.counters FROM point_accounts p JOIN members m ON m.key = p.member_key
                WHERE p.member_key > ? ORDER BY p.member_key LIMIT ?
                """), arguments: [try Self.keyAfter(after, db), limit]).compactMap { row in
                UUID(uuidString: row[0]).map { ($0, AccountRecord.decode(row[1])) }
            }
        }
    }

    public func replaceCounters(_ changes: [(member: UUID, old: [String: Int], new: [String: Int])], notices: [UUID: [Notice]]) async throws -> [UUID] {
        try await writer.write { db in
            let update = try db.cachedStatement(sql: """
                UPDATE point_accounts SET counters = ? WHERE member_key = (SELECT key FROM members WHERE id = ?) AND counters = ?
                """)
            var moved: [UUID] = []
            for change in changes {
                try update.execute(arguments: [AccountRecord.encode(change.new), Self.key(change.member), AccountRecord.encode(change.old)])
                if db.changesCount == 0 { moved.append(change.member) } else { try Self.insert(notices[change.member] ?? [], memberKey: nil, db) }
            }
            return moved
        }
    }

    public func changeCounters(of members: [UUID], _ change: @Sendable (UUID, [String: Int]) -> CounterChange?) async throws -> Int {
        try await writer.write { db in
            let select = try db.cachedStatement(sql: "SELECT counters FROM point_accounts WHERE member_key = ?")
            let update = try db.cachedStatement(sql: "UPDATE point_accounts SET counters = ? WHERE member_key = ?")
            let empty = AccountRecord()
            let insert = try db.cachedStatement(sql: "INSERT INTO point_accounts (member_key, \(AccountRecord.columns)) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
            var changed = 0
            for member in members {
                guard let key = try Self.memberKey(member, db) else { continue }
                let stored = try String.fetchOne(select, arguments: [key])
                let current = stored.map(AccountRecord.decode) ?? [:]
                guard let revised = change(member, current), revised.counters != current else { continue }
                let new = revised.counters
                try Self.insert(revised.notices, memberKey: key, db)
                if stored != nil {
                    try update.execute(arguments: [AccountRecord.encode(new), key])
                } else {
                    try insert.execute(arguments: [key, empty.available, empty.pending, empty.debt, empty.earned, empty.spent, empty.expired,
                                                   empty.reversed, empty.nextLot, empty.nextSequence, AccountRecord.encode(new)])
                }
                changed += 1
            }
            return changed
        }
    }

    /// Where a walk in key order goes on after `after`: from the start for nil, and past the end
    /// for a member who is not there (never from the start again).
    static func keyAfter(_ after: UUID?, _ db: Database) throws -> Int64 {
        guard let after else { return 0 }
        return try memberKey(after, db) ?? .max
    }
}
