import Foundation
import GRDB
import TreuCore

/// The outbox and webhooks on SQLite: one writer, so a claim is a plain update.
extension SQLiteStore {
    /// Writes notices in the caller's transaction, and with them a delivery to every enabled
    /// endpoint subscribed to each, due at once: the cause and its outbox commit together or not
    /// at all. A notice without a member is the member's with `memberKey`.
    static func insert(_ notices: [Notice], memberKey owner: Int64?, _ db: Database) throws {
        guard !notices.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO notices (id, type, member_key, occurred_at, data, messaged, fanned_out) VALUES (?,?,?,?,?,?,1)
            """)
        let deliveries = try db.cachedStatement(sql: """
            INSERT INTO deliveries (notice_seq, endpoint_id, status, next_at, created_at)
            SELECT ?, s.endpoint_id, 'pending', ?, ? FROM webhook_subscriptions s
            JOIN webhook_endpoints e ON e.id = s.endpoint_id AND e.enabled WHERE s.type = ?
            """)
        for notice in notices {
            var key = owner
            if let member = notice.member { key = try memberKey(member, db) }
            let at = Millis.from(notice.occurredAt)
            try statement.execute(arguments: [Self.key(notice.id), notice.type.rawValue, key, at, notice.data, !notice.awaitsMessage])
            try deliveries.execute(arguments: [db.lastInsertedRowID, at, at, notice.type.rawValue])
        }
    }

    public func addWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO webhook_endpoints (id, url, description, secret, previous_secret, previous_until, enabled, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?)
                """, arguments: [Self.key(endpoint.id), endpoint.url, endpoint.description, endpoint.secret, endpoint.previousSecret,
                                 endpoint.previousUntil.map(Millis.from), endpoint.enabled, Millis.from(endpoint.createdAt),
                                 Millis.from(endpoint.updatedAt)])
            try Self.subscribe(endpoint, db)
        }
    }

    private static func subscribe(_ endpoint: WebhookEndpoint, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM webhook_subscriptions WHERE endpoint_id = ?", arguments: [key(endpoint.id)])
        for type in endpoint.types {
            try db.execute(sql: "INSERT INTO webhook_subscriptions (type, endpoint_id) VALUES (?,?)", arguments: [type.rawValue, key(endpoint.id)])
        }
    }

    public func webhookEndpoints() async throws -> [WebhookEndpoint] {
        try read { db in try Self.endpoints(where: "", [], db) }
    }

    public func webhookEndpoint(id: UUID) async throws -> WebhookEndpoint? {
        try read { db in try Self.endpoints(where: "WHERE id = ?", [Self.key(id)], db).first }
    }

    private static func endpoints(where filter: String, _ arguments: StatementArguments, _ db: Database) throws -> [WebhookEndpoint] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, url, description, secret, previous_secret, previous_until, enabled, created_at, updated_at,
                   (SELECT group_concat(type, ' ') FROM webhook_subscriptions WHERE endpoint_id = e.id)
            FROM webhook_endpoints e \(filter) ORDER BY created_at, id
            """, arguments: arguments)
        return rows.compactMap { row in
            guard let id = UUID(uuidString: row[0]) else { return nil }
            let types = ((row[9] as String?) ?? "").split(separator: " ").compactMap { NoticeType(rawValue: String($0)) }
            return WebhookEndpoint(id: id, url: row[1], description: row[2], types: types, secret: row[3], previousSecret: row[4],
                                   previousUntil: (row[5] as Int64?).map(Millis.date), enabled: row[6],
                                   createdAt: Millis.date(row[7]), updatedAt: Millis.date(row[8]))
        }
    }

    public func updateWebhookEndpoint(id: UUID, _ change: @Sendable (WebhookEndpoint) throws -> WebhookEndpoint) async throws -> WebhookEndpoint {
        try await writer.write { db in
            guard let current = try Self.endpoints(where: "WHERE id = ?", [Self.key(id)], db).first else { throw StoreError.notFound }
            let changed = try change(current)
            try db.execute(sql: """
                UPDATE webhook_endpoints SET url = ?, description = ?, secret = ?, previous_secret = ?, previous_until = ?, enabled = ?,
                  updated_at = ? WHERE id = ?
                """, arguments: [changed.url, changed.description, changed.secret, changed.previousSecret,
                                 changed.previousUntil.map(Millis.from), changed.enabled, Millis.from(changed.updatedAt), Self.key(id)])
            try Self.subscribe(changed, db)
            return changed
        }
    }

    public func removeWebhookEndpoint(id: UUID) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM webhook_endpoints WHERE id = ?", arguments: [Self.key(id)])
            return db.changesCount > 0
        }
    }

    public func noticeInterest() async throws -> NoticeInterest {
        // On GRDB's reader, off the server's threads: every server asks this every second.
        try await scan { db in
            let types = try String.fetchAll(db, sql: """
                SELECT DISTINCT s.type FROM webhook_subscriptions s JOIN webhook_endpoints e ON e.id = s.endpoint_id WHERE e.enabled
                """)
            return NoticeInterest(Set(types.compactMap(NoticeType.init(rawValue:))))
        }
    }

    public func addNotices(_ notices: [Notice]) async throws {
        try await writer.write { db in try Self.insert(notices, memberKey: nil, db) }
    }

    public func addDelivery(of notice: Notice, to endpoint: UUID, at now: Date) async throws -> Int64 {
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM webhook_endpoints WHERE id = ?", arguments: [Self.key(endpoint)]) != nil else {
                throw StoreError.notFound
            }
            // No endpoint subscribes to webhook.ping: the notice's own fan-out makes no delivery.
            try Self.insert([notice], memberKey: nil, db)
            let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM notices WHERE id = ?", arguments: [Self.key(notice.id)]) ?? 0
            try db.execute(sql: "INSERT INTO deliveries (notice_seq, endpoint_id, status, next_at, created_at) VALUES (?,?,'pending',?,?)",
                           arguments: [seq, Self.key(endpoint), Millis.from(now), Millis.from(now)])
            return db.lastInsertedRowID
        }
    }

    public func claimDeliveries(at now: Date, lease: TimeInterval, limit: Int) async throws -> [DueDelivery] {
        // Most rounds find nothing: a read on GRDB's thread says so without taking the write lock.
        let due = try await scan { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM deliveries WHERE status = 'pending' AND next_at <= ? LIMIT 1"),
                              arguments: [Millis.from(now)]) != nil
        }
        guard due else { return [] }
        return try await writer.write { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT d.id, d.attempts, d.replayed_after, e.id, e.url, e.secret, e.previous_secret, e.previous_until,
                       n.id, n.type, n.occurred_at, m.id, n.data
                FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
                JOIN notices n ON n.seq = d.notice_seq LEFT JOIN members m ON m.key = n.member_key
                WHERE d.status = 'pending' AND d.next_at <= ? ORDER BY d.next_at, d.id LIMIT ?
                """), arguments: [Millis.from(now), limit])
            let until = Millis.from(now.addingTimeInterval(lease))
            let claim = try db.cachedStatement(sql: "UPDATE deliveries SET attempts = attempts + 1, next_at = ? WHERE id = ?")
            return try rows.compactMap { row -> DueDelivery? in
                let id: Int64 = row[0]
                try claim.execute(arguments: [until, id])
                guard let endpoint = UUID(uuidString: row[3]), let noticeID = UUID(uuidString: row[8]),
                      let type = NoticeType(rawValue: row[9]) else { return nil }
                let secrets = WebhookEndpoint.secrets(row[5], previous: row[6], until: (row[7] as Int64?).map(Millis.date), at: now)
                let notice = Notice(id: noticeID, type: type, occurredAt: Millis.date(row[10]),
                                    member: (row[11] as String?).flatMap(UUID.init(uuidString:)), data: row[12])
                return DueDelivery(id: id, attempt: (row[1] as Int) + 1, replayedAfter: row[2], endpoint: endpoint, url: row[4],
                                   secrets: secrets, notice: notice)
            }
        }
    }

    public func finishDeliveries(_ results: [(attempt: DeliveryAttempt, outcome: DeliveryOutcome)]) async throws {
        guard !results.isEmpty else { return }
        try await writer.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO delivery_attempts (delivery_id, number, at, milliseconds, status, error, response) VALUES (?,?,?,?,?,?,?)
                ON CONFLICT (delivery_id, number) DO NOTHING
                """)
            let update = try db.cachedStatement(sql: """
                UPDATE deliveries SET status = ?, next_at = ?, delivered_at = COALESCE(?, delivered_at), last_status = ?, last_error = ?
                WHERE id = ? AND attempts = ?
                """)
            for (attempt, outcome) in results {
                try insert.execute(arguments: [attempt.delivery, attempt.number, Millis.from(attempt.at), attempt.milliseconds, attempt.status,
                                               attempt.error, attempt.response])
                let (status, nextAt, deliveredAt) = outcome.columns(at: attempt.at)
                try update.execute(arguments: [status, nextAt, deliveredAt, attempt.status, attempt.error, attempt.delivery, attempt.number])
            }
        }
    }

    public func deliveries(endpoint: UUID?, status: DeliveryStatus?, before: Int64?, limit: Int) async throws -> [DeliveryRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(DeliveryRecord.columns) \(DeliveryRecord.joins)
                WHERE (? IS NULL OR d.endpoint_id = ?) AND (? IS NULL OR d.status = ?) AND (? IS NULL OR d.id < ?)
                ORDER BY d.id DESC LIMIT ?
                """, arguments: [endpoint.map(Self.key), endpoint.map(Self.key), status?.rawValue, status?.rawValue, before, before, limit])
                .compactMap(Self.deliveryRecord)
        }
    }

    public func delivery(id: Int64) async throws -> (DeliveryRecord, [DeliveryAttempt])? {
        try read { db in
            guard let record = try Row.fetchOne(db, sql: "SELECT \(DeliveryRecord.columns) \(DeliveryRecord.joins) WHERE d.id = ?",
                                                arguments: [id]).flatMap(Self.deliveryRecord) else { return nil }
            let attempts = try Row.fetchAll(db, sql: """
                SELECT number, at, milliseconds, status, error, response FROM delivery_attempts WHERE delivery_id = ? ORDER BY number
                """, arguments: [id]).map { row in
                DeliveryAttempt(delivery: id, number: row[0], at: Millis.date(row[1]), milliseconds: row[2], status: row[3], error: row[4],
                                response: row[5])
            }
            return (record, attempts)
        }
    }

    static func deliveryRecord(_ row: Row) -> DeliveryRecord? {
        guard let notice = UUID(uuidString: row[1]), let type = NoticeType(rawValue: row[2]), let endpoint = UUID(uuidString: row[4]),
              let status = DeliveryStatus(rawValue: row[5]) else { return nil }
        return DeliveryRecord(id: row[0], notice: notice, type: type, member: (row[3] as String?).flatMap(UUID.init(uuidString:)),
                              endpoint: endpoint, status: status, attempts: row[6], nextAt: (row[7] as Int64?).map(Millis.date),
                              createdAt: Millis.date(row[8]), deliveredAt: (row[9] as Int64?).map(Millis.date), lastStatus: row[10],
                              lastError: row[11])
    }

    public func replayDelivery(id: Int64, at now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE deliveries SET status = 'pending', next_at = ?, replayed_after = attempts WHERE id = ? AND status <> 'pending'
                """, arguments: [Millis.from(now), id])
            if db.changesCount > 0 { return true }
            return try Bool.fetchOne(db, sql: "SELECT 1 FROM deliveries WHERE id = ?", arguments: [id]) != nil
        }
    }

    public func outboxCounts() async throws -> OutboxCounts {
        try read { db in
            var counts = OutboxCounts(pending: 0, delivered: 0, dead: 0)
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM deliveries GROUP BY status") {
                switch DeliveryStatus(rawValue: row[0]) {
                case .pending: counts.pending = row[1]
                case .delivered: counts.delivered = row[1]
                case .dead: counts.dead = row[1]
                case nil: break
                }
            }
            return counts
        }
    }
}

extension DeliveryRecord {
    /// The columns both engines read a delivery by, and the joins they come from.
    static let columns = """
        d.id, n.id, n.type, m.id, d.endpoint_id, d.status, d.attempts, d.next_at, d.created_at, d.delivered_at, d.last_status, d.last_error
        """
    static let joins = "FROM deliveries d JOIN notices n ON n.seq = d.notice_seq LEFT JOIN members m ON m.key = n.member_key"
}
