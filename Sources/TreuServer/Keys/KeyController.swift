import Foundation
import Hummingbird
import TreuCore

/// /v1/keys: admins make, list and revoke API keys.
struct KeyController: Sendable {
    let keys: APIKeyService

    struct CreateBody: Decodable {
        var name: String
        var role: Role
        enum CodingKeys: String, CodingKey, CaseIterable { case name, role }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            role = try c.decode(Role.self, forKey: .role)
        }
    }

    /// A key as listed: never its secret, which only the answer to its creation carries (`key`).
    struct KeyResource: Encodable {
        var apiKey: APIKey
        var secret: String?
        enum CodingKeys: String, CodingKey {
            case id, name, role, prefix, key, createdAt = "created_at", revokedAt = "revoked_at"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(apiKey.id.uuidString.lowercased(), forKey: .id)
            try c.encode(apiKey.name, forKey: .name)
            try c.encode(apiKey.role, forKey: .role)
            try c.encode(apiKey.prefix, forKey: .prefix)
            try c.encode(apiKey.createdAt, forKey: .createdAt)
            try c.encode(apiKey.revokedAt, forKey: .revokedAt)
            if let secret { try c.encode(secret, forKey: .key) }
        }
    }

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .post, "keys", .manageKeys) { _, _, body in
            let request = try RequestBody.decode(CreateBody.self, from: body)
            let (key, secret) = try await keys.create(name: request.name, role: request.role)
            return try .json(KeyResource(apiKey: key, secret: secret), status: .created)
        }
        endpoints.register(v1, .get, "keys", .manageKeys) { _, _, _ in
            try .json(PageResource(items: try await keys.list().map { KeyResource(apiKey: $0) }, nextCursor: nil))
        }
        endpoints.register(v1, .delete, "keys/:id", .manageKeys) { _, context, _ in
            guard let id = context.parameters.get("id", as: UUID.self) else {
                throw Problem(.notFound, code: "key_not_found", detail: "no live key has this id")
            }
            switch try await keys.revoke(id: id) {
            case .revoked: return .noContent
            case .notFound: throw Problem(.notFound, code: "key_not_found", detail: "no live key has this id")
            case .lastAdmin:
                throw Problem(.conflict, code: "last_admin_key", detail: "this is the last live admin key: make another admin key before revoking it")
            }
        }
    }
}
