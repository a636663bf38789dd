import Foundation
import TreuCore
import TreuDelivery
import TreuStore

/// Webhook endpoints as admins manage them: made with a secret shown once, changed, rotated,
/// pinged; deliveries listed and replayed.
public struct WebhookService: Sendable {
    let store: any WebhookStore
    let board: NoticeBoard
    let clock: TreuClock
    let ids: IDGenerator
    let allowPrivate: Bool

    static let notFound = Problem(.notFound, code: "webhook_not_found", detail: "no webhook endpoint has this id")
    static let deliveryNotFound = Problem(.notFound, code: "delivery_not_found", detail: "no delivery has this id")
    /// How long a rotated secret stays valid by default, and at most.
    static let keepPrevious: TimeInterval = 86_400, keepPreviousAtMost: TimeInterval = 7 * 86_400

    /// - Throws: `invalid_url` for a URL that is not http(s) or is private (unless allowed).
    func checkURL(_ url: String) throws {
        guard url.utf8.count <= 2_000 else {
            throw Problem(.unprocessableContent, code: "invalid_url", detail: "a webhook URL has at most 2,000 characters", field: "url")
        }
        if let problem = AddressPolicy.problem(with: url, allowPrivate: allowPrivate) {
            throw Problem(.unprocessableContent, code: "invalid_url", detail: problem, field: "url")
        }
    }

    /// The types named, all subscribable ones when none are.
    /// - Throws: `unknown_event_type` naming the first unknown one, `types_required` for an empty list.
    static func types(_ names: [String]?) throws -> [NoticeType] {
        guard let names else { return NoticeType.subscribable }
        guard !names.isEmpty else {
            throw Problem(.unprocessableContent, code: "types_required",
                          detail: "an endpoint subscribes to at least one event type (leave types out for all of them)", field: "types")
        }
        return try names.map { name in
            guard let type = NoticeType(rawValue: name), type != .webhookPing else {
                throw Problem(.unprocessableContent, code: "unknown_event_type",
                              detail: "'\(name)' is no event type; the types are \(NoticeType.subscribable.map(\.rawValue).joined(separator: ", "))",
                              field: "types")
            }
            return type
        }
    }

    func create(url: String, types: [String]?, description: String?, enabled: Bool) async throws -> WebhookEndpoint {
        try checkURL(url)
        let now = clock.now()
        let endpoint = WebhookEndpoint(id: ids.next(), url: url, description: description, types: try Self.types(types),
                                       secret: Self.newSecret(), enabled: enabled, createdAt: now, updatedAt: now)
        try await store.addWebhookEndpoint(endpoint)
        try await board.refresh()
        return endpoint
    }

    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return WebhookSignature.newSecret { generator.next() }
    }

    func list() async throws -> [WebhookEndpoint] { try await store.webhookEndpoints() }

    func endpoint(_ id: UUID) async throws -> WebhookEndpoint {
        guard let endpoint = try await store.webhookEndpoint(id: id) else { throw Self.notFound }
        return endpoint
    }

    struct Change: Sendable {
        var url: String?
        var types: [String]?
        var description: String??
        var enabled: Bool?
    }

    func update(_ id: UUID, _ change: Change) async throws -> WebhookEndpoint {
        if let url = change.url { try checkURL(url) }
        let types = try change.types.map { try Self.types($0) }
        let now = clock.now()
        let changed = try await mapNotFound {
            try await store.updateWebhookEndpoint(id: id) { current in
                var endpoint = current
                if let url = change.url { endpoint.url = url }
                if let types { endpoint.types = Array(Set(types)).sorted() }
                if let description = change.description { endpoint.description = description }
                if let enabled = change.enabled { endpoint.enabled = enabled }
                endpoint.updatedAt = now
                return endpoint
            }
        }
        try await board.refresh()
        return changed
    }

    func remove(_ id: UUID) async throws {
        guard try await store.removeWebhookEndpoint(id: id) else { throw Self.notFound }
        try await board.refresh()
    }

    /// A new secret; the old one still signs (a second signature) for `keep` seconds.
    func rotateSecret(_ id: UUID, keep: TimeInterval?) async throws -> WebhookEndpoint {
        let keep = keep ?? Self.keepPrevious
        guard (0...Self.keepPreviousAtMost).contains(keep) else {
            throw Problem(.unprocessableContent, code: "invalid_field",
                          detail: "keep_previous_seconds is from 0 to \(Int(Self.keepPreviousAtMost)) (7 days)", field: "keep_previous_seconds")
        }
        let now = clock.now(), secret = Self.newSecret()
        return try await mapNotFound {
            try await store.updateWebhookEndpoint(id: id) { current in
                var endpoint = current
                endpoint.previousSecret = keep > 0 ? current.secret : nil
                endpoint.previousUntil = keep > 0 ? now.addingTimeInterval(keep) : nil
                endpoint.secret = secret
                endpoint.updatedAt = now
                return endpoint
            }
        }
    }

    /// Queues a `webhook.ping` to the endpoint (whatever it subscribes to, enabled or not: a
    /// disabled endpoint's ping waits until it is enabled).
    func ping(_ id: UUID) async throws -> Int64 {
        let now = clock.now()
        let notice = Notice(id: ids.next(), type: .webhookPing, occurredAt: now,
                            fields: ["endpoint_id": id.uuidString.lowercased(), "message": "a test delivery from Treu"])
        return try await mapNotFound { try await store.addDelivery(of: notice, to: id, at: now) }
    }

    func deliveries(endpoint: UUID?, status: DeliveryStatus?, before: Int64?, limit: Int) async throws -> [DeliveryRecord] {
        if let endpoint { _ = try await self.endpoint(endpoint) }
        return try await store.deliveries(endpoint: endpoint, status: status, before: before, limit: limit)
    }

    func delivery(_ id: Int64) async throws -> (DeliveryRecord, [DeliveryAttempt]) {
        guard let found = try await store.delivery(id: id) else { throw Self.deliveryNotFound }
        return found
    }

    func replay(_ id: Int64) async throws -> (DeliveryRecord, [DeliveryAttempt]) {
        guard try await store.replayDelivery(id: id, at: clock.now()) else { throw Self.deliveryNotFound }
        return try await delivery(id)
    }

    private func mapNotFound<T>(_ work: () async throws -> T) async throws -> T {
        do { return try await work() } catch StoreError.notFound { throw Self.notFound }
    }
}
