import Foundation

// The fields of the notices that are not about points (those are `PointsNoticeFields`). Each is
// documented in the OpenAPI document's `webhooks`; fields are added, never renamed.

public struct MemberNoticeFields: Encodable, Sendable, Equatable {
    public struct IdentityField: Encodable, Sendable, Equatable {
        public var kind: String
        public var value: String
    }
    public var name: String?
    public var locale: String
    public var status: String
    public var identities: [IdentityField]
    public var consentMarketingEmail: Bool
    public var consentMarketingSMS: Bool
    /// For member.updated: which parts changed (name, locale, birthday, attributes, consents, status).
    public var changed: [String]?

    enum CodingKeys: String, CodingKey {
        case name, locale, status, identities, changed
        case consentMarketingEmail = "consent_marketing_email", consentMarketingSMS = "consent_marketing_sms"
    }

    public init(_ member: Member, changedFrom old: Member? = nil) {
        name = member.name
        locale = member.locale.rawValue
        status = member.status.rawValue
        identities = member.identities.map { IdentityField(kind: $0.kind.rawValue, value: $0.value) }
        consentMarketingEmail = member.consents.marketingEmail
        consentMarketingSMS = member.consents.marketingSMS
        guard let old else { return }
        var parts: [String] = []
        if old.name != member.name { parts.append("name") }
        if old.locale != member.locale { parts.append("locale") }
        if old.birthday != member.birthday { parts.append("birthday") }
        if old.attributes != member.attributes { parts.append("attributes") }
        if old.consents != member.consents { parts.append("consents") }
        if old.status != member.status { parts.append("status") }
        if old.identities != member.identities { parts.append("identities") }
        changed = parts
    }
}

public struct TierNoticeFields: Encodable, Sendable, Equatable {
    public var from: String?
    public var to: String?
    /// "up" or "down".
    public var direction: String
    public var event: String?

    public init(_ change: TierChange, event: String?) {
        from = change.from
        to = change.to
        direction = change.isUpgrade ? "up" : "down"
        self.event = event
    }
}

public struct CouponNoticeFields: Encodable, Sendable, Equatable {
    public var code: String
    public var rewardID: String
    public var points: Int
    public var status: String
    public var issuedAt: Date
    public var expiresAt: Date
    public var usedAt: Date?
    public var order: String?
    /// The order whose earning issued it (a next-order coupon).
    public var earnedBy: String?
    /// For coupon.expiring: the program's calendar days from today to the day it expires.
    public var daysAhead: Int?

    enum CodingKeys: String, CodingKey {
        case code, points, status, order
        case rewardID = "reward_id", issuedAt = "issued_at", expiresAt = "expires_at", usedAt = "used_at", earnedBy = "earned_by"
        case daysAhead = "days_ahead"
    }

    public init(_ coupon: Coupon, daysAhead: Int? = nil) {
        self.daysAhead = daysAhead
        code = coupon.code
        rewardID = coupon.rewardID
        points = coupon.points
        status = coupon.status.rawValue
        issuedAt = coupon.issuedAt
        expiresAt = coupon.expiresAt
        usedAt = coupon.usedAt
        order = coupon.order
        earnedBy = coupon.earnedBy
    }
}

public struct RedemptionNoticeFields: Encodable, Sendable, Equatable {
    public var rewardID: String
    public var kind: String
    public var title: [String: String]
    public var points: Int
    public var coupon: String
    public var balance: PointsNoticeFields.Points

    enum CodingKeys: String, CodingKey {
        case kind, title, points, coupon, balance
        case rewardID = "reward_id"
    }

    public init(_ coupon: Coupon, reward: Reward, balance: Balance) {
        rewardID = reward.id
        kind = reward.kind.name
        title = reward.title
        points = coupon.points
        self.coupon = coupon.code
        self.balance = .init(available: balance.available, pending: balance.pending)
    }
}

extension Program {
    /// The change of recorded tier between two values of a member's `recordedTierKey` counter
    /// (as `recordTier` and `recordDowngrade` leave it), or nil if the recorded tier is the same.
    public func recordedTierChange(from before: Int?, to after: Int?) -> TierChange? {
        guard let tiers else { return nil }
        let old = before ?? tiers.enrolmentRank, new = after ?? tiers.enrolmentRank
        guard old != new else { return nil }
        return TierChange(from: tiers.name(rank: old), to: tiers.name(rank: new), isUpgrade: new > old)
    }
}
