import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuStore

/// The write-ahead log is copied into the database file by the store's own checkpointer, not by
/// a writer's commit: under a bulk load the writer's own checkpoint waits for 16,384 log pages.
@Suite("SQLite checkpoints")
struct SQLiteCheckpointTests {
    @Test func theLogReachesTheDatabaseFileWithoutTheWriterCheckpointing() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path, load: .bulk)
        try await store.migrate(to: nil)
        // About 3 MiB of members in one transaction: some 800 log pages, far below the writer's threshold.
        let members = try (0..<6_000).map { i in
            try sampleMember(name: "Member \(i) " + String(repeating: "x", count: 180), emails: ["member\(i)@example.com"])
        }
        try await store.importMembers(members, progress: nil)
        func size(_ file: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int) ?? 0 }
        #expect(size(path + "-wal") > 1_000_000)
        var waited = 0
        while size(path) < 1_000_000, waited < 100 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        #expect(size(path) > 1_000_000, "the database file holds the members within 5 s")
        try await store.close()
        // What the file holds is what was written.
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.member(holdingAnyOf: [try Identity(.email, "member5999@example.com")])?.name?.hasPrefix("Member 5999") == true)
        try await reopened.close()
    }
}
