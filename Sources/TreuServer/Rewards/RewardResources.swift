import Foundation
import Hummingbird
import TreuCore
import TreuStore

struct RewardResource: Encodable, Sendable {
    var reward: Reward
    enum CodingKeys: String, CodingKey {
        case id, cost, title, description, stock, limit, tiers
        case validFrom = "valid_from", validUntil = "valid_until", couponDays = "coupon_days"
        case cancelDays = "cancel_days", onVoid = "on_void", onReturn = "on_return", usableAfterDays = "usable_after_days"
    }
    func encode(to encoder: any Encoder) throws {
        // What its code takes off, as a campaign's reward says it; then the catalog's own terms.
        try DiscountResource(reward: reward).encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reward.id, forKey: .id)
        try c.encode(reward.cost, forKey: .cost)
        try c.encode(reward.usableAfterDays, forKey: .usableAfterDays)
        try c.encode(reward.onReturn.rawValue, forKey: .onReturn)
        try c.encode(reward.title, forKey: .title)
        try c.encode(reward.description, forKey: .description)
        try c.encode(reward.validFrom, forKey: .validFrom)
        try c.encode(reward.validUntil, forKey: .validUntil)
        try c.encode(reward.stock, forKey: .stock)
        try c.encode(reward.limit.map(LimitResource.init), forKey: .limit)
        try c.encode(reward.tiers.sorted(), forKey: .tiers)
        try c.encode(reward.couponDays, forKey: .couponDays)
        try c.encode(reward.cancelDays, forKey: .cancelDays)
        try c.encode(reward.onVoid.rawValue, forKey: .onVoid)
    }
}

/// The products a discount applies to: `{"skus": […], "categories": […]}`.
struct ScopeResource: Encodable, Sendable {
    var skus: [String]
    var categories: [String]
    init(_ scope: ProductScope) { (skus, categories) = (scope.skus.sorted(), scope.categories.sorted()) }
}

/// One line's part of a discount.
struct LineDiscountResource: Encodable, Sendable {
    var line: LineDiscount
    enum CodingKeys: String, CodingKey { case index, sku, discount }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(line.index, forKey: .index)
        try c.encode(line.sku, forKey: .sku)
        try c.encode(line.discount, forKey: .discount)
    }
}

struct RewardCatalogResource: Encodable, Sendable {
    var rewards: [RewardResource]
    var programVersion: Int
    enum CodingKeys: String, CodingKey { case rewards, programVersion = "program_version" }
}

struct CouponResource: Encodable, Sendable {
    var coupon: Coupon
    /// When it can first be used, for a reward with a waiting time (`usable_after_days`).
    var usableFrom: Date?
    init(_ coupon: Coupon, usableFrom: Date? = nil) { (self.coupon, self.usableFrom) = (coupon, usableFrom) }
    enum CodingKeys: String, CodingKey {
        case code, points, status, usableFrom = "usable_from"
        case rewardID = "reward_id", memberID = "member_id", issuedAt = "issued_at", expiresAt = "expires_at", usedAt = "used_at"
        case orderReference = "order_reference", earnedBy = "earned_by"
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(coupon.earnedBy, forKey: .earnedBy)
        try c.encode(coupon.code, forKey: .code)
        try c.encode(coupon.rewardID, forKey: .rewardID)
        try c.encode(coupon.member.uuidString.lowercased(), forKey: .memberID)
        try c.encode(coupon.points, forKey: .points)
        try c.encode(coupon.status.rawValue, forKey: .status)
        try c.encode(coupon.issuedAt, forKey: .issuedAt)
        try c.encode(coupon.expiresAt, forKey: .expiresAt)
        try c.encode(coupon.usedAt, forKey: .usedAt)
        try c.encode(coupon.order, forKey: .orderReference)
        try c.encodeIfPresent(usableFrom, forKey: .usableFrom)
    }
}

/// A reward's per-member limit: `{"count": 1, "per": "month"}`.
struct LimitResource: Encodable, Sendable {
    var count: Int
    var per: String
    init(_ limit: ActionLimit) { (count, per) = (limit.count, limit.per.rawValue) }
}

