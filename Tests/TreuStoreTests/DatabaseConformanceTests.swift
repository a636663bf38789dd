import Foundation
import Testing
import TreuCore
@testable import TreuStore
import TreuTestSupport

/// The database itself, on every engine: reachable, migrated up and down, saying what it is.
@Suite("Store conformance: the database")
struct DatabaseConformanceTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(.enabled(if: TestStores.postgresEnabled, Comment(rawValue: TestStores.skipReason)))
    func postgresIsReachable() async throws {
        try await TestStores.with(.postgres) { store in
            try await store.ping()
            #expect(store.backendName == "postgres")
        }
    }

    @Test(arguments: TestStores.available)
    func migrationsGoUpDownAndUpAgain(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            #expect(try await store.schemaVersion() == 18)
            #expect(try await store.migrate(to: nil) == [])
            #expect(try await store.migrate(to: 0) == [18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
            #expect(try await store.schemaVersion() == 0)
            #expect(try await store.migrate(to: nil) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])
            try await store.enrol(try sampleMember())
            #expect(try await store.memberCount() == 1)
        }
    }

    @Test func versionsRunFromOneWithoutGapsOrTwins() {
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.latest))
    }

    /// Each version's schema, reached going up, is what going down to it gives back.
    @Test(arguments: TestStores.available)
    func everyRevertRestoresTheSchemaItUndid(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            try await store.migrate(to: 0)
            var shapes: [[String]] = [try await store.schemaShape()]
            let latest = try await store.migrate(to: nil).count
            try await store.migrate(to: 0)
            for version in 1...latest {
                try await store.migrate(to: version)
                shapes.append(try await store.schemaShape())
            }
            // A line the describer could not tell apart would make the comparisons below pass for nothing.
            #expect(shapes[15].contains { $0.contains("members.key") })
            #expect(shapes[14].contains { $0.contains("identities.member_id") })
            #expect(shapes[14] != shapes[15])
            for version in (0..<latest).reversed() {
                try await store.migrate(to: version)
                let shape = try await store.schemaShape()
                let difference = Set(shape).symmetricDifference(shapes[version]).sorted()
                #expect(difference.isEmpty && shape.count == shapes[version].count, "version \(version): \(difference)")
            }
        }
    }

    @Test(arguments: TestStores.available)
    func theDatabaseSaysWhatItIsAndAnswers(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            try await store.ping()
            #expect(store.backendName == (backend == .sqlite ? "sqlite" : "postgres"))
            // SQLite has one writer; PostgreSQL gains from several transactions at once.
            #expect(backend == .sqlite ? store.concurrentWriters == 1 : store.concurrentWriters > 1)
            #expect(try await store.schemaVersion() > 0)
        }
    }

    /// Closing a store keeps what was written: a store opened again on the same database reads it.
    @Test(arguments: TestStores.available)
    func whatWasWrittenOutlivesClosing(backend: Backend) async throws {
        let member = try sampleMember()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("treu-close-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        func open() throws -> any Store {
            switch backend {
            case .sqlite: try SQLiteStore(path: folder.appendingPathComponent("treu.sqlite").path)
            case .postgres: try PostgresStore(url: TestStores.postgresURL ?? "", schema: String(schema))
            }
        }
        let first = try open()
        try await first.migrate(to: nil)
        try await first.enrol(member)
        try await first.close()
        let again = try open()
        #expect(try await again.member(id: member.id) == member)
        if let postgres = again as? PostgresStore { try await postgres.dropSchema() }
        try await again.close()
    }
}
