import Foundation
import Logging
import PostgresNIO
import TreuCore

/// Messages on PostgreSQL: claimed with `FOR UPDATE SKIP LOCKED`, so several servers share
/// the sending and never take the same row; a notice's messages are written once however many
/// servers decide on it (the unique notice and channel).
extension PostgresStore {
    public func messageAudiences() async throws -> [MessageKind: MessageAudience] {
        var audiences: [MessageKind: MessageAudience] = [:]
        for try await (kind, audience) in try await client.run("SELECT kind, audience FROM message_audiences", logger).decode((String, String).self) {
            if let kind = MessageKind(rawValue: kind), let audience = MessageAudience(rawValue: audience) { audiences[kind] = audience }
        }
        return audiences
    }

    public func setMessageAudience(_ audience: MessageAudience, for kind: MessageKind, at now: Date) async throws {
        try await client.run("""
            INSERT INTO message_audiences (kind, audience, updated_at) VALUES (\(kind.rawValue), \(audience.rawValue), \(Millis.from(now)))
            ON CONFLICT (kind) DO UPDATE SET audience = excluded.audience, updated_at = excluded.updated_at
            """, logger)
    }

    public func messageTemplates() async throws -> [StoredTemplate] {
        var templates: [StoredTemplate] = []
        let rows = try await client.run("SELECT kind, locale, subject, text_body, html_body, sms, updated_at FROM message_templates ORDER BY kind, locale", logger)
        for try await (kind, locale, subject, text, html, sms, updated) in rows.decode((String, String, String, String, String, String, Int64).self) {
            guard let kind = MessageKind(rawValue: kind), let locale = MemberLocale(rawValue: locale) else { continue }
            templates.append(StoredTemplate(kind: kind, locale: locale, template: MessageTemplate(subject: subject, text: text, html: html, sms: sms),
                                            updatedAt: Millis.date(updated)))
        }
        return templates
    }

    public func saveMessageTemplate(_ stored: StoredTemplate) async throws {
        let t = stored.template
        try await client.run("""
            INSERT INTO message_templates (kind, locale, subject, text_body, html_body, sms, updated_at)
            VALUES (\(stored.kind.rawValue), \(stored.locale.rawValue), \(t.subject), \(t.text), \(t.html), \(t.sms), \(Millis.from(stored.updatedAt)))
            ON CONFLICT (kind, locale) DO UPDATE SET subject = excluded.subject, text_body = excluded.text_body,
              html_body = excluded.html_body, sms = excluded.sms, updated_at = excluded.updated_at
            """, logger)
    }

    public func removeMessageTemplate(kind: MessageKind, locale: MemberLocale) async throws -> Bool {
        try await client.run("""
            DELETE FROM message_templates WHERE kind = \(kind.rawValue) AND locale = \(locale.rawValue) RETURNING kind
            """, logger).decode(String.self).all().isEmpty == false
    }