/// Whether the member has early access now, until when, and by which coupons.
struct EarlyAccessResource: Encodable, Sendable {
    var coupons: [Coupon]
    enum CodingKeys: String, CodingKey { case earlyAccess = "early_access", until, coupons }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(!coupons.isEmpty, forKey: .earlyAccess)
        try c.encode(coupons.map(\.expiresAt).max(), forKey: .until)
        try c.encode(coupons.map { CouponResource($0) }, forKey: .coupons)
    }
}

/// The program's causes with their running totals.
struct CausesResource: Encodable, Sendable {
    var causes: [CauseResource]
    /// Causes members named in their own donations (`POST /v1/members/{id}/donations`).
    var namedCauses: [NamedCauseResource]
    enum CodingKeys: String, CodingKey { case causes, namedCauses = "named_causes" }
}

/// A cause a member named, and what members gave it.
struct NamedCauseResource: Encodable, Sendable {
    var cause: String
    var total: RewardTotal
    enum CodingKeys: String, CodingKey { case cause, points, donations, members }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cause, forKey: .cause)
        try c.encode(total.points, forKey: .points)
        try c.encode(total.coupons, forKey: .donations)
        try c.encode(total.members, forKey: .members)
    }
}

/// A donation reward of the catalog, and what members gave it so far.
struct CauseResource: Encodable, Sendable {
    var reward: Reward
    var total: RewardTotal
    enum CodingKeys: String, CodingKey { case rewardID = "reward_id", title, description, cost, points, donations, members }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reward.id, forKey: .rewardID)
        try c.encode(reward.title, forKey: .title)
        try c.encode(reward.description, forKey: .description)
        try c.encode(reward.cost, forKey: .cost)
        try c.encode(total.points, forKey: .points)
        try c.encode(total.coupons, forKey: .donations)
        try c.encode(total.members, forKey: .members)
    }
}

/// A coupon against a cart: valid with what it takes off, or why not.
struct CouponCheckResource: Encodable, Sendable {
    var valid: Bool
    var reason: CouponRefusal?
    var code: CheckoutCode?
    var rewardType: String?
    var benefit: CouponBenefit?
    enum CodingKeys: String, CodingKey {
        case valid, reason, explanation, coupon, discount
        case rewardType = "reward_type", freeShipping = "free_shipping", freeSKU = "free_sku", lines
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(valid, forKey: .valid)
        try c.encode(reason?.rawValue, forKey: .reason)
        try c.encode(reason?.explanation, forKey: .explanation)
        try c.encode(code.map(CheckoutCodeResource.init), forKey: .coupon)
        try c.encode(rewardType, forKey: .rewardType)
        try c.encode(benefit?.discount ?? 0, forKey: .discount)
        try c.encode(benefit?.freeShipping ?? false, forKey: .freeShipping)
        try c.encode(benefit?.freeSKU, forKey: .freeSKU)
        try c.encode((benefit?.lines ?? []).map(LineDiscountResource.init), forKey: .lines)
    }
}

/// A member's coupon or a campaign's code, as checkout sees it.
struct CheckoutCodeResource: Encodable, Sendable {
    var code: CheckoutCode
    init(_ code: CheckoutCode) { self.code = code }
    enum CodingKeys: String, CodingKey {
        case code, status, discount
        case campaignID = "campaign_id", usedAt = "used_at", orderReference = "order_reference"
    }
    func encode(to encoder: any Encoder) throws {
        switch code {
        case .member(let coupon):
            try CouponResource(coupon).encode(to: encoder)
        case .campaign(let stored):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(stored.code, forKey: .code)
            try c.encode(stored.campaign.uuidString.lowercased(), forKey: .campaignID)
            try c.encode(stored.status.rawValue, forKey: .status)
            try c.encode(stored.usedAt, forKey: .usedAt)
            try c.encode(stored.order, forKey: .orderReference)
            try c.encode(stored.discount, forKey: .discount)
        }
    }
}
