import Foundation
import GRDB
import TreuCore

extension SQLiteStore {
    public func event(reference: String) async throws -> StoredEvent? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT reference, kind, member_id, payload FROM events WHERE reference = ?"),
                             arguments: [reference]).flatMap { row in
                UUID(uuidString: row[2]).map { StoredEvent(reference: row[0], kind: row[1], member: $0, payload: row[3]) }
            }
        }
    }

    public func recordEvent(_ event: NewEvent, _ change: @Sendable (inout MemberLedger, [String]) throws -> Data) async throws -> EventOutcome {
        try await writer.write { db in
            if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT fingerprint, response FROM events WHERE reference = ?"),
                                          arguments: [event.reference]) {
                return (row[0] as String) == event.fingerprint ? .replay(row[1]) : .mismatch
            }
            try Self.requireMember(event.member, db)
            var ledger = try Self.loadLedger(event.member, source: event.source, db)
            let earlier = try event.source.map { source in
                try String.fetchAll(db.cachedStatement(sql: "SELECT payload FROM events WHERE source = ? ORDER BY created_at, reference"),
                                    arguments: [source])
            } ?? []
            let response = try change(&ledger, earlier)
            try Self.save(ledger, of: event.member, db)
            try db.cachedStatement(sql: """
                INSERT INTO events (reference, kind, member_id, source, fingerprint, payload, occurred_at, response, created_at)
                VALUES (?,?,?,?,?,?,?,?,?)
                """).execute(arguments: [event.reference, event.kind, Self.key(event.member), event.source, event.fingerprint,
                                         event.payload, Millis.from(event.occurredAt), response, Millis.from(event.now)])
            return .recorded(response)
        }
    }
}
