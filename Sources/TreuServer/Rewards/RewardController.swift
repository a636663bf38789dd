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
            let limit = try QueryNumber.read(parameters["limit"], name: "limit", default: 50, range: 1...200)
            let after = parameters["cursor"].map(String.init)
            let page = try await rewards.gifts(done: done, after: after, limit: limit + 1)
            let items = Array(page.prefix(limit))
            return try .json(PageResource(items: items.map { CouponResource($0) }, nextCursor: page.count > limit ? items.last?.code : nil))
        }
        endpoints.register(v1, .get, "members/:id/early-access", .readPoints) { _, context, _ in
            let id = try context.memberID()
            try await rewards.requireMember(id)
            let coupons = try await rewards.earlyAccess(of: id)
            return try .json(EarlyAccessResource(coupons: coupons))
        }
        endpoints.register(v1, .post, "members/:id/redemptions", .spendPoints) { _, context, body in
            let request = try RequestBody.decode(RedemptionBody.self, from: body)
            let coupon = try await rewards.redeem(request.rewardID, for: try context.memberID())
            return try .json(CouponResource(coupon, usableFrom: try await rewards.usableFrom([coupon])[coupon.code]), status: .created)
        }
        endpoints.register(v1, .get, "members/:id/coupons", .readPoints) { _, context, _ in
            let id = try context.memberID()
            // An unknown member is a 404, as on every route of a member (it was an empty list here).
            let coupons = try await rewards.coupons(of: id)
            let usable = try await rewards.usableFrom(coupons)
            return try .json(PageResource(items: coupons.map { CouponResource($0, usableFrom: usable[$0.code]) }, nextCursor: nil))
        }
        endpoints.register(v1, .post, "members/:id/coupons/:code/cancel", .spendPoints) { _, context, _ in
            let coupon = try await rewards.cancel(try context.parameters.require("code"), of: try context.memberID()).get()
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
