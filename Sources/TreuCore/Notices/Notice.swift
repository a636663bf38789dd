import Foundation

/// What a notice tells the shop's systems (a webhook's `type`) and, later, a member (a message's kind).
/// The raw values are the public names; a new kind is added, none is renamed.
public enum NoticeType: String, CaseIterable, Codable, Sendable, Comparable {
    case memberEnrolled = "member.enrolled"
    case memberUpdated = "member.updated"
    case pointsEarned = "points.earned"
    case pointsReversed = "points.reversed"
    case pointsAdjusted = "points.adjusted"
    case pointsTransferred = "points.transferred"
    case pointsExpiring = "points.expiring"
    case pointsExpired = "points.expired"
    case tierChanged = "tier.changed"
    case rewardRedeemed = "reward.redeemed"
    case couponIssued = "coupon.issued"
    case couponUsed = "coupon.used"
    case couponExpiring = "coupon.expiring"
    case referralRewarded = "referral.rewarded"
    case messageFailed = "message.failed"
    /// A test delivery to one endpoint, asked for by an admin.
    case webhookPing = "webhook.ping"

    public static func < (a: NoticeType, b: NoticeType) -> Bool { a.rawValue < b.rawValue }

    /// The types an endpoint can subscribe to (a ping goes to the endpoint that asks for it).
    public static var subscribable: [NoticeType] { allCases.filter { $0 != .webhookPing } }
}

/// Something that happened, to be told to whoever wants it: written in the same transaction as
/// its cause (the outbox), delivered later, at least once, always under the same id.
public struct Notice: Sendable, Equatable {
    /// The delivery id receivers drop duplicates by (`webhook-id`).
    public var id: UUID
    public var type: NoticeType
    public var occurredAt: Date
    /// The member it concerns; storage fills it in for the notices of a member's ledger.
    public var member: UUID?
    /// The payload's fields besides `member_id`, as one JSON object.
    public var data: String
    /// A kind of message the shop sends is caused by it: it waits for the message service to decide.
    public var awaitsMessage: Bool

    public init(id: UUID, type: NoticeType, occurredAt: Date, member: UUID? = nil, data: String, awaitsMessage: Bool = false) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.member = member
        self.data = data
        self.awaitsMessage = awaitsMessage
    }

    /// A notice whose data is `fields` encoded as JSON (keys sorted, so the same fields give the same bytes).
    public init(id: UUID, type: NoticeType, occurredAt: Date, member: UUID? = nil, fields: some Encodable, awaitsMessage: Bool = false) {
        self.init(id: id, type: type, occurredAt: occurredAt, member: member, data: Self.encode(fields), awaitsMessage: awaitsMessage)
    }

    /// A notice of `type` as `interest` wants it: waiting for messages if a kind sent wants it.
    public init(id: UUID, type: NoticeType, occurredAt: Date, member: UUID? = nil, fields: some Encodable, interest: NoticeInterest) {
        self.init(id: id, type: type, occurredAt: occurredAt, member: member, fields: fields,
                  awaitsMessage: interest.messageTypes.contains(type))
    }

    /// The body a receiver gets: the Standard Webhooks envelope `{type, timestamp, data}` with the
    /// member's id first in `data`, and the payload's version. The same notice gives the same bytes.
    public var body: String {
        var inner = data
        if let member {
            let rest = data.dropFirst().drop(while: \.isWhitespace)
            inner = "{\"member_id\":\"\(member.uuidString.lowercased())\"" + (rest.first == "}" ? "}" : "," + rest)
        }
        return "{\"type\":\"\(type.rawValue)\",\"version\":\(Self.payloadVersion),\"timestamp\":\"\(Timestamp.format(occurredAt))\",\"data\":\(inner)}"
    }

    /// The version of the payloads' shapes: raised when a field changes meaning or goes away
    /// (new fields may appear in any version).
    public static let payloadVersion = 1

    static func encode(_ fields: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        // Plain structs of strings and numbers: encoding cannot fail.
        return (try? String(decoding: encoder.encode(fields), as: UTF8.self)) ?? "{}"
    }
}

/// The notice types someone wants now (the enabled endpoints' subscriptions and the kinds of
/// message the shop sends): a change makes only these, so an outbox nobody reads costs nothing.
public struct NoticeInterest: Sendable, Equatable {
    /// Every type wanted, by endpoints or messages.
    public var types: Set<NoticeType>
    /// The types a kind of message the shop sends is caused by.
    public var messageTypes: Set<NoticeType>
    public init(_ types: Set<NoticeType> = [], messages: Set<NoticeType> = []) {
        self.types = types.union(messages)
        self.messageTypes = messages
    }
    public static let none = NoticeInterest()
    public func wants(_ type: NoticeType) -> Bool { types.contains(type) }
    public var isEmpty: Bool { types.isEmpty }
}
