import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// The reward shapes shops of other engines rely on, over HTTP on every engine: a discount for
/// some products with a cap, the cheapest item free, a product free for every unit, a coupon
/// usable only some days after it is issued, and each discount split over the cart's lines.
@Suite("Reward shapes over HTTP")
struct RewardShapesAPITests {
    static let start = Timestamp.parse("2026-12-01T10:00:00Z")!

    static let program: String = {
        let extra = #"""
            "rewards": [
              {"id": "socks-20", "type": "percent_discount", "percent": 20, "cost": 100, "applies_to": {"categories": ["socks", "hats"]},
               "max_discount": 400, "usable_after_days": 2, "coupon_days": 30,
               "title": {"en": "20 % off socks and hats", "de": "20 % auf Socken und Mützen", "vi": "Giảm 20 % tất và mũ"}},
              {"id": "alone", "type": "fixed_discount", "amount": 500, "cost": 100, "exclusive": true,
               "title": {"en": "€5 off, on its own", "de": "5 € Rabatt, allein", "vi": "Giảm 5 €, không kết hợp"}},
              {"id": "cheapest", "type": "cheapest_free", "quantity": 2, "cost": 100,
               "title": {"en": "Two cheapest free", "de": "Die zwei günstigsten gratis", "vi": "Hai món rẻ nhất miễn phí"}}],
            """#
        let document = Program.standardDocument.replacingOccurrences(of: #""time_zone": "UTC""#, with: #""time_zone": "Europe/Berlin""#)
            .replacingOccurrences(of: #""name": "Treu standard program","#, with: #""name": "with shapes", \#(extra)"#)
        return #"{"effective_from": "2026-12-01T10:00:00Z", "document": \#(document)}"#
    }()

    /// Shirts 2 × 20.00 less 5.00, socks 3 × 5.00, a cap 9.99: 59.99 of goods.
    static func cart(member: String? = nil, order: String? = nil) -> String {
        let who = member.map { #", "member_id": "\#($0)""# } ?? ""
        let what = order.map { #", "order_reference": "\#($0)""# } ?? ""
        return #"""
            {"lines": [{"sku": "TEE", "category": "shirts", "quantity": 2, "unit_price": 2000, "discount": 500},
                       {"sku": "SOCK", "category": "socks", "quantity": 3, "unit_price": 500},
                       {"sku": "CAP", "category": "hats", "quantity": 1, "unit_price": 999}]\#(who)\#(what)}
            """#
    }

    static func lines(_ json: JSON) -> [String] {
        (json["lines"]?.array ?? []).map { "\(Int($0["index"]?.double ?? -1)) \($0["sku"]?.string ?? "") \(Int($0["discount"]?.double ?? -1))" }
    }

    @Test(arguments: TestStores.available)
    func aScopedCappedCouponWaitsItsDaysAndIsSplitOverTheLines(backend: Backend) async throws {
        let hands = Hands(Self.start)
        try await API.run(backend, clock: hands.clock) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            let catalog = try await api.call(.get, "/v1/rewards").json
            #expect(catalog["rewards"]?[0]?["applies_to"]?["categories"] == .array([.string("hats"), .string("socks")]))
            #expect(catalog["rewards"]?[0]?["max_discount"] == .number(400) && catalog["rewards"]?[0]?["usable_after_days"] == .number(2))
            #expect(catalog["rewards"]?[2]?["type"]?.string == "cheapest_free" && catalog["rewards"]?[2]?["quantity"] == .number(2))
            #expect(catalog["rewards"]?[1]?["exclusive"]?.bool == true && catalog["rewards"]?[0]?["exclusive"]?.bool == false)

            let ana = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#).json["id"]?.string)
            #expect(try await api.call(.post, "/v1/members/\(ana)/adjustments", json: #"{"points": 150, "reason": "test"}"#).status == 201)
            // Issued on 1 December (Berlin): usable from the second midnight, 3 December 00:00 Berlin.
            let coupon = try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "socks-20"}"#)
            #expect(coupon.status == 201 && coupon.json["usable_from"]?.string == "2026-12-02T23:00:00.000Z")
            let code = try #require(coupon.json["code"]?.string)
            let listed = try await api.call(.get, "/v1/members/\(ana)/coupons").json["items"]?[0]
            #expect(listed?["usable_from"]?.string == "2026-12-02T23:00:00.000Z")

            let early = try await api.call(.post, "/v1/coupons/\(code)/validate", json: Self.cart(member: ana)).json
            #expect(early["valid"]?.bool == false && early["reason"]?.string == "coupon_not_yet_valid")
            let tooEarly = try await api.call(.post, "/v1/coupons/\(code)/redeem", json: Self.cart(member: ana, order: "A1"))
            #expect(tooEarly.status == 409 && tooEarly.code == "coupon_not_yet_valid")

            hands.set("2026-12-02T23:00:00Z")
            // 20 % of socks and the cap (24.99) is 4.99, capped at 4.00: 1,500 : 999 gives 240.1
            // and 159.9, so 240 + 159 and the cent left to the cap (the larger remainder).
            let check = try await api.call(.post, "/v1/coupons/\(code)/validate", json: Self.cart(member: ana)).json
            #expect(check["valid"]?.bool == true && check["discount"] == .number(400))
            #expect(Self.lines(check) == ["1 SOCK 240", "2 CAP 160"])
            let used = try await api.call(.post, "/v1/coupons/\(code)/redeem", json: Self.cart(member: ana, order: "A1"))
            #expect(used.status == 200 && used.json["discount"] == .number(400) && Self.lines(used.json) == ["1 SOCK 240", "2 CAP 160"])
        }
    }

    /// An exclusive coupon goes alone on an order: not after another code, and no code after it;
    /// on another order both work.
    @Test(arguments: TestStores.available)
    func anExclusiveCodeGoesAloneOnAnOrder(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.start)) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            let ana = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#).json["id"]?.string)
            #expect(try await api.call(.post, "/v1/members/\(ana)/adjustments", json: #"{"points": 500, "reason": "test"}"#).status == 201)
            func redeem(_ reward: String) async throws -> String {
                try #require(try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "\#(reward)"}"#).json["code"]?.string)
            }
            let (alone, cheapest, alone2) = (try await redeem("alone"), try await redeem("cheapest"), try await redeem("alone"))
            let shirts = try await api.call(.post, "/v1/coupon-campaigns", json: #"""
                {"name": "Shirts", "reward": {"type": "percent_discount", "percent": 10, "applies_to": {"skus": ["TEE"]}}, "count": 1}
                """#)
            let id = try #require(shirts.json["id"]?.string)
            let csv = String(decoding: try await api.call(.get, "/v1/coupon-campaigns/\(id)/codes").body, as: UTF8.self)
            let campaignCode = try #require(csv.split(separator: "\n").dropFirst().first.map { String($0.prefix { $0 != "," }) })

            // Order A: the cheapest-free coupon first; the exclusive one is then refused, at validate and at redeem.
            #expect(try await api.call(.post, "/v1/coupons/\(cheapest)/redeem", json: Self.cart(member: ana, order: "A")).status == 200)
            let check = try await api.call(.post, "/v1/coupons/\(alone)/validate", json: Self.cart(member: ana, order: "A")).json
            #expect(check["valid"]?.bool == false && check["reason"]?.string == "coupon_not_combinable")
            let refused = try await api.call(.post, "/v1/coupons/\(alone)/redeem", json: Self.cart(member: ana, order: "A"))
            #expect(refused.status == 409 && refused.code == "coupon_not_combinable")
            // Order B: the exclusive one first; the campaign's code is then refused.
            #expect(try await api.call(.post, "/v1/coupons/\(alone)/redeem", json: Self.cart(member: ana, order: "B")).status == 200)
            let after = try await api.call(.post, "/v1/coupons/\(campaignCode)/redeem", json: Self.cart(order: "B"))
            #expect(after.status == 409 && after.code == "coupon_not_combinable")
            // Order C, alone: both codes work, one order each.
            #expect(try await api.call(.post, "/v1/coupons/\(campaignCode)/redeem", json: Self.cart(order: "C")).status == 200)
            #expect(try await api.call(.post, "/v1/coupons/\(alone2)/redeem", json: Self.cart(member: ana, order: "D")).status == 200)
        }
    }

    @Test(arguments: TestStores.available)
    func theCheapestItemsAreFreeAndACampaignCanBeScoped(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.start)) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            let ana = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#).json["id"]?.string)
            #expect(try await api.call(.post, "/v1/members/\(ana)/adjustments", json: #"{"points": 150, "reason": "test"}"#).status == 201)
            let code = try #require(try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "cheapest"}"#).json["code"]?.string)
            // The two cheapest units are socks at 5.00 (a shirt is 17.50 after its line's discount, the cap 9.99).
            let check = try await api.call(.post, "/v1/coupons/\(code)/validate", json: Self.cart(member: ana)).json
            #expect(check["discount"] == .number(1000) && check["free_sku"]?.string == "SOCK" && Self.lines(check) == ["1 SOCK 1000"])

            // A newsletter's codes: 10 % off shirts, and every sock free.
            let shirts = try await api.call(.post, "/v1/coupon-campaigns", json: #"""
                {"name": "Shirts", "reward": {"type": "percent_discount", "percent": 10, "applies_to": {"skus": ["TEE"]}}, "count": 1}
                """#)
            #expect(shirts.status == 201 && shirts.json["reward"]?["applies_to"]?["skus"] == .array([.string("TEE")]))
            let socks = try await api.call(.post, "/v1/coupon-campaigns", json: #"""
                {"name": "Socks", "reward": {"type": "free_product", "sku": "SOCK", "quantity": "all"}, "count": 1}
                """#)
            #expect(socks.status == 201 && socks.json["reward"]?["quantity"]?.string == "all")
            for (campaign, expected) in [(shirts, ["0 TEE 350"]), (socks, ["1 SOCK 1500"])] {
                let id = try #require(campaign.json["id"]?.string)
                let csv = String(decoding: try await api.call(.get, "/v1/coupon-campaigns/\(id)/codes").body, as: UTF8.self)
                let code = try #require(csv.split(separator: "\n").dropFirst().first.map { String($0.prefix { $0 != "," }) })
                let answer = try await api.call(.post, "/v1/coupons/\(code)/validate", json: Self.cart()).json
                #expect(answer["valid"]?.bool == true && Self.lines(answer) == expected, "\(answer)")
            }
            let wrong = try await api.call(.post, "/v1/coupon-campaigns", json: #"""
                {"name": "Bad", "reward": {"type": "free_shipping", "applies_to": {"skus": ["TEE"]}}, "count": 1}
                """#)
            #expect(wrong.status == 422 && wrong.code == "invalid_reward" && wrong.json["field"]?.string == "reward.applies_to")
        }
    }
}
