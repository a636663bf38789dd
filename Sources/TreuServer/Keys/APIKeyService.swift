import Crypto
import Foundation
import Synchronization
import TreuCore
import TreuStore

/// Creates and checks API keys. A key is `treu_` and 43 random base62 characters (256 bits);
/// only its SHA-256 hash is stored, so a stolen database holds no usable key. The secret is
/// shown once, when the key is made.
public struct APIKeyService: Sendable {
    let store: any KeyStore
    let clock: TreuClock
    let ids: IDGenerator
    let cache: KeyCache

    public init(store: any KeyStore, clock: TreuClock, ids: IDGenerator, cache: KeyCache = KeyCache()) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.cache = cache
    }

    /// Makes a key; the returned secret is the only copy there will ever be.
    public func create(name: String, role: Role) async throws -> (key: APIKey, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.containsControlCharacter else {
            throw ValidationError(code: "invalid_name", field: "name", message: "a key's name has no control characters")
        }
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
        let hash = Self.hash(secret)
        let now = clock.now()
        if let key = cache.key(hash: hash, at: now) { return key }
        guard let key = try await store.apiKey(hash: hash), key.revokedAt == nil else { return nil }
        cache.keep(key, at: now)
        return key
    }

    public func list() async throws -> [APIKey] { try await store.apiKeys() }

    public func revoke(id: UUID) async throws -> KeyRevocation {
        defer { cache.forget(id: id) }
        return try await store.revokeAPIKey(id: id, at: clock.now())
    }

    /// Makes the first admin key if there is no key at all yet; returns its secret, or nil.
    public func bootstrapAdminKey() async throws -> String? {
        guard try await store.apiKeys().isEmpty else { return nil }
        return try await create(name: "first admin key", role: .admin).secret
    }

    static func hash(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    static func makeSecret() -> String { "treu_" + RandomSecret.base62(43) }
}

/// Secrets a person or a link carries (API keys, unsubscribe links): base62 from the system's
/// random numbers; 43 characters hold 256 bits.
enum RandomSecret {
    static func base62(_ count: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}

/// The live keys found in the last `maxAge`, by hash: a request does not read its key from the
/// store each time (one read in every request's path). A key revoked through this server is
/// forgotten at once; revoked elsewhere (another server on the same PostgreSQL, `treu keys
/// revoke` on the same SQLite file) it keeps working here for at most `maxAge`. Unknown secrets
/// are not kept: guessing fills nothing.
public final class KeyCache: Sendable {
    public static let maxAge: TimeInterval = 1
    /// More live keys than this at once is not a shop's integration: start over rather than grow.
    static let capacity = 10_000
    private let entries = Mutex<[String: (key: APIKey, until: Date)]>([:])

    public init() {}

    func key(hash: String, at now: Date) -> APIKey? {
        entries.withLock { entries in
            guard let entry = entries[hash] else { return nil }
            guard now < entry.until else {
                entries[hash] = nil
                return nil
            }
            return entry.key
        }
    }

    func keep(_ key: APIKey, at now: Date) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[key.hash] = (key, now.addingTimeInterval(Self.maxAge))
        }
    }

    func forget(id: UUID) {
        entries.withLock { entries in entries = entries.filter { $0.value.key.id != id } }
    }
}
