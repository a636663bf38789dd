import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// Idempotency keys, alike on every engine.
@Suite("Store conformance: idempotency")
struct IdempotencyConformanceTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(arguments: TestStores.available)
    func idempotencyKeysReplayTheFirstAnswer(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let claim = IdempotencyClaim(scope: "k1", key: "order-1", fingerprint: "fp-a", now: now)
            #expect(try await store.claimIdempotencyKey(claim) == .claimed)
            #expect(try await store.claimIdempotencyKey(claim) == .inProgress)
            var other = claim
            other.fingerprint = "fp-b"
            #expect(try await store.claimIdempotencyKey(other) == .mismatch)
            var otherScope = claim
            otherScope.scope = "k2"
            #expect(try await store.claimIdempotencyKey(otherScope) == .claimed)
            let answer = StoredResponse(status: 201, contentType: "application/json", body: Data("{\"id\":1}".utf8))
            try await store.completeIdempotencyKey(scope: "k1", key: "order-1", response: answer)
            #expect(try await store.claimIdempotencyKey(claim) == .replay(answer))
            try await store.releaseIdempotencyKey(scope: "k1", key: "order-1")
            #expect(try await store.claimIdempotencyKey(claim) == .replay(answer))
            // A claim whose request never answered (a crash) is taken over once it is stale.
            let stuck = IdempotencyClaim(scope: "k1", key: "order-2", fingerprint: "fp", now: now)
            #expect(try await store.claimIdempotencyKey(stuck) == .claimed)
            var later = stuck
            later.now = now.addingTimeInterval(61)
            #expect(try await store.claimIdempotencyKey(later) == .claimed)
            // Keys are forgotten after their retention: the first one was claimed at `now`, the stuck one later.
            #expect(try await store.purgeIdempotencyKeys(claimedBefore: now.addingTimeInterval(1)) == 2)
            #expect(try await store.claimIdempotencyKey(claim) == .claimed)
        }
    }
}
