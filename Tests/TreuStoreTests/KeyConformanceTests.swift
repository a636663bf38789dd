import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// API keys, alike on every engine.
@Suite("Store conformance: API keys")
struct KeyConformanceTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(arguments: TestStores.available)
    func apiKeysAreFoundByHashAndRevokedOnce(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let key = APIKey(id: UUID(), name: "checkout", role: .integration, prefix: "treu_abcdefg", hash: "deadbeef", createdAt: now)
            try await store.insert(key)
            #expect(try await store.apiKey(hash: "deadbeef") == key)
            #expect(try await store.apiKey(hash: "other") == nil)
            #expect(try await store.revokeAPIKey(id: key.id, at: now) == .revoked)
            #expect(try await store.revokeAPIKey(id: key.id, at: now) == .notFound)
            #expect(try await store.apiKeys().map(\.revokedAt) == [now])
            // The last live admin key stays; with two, either goes, but not both at once.
            let first = APIKey(id: UUID(), name: "owner", role: .admin, prefix: "treu_1", hash: "h1", createdAt: now)
            try await store.insert(first)
            #expect(try await store.revokeAPIKey(id: first.id, at: now) == .lastAdmin)
            let second = APIKey(id: UUID(), name: "deputy", role: .admin, prefix: "treu_2", hash: "h2", createdAt: now)
            try await store.insert(second)
            async let a = store.revokeAPIKey(id: first.id, at: now)
            async let b = store.revokeAPIKey(id: second.id, at: now)
            let outcomes = try await [a, b]
            #expect(outcomes.filter { $0 == .revoked }.count == 1 && outcomes.filter { $0 == .lastAdmin }.count == 1)
        }
    }
}
