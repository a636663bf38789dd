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
                SELECT key FROM members WHERE key IN (
                    SELECT member_key FROM lots WHERE NOT released AND available_at <= \(millis)
                    UNION SELECT member_key FROM lots WHERE remaining > 0 AND expires_at <= \(millis))
                LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger).decode(Int64.self).all()
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
        try await client.run("""
            SELECT m.id, p.available, p.pending FROM point_accounts p JOIN members m ON m.key = p.member_key
            WHERE p.member_key > COALESCE((SELECT key FROM members WHERE id = \(after)), \(Self.fallbackKey(after: after))) ORDER BY p.member_key LIMIT \(limit)
            """, logger).decode((UUID, Int, Int).self).all().map { CachedPoints(member: $0.0, available: $0.1, pending: $0.2) }
    }

    public func members(withCounter name: String, after: UUID?, limit: Int) async throws -> [UUID] {
        try await client.run("""
            SELECT m.id FROM point_accounts p JOIN members m ON m.key = p.member_key
            WHERE p.member_key > COALESCE((SELECT key FROM members WHERE id = \(after)), \(Self.fallbackKey(after: after))) AND (p.counters::jsonb ->> \(name))::int8 > 0
            ORDER BY p.member_key LIMIT \(limit)
            """, logger).decode(UUID.self).all()
    }

    public func members(withPointsExpiringAfter start: Date, through end: Date, after: UUID?, limit: Int) async throws -> [UUID] {
        try await client.run("""
            SELECT m.id FROM members m WHERE m.key IN (
                SELECT DISTINCT member_key FROM lots WHERE remaining > 0 AND expires_at > \(Millis.from(start)) AND expires_at <= \(Millis.from(end))
                  AND member_key > COALESCE((SELECT key FROM members WHERE id = \(after)), \(Self.fallbackKey(after: after)))
                ORDER BY member_key LIMIT \(limit))
            ORDER BY m.key
            """, logger).decode(UUID.self).all()
    }

    public func counters(after: UUID?, limit: Int) async throws -> [(member: UUID, counters: [String: Int])] {
        try await client.run("""
            SELECT m.id, p.counters FROM point_accounts p JOIN members m ON m.key = p.member_key
            WHERE p.member_key > COALESCE((SELECT key FROM members WHERE id = \(after)), \(Self.fallbackKey(after: after))) ORDER BY p.member_key LIMIT \(limit)
            """, logger).decode((UUID, String).self).all().map { ($0.0, AccountRecord.decode($0.1)) }
    }

    public func replaceCounters(_ changes: [(member: UUID, old: [String: Int], new: [String: Int])], notices: [UUID: [Notice]]) async throws -> [UUID] {
        guard !changes.isEmpty else { return [] }
        let logger = self.logger
        return try await transaction { connection in
            // Each row's own lock makes the comparison and the write one step (READ COMMITTED checks
            // the condition again on a row another transaction changed first).
            let written = Set(try await connection.run("""
                UPDATE point_accounts p SET counters = u.new
                FROM unnest(\(changes.map(\.member))::uuid[], \(changes.map { AccountRecord.encode($0.old) })::text[],
                            \(changes.map { AccountRecord.encode($0.new) })::text[]) AS u(member_id, old, new)
                JOIN members m ON m.id = u.member_id
                WHERE p.member_key = m.key AND p.counters = u.old
                RETURNING m.id
                """, logger).decode(UUID.self).all())
            try await Self.insert(changes.map(\.member).filter(written.contains).flatMap { notices[$0] ?? [] }, memberKey: nil, connection, logger)
            return changes.map(\.member).filter { !written.contains($0) }
        }
    }

    public func changeCounters(of members: [UUID], _ change: @Sendable (UUID, [String: Int]) -> CounterChange?) async throws -> Int {
        let logger = self.logger
        let ids = members.sorted { $0.uuidString < $1.uuidString }
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await transaction { connection in
                    // The members' rows, locked as an event locks them (in id order: two of these never wait on each other).
                    var keys: [UUID: Int64] = [:]
                    for (id, key) in try await connection.run(
                        "SELECT id, key FROM members WHERE id = ANY(\(ids)::uuid[]) ORDER BY id FOR UPDATE", logger).decode((UUID, Int64).self).all() {
                        keys[id] = key
                    }
                    var stored: [Int64: String] = [:]
                    for (key, counters) in try await connection.run(
                        "SELECT member_key, counters FROM point_accounts WHERE member_key = ANY(\(Array(keys.values))::int8[])", logger
                    ).decode((Int64, String).self).all() {
                        stored[key] = counters
                    }
                    var updated: [(Int64, String)] = [], inserted: [(Int64, String)] = [], told: [Notice] = []
                    for member in ids {
                        guard let key = keys[member] else { continue }
                        let current = stored[key].map(AccountRecord.decode) ?? [:]
                        guard let changed = change(member, current), changed.counters != current else { continue }
                        let new = changed.counters
                        told += changed.notices
                        if stored[key] != nil { updated.append((key, AccountRecord.encode(new))) } else { inserted.append((key, AccountRecord.encode(new))) }
                    }
                    if !updated.isEmpty {
                        try await connection.run("""
                            UPDATE point_accounts p SET counters = u.counters
                            FROM unnest(\(updated.map(\.0))::int8[], \(updated.map(\.1))::text[]) AS u(member_key, counters) WHERE p.member_key = u.member_key
                            """, logger)
                    }
                    if !inserted.isEmpty {
                        let e = AccountRecord()
                        try await connection.run("""
                            INSERT INTO point_accounts (member_key, \(unescaped: AccountRecord.columns))
                            SELECT u.member_key, \(e.available), \(e.pending), \(e.debt), \(e.earned), \(e.spent), \(e.expired), \(e.reversed),
                                   \(e.nextLot), \(e.nextSequence), u.counters
                            FROM unnest(\(inserted.map(\.0))::int8[], \(inserted.map(\.1))::text[]) AS u(member_key, counters)
                            """, logger)
                    }
                    try await Self.insert(told, memberKey: nil, connection, logger)
                    return updated.count + inserted.count
                }
            } catch let error as PSQLError where attempt < 5 && Self.isRace(error) {
                continue
            }
        }
    }

    /// Where a walk in key order goes on after `after` when `after` has no key: from the start
    /// for nil, and past the end for a member who is not there (never from the start again).
    static func fallbackKey(after: UUID?) -> Int64 { after == nil ? 0 : .max }
}
