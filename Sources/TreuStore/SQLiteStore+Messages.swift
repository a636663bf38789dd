import Foundation
import GRDB
import TreuCore

/// Messages on SQLite: one writer, so a claim is a plain update.
extension SQLiteStore {
    // The settings are read every second by every server: on GRDB's thread, never holding one of the server's.
    public func messageAudiences() async throws -> [MessageKind: MessageAudience] {
        try await scan { db in
            var audiences: [MessageKind: MessageAudience] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, audience FROM message_audiences") {
                if let kind = MessageKind(rawValue: row[0]), let audience = MessageAudience(rawValue: row[1]) { audiences[kind] = audience }
            }
            return audiences
        }
    }

    public func setMessageAudience(_ audience: MessageAudience, for kind: MessageKind, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO message_audiences (kind, audience, updated_at) VALUES (?,?,?)
                ON CONFLICT (kind) DO UPDATE SET audience = excluded.audience, updated_at = excluded.updated_at
                """, arguments: [kind.rawValue, audience.rawValue, Millis.from(now)])
        }
    }

    public func messageTemplates() async throws -> [StoredTemplate] {
        try await scan { db in
            try Row.fetchAll(db, sql: "SELECT kind, locale, subject, text_body, html_body, sms, updated_at FROM message_templates ORDER BY kind, locale")
                .compactMap { row in
                    guard let kind = MessageKind(rawValue: row[0]), let locale = MemberLocale(rawValue: row[1]) else { return nil }
                    return StoredTemplate(kind: kind, locale: locale, template: MessageTemplate(subject: row[2], text: row[3], html: row[4], sms: row[5]),
                                          updatedAt: Millis.date(row[6]))
                }
        }
    }

    public func saveMessageTemplate(_ stored: StoredTemplate) async throws {
        let t = stored.template
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO message_templates (kind, locale, subject, text_body, html_body, sms, updated_at) VALUES (?,?,?,?,?,?,?)
                ON CONFLICT (kind, locale) DO UPDATE SET subject = excluded.subject, text_body = excluded.text_body,
                  html_body = excluded.html_body, sms = excluded.sms, updated_at = excluded.updated_at
                """, arguments: [stored.kind.rawValue, stored.locale.rawValue, t.subject, t.text, t.html, t.sms, Millis.from(stored.updatedAt)])
        }
    }

    public func removeMessageTemplate(kind: MessageKind, locale: MemberLocale) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM message_templates WHERE kind = ? AND locale = ?", arguments: [kind.rawValue, locale.rawValue])
            return db.changesCount > 0
        }
    }

    public func noticesForMessages(limit: Int) async throws -> [WaitingNotice] {
        // Asked every round: on GRDB's thread, never holding one of the server's.
        try await scan { db in
            let waiting = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT n.seq, n.id, n.type, n.occurred_at, m.id, n.data FROM notices n LEFT JOIN members m ON m.key = n.member_key
                WHERE n.messaged = 0 ORDER BY n.seq LIMIT ?
                """), arguments: [limit]).compactMap { row -> WaitingNotice? in
                guard let id = UUID(uuidString: row[1]), let type = NoticeType(rawValue: row[2]) else { return nil }
                return WaitingNotice(seq: row[0], notice: Notice(id: id, type: type, occurredAt: Millis.date(row[3]),
                                                                 member: (row[4] as String?).flatMap(UUID.init(uuidString:)), data: row[5]))
            }
            let members = try Self.members(ids: Array(Set(waiting.compactMap(\.notice.member))), db)
            let byID = Dictionary(members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            return waiting.map { var w = $0; w.member = $0.notice.member.flatMap { byID[$0] }; return w }
        }
    }

    public func addMessages(_ messages: [NewMessage], deciding notices: [Int64]) async throws {
        try await writer.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO messages (id, notice_seq, member_key, kind, channel, recipient, locale, marketing, subject, text_body, html_body,
                  status, reason, next_at, created_at, unsubscribe_token)
                SELECT ?, ?, key, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM members WHERE id = ?
                ON CONFLICT (notice_seq, channel) DO NOTHING
                """)
            for m in messages {
                let at = Millis.from(m.createdAt)
                try insert.execute(arguments: [Self.key(m.id), m.noticeSeq, m.kind.rawValue, m.channel.rawValue, m.recipient, m.locale.rawValue,
                                               m.marketing, m.subject, m.text, m.html, m.status.rawValue, m.reason,
                                               m.status == .pending ? at : nil, at, m.unsubscribeToken, Self.key(m.member)])
            }
            let mark = try db.cachedStatement(sql: "UPDATE notices SET messaged = 1 WHERE seq = ?")
            for seq in notices { try mark.execute(arguments: [seq]) }
        }
    }

    public func claimMessages(at now: Date, lease: TimeInterval, limit: Int) async throws -> [DueMessage] {
        // Most rounds find nothing: a read on GRDB's thread says so without taking the write lock.
        let due = try await scan { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM messages WHERE status = 'pending' AND next_at <= ? LIMIT 1"),
                              arguments: [Millis.from(now)]) != nil
        }
        guard due else { return [] }
        return try await writer.write { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT s.id, s.attempts, s.replayed_after, m.id, s.kind, s.recipient, s.subject, s.text_body, s.html_body, s.marketing,
                       s.unsubscribe_token, s.created_at
                FROM messages s JOIN members m ON m.key = s.member_key
                WHERE s.status = 'pending' AND s.next_at <= ? ORDER BY s.next_at, s.seq LIMIT ?
                """), arguments: [Millis.from(now), limit])
            let claim = try db.cachedStatement(sql: "UPDATE messages SET attempts = attempts + 1, next_at = ? WHERE id = ?")
            let until = Millis.from(now.addingTimeInterval(lease))
            return try rows.compactMap { row -> DueMessage? in
                try claim.execute(arguments: [until, row[0] as String])
                guard let id = UUID(uuidString: row[0]), let member = UUID(uuidString: row[3]), let kind = MessageKind(rawValue: row[4]) else {
                    return nil
                }
                return DueMessage(id: id, attempt: (row[1] as Int) + 1, replayedAfter: row[2], member: member, kind: kind,
                                  recipient: row[5] ?? "", subject: row[6] ?? "", text: row[7] ?? "", html: row[8] ?? "", marketing: row[9],
                                  unsubscribeToken: row[10], createdAt: Millis.date(row[11]))
            }
        }
    }

    public func finishMessages(_ results: [(id: UUID, attempt: Int, outcome: MessageOutcome)], at now: Date, notices: [Notice]) async throws {
        guard !results.isEmpty || !notices.isEmpty else { return }
        try await writer.write { db in
            let update = try db.cachedStatement(sql: """
                UPDATE messages SET status = ?, next_at = ?, sent_at = COALESCE(?, sent_at), reason = ?, last_error = ?
                WHERE id = ? AND attempts = ?
                """)
            for (id, attempt, outcome) in results {
                let c = outcome.columns(at: now)
                try update.execute(arguments: [c.status, c.nextAt, c.sentAt, c.reason, c.error, Self.key(id), attempt])
            }
            try Self.insert(notices, memberKey: nil, db)
        }
    }

    public func messages(member: UUID?, status: MessageStatus?, before: Int64?, limit: Int) async throws -> [MessageRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(MessageRecord.columns) FROM messages s JOIN members m ON m.key = s.member_key
                WHERE (? IS NULL OR m.id = ?) AND (? IS NULL OR s.status = ?) AND (? IS NULL OR s.seq < ?)
                ORDER BY s.seq DESC LIMIT ?
                """, arguments: [member.map(Self.key), member.map(Self.key), status?.rawValue, status?.rawValue, before, before, limit])
                .compactMap(Self.messageRecord)
        }
    }

    public func message(id: UUID) async throws -> MessageRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(MessageRecord.columns) FROM messages s JOIN members m ON m.key = s.member_key WHERE s.id = ?",
                             arguments: [Self.key(id)]).flatMap(Self.messageRecord)
        }
    }

    public func message(unsubscribeToken token: String) async throws -> MessageRecord? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT \(MessageRecord.columns) FROM messages s JOIN members m ON m.key = s.member_key WHERE s.unsubscribe_token = ?
                """, arguments: [token]).flatMap(Self.messageRecord)
        }
    }

    static func messageRecord(_ row: Row) -> MessageRecord? {
        guard let id = UUID(uuidString: row[1]), let member = UUID(uuidString: row[2]), let kind = MessageKind(rawValue: row[3]),
              let channel = MessageChannel(rawValue: row[4]), let locale = MemberLocale(rawValue: row[6]),
              let status = MessageStatus(rawValue: row[9]) else { return nil }
        return MessageRecord(seq: row[0], id: id, member: member, kind: kind, channel: channel, recipient: row[5], locale: locale,
                             marketing: row[7], subject: row[8], status: status, reason: row[10], attempts: row[11],
                             nextAt: (row[12] as Int64?).map(Millis.date), createdAt: Millis.date(row[13]),
                             sentAt: (row[14] as Int64?).map(Millis.date), lastError: row[15])
    }

    public func replayMessage(id: UUID, at now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE messages SET status = 'pending', next_at = ?, replayed_after = attempts, reason = NULL
                WHERE id = ? AND status IN ('failed', 'skipped')
                """, arguments: [Millis.from(now), Self.key(id)])
            if db.changesCount > 0 { return true }
            return try Bool.fetchOne(db, sql: "SELECT 1 FROM messages WHERE id = ?", arguments: [Self.key(id)]) != nil
        }
    }
}

extension MessageRecord {
    /// The columns both engines read a message by (from `messages s JOIN members m`).
    static let columns = """
        s.seq, s.id, m.id, s.kind, s.channel, s.recipient, s.locale, s.marketing, s.subject, s.status, s.reason, s.attempts, s.next_at,
        s.created_at, s.sent_at, s.last_error
        """
}

extension MessageOutcome {
    /// The message's columns after this outcome, as both engines store them.
    func columns(at now: Date) -> (status: String, nextAt: Int64?, sentAt: Int64?, reason: String?, error: String?) {
        switch self {
        case .sent: (MessageStatus.sent.rawValue, nil, Millis.from(now), nil, nil)
        case .retry(let at, let error): (MessageStatus.pending.rawValue, Millis.from(at), nil, nil, error)
        case .failed(let reason, let error): (MessageStatus.failed.rawValue, nil, nil, reason, error)
        }
    }
}
