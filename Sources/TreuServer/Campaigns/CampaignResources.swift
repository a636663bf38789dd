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
        try c.encode(CampaignRewardResource(reward: campaign.reward), forKey: .reward)
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

/// What a campaign's code takes off.
struct CampaignRewardResource: Encodable, Sendable {
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
        switch reward.kind {
        case .freeProduct, .cheapestFree:
            if let quantity = reward.freeQuantity { try c.encode(quantity, forKey: .quantity) } else { try c.encode("all", forKey: .quantity) }
        default: break
        }
        if !reward.appliesTo.isEverything { try c.encode(ScopeResource(reward.appliesTo), forKey: .appliesTo) }
        try c.encodeIfPresent(reward.maxDiscount, forKey: .maxDiscount)
        try c.encode(reward.minimumOrder, forKey: .minimumOrder)
        try c.encode(reward.exclusive, forKey: .exclusive)
    }
}
