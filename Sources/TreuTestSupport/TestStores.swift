import Foundation
import TreuCore
import TreuStore

/// The storage engines a test can run on. SQLite always; PostgreSQL when `TREU_TEST_POSTGRES_URL`
/// names a server on this machine (`.ci/run` starts one).
public enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    public var description: String { rawValue }
}

public enum TestStores {
    /// The PostgreSQL URL for tests, only if it points at this machine: tests never touch another host.
    public static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["TREU_TEST_POSTGRES_URL"], !url.isEmpty,
              let host = URLComponents(string: url)?.host, ["127.0.0.1", "localhost", "::1"].contains(host) else { return nil }
        return url
    }

    public static var postgresEnabled: Bool { postgresURL != nil }

    public static let skipReason = "PostgreSQL tests skipped: set TREU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/postgres (as .ci/run does)"

    /// SQLite, and PostgreSQL when enabled: the arguments of every conformance test.
    public static var available: [Backend] { postgresEnabled ? [.sqlite, .postgres] : [.sqlite] }

    /// A fresh, migrated store: SQLite in memory, or PostgreSQL in a schema of its own.
    public static func make(_ backend: Backend) async throws -> any Store {
        let store: any Store
        switch backend {
        case .sqlite:
            store = try SQLiteStore(path: nil)
        case .postgres:
            guard let url = postgresURL else { throw TestStoreError.postgresNotConfigured }
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            store = try PostgresStore(url: url, schema: schema)
        }
        try await store.migrate(to: nil)
        return store
    }

    /// Runs `body` with a fresh store and removes it afterwards, whatever happens.
    public static func with<T>(_ backend: Backend, _ body: (any Store) async throws -> T) async throws -> T {
        let store = try await make(backend)
        do {
            let result = try await body(store)
            try await dispose(store)
            return result
        } catch {
            try? await dispose(store)
            throw error
        }
    }

    static func dispose(_ store: any Store) async throws {
        if let postgres = store as? PostgresStore { try await postgres.dropSchema() }
        try await store.close()
    }
}

public enum TestStoreError: Error { case postgresNotConfigured }

/// A member for tests, with the identities given (emails are the usual case).
public func sampleMember(id: UUID = UUID(), name: String? = "Ana Example", emails: [String] = ["ana@example.com"],
                         phones: [String] = [], at now: Date = Date(timeIntervalSince1970: 1_790_000_000)) throws -> Member {
    let identities = try emails.map { try Identity(.email, $0) } + phones.map { try Identity(.phone, $0) }
    return try Enrolment(name: name, locale: .de, birthday: try CalendarDate("1990-04-02"),
                         attributes: ["store": .string("Berlin"), "vip": .bool(true), "visits": .number(3)],
                         marketingEmail: true, identities: identities).makeMember(id: id, now: now)
}
