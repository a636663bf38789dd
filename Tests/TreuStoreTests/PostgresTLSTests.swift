import Foundation
import Testing
import TreuStore
import TreuTestSupport

/// `sslmode` in the URL, as libpq reads it (TLS was fixed to off in the code). `.ci/run` starts
/// PostgreSQL with a certificate of its own for 127.0.0.1 and names it in TREU_TEST_POSTGRES_CA.
@Suite("PostgreSQL over TLS")
struct PostgresTLSTests {
    static var ca: String? { ProcessInfo.processInfo.environment["TREU_TEST_POSTGRES_CA"].flatMap { $0.isEmpty ? nil : $0 } }

    @Test func theURLsSSLModeIsReadAsLibpqReadsIt() throws {
        #expect(try PostgresURL("postgres://u@h/db").sslMode == .prefer)
        #expect(try PostgresURL("postgres://u:p@h:6543/db?sslmode=verify-full&sslrootcert=/etc/ca.pem").rootCertificate == "/etc/ca.pem")
        #expect(try PostgresURL("postgresql://h/db?sslmode=disable").sslMode == .disable)
        for bad in ["postgres://h/db?sslmode=on", "postgres://h/db?sslmode=disable&sslrootcert=/x.pem", "postgres://h/db?timeout=3", "mysql://h/db", "postgres:///db"] {
            #expect(throws: PostgresURLError.self, "\(bad)") { try PostgresURL(bad) }
        }
        #expect(throws: PostgresURLError.self) { try PostgresURL("postgres://h/db?sslmode=verify-full&sslrootcert=/nonexistent.pem").tls() }
    }

    @Test(.enabled(if: TestStores.postgresEnabled && ca != nil, "needs TREU_TEST_POSTGRES_URL and TREU_TEST_POSTGRES_CA (.ci/run sets both)"))
    func eachModeConnectsAsItSays() async throws {
        let base = try #require(TestStores.postgresURL)
        func encrypted(_ query: String) async throws -> Bool {
            let store = try PostgresStore(url: base + (base.contains("?") ? "&" : "?") + query)
            defer { Task { try? await store.close() } }
            return try await store.usesTLS()
        }
        #expect(try await encrypted("sslmode=disable") == false)
        #expect(try await encrypted("sslmode=prefer") == true)
        #expect(try await encrypted("sslmode=require") == true)
        #expect(try await encrypted("sslmode=verify-full&sslrootcert=\(Self.ca!)") == true)
        // Verified against the system's roots, the server's own certificate is refused: no
        // connection (the pool keeps trying, so the test gives it three seconds).
        let connected = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await encrypted("sslmode=verify-full")) != nil }
            group.addTask { try? await Task.sleep(for: .seconds(3)); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(!connected)
    }
}
