import Foundation
import TreuCore
import TreuMessages
import TreuStore

/// A message as the API shows it (on a member's record and in the outbox).
struct MessageResource: Encodable, Sendable {
    var id: String
    var memberID: String
    var kind: String
    var channel: String
    var recipient: String?
    var locale: String
    var marketing: Bool
    var subject: String?
    var status: String
    var reason: String?
    var attempts: Int
    var nextAt: Date?
    var createdAt: Date
    var sentAt: Date?
    var lastError: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, channel, recipient, locale, marketing, subject, status, reason, attempts
        case memberID = "member_id", nextAt = "next_at", createdAt = "created_at", sentAt = "sent_at", lastError = "last_error"
    }

    init(_ m: MessageRecord) {
        id = m.id.uuidString.lowercased()
        memberID = m.member.uuidString.lowercased()
        kind = m.kind.rawValue
        channel = m.channel.rawValue
        recipient = m.recipient
        locale = m.locale.rawValue
        marketing = m.marketing
        subject = m.subject
        status = m.status.rawValue
        reason = m.reason
        attempts = m.attempts
        nextAt = m.status == .pending ? m.nextAt : nil
        createdAt = m.createdAt
        sentAt = m.sentAt
        lastError = m.lastError
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(memberID, forKey: .memberID)
        try c.encode(kind, forKey: .kind)
        try c.encode(channel, forKey: .channel)
        try c.encode(recipient, forKey: .recipient)
        try c.encode(locale, forKey: .locale)
        try c.encode(marketing, forKey: .marketing)
        try c.encode(subject, forKey: .subject)
        try c.encode(status, forKey: .status)
        try c.encode(reason, forKey: .reason)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(nextAt, forKey: .nextAt)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(sentAt, forKey: .sentAt)
        try c.encode(lastError, forKey: .lastError)
    }
}

/// One kind's setting.
struct MessageSettingResource: Encodable, Sendable {
    var kind: String
    var audience: String
    var defaultAudience: String
    var marketing: Bool
    var variables: [String]
    enum CodingKeys: String, CodingKey {
        case kind, audience, marketing, variables
        case defaultAudience = "default_audience"
    }
    init(_ kind: MessageKind, audience: MessageAudience) {
        self.kind = kind.rawValue
        self.audience = audience.rawValue
        defaultAudience = kind.defaultAudience.rawValue
        marketing = kind.isMarketing
        variables = kind.allVariables.sorted()
    }
}

/// A kind's template in one language: the shop's own, or the standard text.
struct MessageTemplateResource: Encodable, Sendable {
    var kind: String
    var locale: String
    var custom: Bool
    var updatedAt: Date?
    var subject: String
    var text: String
    var html: String
    var sms: String
    var variables: [String]
    enum CodingKeys: String, CodingKey {
        case kind, locale, custom, subject, text, html, sms, variables
        case updatedAt = "updated_at"
    }
    init(_ kind: MessageKind, _ locale: MemberLocale, template: MessageTemplate, stored: StoredTemplate?) {
        self.kind = kind.rawValue
        self.locale = locale.rawValue
        custom = stored != nil
        updatedAt = stored?.updatedAt
        subject = template.subject
        text = template.text
        html = template.html
        sms = template.sms
        variables = kind.allVariables.sorted()
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(locale, forKey: .locale)
        try c.encode(custom, forKey: .custom)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(subject, forKey: .subject)
        try c.encode(text, forKey: .text)
        try c.encode(html, forKey: .html)
        try c.encode(sms, forKey: .sms)
        try c.encode(variables, forKey: .variables)
    }
}

/// What a template gives, rendered.
struct RenderedResource: Encodable, Sendable {
    var kind: String
    var locale: String
    var subject: String
    var text: String
    var html: String
    var sms: String
}

/// A template as a request sends it: every part but `sms` required.
struct TemplateBody: Decodable {
    var template: MessageTemplate
    enum CodingKeys: String, CodingKey, CaseIterable { case subject, text, html, sms }
    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        template = MessageTemplate(subject: try c.decode(String.self, forKey: .subject), text: try c.decode(String.self, forKey: .text),
                                   html: try c.decode(String.self, forKey: .html), sms: try c.decodeIfPresent(String.self, forKey: .sms) ?? "")
    }
}

/// A preview request: a draft (else the template in force) and a member (else a made-up one).
struct PreviewBody: Decodable {
    var draft: MessageTemplate?
    var member: UUID?
    enum CodingKeys: String, CodingKey, CaseIterable { case template, memberID = "member_id" }
    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, nullable: [.template, .memberID])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        draft = try c.decodeIfPresent(TemplateBody.self, forKey: .template)?.template
        member = try c.decodeIfPresent(UUID.self, forKey: .memberID)
    }
}

struct AudienceBody: Decodable {
    var audience: MessageAudience
    enum CodingKeys: String, CodingKey, CaseIterable { case audience }
    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let text = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .audience)
        guard let audience = MessageAudience(rawValue: text) else {
            throw Problem(.unprocessableContent, code: "invalid_audience", detail: "audience is everyone, consented or off", field: "audience")
        }
        self.audience = audience
    }
}
