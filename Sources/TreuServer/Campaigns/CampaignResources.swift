import Foundation
import Hummingbird
import TreuCore
import TreuStore

struct CampaignResource: Encodable, Sendable {
    var campaign: CouponCampaign
    /// On creation: how many codes were made.
    var codes: Int?
    enum CodingKeys: String, CodingKey {
        case id, name, reward, pattern, budget, codes
        case expiresAt = "expires_at", usedUses = "used_uses", usedMoney = "used_money", createdAt = "created_at"
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(campaign.id.uuidString.lowercased(), forKey: .id)
        try c.encode(campaign.name, forKey: .name)
        try c.encode(DiscountResource(reward: campaign.reward), forKey: .reward)
        try c.encode(campaign.pattern, forKey: .pattern)
        try c.encode(campaign.expiresAt, forKey: .expiresAt)
        var budget: [String: Int?] = [:]
        budget["uses"] = .some(campaign.budget.uses)
        budget["money"] = .some(campaign.budget.money)
        try c.encode(budget, forKey: .budget)
        try c.encode(campaign.usedUses, forKey: .usedUses)
        try c.encode(campaign.usedMoney, forKey: .usedMoney)
        try c.encode(campaign.createdAt, forKey: .createdAt)
        if let codes { try c.encode(codes, forKey: .codes) }
    }
}

/// What a reward's code takes off: its type and amount, the products it applies to, its cap and
/// units, its minimum order and whether it goes alone. A campaign's reward is this; a catalog
/// reward is this and its cost, texts and terms.
struct DiscountResource: Encodable, Sendable {
    var reward: Reward
    enum CodingKeys: String, CodingKey {
        case type, percent, amount, sku, quantity, minimumOrder = "minimum_order", appliesTo = "applies_to", maxDiscount = "max_discount"
        case exclusive
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reward.kind.name, forKey: .type)
        switch reward.kind {
        case .percentDiscount(let percent): try c.encode(percent, forKey: .percent)
        case .fixedDiscount(let amount): try c.encode(amount, forKey: .amount)
        case .freeProduct(let sku): try c.encode(sku, forKey: .sku)
        case .freeShipping, .gift, .earlyAccess, .donation, .cheapestFree: break
        }
        if reward.kind.takesQuantity {
            if let quantity = reward.freeQuantity { try c.encode(quantity, forKey: .quantity) } else { try c.encode("all", forKey: .quantity) }
        }
        if !reward.appliesTo.isEverything { try c.encode(ScopeResource(reward.appliesTo), forKey: .appliesTo) }
        try c.encodeIfPresent(reward.maxDiscount, forKey: .maxDiscount)
        try c.encode(reward.minimumOrder, forKey: .minimumOrder)
        try c.encode(reward.exclusive, forKey: .exclusive)
    }
}
