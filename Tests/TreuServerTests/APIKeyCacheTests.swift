import Foundation
import Synchronization
import Testing
import TreuCore
import TreuStore
import TreuTestSupport
@testable import TreuServer

/// A server reads a key from the store at most once a second: a key revoked through it stops at
/// once, one revoked elsewhere (another server, the command line) within that second.
@Suite("API keys kept for a second")
struct APIKeyCacheTests {
    @Test func aRevocationHereTakesAtOnceAndOneElsewhereWithinASecond() async throws {
        try await TestStores.with(.sqlite) { store in
            let now = Mutex(Date(timeIntervalSince1970: 1_790_000_000))
            let clock = TreuClock { now.withLock { $0 } }
            let server = APIKeyService(store: store, clock: clock, ids: .live, cache: KeyCache())
            let elsewhere = APIKeyService(store: store, clock: clock, ids: .live, cache: KeyCache())
            let (till, secret) = try await server.create(name: "till", role: .integration)
            #expect(try await server.authenticate(secret)?.id == till.id)

            #expect(try await elsewhere.revoke(id: till.id) == .revoked)
            now.withLock { $0 += 0.9 }
            #expect(try await server.authenticate(secret)?.id == till.id, "kept for up to a second")
            #expect(try await elsewhere.authenticate(secret) == nil)
            now.withLock { $0 += 0.1 }
            #expect(try await server.authenticate(secret) == nil, "read again after a second: revoked")

            let (shop, shopSecret) = try await server.create(name: "shop", role: .integration)
            #expect(try await server.authenticate(shopSecret)?.id == shop.id)
            #expect(try await server.revoke(id: shop.id) == .revoked)
            #expect(try await server.authenticate(shopSecret) == nil, "revoked here: at once")
            #expect(try await server.authenticate("treu_" + String(repeating: "x", count: 43)) == nil)
        }
    }
}
