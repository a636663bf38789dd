import Foundation
import Logging
import PostgresNIO
import TreuCore

/// The outbox and webhooks on PostgreSQL: deliveries written with their notices and claimed with
/// `FOR UPDATE SKIP LOCKED`, so several servers share the work and never take the same row.
extension PostgresStore {
    /// Writes notices in the caller's transaction (one statement), and with them a delivery to
    /// every enabled endpoint subscribed to each, due at once: the cause and its outbox commit
    /// together or not at all. A notice without a member is the member's with `memberKey`.
    static func insert(_ notices: [Notice], memberKey: Int64?, _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard !notices.isEmpty else { return }
        let ids = notices.map(\.id), types = notices.map(\.type.rawValue), times = notices.map { Millis.from($0.occurredAt) }
        let data = notices.map(\.data), decided = notices.map { !$0.awaitsMessage }
        // A notice naming its member is found by id; the others are the ledger's (-1: none).
        let members = notices.map { $0.member?.uuidString.lowercased() ?? "" }
        let key = memberKey ?? -1
        try await connection.run("""
            WITH made AS (
                INSERT INTO notices (id, type, member_key, occurred_at, data, messaged, fanned_out)
                SELECT n.id, n.type, COALESCE(m.key, NULLIF(\(key), -1)), n.at, n.data, n.decided, true
                FROM unnest(\(ids)::uuid[], \(types)::text[], \(times)::int8[], \(data)::text[], \(members)::text[], \(decided)::bool[])
                    AS n(id, type, at, data, member, decided)
                LEFT JOIN members m ON m.id = NULLIF(n.member, '')::uuid
                RETURNING seq, type, occurred_at
            )
            INSERT INTO deliveries (notice_seq, endpoint_id, status, next_at, created_at)
            SELECT made.seq, s.endpoint_id, 'pending', made.occurred_at, made.occurred_at FROM made
            JOIN webhook_subscriptions s ON s.type = made.type JOIN webhook_endpoints e ON e.id = s.endpoint_id AND e.enabled
            ORDER BY made.seq, s.endpoint_id
            """, logger)
    }

    public func addWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws {
        let logger = self.logger
        try await transaction { connection in
            try await connection.run("""
                INSERT INTO webhook_endpoints (id, url, description, secret, previous_secret, previous_until, enabled, created_at, updated_at)
                VALUES (\(endpoint.id), \(endpoint.url), \(endpoint.description), \(endpoint.secret), \(endpoint.previousSecret),
                        \(endpoint.previousUntil.map(Millis.from)), \(endpoint.enabled), \(Millis.from(endpoint.createdAt)),
                        \(Millis.from(endpoint.updatedAt)))
                """, logger)
            try await Self.subscribe(endpoint, connection, logger)
        }
    }

    private static func subscribe(_ endpoint: WebhookEndpoint, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run("DELETE FROM webhook_subscriptions WHERE endpoint_id = \(endpoint.id)", logger)
        try await connection.run("""
            INSERT INTO webhook_subscriptions (type, endpoint_id) SELECT t, \(endpoint.id) FROM unnest(\(endpoint.types.map(\.rawValue))::text[]) AS t
            """, logger)
    }

    public func webhookEndpoints() async throws -> [WebhookEndpoint] {
        try await client.withConnection { connection in try await Self.endpoints(id: nil, lock: false, connection, self.logger) }
    }

    public func webhookEndpoint(id: UUID) async throws -> WebhookEndpoint? {
        try await client.withConnection { connection in try await Self.endpoints(id: id, lock: false, connection, self.logger).first }
    }

