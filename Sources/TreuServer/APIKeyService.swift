import Crypto
import Foundation
import TreuCore
import TreuStore

/// Creates and checks API keys. A key is `treu_` and 43 random base62 characters (256 bits);
/// only its SHA-256 hash is stored, so a stolen database holds no usable key. The secret is
/// shown once, when the key is made.
public struct APIKeyService: Sendable {
    let store: any Store
    let clock: TreuClock
    let ids: IDGenerator

    public init(store: any Store, clock: TreuClock, ids: IDGenerator) {
        self.store = store
        self.clock = clock
        self.ids = ids
    }

    /// Makes a key; the returned secret is the only copy there will ever be.
    public func create(name: String, role: Role) async throws -> (key: APIKey, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmed.count) else {
            throw ValidationError(code: "invalid_name", field: "name", message: "a key's name has 1 to 100 characters")
        }
        let secret = Self.makeSecret()
        let key = APIKey(id: ids.next(), name: trimmed, role: role, prefix: String(secret.prefix(12)),
                         hash: Self.hash(secret), createdAt: clock.now())
        try await store.insert(key)
        return (key, secret)
    }

    /// The live key this secret belongs to, or nil (unknown or revoked).
    public func authenticate(_ secret: String) async throws -> APIKey? {
        guard secret.hasPrefix("treu_"), secret.count == 48 else { return nil }
        guard let key = try await store.apiKey(hash: Self.hash(secret)), key.revokedAt == nil else { return nil }
        return key
    }

    public func list() async throws -> [APIKey] { try await store.apiKeys() }

    public func revoke(id: UUID) async throws -> Bool { try await store.revokeAPIKey(id: id, at: clock.now()) }

    /// Makes the first admin key if there is no key at all yet; returns its secret, or nil.
    public func bootstrapAdminKey() async throws -> String? {
        guard try await store.apiKeys().isEmpty else { return nil }
        return try await create(name: "first admin key", role: .admin).secret
    }

    static func hash(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    static func makeSecret() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return "treu_" + String((0..<43).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
