import Foundation
import TreuCore

/// API keys (hashes only).
public protocol KeyStore: Sendable {
    func insert(_ key: APIKey) async throws
    /// The key with this hash, revoked or not.
    func apiKey(hash: String) async throws -> APIKey?
    func apiKeys() async throws -> [APIKey]
    /// Marks a key revoked, unless it is the last live admin key (nobody could make keys
    /// then), in one step however many revoke at once.
    func revokeAPIKey(id: UUID, at now: Date) async throws -> KeyRevocation
}
