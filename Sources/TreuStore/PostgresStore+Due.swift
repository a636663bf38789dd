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

    public func counters(after: UUID?, limit: Int) async throws -> [(member: UUID, counters: [String: Int])] {
        let start = after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        return try await client.run("""
            SELECT member_id, counters FROM point_accounts WHERE member_id > \(start) ORDER BY member_id LIMIT \(limit)
            """, logger).decode((UUID, String).self).all().map { ($0.0, AccountRecord.decode($0.1)) }
    }

    public func replaceCounters(_ changes: [(member: UUID, old: [String: Int], new: [String: Int])]) async throws -> [UUID] {
        guard !changes.isEmpty else { return [] }
        // Each row's own lock makes the comparison and the write one step (READ COMMITTED checks
        // the condition again on a row another transaction changed first).
        let written = Set(try await client.run("""
            UPDATE point_accounts p SET counters = u.new
            FROM unnest(\(changes.map(\.member))::uuid[], \(changes.map { AccountRecord.encode($0.old) })::text[],
                        \(changes.map { AccountRecord.encode($0.new) })::text[]) AS u(member_id, old, new)
            WHERE p.member_id = u.member_id AND p.counters = u.old
            RETURNING p.member_id
            """, logger).decode(UUID.self).all())
        return changes.map(\.member).filter { !written.contains($0) }
    }

    public func changeCounters(of members: [UUID], _ change: @Sendable (UUID, [String: Int]) -> [String: Int]?) async throws -> Int {
        let logger = self.logger
        let ids = members.sorted { $0.uuidString < $1.uuidString }
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await transaction { connection in
                    // The members' rows, locked as an event locks them (in id order: two of these never wait on each other).
                    _ = try await connection.run("SELECT id FROM members WHERE id = ANY(\(ids)::uuid[]) ORDER BY id FOR UPDATE", logger)
                        .decode(UUID.self).all()
                    var stored: [UUID: String] = [:]
                    for (member, counters) in try await connection.run(
                        "SELECT member_id, counters FROM point_accounts WHERE member_id = ANY(\(ids)::uuid[])", logger).decode((UUID, String).self).all() {
                        stored[member] = counters
                    }
                    var updated: [(UUID, String)] = [], inserted: [(UUID, String)] = []
                    for member in ids {
                        let current = stored[member].map(AccountRecord.decode) ?? [:]
                        guard let new = change(member, current), new != current else { continue }
                        if stored[member] != nil { updated.append((member, AccountRecord.encode(new))) } else { inserted.append((member, AccountRecord.encode(new))) }
                    }
                    if !updated.isEmpty {
                        try await connection.run("""
                            UPDATE point_accounts p SET counters = u.counters
                            FROM unnest(\(updated.map(\.0))::uuid[], \(updated.map(\.1))::text[]) AS u(member_id, counters) WHERE p.member_id = u.member_id
                            """, logger)
                    }
                    if !inserted.isEmpty {
                        let e = AccountRecord()
                        try await connection.run("""
                            INSERT INTO point_accounts (member_id, \(unescaped: AccountRecord.columns))
                            SELECT u.member_id, \(e.available), \(e.pending), \(e.debt), \(e.earned), \(e.spent), \(e.expired), \(e.reversed),
                                   \(e.nextLot), \(e.nextSequence), u.counters
                            FROM unnest(\(inserted.map(\.0))::uuid[], \(inserted.map(\.1))::text[]) AS u(member_id, counters)
                            """, logger)
                    }
                    return updated.count + inserted.count
                }
            } catch let error as PSQLError where attempt < 5 && Self.isRace(error) {
                continue
            }
        }
    }
}
