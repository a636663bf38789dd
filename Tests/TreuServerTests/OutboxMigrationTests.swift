import Foundation
import GRDB
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// Version 18 writes deliveries with their notices; notices an older server left waiting for a
/// fan-out get their deliveries from the migration, and none are made twice.
@Suite("The outbox's migration to deliveries written with their notices")
struct OutboxMigrationTests {
    @Test func noticesLeftWaitingGetTheirDeliveriesOnceAtTheUpgrade() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(path: path)
        try await store.migrate(to: 17)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let crm = WebhookEndpoint(id: UUID(), url: "https://crm.example.com/hooks", description: nil, types: [.pointsEarned],
                                  secret: "whsec_c2VjcmV0", enabled: true, createdAt: now, updatedAt: now)
        try await store.addWebhookEndpoint(crm)
        // As a server of version 17 left them: one notice fanned out (with its delivery), two waiting, one nobody wants.
        let old = try DatabaseQueue(path: path)
        let at = Int64(now.timeIntervalSince1970 * 1000)
        try await old.write { db in
            for (n, type, fanned) in [(1, "points.earned", 1), (2, "points.earned", 0), (3, "points.earned", 0), (4, "tier.changed", 0)] {
                try db.execute(sql: "INSERT INTO notices (id, type, occurred_at, data, fanned_out) VALUES (?, ?, ?, '{}', ?)",
                               arguments: [UUID().uuidString.lowercased(), type, at + Int64(n), fanned])
            }
            try db.execute(sql: "INSERT INTO deliveries (notice_seq, endpoint_id, status, next_at, created_at) VALUES (1, ?, 'delivered', NULL, ?)",
                           arguments: [crm.id.uuidString.lowercased(), at])
        }
        try await old.close()
        #expect(try await store.migrate(to: nil) == [18])
        #expect(try await store.outboxCounts() == OutboxCounts(pending: 2, delivered: 1, dead: 0))
        let due = try await store.claimDeliveries(at: now.addingTimeInterval(1), lease: 30, limit: 10)
        #expect(due.map(\.notice.occurredAt) == [2, 3].map { Date(timeIntervalSince1970: Double(at + $0) / 1000) })
        // Reverted and applied again: nothing made twice.
        #expect(try await store.migrate(to: 17) == [18])
        #expect(try await store.migrate(to: nil) == [18])
        #expect(try await store.outboxCounts() == OutboxCounts(pending: 2, delivered: 1, dead: 0))
        try await store.close()
    }
}
