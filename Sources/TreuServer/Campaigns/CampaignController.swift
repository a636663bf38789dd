import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// /v1/coupon-campaigns: codes for everyone, generated or imported, exported as CSV (admins).
struct CampaignController: Sendable {
    let campaigns: CampaignService

    struct CreateBody: Decodable {
        var name: String
        var reward: RewardBody
        var count: Int
        var pattern: String?
        var expiresAt: Date?
        var budget: BudgetBody?
        enum CodingKeys: String, CodingKey, CaseIterable { case name, reward, count, pattern, expiresAt = "expires_at", budget }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            reward = try c.decode(RewardBody.self, forKey: .reward)
            count = try c.decode(Int.self, forKey: .count)
            pattern = try c.decodeIfPresent(String.self, forKey: .pattern)
            if let text = try c.decodeIfPresent(String.self, forKey: .expiresAt) {
                guard let date = Timestamp.parse(text) else {
                    throw ValidationError(code: "invalid_time", field: "expires_at", message: "'\(text)' is not a time like 2026-12-31T23:00:00Z")
                }
                expiresAt = date
            }
            budget = try c.decodeIfPresent(BudgetBody.self, forKey: .budget)
        }
    }

    struct RewardBody: Decodable {
        var type: String
        var percent: Int?
        var amount: Int?
        var sku: String?
        var minimumOrder: Int?
        var appliesTo: ScopeBody?
        var maxDiscount: Int?
        /// Units free (nil: one); "all" is every unit the cart holds.
        var quantity: Int?
        var allUnits = false
        var exclusive: Bool?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case type, percent, amount, sku, quantity, exclusive, minimumOrder = "minimum_order", appliesTo = "applies_to", maxDiscount = "max_discount"
        }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(String.self, forKey: .type)
            percent = try c.decodeIfPresent(Int.self, forKey: .percent)
            amount = try c.decodeIfPresent(Int.self, forKey: .amount)
            sku = try c.decodeIfPresent(String.self, forKey: .sku)
            minimumOrder = try c.decodeIfPresent(Int.self, forKey: .minimumOrder)
            appliesTo = try c.decodeIfPresent(ScopeBody.self, forKey: .appliesTo)
            maxDiscount = try c.decodeIfPresent(Int.self, forKey: .maxDiscount)
            exclusive = try c.decodeIfPresent(Bool.self, forKey: .exclusive)
            if (try? c.decodeIfPresent(String.self, forKey: .quantity)) == "all" {
                allUnits = true
            } else {
                quantity = try c.decodeIfPresent(Int.self, forKey: .quantity)
            }
        }
        func reward(campaign: String) throws -> Reward {
            let kind: Reward.Kind
            switch type {
            case "percent_discount": kind = .percentDiscount(percent: percent ?? 0)
            case "fixed_discount": kind = .fixedDiscount(amount: amount ?? 0)
            case "free_shipping": kind = .freeShipping
            case "free_product": kind = .freeProduct(sku: sku ?? "")
            case "cheapest_free": kind = .cheapestFree
            default:
                throw ValidationError(code: "invalid_reward", field: "reward.type",
                                      message: "a campaign's reward is percent_discount, fixed_discount, free_shipping, free_product or cheapest_free")
            }
            return Reward(id: campaign, kind: kind, cost: 0, title: [:], minimumOrder: minimumOrder ?? 0,
                          appliesTo: ProductScope(skus: Set(appliesTo?.skus ?? []), categories: Set(appliesTo?.categories ?? [])),
                          maxDiscount: maxDiscount, freeQuantity: allUnits ? nil : quantity ?? 1, exclusive: exclusive ?? false)
        }
    }

    /// `{"skus": […], "categories": […]}`.
    struct ScopeBody: Decodable {
        var skus: [String]?
        var categories: [String]?
        enum CodingKeys: String, CodingKey, CaseIterable { case skus, categories }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            skus = try c.decodeIfPresent([String].self, forKey: .skus)
            categories = try c.decodeIfPresent([String].self, forKey: .categories)
        }
    }

    struct BudgetBody: Decodable {
        var uses: Int?
        var money: Int?
        enum CodingKeys: String, CodingKey, CaseIterable { case uses, money }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            uses = try c.decodeIfPresent(Int.self, forKey: .uses)
            money = try c.decodeIfPresent(Int.self, forKey: .money)
        }
    }

    struct ImportBody: Decodable {
        var codes: [String]
        enum CodingKeys: String, CodingKey, CaseIterable { case codes }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            codes = try decoder.container(keyedBy: CodingKeys.self).decode([String].self, forKey: .codes)
        }
    }

    static let codesPerRequest = 100_000

    static func campaignID(_ context: TreuContext) throws -> UUID {
        guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.campaignNotFound }
        return id
    }

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .post, "coupon-campaigns", .manageProgram) { _, _, body in
            let request = try RequestBody.decode(CreateBody.self, from: body)
            // A request makes at most 100,000 codes (seconds of the writer's time); more come in
            // further campaigns, or as a partner's codes imported in parts.
            guard (0...Self.codesPerRequest).contains(request.count) else {
                throw ValidationError(code: "invalid_count", field: "count", message: "a campaign made over the API has 0 to \(Self.codesPerRequest.grouped) codes")
            }
            let campaign = try await campaigns.create(name: request.name, reward: try request.reward.reward(campaign: "campaign"),
                                                      count: request.count, pattern: request.pattern ?? CouponCampaign.defaultPattern,
                                                      expiresAt: request.expiresAt,
                                                      budget: .init(uses: request.budget?.uses, money: request.budget?.money))
            return try .json(CampaignResource(campaign: campaign, codes: request.count), status: .created)
        }
        endpoints.register(v1, .get, "coupon-campaigns/:id", .manageProgram) { _, context, _ in
            let campaign = try await campaigns.campaign(id: try Self.campaignID(context))
            return try .json(CampaignResource(campaign: campaign, codes: nil))
        }
        endpoints.register(v1, .get, "coupon-campaigns/:id/codes", .manageProgram) { _, context, _ in
            let csv = try await campaigns.export(try Self.campaignID(context))
            return APIResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: Data(csv.utf8))
        }
        endpoints.register(v1, .post, "coupon-campaigns/:id/codes", .manageProgram) { _, context, body in
            let request = try RequestBody.decode(ImportBody.self, from: body)
            guard (1...10_000).contains(request.codes.count) else {
                throw Problem(.unprocessableContent, code: "invalid_count", detail: "import 1 to 10,000 codes a request", field: "codes")
            }
            let (added, skipped) = try await campaigns.importCodes(request.codes, to: try Self.campaignID(context))
            return try .json(["added": added, "skipped": skipped], status: .created)
        }
    }
}