    public func noticesForMessages(limit: Int) async throws -> [WaitingNotice] {
        let rows = try await client.run("""
            SELECT n.seq, n.id, n.type, n.occurred_at, m.id, n.data FROM notices n LEFT JOIN members m ON m.key = n.member_key
            WHERE NOT n.messaged ORDER BY n.seq LIMIT \(limit)
            """, logger)
        var waiting: [WaitingNotice] = []
        for try await (seq, id, type, at, member, data) in rows.decode((Int64, UUID, String, Int64, UUID?, String).self) {
            guard let type = NoticeType(rawValue: type) else { continue }
            waiting.append(WaitingNotice(seq: seq, notice: Notice(id: id, type: type, occurredAt: Millis.date(at), member: member, data: data)))
        }
        let ids = Array(Set(waiting.compactMap(\.notice.member)))
        guard !ids.isEmpty else { return waiting }
        let logger = self.logger
        let members = try await client.withConnection { connection in try await Self.members(ids: ids, connection, logger) }
        let byID = Dictionary(members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return waiting.map { var w = $0; w.member = $0.notice.member.flatMap { byID[$0] }; return w }
    }

    public func addMessages(_ messages: [NewMessage], deciding notices: [Int64]) async throws {
        // Arrays cannot hold NULL here: -1 and U+0001 stand for it.
        let none = "\u{1}"
        let ids = messages.map(\.id), seqs = messages.map { $0.noticeSeq ?? -1 }, members = messages.map(\.member)
        let kinds = messages.map(\.kind.rawValue), channels = messages.map(\.channel.rawValue), recipients = messages.map { $0.recipient ?? none }
        let locales = messages.map(\.locale.rawValue), marketing = messages.map(\.marketing)
        let subjects = messages.map { $0.subject ?? none }, texts = messages.map { $0.text ?? none }, htmls = messages.map { $0.html ?? none }
        let statuses = messages.map(\.status.rawValue), reasons = messages.map { $0.reason ?? none }
        let next = messages.map { $0.status == .pending ? Millis.from($0.createdAt) : -1 }, created = messages.map { Millis.from($0.createdAt) }
        let tokens = messages.map { $0.unsubscribeToken ?? none }
        let logger = self.logger
        try await transaction { connection in
            if !messages.isEmpty {
                try await connection.run("""
                    INSERT INTO messages (id, notice_seq, member_key, kind, channel, recipient, locale, marketing, subject, text_body, html_body,
                      status, reason, next_at, created_at, unsubscribe_token)
                    SELECT r.id, NULLIF(r.seq, -1), m.key, r.kind, r.channel, NULLIF(r.recipient, E'\\x01'), r.locale, r.marketing,
                      NULLIF(r.subject, E'\\x01'), NULLIF(r.text_body, E'\\x01'), NULLIF(r.html_body, E'\\x01'), r.status,
                      NULLIF(r.reason, E'\\x01'), NULLIF(r.next_at, -1), r.created_at, NULLIF(r.token, E'\\x01')
                    FROM unnest(\(ids)::uuid[], \(seqs)::int8[], \(members)::uuid[], \(kinds)::text[], \(channels)::text[], \(recipients)::text[],
                                \(locales)::text[], \(marketing)::bool[], \(subjects)::text[], \(texts)::text[], \(htmls)::text[],
                                \(statuses)::text[], \(reasons)::text[], \(next)::int8[], \(created)::int8[], \(tokens)::text[])
                      WITH ORDINALITY AS r(id, seq, member, kind, channel, recipient, locale, marketing, subject, text_body, html_body, status,
                           reason, next_at, created_at, token, n)
                    JOIN members m ON m.id = r.member
                    ORDER BY r.n
                    ON CONFLICT (notice_seq, channel) DO NOTHING
                    """, logger)
            }
            if !notices.isEmpty {
                try await connection.run("UPDATE notices SET messaged = true WHERE seq = ANY(\(notices)::int8[])", logger)
            }
        }
    }

    public func claimMessages(at now: Date, lease: TimeInterval, limit: Int) async throws -> [DueMessage] {
        let rows = try await client.run("""
            WITH due AS (
                SELECT seq FROM messages WHERE status = 'pending' AND next_at <= \(Millis.from(now)) ORDER BY next_at, seq LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE messages s SET attempts = s.attempts + 1, next_at = \(Millis.from(now.addingTimeInterval(lease)))
            FROM due, members m WHERE s.seq = due.seq AND m.key = s.member_key
            RETURNING s.seq, s.id, s.attempts, s.replayed_after, m.id, s.kind, s.recipient, s.subject, s.text_body, s.html_body, s.marketing,
                      s.unsubscribe_token, s.created_at
            """, logger)
        var due: [(Int64, DueMessage)] = []
        for try await (seq, id, attempts, replayed, member, kind, recipient, subject, text, html, marketing, token, created)
            in rows.decode((Int64, UUID, Int, Int, UUID, String, String?, String?, String?, String?, Bool, String?, Int64).self) {
            guard let kind = MessageKind(rawValue: kind) else { continue }
            due.append((seq, DueMessage(id: id, attempt: attempts, replayedAfter: replayed, member: member, kind: kind, recipient: recipient ?? "",
                                        subject: subject ?? "", text: text ?? "", html: html ?? "", marketing: marketing,
                                        unsubscribeToken: token, createdAt: Millis.date(created))))
        }
        return due.sorted { $0.0 < $1.0 }.map(\.1)
    }

    public func finishMessages(_ results: [(id: UUID, attempt: Int, outcome: MessageOutcome)], at now: Date, notices: [Notice]) async throws {
        guard !results.isEmpty || !notices.isEmpty else { return }
        let none = "\u{1}"
        let columns = results.map { $0.outcome.columns(at: now) }
        let ids = results.map(\.id), attempts = results.map(\.attempt), statuses = columns.map(\.status)
        let next = columns.map { $0.nextAt ?? -1 }, sent = columns.map { $0.sentAt ?? -1 }
        let reasons = columns.map { $0.reason ?? none }, errors = columns.map { $0.error ?? none }
        let logger = self.logger
        try await transaction { connection in
            if !ids.isEmpty {
                try await connection.run("""
                    UPDATE messages s SET status = r.status, next_at = NULLIF(r.next_at, -1), sent_at = COALESCE(NULLIF(r.sent_at, -1), s.sent_at),
                      reason = NULLIF(r.reason, E'\\x01'), last_error = NULLIF(r.error, E'\\x01')
                    FROM unnest(\(ids)::uuid[], \(attempts)::int4[], \(statuses)::text[], \(next)::int8[], \(sent)::int8[], \(reasons)::text[],
                                \(errors)::text[]) AS r(id, attempt, status, next_at, sent_at, reason, error)
                    WHERE s.id = r.id AND s.attempts = r.attempt
                    """, logger)
            }
            try await Self.insert(notices, memberKey: nil, connection, logger)
        }
    }

    public func messages(member: UUID?, status: MessageStatus?, before: Int64?, limit: Int) async throws -> [MessageRecord] {
        try await messageRecords(member: member, status: status, before: before, limit: limit)
    }

    public func message(id: UUID) async throws -> MessageRecord? {
        try await messageRecords(id: id, limit: 1).first
    }

    public func message(unsubscribeToken token: String) async throws -> MessageRecord? {
        try await messageRecords(token: token, limit: 1).first
    }

    private func messageRecords(member: UUID? = nil, status: MessageStatus? = nil, before: Int64? = nil, id: UUID? = nil, token: String? = nil,
                                limit: Int) async throws -> [MessageRecord] {
        let rows = try await client.run("""
            SELECT \(unescaped: MessageRecord.columns) FROM messages s JOIN members m ON m.key = s.member_key
            WHERE (\(member)::uuid IS NULL OR m.id = \(member)) AND (\(status?.rawValue)::text IS NULL OR s.status = \(status?.rawValue))
              AND (\(before)::int8 IS NULL OR s.seq < \(before)) AND (\(id)::uuid IS NULL OR s.id = \(id))
              AND (\(token)::text IS NULL OR s.unsubscribe_token = \(token))
            ORDER BY s.seq DESC LIMIT \(limit)
            """, logger)
        var records: [MessageRecord] = []
        for try await (seq, id, member, kind, channel, recipient, locale, marketing, subject, status, reason, attempts, next, created, sent, error)
            in rows.decode((Int64, UUID, UUID, String, String, String?, String, Bool, String?, String, String?, Int, Int64?, Int64, Int64?, String?).self) {
            guard let kind = MessageKind(rawValue: kind), let channel = MessageChannel(rawValue: channel), let locale = MemberLocale(rawValue: locale),
                  let status = MessageStatus(rawValue: status) else { continue }
            records.append(MessageRecord(seq: seq, id: id, member: member, kind: kind, channel: channel, recipient: recipient, locale: locale,
                                         marketing: marketing, subject: subject, status: status, reason: reason, attempts: attempts,
                                         nextAt: next.map(Millis.date), createdAt: Millis.date(created), sentAt: sent.map(Millis.date),
                                         lastError: error))
        }
        return records
    }

    public func replayMessage(id: UUID, at now: Date) async throws -> Bool {
        try await client.run("""
            UPDATE messages SET status = CASE WHEN status IN ('failed', 'skipped') THEN 'pending' ELSE status END,
              next_at = CASE WHEN status IN ('failed', 'skipped') THEN \(Millis.from(now)) ELSE next_at END,
              replayed_after = CASE WHEN status IN ('failed', 'skipped') THEN attempts ELSE replayed_after END,
              reason = CASE WHEN status IN ('failed', 'skipped') THEN NULL ELSE reason END
            WHERE id = \(id) RETURNING seq
            """, logger).decode(Int64.self).all().isEmpty == false
    }
}
