import Foundation
import TreuCore

/// A message decided on: to be sent (rendered), or recorded as skipped or failed with why.
public struct NewMessage: Sendable, Equatable {
    public var id: UUID
    /// The notice that caused it; a member's message per notice and channel is made once.
    public var noticeSeq: Int64?
    public var member: UUID
    public var kind: MessageKind
    public var channel: MessageChannel
    public var recipient: String?
    public var locale: MemberLocale
    public var marketing: Bool
    public var subject: String?
    public var text: String?
    public var html: String?
    public var status: MessageStatus
    /// Why it is skipped or failed: a stable code (`no_consent`, `no_address`, `smtp_not_configured`, …).
    public var reason: String?
    /// The secret in its unsubscribe link (marketing messages).
    public var unsubscribeToken: String?
    public var createdAt: Date

    public init(id: UUID, noticeSeq: Int64?, member: UUID, kind: MessageKind, channel: MessageChannel, recipient: String?,
                locale: MemberLocale, marketing: Bool, subject: String? = nil, text: String? = nil, html: String? = nil,
                status: MessageStatus, reason: String? = nil, unsubscribeToken: String? = nil, createdAt: Date) {
        self.id = id
        self.noticeSeq = noticeSeq
        self.member = member
        self.kind = kind
        self.channel = channel
        self.recipient = recipient
        self.locale = locale
        self.marketing = marketing
        self.subject = subject
        self.text = text
        self.html = html
        self.status = status
        self.reason = reason
        self.unsubscribeToken = unsubscribeToken
        self.createdAt = createdAt
    }
}

/// A message as listed on a member's record and in the outbox.
public struct MessageRecord: Sendable, Equatable {
    /// The order messages were made in (a list's cursor).
    public var seq: Int64
    public var id: UUID
    public var member: UUID
    public var kind: MessageKind
    public var channel: MessageChannel
    public var recipient: String?
    public var locale: MemberLocale
    public var marketing: Bool
    public var subject: String?
    public var status: MessageStatus
    public var reason: String?
    public var attempts: Int
    public var nextAt: Date?
    public var createdAt: Date
    public var sentAt: Date?
    public var lastError: String?
}

/// A message claimed for sending.
public struct DueMessage: Sendable, Equatable {
    public var id: UUID
    /// This attempt's number, from 1.
    public var attempt: Int
    /// The attempts before the last replay (attempt − this counts towards the limit).
    public var replayedAfter: Int
    public var member: UUID
    public var kind: MessageKind
    public var recipient: String
    public var subject: String
    public var text: String
    public var html: String
    public var marketing: Bool
    public var unsubscribeToken: String?
    public var createdAt: Date
}

/// What follows an attempt to send.
public enum MessageOutcome: Sendable, Equatable {
    case sent
    case retry(at: Date, error: String)
    case failed(reason: String, error: String)
}

/// A notice waiting for the message service to decide what it says to its member.
public struct WaitingNotice: Sendable, Equatable {
    public var seq: Int64
    public var notice: Notice
    /// The member it concerns, as they are now (read with it).
    public var member: Member?
}

/// A shop's own text for one kind in one language (the standard text stands where there is none).
public struct StoredTemplate: Sendable, Equatable {
    public var kind: MessageKind
    public var locale: MemberLocale
    public var template: MessageTemplate
    public var updatedAt: Date

    public init(kind: MessageKind, locale: MemberLocale, template: MessageTemplate, updatedAt: Date) {
        self.kind = kind
        self.locale = locale
        self.template = template
        self.updatedAt = updatedAt
    }
}

/// Messages to members: the shop's settings and templates, the messages decided on from the
/// outbox's notices (once per notice and channel), and their sending, claimed like deliveries.
public protocol MessageStore: Sendable {
    /// The audiences the shop chose (a kind not here has its default).
    func messageAudiences() async throws -> [MessageKind: MessageAudience]
    func setMessageAudience(_ audience: MessageAudience, for kind: MessageKind, at now: Date) async throws
    /// The shop's own templates.
    func messageTemplates() async throws -> [StoredTemplate]
    func saveMessageTemplate(_ template: StoredTemplate) async throws
    /// - Returns: false if the shop had none for the kind and language.
    func removeMessageTemplate(kind: MessageKind, locale: MemberLocale) async throws -> Bool
    /// Notices that cause messages and have not been decided on, oldest first, each with its member.
    func noticesForMessages(limit: Int) async throws -> [WaitingNotice]
    /// Writes the messages decided on and marks the notices decided, in one transaction. A
    /// message for a notice and channel that already has one is not written again.
    func addMessages(_ messages: [NewMessage], deciding notices: [Int64]) async throws
    /// Takes up to `limit` pending messages due at `now`, oldest first; each counts an attempt
    /// and is due again only at `now + lease`. Rows another server is claiming are skipped.
    func claimMessages(at now: Date, lease: TimeInterval, limit: Int) async throws -> [DueMessage]
    /// Records what attempts did, with the notices they cause (message.failed), in one transaction.
    /// An attempt whose message was claimed again since changes nothing.
    func finishMessages(_ results: [(id: UUID, attempt: Int, outcome: MessageOutcome)], at now: Date, notices: [Notice]) async throws
    /// Newest first, before `before` (a seq), for one member or all, by status.
    func messages(member: UUID?, status: MessageStatus?, before: Int64?, limit: Int) async throws -> [MessageRecord]
    func message(id: UUID) async throws -> MessageRecord?
    func message(unsubscribeToken: String) async throws -> MessageRecord?
    /// Makes a failed message pending again, due at `now`. - Returns: false if there is no such message.
    func replayMessage(id: UUID, at now: Date) async throws -> Bool
}
