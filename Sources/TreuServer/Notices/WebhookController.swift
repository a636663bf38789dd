import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// /v1/webhooks and /v1/deliveries: admins manage endpoints and see, and replay, what was sent.
struct WebhookController: Sendable {
    let webhooks: WebhookService

    struct CreateBody: Decodable {
        var url: String
        var types: [String]?
        var description: String?
        var enabled: Bool
        enum CodingKeys: String, CodingKey, CaseIterable { case url, types, description, enabled }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self, nullable: [.description])
            let c = try decoder.container(keyedBy: CodingKeys.self)
            url = try c.decode(String.self, forKey: .url)
            types = try c.decodeIfPresent([String].self, forKey: .types)
            description = try c.decodeIfPresent(String.self, forKey: .description)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        }
    }

    struct ChangeBody: Decodable {
        var change = WebhookService.Change()
        enum CodingKeys: String, CodingKey, CaseIterable { case url, types, description, enabled }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self, nullable: [.description])
            let c = try decoder.container(keyedBy: CodingKeys.self)
            change.url = try c.decodeIfPresent(String.self, forKey: .url)
            change.types = try c.decodeIfPresent([String].self, forKey: .types)
            if c.contains(.description) { change.description = .some(try c.decodeIfPresent(String.self, forKey: .description)) }
            change.enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        }
    }

    struct RotateBody: Decodable {
        var keep: TimeInterval?
        enum CodingKeys: String, CodingKey, CaseIterable { case keep = "keep_previous_seconds" }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            keep = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Int.self, forKey: .keep).map(TimeInterval.init)
        }
    }

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .post, "webhooks", .manageWebhooks) { _, _, body in
            let request = try RequestBody.decode(CreateBody.self, from: body)
            let endpoint = try await webhooks.create(url: request.url, types: request.types, description: request.description,
                                                     enabled: request.enabled)
            return try .json(WebhookResource(endpoint, showingSecret: true), status: .created)
        }
        endpoints.register(v1, .get, "webhooks", .manageWebhooks) { _, _, _ in
            try .json(PageResource(items: try await webhooks.list().map { WebhookResource($0) }, nextCursor: nil))
        }
        endpoints.register(v1, .get, "webhooks/:id", .manageWebhooks) { _, context, _ in
            try .json(WebhookResource(try await webhooks.endpoint(try Self.id(context))))
        }
        endpoints.register(v1, .patch, "webhooks/:id", .manageWebhooks) { _, context, body in
            let request = try RequestBody.decode(ChangeBody.self, from: body)
            return try .json(WebhookResource(try await webhooks.update(try Self.id(context), request.change)))
        }
        endpoints.register(v1, .delete, "webhooks/:id", .manageWebhooks) { _, context, _ in
            try await webhooks.remove(try Self.id(context))
            return .noContent
        }
        endpoints.register(v1, .post, "webhooks/:id/rotate-secret", .manageWebhooks) { _, context, body in
            let request = body.isEmpty ? nil : try RequestBody.decode(RotateBody.self, from: body)
            let endpoint = try await webhooks.rotateSecret(try Self.id(context), keep: request?.keep)
            return try .json(WebhookResource(endpoint, showingSecret: true))
        }
        endpoints.register(v1, .post, "webhooks/:id/ping", .manageWebhooks) { _, context, _ in
            let delivery = try await webhooks.ping(try Self.id(context))
            return try .json(DeliveryResource(try await webhooks.delivery(delivery)), status: .accepted)
        }
        endpoints.register(v1, .get, "webhooks/:id/deliveries", .manageWebhooks) { request, context, _ in
            try await list(request.uri.queryParameters, endpoint: try Self.id(context))
        }
        endpoints.register(v1, .get, "deliveries", .manageWebhooks) { request, _, _ in
            try await list(request.uri.queryParameters, endpoint: nil)
        }
        endpoints.register(v1, .get, "deliveries/:id", .manageWebhooks) { _, context, _ in
            try .json(DeliveryResource(try await webhooks.delivery(try Self.deliveryID(context))))
        }
        endpoints.register(v1, .post, "deliveries/:id/replay", .manageWebhooks) { _, context, _ in
            try .json(DeliveryResource(try await webhooks.replay(try Self.deliveryID(context))), status: .accepted)
        }
    }

    private func list(_ parameters: Parameters, endpoint: UUID?) async throws -> APIResponse {
        let query = try ListQuery<DeliveryStatus>(parameters)
        let found = try await webhooks.deliveries(endpoint: endpoint, status: query.status, before: query.before, limit: query.limit + 1)
        let page = query.page(found, number: \.id)
        return try .json(PageResource(items: page.items.map { DeliveryResource(($0, nil)) }, nextCursor: page.nextCursor))
    }

    static func id(_ context: TreuContext) throws -> UUID {
        guard let id = context.parameters.get("id", as: UUID.self) else { throw WebhookService.notFound }
        return id
    }

    static func deliveryID(_ context: TreuContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self), id > 0 else { throw WebhookService.deliveryNotFound }
        return id
    }
}

