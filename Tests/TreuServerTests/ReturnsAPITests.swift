import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// Returns over HTTP, on both engines: a Berlin shop (no return window, so points are available
/// at once) with 1 point per euro by line, double points on coats, a sock card (every third
/// pair earns 90), a next-order coupon for orders of €50 or more, and a €10 voucher that comes
/// back when the order it paid is returned.
@Suite("Returns over HTTP")
struct ReturnsAPITests {
    static let start = Timestamp.parse("2026-12-01T10:00:00Z")!

    static let program: String = {
        let document = #"""
            {"name": "returns", "currency": "EUR", "time_zone": "Europe/Berlin", "pending_days": 0, "expiry": {"policy": "never"},
             "earning": {"rules": [
               {"name": "1 per euro", "type": "spend", "points": 1, "scope": "line"},
               {"name": "double coats", "type": "multiplier", "factor": 2, "when": {"categories": ["coats"]}},
               {"name": "sock card", "type": "punch_card", "stamps": 3, "points": 90, "when": {"skus": ["SOCKS"]}},
               {"name": "next order", "type": "coupon", "reward": "next-ten", "when": {"min_amount": 5000}}]},
             "rewards": [
               {"id": "next-ten", "type": "percent_discount", "percent": 10, "cost": 1000, "coupon_days": 60,
                "title": {"en": "10 % off", "de": "10 % Rabatt", "vi": "Giảm 10 %"}},
               {"id": "voucher", "type": "fixed_discount", "amount": 1000, "cost": 100, "on_return": "reissue",
                "title": {"en": "€10 voucher", "de": "10-€-Gutschein", "vi": "Phiếu 10 €"}}]}
            """#
        return #"{"effective_from": "2026-12-01T10:00:00Z", "document": \#(document)}"#
    }()

    static let coatAndSocks = #"""
        {"type": "order", "reference": "O1", "member": {"email": "ana@example.com"}, "currency": "EUR",
         "lines": [{"sku": "COAT", "category": "coats", "quantity": 1, "unit_price": 20000}, {"sku": "SOCKS", "quantity": 3, "unit_price": 1000}]}
        """#

    func rules(_ answer: API.Answer) -> [String: Int] {
        Dictionary((answer.json["effects"]?.array ?? []).compactMap { e in e["points"]?.double.map { (e["rule"]?.string ?? "?", Int($0)) } },
                   uniquingKeysWith: +)
    }

    @Test(arguments: TestStores.available)
    func theCoatBackTakesTheCoatsPointsNotTheCard(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.start)) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            let order = try await api.call(.post, "/v1/events", json: Self.coatAndSocks)
            // 200 + 30 for the euros, 200 more for the coat, a full card of socks: 520 (this program has no welcome gift).
            #expect(rules(order) == ["1 per euro": 230, "double coats": 200, "sock card": 90])
            let coat = try await api.call(.post, "/v1/events", json: #"{"type": "return", "reference": "R1", "order_reference": "O1", "lines": [{"sku": "COAT", "quantity": 1}]}"#)
            // The coat's 200 and its double, 400; the socks' points and their card stay (it was 452, 520 × €200 / €230, by the share of the net).
            #expect(coat.json["effects"]?[0]?["points"] == .number(-400))
            let id = try #require(order.json["member_id"]?.string)
            // One pair back: its euro points (10), and the card it helped fill (90); two stamps remain.
            let pair = try await api.call(.post, "/v1/events", json: #"{"type": "return", "reference": "R2", "order_reference": "O1", "lines": [{"sku": "SOCKS", "quantity": 1}]}"#)
            #expect(pair.json["effects"]?[0]?["points"] == .number(-100))
            // One more pair bought fills the card again: the kept stamps counted.
            let more = try await api.call(.post, "/v1/events", json: #"{"type": "order", "reference": "O2", "member_id": "\#(id)", "currency": "EUR", "lines": [{"sku": "SOCKS", "quantity": 1, "unit_price": 1000}]}"#)
            #expect(rules(more) == ["1 per euro": 10, "sock card": 90])
            // 520 − 400 − 100 + 100.
            #expect(try await api.call(.get, "/v1/members/\(id)/balance").json["available"] == .number(120))
        }
    }

    @Test(arguments: TestStores.available)
    func aWholeReturnCancelsTheCouponItEarnedAndGivesBackTheVoucherItUsed(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.start)) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            let member = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#).json["id"]?.string)
            try await api.call(.post, "/v1/members/\(member)/adjustments", json: #"{"points": 100, "reason": "test"}"#)
            let voucher = try #require(try await api.call(.post, "/v1/members/\(member)/redemptions", json: #"{"reward_id": "voucher"}"#).json["code"]?.string)
            let cart = #"{"lines": [{"sku": "COAT", "category": "coats", "quantity": 1, "unit_price": 20000}], "order_reference": "O1"}"#
            #expect(try await api.call(.post, "/v1/coupons/\(voucher)/redeem", json: cart).status == 200)
            let order = try await api.call(.post, "/v1/events", json: #"{"type": "order", "reference": "O1", "member_id": "\#(member)", "currency": "EUR", "order_discount": 1000, "lines": [{"sku": "COAT", "category": "coats", "quantity": 1, "unit_price": 20000}]}"#)
            let earned = try #require(order.json["effects"]?.array?.first { $0["type"]?.string == "coupon" }?["code"]?.string)
            let ret = try await api.call(.post, "/v1/events", json: #"{"type": "return", "reference": "R1", "order_reference": "O1"}"#)
            #expect(ret.status == 201)
            #expect(ret.json["coupons"] == .array([.object(["code": .string(earned), "status": .string("cancelled")]),
                                                   .object(["code": .string(voucher), "status": .string("reissued")])]))
            let coupons = Dictionary(uniqueKeysWithValues: (try await api.call(.get, "/v1/members/\(member)/coupons").json["items"]?.array ?? [])
                .compactMap { c in c["code"]?.string.map { ($0, c["status"]?.string ?? "") } })
            #expect(coupons == [earned: "cancelled", voucher: "issued"])
            #expect(try await api.call(.post, "/v1/coupons/\(earned)/validate", json: #"{"lines": [{"sku": "T", "quantity": 1, "unit_price": 9000}]}"#)
                .json["reason"]?.string == "coupon_cancelled")
        }
    }
}
