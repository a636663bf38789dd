import Foundation
import TreuCore

/// Idempotency keys: a retried request gets the first answer.
public protocol IdempotencyStore: Sendable {
    /// Claims `key` for a request so that a retry returns the first answer instead of acting twice.
    func claimIdempotencyKey(_ claim: IdempotencyClaim) async throws -> IdempotencyOutcome
    /// Records the answer given to the request that holds the claim.
    func completeIdempotencyKey(scope: String, key: String, response: StoredResponse) async throws
    /// Gives a claim up (the request failed in a way a retry may fix).
    func releaseIdempotencyKey(scope: String, key: String) async throws
    /// Forgets keys claimed before `cutoff`; returns how many. A retry after that acts anew.
    @discardableResult
    func purgeIdempotencyKeys(claimedBefore cutoff: Date) async throws -> Int
}