    private static func endpoints(id: UUID?, lock: Bool, _ connection: PostgresConnection, _ logger: Logger) async throws -> [WebhookEndpoint] {
        let rows = try await connection.run("""
            SELECT id, url, description, secret, previous_secret, previous_until, enabled, created_at, updated_at,
                   COALESCE((SELECT string_agg(type, ' ') FROM webhook_subscriptions WHERE endpoint_id = e.id), '')
            FROM webhook_endpoints e WHERE \(id)::uuid IS NULL OR e.id = \(id) ORDER BY created_at, id \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger)
        var endpoints: [WebhookEndpoint] = []
        for try await (id, url, description, secret, previous, until, enabled, created, updated, types)
            in rows.decode((UUID, String, String?, String, String?, Int64?, Bool, Int64, Int64, String).self) {
            endpoints.append(WebhookEndpoint(id: id, url: url, description: description,
                                             types: types.split(separator: " ").compactMap { NoticeType(rawValue: String($0)) },
                                             secret: secret, previousSecret: previous, previousUntil: until.map(Millis.date), enabled: enabled,
                                             createdAt: Millis.date(created), updatedAt: Millis.date(updated)))
        }
        return endpoints
    }

    public func updateWebhookEndpoint(id: UUID, _ change: @Sendable (WebhookEndpoint) throws -> WebhookEndpoint) async throws -> WebhookEndpoint {
        let logger = self.logger
        return try await transaction { connection in
            guard let current = try await Self.endpoints(id: id, lock: true, connection, logger).first else { throw StoreError.notFound }
            let changed = try change(current)
            try await connection.run("""
                UPDATE webhook_endpoints SET url = \(changed.url), description = \(changed.description), secret = \(changed.secret),
                  previous_secret = \(changed.previousSecret), previous_until = \(changed.previousUntil.map(Millis.from)),
                  enabled = \(changed.enabled), updated_at = \(Millis.from(changed.updatedAt))
                WHERE id = \(id)
                """, logger)
            try await Self.subscribe(changed, connection, logger)
            return changed
        }
    }

    public func removeWebhookEndpoint(id: UUID) async throws -> Bool {
        try await !client.run("DELETE FROM webhook_endpoints WHERE id = \(id) RETURNING id", logger).decode(UUID.self).all().isEmpty
    }

    public func noticeInterest() async throws -> NoticeInterest {
        let types = try await client.run("""
            SELECT DISTINCT s.type FROM webhook_subscriptions s JOIN webhook_endpoints e ON e.id = s.endpoint_id WHERE e.enabled
            """, logger).decode(String.self).all()
        return NoticeInterest(Set(types.compactMap(NoticeType.init(rawValue:))))
    }

    public func addNotices(_ notices: [Notice]) async throws {
        let logger = self.logger
        try await transaction { connection in try await Self.insert(notices, memberKey: nil, connection, logger) }
    }

    public func addDelivery(of notice: Notice, to endpoint: UUID, at now: Date) async throws -> Int64 {
        let logger = self.logger
        return try await transaction { connection in
            guard try await !connection.run("SELECT id FROM webhook_endpoints WHERE id = \(endpoint)", logger).decode(UUID.self).all().isEmpty
            else { throw StoreError.notFound }
            // No endpoint subscribes to webhook.ping: the notice's own fan-out makes no delivery.
            try await Self.insert([notice], memberKey: nil, connection, logger)
            let made = try await connection.run("""
                INSERT INTO deliveries (notice_seq, endpoint_id, status, next_at, created_at)
                SELECT seq, \(endpoint), 'pending', \(Millis.from(now)), \(Millis.from(now)) FROM notices WHERE id = \(notice.id) RETURNING id
                """, logger).decode(Int64.self).all()
            return made[0]
        }
    }

    public func claimDeliveries(at now: Date, lease: TimeInterval, limit: Int) async throws -> [DueDelivery] {
        let rows = try await client.run("""
            WITH due AS (
                SELECT d.id FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
                WHERE d.status = 'pending' AND d.next_at <= \(Millis.from(now)) ORDER BY d.next_at, d.id LIMIT \(limit)
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE deliveries d SET attempts = d.attempts + 1, next_at = \(Millis.from(now.addingTimeInterval(lease)))
            FROM due, webhook_endpoints e, notices n LEFT JOIN members m ON m.key = n.member_key
            WHERE d.id = due.id AND e.id = d.endpoint_id AND n.seq = d.notice_seq
            RETURNING d.id, d.attempts, d.replayed_after, e.id, e.url, e.secret, e.previous_secret, e.previous_until,
                      n.id, n.type, n.occurred_at, m.id, n.data
            """, logger)
        var due: [DueDelivery] = []
        for try await (id, attempts, replayed, endpoint, url, secret, previous, until, noticeID, type, occurred, member, data)
            in rows.decode((Int64, Int, Int, UUID, String, String, String?, Int64?, UUID, String, Int64, UUID?, String).self) {
            guard let type = NoticeType(rawValue: type) else { continue }
            let secrets = WebhookEndpoint.secrets(secret, previous: previous, until: until.map(Millis.date), at: now)
            due.append(DueDelivery(id: id, attempt: attempts, replayedAfter: replayed, endpoint: endpoint, url: url, secrets: secrets,
                                   notice: Notice(id: noticeID, type: type, occurredAt: Millis.date(occurred), member: member, data: data)))
        }
        return due.sorted { $0.id < $1.id }
    }

    public func finishDeliveries(_ results: [(attempt: DeliveryAttempt, outcome: DeliveryOutcome)]) async throws {
        guard !results.isEmpty else { return }
        let attempts = results.map(\.attempt)
        let columns = results.map { $0.outcome.columns(at: $0.attempt.at) }
        // Arrays cannot hold NULL here: -1 and U+0001 stand for it.
        let ids = attempts.map(\.delivery), numbers = attempts.map(\.number), at = attempts.map { Millis.from($0.at) }
        let milliseconds = attempts.map(\.milliseconds), statuses = attempts.map { $0.status ?? -1 }
        let errors = attempts.map { $0.error ?? "\u{1}" }, responses = attempts.map { $0.response ?? "\u{1}" }
        let states = columns.map(\.status), next = columns.map { $0.nextAt ?? -1 }, delivered = columns.map { $0.deliveredAt ?? -1 }
        try await client.run("""
            WITH r AS (
                SELECT * FROM unnest(\(ids)::int8[], \(numbers)::int4[], \(at)::int8[], \(milliseconds)::int4[], \(statuses)::int4[],
                                     \(errors)::text[], \(responses)::text[], \(states)::text[], \(next)::int8[], \(delivered)::int8[])
                    AS r(id, number, at, milliseconds, status, error, response, state, next_at, delivered_at)
            ), recorded AS (
                INSERT INTO delivery_attempts (delivery_id, number, at, milliseconds, status, error, response)
                SELECT id, number, at, milliseconds, NULLIF(status, -1), NULLIF(error, E'\\x01'), NULLIF(response, E'\\x01') FROM r
                ON CONFLICT (delivery_id, number) DO NOTHING
            )
            UPDATE deliveries d SET status = r.state, next_at = NULLIF(r.next_at, -1),
              delivered_at = COALESCE(NULLIF(r.delivered_at, -1), d.delivered_at), last_status = NULLIF(r.status, -1),
              last_error = NULLIF(r.error, E'\\x01')
            FROM r WHERE d.id = r.id AND d.attempts = r.number
            """, logger)
    }

    public func deliveries(endpoint: UUID?, status: DeliveryStatus?, before: Int64?, limit: Int) async throws -> [DeliveryRecord] {
        try await deliveryRecords(endpoint: endpoint, status: status, before: before, id: nil, limit: limit)
    }

    private func deliveryRecords(endpoint: UUID?, status: DeliveryStatus?, before: Int64?, id: Int64?,
                                 limit: Int) async throws -> [DeliveryRecord] {
        let rows = try await client.run("""
            SELECT \(unescaped: DeliveryRecord.columns) \(unescaped: DeliveryRecord.joins)
            WHERE (\(endpoint)::uuid IS NULL OR d.endpoint_id = \(endpoint)) AND (\(status?.rawValue)::text IS NULL OR d.status = \(status?.rawValue))
              AND (\(before)::int8 IS NULL OR d.id < \(before)) AND (\(id)::int8 IS NULL OR d.id = \(id))
            ORDER BY d.id DESC LIMIT \(limit)
            """, logger)
        var records: [DeliveryRecord] = []
        for try await (id, notice, type, member, endpoint, status, attempts, nextAt, created, delivered, lastStatus, lastError)
            in rows.decode((Int64, UUID, String, UUID?, UUID, String, Int, Int64?, Int64, Int64?, Int?, String?).self) {
            guard let type = NoticeType(rawValue: type), let status = DeliveryStatus(rawValue: status) else { continue }
            records.append(DeliveryRecord(id: id, notice: notice, type: type, member: member, endpoint: endpoint, status: status,
                                          attempts: attempts, nextAt: nextAt.map(Millis.date), createdAt: Millis.date(created),
                                          deliveredAt: delivered.map(Millis.date), lastStatus: lastStatus, lastError: lastError))
        }
        return records
    }

    public func delivery(id: Int64) async throws -> (DeliveryRecord, [DeliveryAttempt])? {
        guard let record = try await deliveryRecords(endpoint: nil, status: nil, before: nil, id: id, limit: 1).first else { return nil }
        let rows = try await client.run("""
            SELECT number, at, milliseconds, status, error, response FROM delivery_attempts WHERE delivery_id = \(id) ORDER BY number
            """, logger)
        var attempts: [DeliveryAttempt] = []
        for try await (number, at, milliseconds, status, error, response) in rows.decode((Int, Int64, Int, Int?, String?, String?).self) {
            attempts.append(DeliveryAttempt(delivery: id, number: number, at: Millis.date(at), milliseconds: milliseconds, status: status,
                                            error: error, response: response))
        }
        return (record, attempts)
    }

    public func replayDelivery(id: Int64, at now: Date) async throws -> Bool {
        try await client.run("""
            UPDATE deliveries SET status = CASE WHEN status = 'pending' THEN status ELSE 'pending' END,
              next_at = CASE WHEN status = 'pending' THEN next_at ELSE \(Millis.from(now)) END,
              replayed_after = CASE WHEN status = 'pending' THEN replayed_after ELSE attempts END
            WHERE id = \(id) RETURNING id
            """, logger).decode(Int64.self).all().isEmpty == false
    }

    public func outboxCounts() async throws -> OutboxCounts {
        var counts = OutboxCounts(pending: 0, delivered: 0, dead: 0)
        for try await (status, count) in try await client.run("SELECT status, COUNT(*)::int8 FROM deliveries GROUP BY status", logger)
            .decode((String, Int).self) {
            switch DeliveryStatus(rawValue: status) {
            case .pending: counts.pending = count
            case .delivered: counts.delivered = count
            case .dead: counts.dead = count
            case nil: break
            }
        }
        return counts
    }
}
