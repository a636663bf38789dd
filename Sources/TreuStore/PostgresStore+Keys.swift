import Foundation
import Logging
import PostgresNIO
import TreuCore

/// API keys and idempotency keys on PostgreSQL.
extension PostgresStore {
    // MARK: API keys

    public func insert(_ key: APIKey) async throws {
        try await client.run("""
            INSERT INTO api_keys (id, name, role, prefix, hash, created_at, revoked_at)
            VALUES (\(key.id), \(key.name), \(key.role.rawValue), \(key.prefix), \(key.hash), \(Millis.from(key.createdAt)), \(key.revokedAt.map(Millis.from)))
            """, logger)
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try await apiKeys(where: "WHERE hash = $1", hash).first
    }

    public func apiKeys() async throws -> [APIKey] {
        try await apiKeys(where: "", nil)
    }

    private func apiKeys(where filter: String, _ hash: String?) async throws -> [APIKey] {
        var binds = PostgresBindings()
        if let hash { binds.append(hash) }
        let rows = try await client.run(PostgresQuery(
            unsafeSQL: "SELECT id, name, role, prefix, hash, created_at, revoked_at FROM api_keys \(filter) ORDER BY created_at, id",
            binds: binds), logger)
        var keys: [APIKey] = []
        for try await (id, name, role, prefix, hash, createdAt, revokedAt) in rows.decode((UUID, String, String, String, String, Int64, Int64?).self) {
            guard let role = Role(rawValue: role) else { continue }
            keys.append(APIKey(id: id, name: name, role: role, prefix: prefix, hash: hash,
                               createdAt: Millis.date(createdAt), revokedAt: revokedAt.map(Millis.date)))
        }
        return keys
    }

    public func revokeAPIKey(id: UUID, at now: Date) async throws -> KeyRevocation {
        let logger = self.logger
        return try await transaction { connection in
            // The live admin keys locked: two revocations at once cannot both take "the other one".
            let admins = try await connection.run("SELECT id FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL ORDER BY id FOR UPDATE", logger)
                .decode(UUID.self).all()
            guard let role = try await connection.run("SELECT role FROM api_keys WHERE id = \(id) AND revoked_at IS NULL", logger)
                .decode(String.self).all().first else { return .notFound }
            if role == Role.admin.rawValue, admins.count <= 1 { return .lastAdmin }
            try await connection.run("UPDATE api_keys SET revoked_at = \(Millis.from(now)) WHERE id = \(id) AND revoked_at IS NULL", logger)
            return .revoked
        }
    }

    // MARK: Idempotency

    public func claimIdempotencyKey(_ claim: IdempotencyClaim) async throws -> IdempotencyOutcome {
        let logger = self.logger
        return try await transaction { connection in
            let now = Millis.from(claim.now)
            let inserted = try await connection.run("""
                INSERT INTO idempotency_keys (scope, key, fingerprint, created_at)
                VALUES (\(claim.scope), \(claim.key), \(claim.fingerprint), \(now))
                ON CONFLICT (scope, key) DO NOTHING RETURNING key
                """, logger).decode(String.self).all()
            if !inserted.isEmpty { return .claimed }
            let rows = try await connection.run("""
                SELECT fingerprint, status, content_type, body, created_at FROM idempotency_keys
                WHERE scope = \(claim.scope) AND key = \(claim.key) FOR UPDATE
                """, logger).decode((String, Int?, String?, Data?, Int64).self).all()
            guard let row = rows.first else { return .inProgress }
            let existing = IdempotencyRow(fingerprint: row.0, status: row.1, contentType: row.2, body: row.3, createdAt: row.4)
            let outcome = existing.outcome(for: claim)
            if outcome == .claimed {
                try await connection.run(
                    "UPDATE idempotency_keys SET created_at = \(now) WHERE scope = \(claim.scope) AND key = \(claim.key)",
                    logger)
            }
            return outcome
        }
    }

    public func completeIdempotencyKey(scope: String, key: String, response: StoredResponse) async throws {
        try await client.run("""
            UPDATE idempotency_keys SET status = \(response.status), content_type = \(response.contentType), body = \(response.body)
            WHERE scope = \(scope) AND key = \(key)
            """, logger)
    }

    public func purgeIdempotencyKeys(claimedBefore cutoff: Date) async throws -> Int {
        try await client.run("DELETE FROM idempotency_keys WHERE created_at < \(Millis.from(cutoff)) RETURNING key", logger)
            .decode(String.self).all().count
    }

    public func releaseIdempotencyKey(scope: String, key: String) async throws {
        try await client.run(
            "DELETE FROM idempotency_keys WHERE scope = \(scope) AND key = \(key) AND status IS NULL", logger)
    }
}
