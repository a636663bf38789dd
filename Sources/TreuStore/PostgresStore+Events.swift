import Foundation
import PostgresNIO
import TreuCore

extension PostgresStore {
    public func event(reference: String) async throws -> StoredEvent? {
        try await client.run("SELECT reference, kind, member_id, payload FROM events WHERE reference = \(reference)", logger)
            .decode((String, String, UUID, String).self).all().first.map { StoredEvent(reference: $0.0, kind: $0.1, member: $0.2, payload: $0.3) }
    }

    public func recordEvent(_ event: NewEvent, _ change: @Sendable (inout MemberLedger, [String]) throws -> Data) async throws -> EventOutcome {
        do {
            return try await recordEventOnce(event, change)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            // The same reference, sent at the same moment for another member, won the race: its answer stands.
            guard let row = try await client.run("SELECT fingerprint, response FROM events WHERE reference = \(event.reference)", logger)
                .decode((String, Data).self).all().first else { throw error }
            return row.0 == event.fingerprint ? .replay(row.1) : .mismatch
        }
    }

    private func recordEventOnce(_ event: NewEvent, _ change: @Sendable (inout MemberLedger, [String]) throws -> Data) async throws -> EventOutcome {
        let logger = self.logger
        return try await transaction { connection in
            // The member's lock first: two events of one member, or one reference sent twice at
            // once, then run one after the other, and the second sees the first's row.
            try await Self.lockMember(event.member, connection, logger)
            if let row = try await connection.run("SELECT fingerprint, response FROM events WHERE reference = \(event.reference)", logger)
                .decode((String, Data).self).all().first {
                return row.0 == event.fingerprint ? .replay(row.1) : .mismatch
            }
            var ledger = try await Self.loadLedger(event.member, source: event.source, connection, logger)
            var earlier: [String] = []
            if let source = event.source {
                earlier = try await connection.run("SELECT payload FROM events WHERE source = \(source) ORDER BY created_at, reference", logger)
                    .decode(String.self).all()
            }
            let response = try change(&ledger, earlier)
            try await Self.save(ledger, of: event.member, connection, logger)
            try await connection.run("""
                INSERT INTO events (reference, kind, member_id, source, fingerprint, payload, occurred_at, response, created_at)
                VALUES (\(event.reference), \(event.kind), \(event.member), \(event.source), \(event.fingerprint), \(event.payload),
                        \(Millis.from(event.occurredAt)), \(response), \(Millis.from(event.now)))
                """, logger)
            return .recorded(response)
        }
    }
}
