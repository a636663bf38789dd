import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// GET /v1/rewards, POST /v1/members/{id}/redemptions, GET /v1/members/{id}/coupons, and at
/// checkout POST /v1/coupons/{code}/validate, /redeem and /void.
struct RewardController: Sendable {
    let rewards: RewardService
    let currency: @Sendable () async throws -> String

    struct RedemptionBody: Decodable {
        var rewardID: String
        enum CodingKeys: String, CodingKey, CaseIterable { case rewardID = "reward_id" }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            rewardID = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .rewardID)
        }
    }

    /// A cart, an order reference and the member presenting the coupon, as checkout sends them.
    struct CheckoutBody: Decodable {
        var currency: String?
        var lines: [EventBody.LineBody]?
        var shipping: Int?
        var memberID: UUID?
        var orderReference: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case currency, lines, shipping, memberID = "member_id", orderReference = "order_reference"
        }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            currency = try c.decodeIfPresent(String.self, forKey: .currency)
            lines = try c.decodeIfPresent([EventBody.LineBody].self, forKey: .lines)
            shipping = try c.decodeIfPresent(Int.self, forKey: .shipping)
            memberID = try c.decodeIfPresent(UUID.self, forKey: .memberID)
            orderReference = try c.decodeIfPresent(String.self, forKey: .orderReference)
        }

        /// The cart, if lines were sent.
        func cart(defaultCurrency: String) throws -> Cart? {
            guard let lines else { return nil }
            var orderLines: [OrderLine] = []
            for (index, line) in lines.enumerated() {
                let orderLine = try line.orderLine(at: index)
                if let problem = orderLine.problem(at: index) { throw problem }
                orderLines.append(orderLine)
            }
            let cart = Cart(currency: currency ?? defaultCurrency, lines: orderLines, shipping: shipping ?? 0)
            // The cart is checked as an order would be: the same bounds on lines, shipping and the whole.
            let asOrder = Order(reference: "cart", at: Date(), currency: "EUR", lines: orderLines, shipping: cart.shipping)
            if let problem = asOrder.problems().first(where: { $0.code != "no_lines" }) { throw problem }
            return cart
        }

        func requireOrder() throws -> String {
            guard let orderReference, !orderReference.isEmpty, orderReference.count <= 128 else {
                throw Problem(.unprocessableContent, code: "missing_field", detail: "give the order_reference the coupon is used on", field: "order_reference")
            }
            return orderReference
        }
    }

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .get, "rewards", .readProgram) { _, _, _ in
            let (catalog, version) = try await rewards.catalog()
            return try .json(RewardCatalogResource(rewards: catalog.map(RewardResource.init), programVersion: version))
        }
        endpoints.register(v1, .get, "causes", .readProgram) { _, _, _ in
            let causes = try await rewards.causes()
            let named = try await rewards.namedCauses()
            return try .json(CausesResource(causes: causes.map { CauseResource(reward: $0.reward, total: $0.total) },
                                            namedCauses: named.map { NamedCauseResource(cause: $0.cause, total: $0.total) }))
        }
        endpoints.register(v1, .get, "gifts", .readPoints) { request, _, _ in
            let parameters = request.uri.queryParameters
            let done: Bool
            switch parameters["status"].map(String.init) ?? "open" {
            case "open": done = false
            case "done": done = true
            default: throw Problem(.badRequest, code: "invalid_parameter", detail: "status is open or done", field: "status")
            }
            let limit = try PointsController.number(parameters["limit"], name: "limit", default: 50, range: 1...200)
            let after = parameters["cursor"].map(String.init)
            let page = try await rewards.gifts(done: done, after: after, limit: limit + 1)
            let items = Array(page.prefix(limit))
            return try .json(PageResource(items: items.map { CouponResource($0) }, nextCursor: page.count > limit ? items.last?.code : nil))
        }
        endpoints.register(v1, .get, "members/:id/early-access", .readPoints) { _, context, _ in
            let id = try MemberController.memberID(context)
            guard try await rewards.store.member(id: id) != nil else { throw Problem.memberNotFound }
            let coupons = try await rewards.earlyAccess(of: id)
            return try .json(EarlyAccessResource(coupons: coupons))
        }
        endpoints.register(v1, .post, "members/:id/redemptions", .spendPoints) { _, context, body in
            let request = try RequestBody.decode(RedemptionBody.self, from: body)
            let coupon = try await rewards.redeem(request.rewardID, for: try MemberController.memberID(context))
            return try .json(CouponResource(coupon, usableFrom: try await rewards.usableFrom([coupon])[coupon.code]), status: .created)
        }
        endpoints.register(v1, .get, "members/:id/coupons", .readPoints) { _, context, _ in
            let id = try MemberController.memberID(context)
            // An unknown member is a 404, as on every route of a member (it was an empty list here).
            guard try await rewards.store.member(id: id) != nil else { throw Problem.memberNotFound }
            let coupons = try await rewards.store.coupons(of: id)
            let usable = try await rewards.usableFrom(coupons)
            return try .json(PageResource(items: coupons.map { CouponResource($0, usableFrom: usable[$0.code]) }, nextCursor: nil))
        }
        endpoints.register(v1, .post, "members/:id/coupons/:code/cancel", .spendPoints) { _, context, _ in
            let coupon = try await rewards.cancel(try context.parameters.require("code"), of: try MemberController.memberID(context)).get()
            return try .json(CouponResource(coupon))
        }
        endpoints.register(v1, .post, "coupons/:code/validate", .readPoints) { _, context, body in
            let request = try RequestBody.decode(CheckoutBody.self, from: body)
            guard let cart = try request.cart(defaultCurrency: try await currency()) else {
                throw Problem(.unprocessableContent, code: "missing_field", detail: "give the cart's lines to validate a coupon", field: "lines")
            }
            switch try await rewards.validate(try context.parameters.require("code"), cart: cart, member: request.memberID,
                                              order: request.orderReference) {
            case .success(let (code, reward, benefit)):
                return try .json(CouponCheckResource(valid: true, reason: nil, code: code, rewardType: reward.kind.name, benefit: benefit))
            case .failure(let refusal):
                return try .json(CouponCheckResource(valid: false, reason: refusal, code: nil, rewardType: nil, benefit: nil))
            }
        }
        endpoints.register(v1, .post, "coupons/:code/redeem", .spendPoints) { _, context, body in
            let request = try RequestBody.decode(CheckoutBody.self, from: body)
            let order = try request.requireOrder()
            let cart = try request.cart(defaultCurrency: try await currency())
            let (code, reward, benefit) = try await rewards.use(try context.parameters.require("code"), order: order, cart: cart,
                                                                member: request.memberID).get()
            return try .json(CouponCheckResource(valid: true, reason: nil, code: code, rewardType: reward.kind.name, benefit: benefit))
        }
        endpoints.register(v1, .post, "coupons/:code/void", .spendPoints) { _, context, body in
            let order = try RequestBody.decode(CheckoutBody.self, from: body).requireOrder()
            return try .json(CheckoutCodeResource(try await rewards.void(try context.parameters.require("code"), order: order).get()))
        }
    }
}