/// An endpoint as the API shows it: its secret only in the answers that make one.
struct WebhookResource: Encodable, Sendable {
    var endpoint: WebhookEndpoint
    var showingSecret = false
    init(_ endpoint: WebhookEndpoint, showingSecret: Bool = false) {
        self.endpoint = endpoint
        self.showingSecret = showingSecret
    }
    enum CodingKeys: String, CodingKey {
        case id, url, description, types, enabled, secret, createdAt = "created_at", updatedAt = "updated_at"
        case previousSecretValidUntil = "previous_secret_valid_until"
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(endpoint.id.uuidString.lowercased(), forKey: .id)
        try c.encode(endpoint.url, forKey: .url)
        try c.encode(endpoint.description, forKey: .description)
        try c.encode(endpoint.types.map(\.rawValue), forKey: .types)
        try c.encode(endpoint.enabled, forKey: .enabled)
        try c.encode(endpoint.createdAt, forKey: .createdAt)
        try c.encode(endpoint.updatedAt, forKey: .updatedAt)
        try c.encode(endpoint.previousSecret == nil ? nil : endpoint.previousUntil, forKey: .previousSecretValidUntil)
        if showingSecret { try c.encode(endpoint.secret, forKey: .secret) }
    }
}

/// A delivery, with its attempts when read alone.
struct DeliveryResource: Encodable, Sendable {
    var record: DeliveryRecord
    var attempts: [DeliveryAttempt]?
    init(_ found: (DeliveryRecord, [DeliveryAttempt]?)) {
        record = found.0
        attempts = found.1
    }
    enum CodingKeys: String, CodingKey {
        case id, type, status, attempts, history, endpointID = "endpoint_id", noticeID = "webhook_id", memberID = "member_id"
        case nextAttemptAt = "next_attempt_at", createdAt = "created_at", deliveredAt = "delivered_at"
        case lastStatus = "last_status", lastError = "last_error"
    }
    enum AttemptKeys: String, CodingKey { case number, at, milliseconds, status, error, response }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(String(record.id), forKey: .id)
        try c.encode(record.notice.uuidString.lowercased(), forKey: .noticeID)
        try c.encode(record.type.rawValue, forKey: .type)
        try c.encode(record.member?.uuidString.lowercased(), forKey: .memberID)
        try c.encode(record.endpoint.uuidString.lowercased(), forKey: .endpointID)
        try c.encode(record.status.rawValue, forKey: .status)
        try c.encode(record.attempts, forKey: .attempts)
        try c.encode(record.status == .pending ? record.nextAt : nil, forKey: .nextAttemptAt)
        try c.encode(record.createdAt, forKey: .createdAt)
        try c.encode(record.deliveredAt, forKey: .deliveredAt)
        try c.encode(record.lastStatus, forKey: .lastStatus)
        try c.encode(record.lastError, forKey: .lastError)
        guard let attempts else { return }
        var list = c.nestedUnkeyedContainer(forKey: .history)
        for attempt in attempts {
            var a = list.nestedContainer(keyedBy: AttemptKeys.self)
            try a.encode(attempt.number, forKey: .number)
            try a.encode(attempt.at, forKey: .at)
            try a.encode(attempt.milliseconds, forKey: .milliseconds)
            try a.encode(attempt.status, forKey: .status)
            try a.encode(attempt.error, forKey: .error)
            try a.encode(attempt.response, forKey: .response)
        }
    }
}