struct RewardResource: Encodable, Sendable {
    var reward: Reward
    enum CodingKeys: String, CodingKey {
        case id, type, cost, percent, amount, sku, title, description, stock, limit, tiers
        case validFrom = "valid_from", validUntil = "valid_until", minimumOrder = "minimum_order", couponDays = "coupon_days"
        case cancelDays = "cancel_days", onVoid = "on_void", onReturn = "on_return", appliesTo = "applies_to"
        case maxDiscount = "max_discount", quantity, usableAfterDays = "usable_after_days", exclusive
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reward.id, forKey: .id)
        try c.encode(reward.kind.name, forKey: .type)
        try c.encode(reward.cost, forKey: .cost)
        switch reward.kind {
        case .percentDiscount(let percent): try c.encode(percent, forKey: .percent)
        case .fixedDiscount(let amount): try c.encode(amount, forKey: .amount)
        case .freeProduct(let sku): try c.encode(sku, forKey: .sku)
        case .freeShipping, .gift, .earlyAccess, .donation, .cheapestFree: break
        }
        if !reward.appliesTo.isEverything { try c.encode(ScopeResource(reward.appliesTo), forKey: .appliesTo) }
        try c.encodeIfPresent(reward.maxDiscount, forKey: .maxDiscount)
        switch reward.kind {
        case .freeProduct, .cheapestFree:
            if let quantity = reward.freeQuantity { try c.encode(quantity, forKey: .quantity) } else { try c.encode("all", forKey: .quantity) }
        default: break
        }
        try c.encode(reward.usableAfterDays, forKey: .usableAfterDays)
        try c.encode(reward.exclusive, forKey: .exclusive)
        try c.encode(reward.onReturn.rawValue, forKey: .onReturn)
        try c.encode(reward.title, forKey: .title)
        try c.encode(reward.description, forKey: .description)
        try c.encode(reward.validFrom, forKey: .validFrom)
        try c.encode(reward.validUntil, forKey: .validUntil)
        try c.encode(reward.stock, forKey: .stock)
        try c.encode(reward.limit.map(LimitResource.init), forKey: .limit)
        try c.encode(reward.tiers.sorted(), forKey: .tiers)
        try c.encode(reward.minimumOrder, forKey: .minimumOrder)
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
            guard let campaign = try await campaigns.store.campaign(id: try Self.campaignID(context)) else { throw Problem.campaignNotFound }
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
