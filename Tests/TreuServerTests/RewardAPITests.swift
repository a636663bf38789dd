import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// Rewards and coupons over HTTP, on every engine: a Berlin shop whose catalog holds €10 off
/// orders of €30 (500 points, once a month, two in stock) and socks for Gold members only.
@Suite("Rewards and coupons over HTTP")
struct RewardAPITests {
    static let start = Timestamp.parse("2026-12-01T10:00:00Z")!

    static let program: String = {
        let extra = #"""
            "tiers": {"metric": "spend", "window": "calendar_year", "levels": [{"name": "Gold", "threshold": 150000}]},
            "rewards": [
              {"id": "ten-off", "type": "fixed_discount", "amount": 1000, "cost": 500, "minimum_order": 3000, "coupon_days": 30,
               "stock": 2, "limit": {"count": 1, "per": "month"},
               "title": {"en": "€10 off", "de": "10 € Rabatt", "vi": "Giảm 10 €"}},
              {"id": "gold-socks", "type": "free_product", "sku": "SOCK", "cost": 100, "tiers": ["Gold"],
               "title": {"en": "Socks", "de": "Socken", "vi": "Tất"}}],
            """#
        let document = Program.standardDocument.replacingOccurrences(of: #""time_zone": "UTC""#, with: #""time_zone": "Europe/Berlin""#)
            .replacingOccurrences(of: #""name": "Treu standard program","#, with: #""name": "with rewards", \#(extra)"#)
        return #"{"effective_from": "2026-12-01T10:00:00Z", "document": \#(document)}"#
    }()

    static func cart(euros: Int, member: String? = nil, order: String? = nil) -> String {
        let who = member.map { #", "member_id": "\#($0)""# } ?? ""
        let what = order.map { #", "order_reference": "\#($0)""# } ?? ""
        return #"{"lines": [{"sku": "COAT", "quantity": 1, "unit_price": \#(euros * 100)}]\#(who)\#(what)}"#
    }

    @Test(arguments: TestStores.available)
    func aRewardBecomesACouponUsedOnceAtCheckout(backend: Backend) async throws {
        let hands = Hands(Self.start)
        try await API.run(backend, clock: hands.clock) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            let catalog = try await api.call(.get, "/v1/rewards").json
            #expect(catalog["rewards"]?.array?.map { $0["id"]?.string } == ["ten-off", "gold-socks"])
            #expect(catalog["rewards"]?[0]?["title"]?["de"]?.string == "10 € Rabatt")
            #expect(catalog["rewards"]?[0]?["limit"] == .object(["count": .number(1), "per": .string("month")]))

            let ana = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#).json["id"]?.string)
            let ben = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ben@example.com"}"#).json["id"]?.string)
            // 1,200 each: the standard welcome gift (50) and 1,150 given by hand.
            for member in [ana, ben] {
                #expect(try await api.call(.post, "/v1/members/\(member)/adjustments", json: #"{"points": 1150, "reason": "welcome"}"#).status == 201)
            }

            // 500 points for a coupon valid to the end of 31 December in Berlin.
            let coupon = try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "ten-off"}"#)
            #expect(coupon.status == 201 && coupon.json["points"] == .number(500) && coupon.json["status"]?.string == "issued")
            #expect(coupon.json["expires_at"]?.string == "2026-12-31T23:00:00.000Z")
            let code = try #require(coupon.json["code"]?.string)
            #expect(try await api.call(.get, "/v1/members/\(ana)/balance").json["available"] == .number(700))
            let entries = try await api.call(.get, "/v1/members/\(ana)/ledger").json["items"]?.array ?? []
            #expect(entries.last?["rule"]?.string == "reward: ten-off" && entries.last?["points"] == .number(-500))

            // Refusals cost nothing: once a month, Gold only, the stock.
            let twice = try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "ten-off"}"#)
            #expect(twice.status == 409 && twice.code == "limit_reached")
            let socks = try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "gold-socks"}"#)
            #expect(socks.status == 422 && socks.code == "tier_not_reached")
            #expect(try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "none"}"#).code == "reward_not_found")
            #expect(try await api.call(.get, "/v1/members/\(ana)/balance").json["available"] == .number(700))
            #expect(try await api.call(.post, "/v1/members/\(ben)/redemptions", json: #"{"reward_id": "ten-off"}"#).status == 201)
            let cem = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "cem@example.com"}"#).json["id"]?.string)
            #expect(try await api.call(.post, "/v1/members/\(cem)/adjustments", json: #"{"points": 600, "reason": "x"}"#).status == 201)
            #expect(try await api.call(.post, "/v1/members/\(cem)/redemptions", json: #"{"reward_id": "ten-off"}"#).code == "out_of_stock")

            // At checkout: below the minimum, another member's, then valid — typed in lower case without dashes.
            let typed = code.lowercased().replacingOccurrences(of: "-", with: "")
            var check = try await api.call(.post, "/v1/coupons/\(typed)/validate", json: Self.cart(euros: 20)).json
            #expect(check["valid"]?.bool == false && check["reason"]?.string == "below_minimum")
            check = try await api.call(.post, "/v1/coupons/\(typed)/validate", json: Self.cart(euros: 40, member: ben)).json
            #expect(check["reason"]?.string == "another_members_coupon")
            check = try await api.call(.post, "/v1/coupons/\(typed)/validate", json: Self.cart(euros: 40, member: ana)).json
            #expect(check["valid"]?.bool == true && check["discount"] == .number(1000) && check["reward_type"]?.string == "fixed_discount")
            #expect(try await api.call(.post, "/v1/coupons/ZZZZ-ZZZZ-ZZZZ/validate", json: Self.cart(euros: 40)).json["reason"]?.string == "coupon_not_found")
            // A cart's lines are checked as an order's.
            let priceless = try await api.call(.post, "/v1/coupons/\(typed)/validate", json: #"{"lines": [{"sku": "COAT", "quantity": 1}]}"#)
            #expect(priceless.status == 422 && priceless.code == "missing_field" && priceless.json["field"]?.string == "lines.0.unit_price")
            let none = try await api.call(.post, "/v1/coupons/\(typed)/validate", json: #"{"lines": [{"sku": "COAT", "quantity": 0, "unit_price": 100}]}"#)
            #expect(none.status == 422 && none.code == "invalid_line")

            // Used on O1, once; O1 again is the same answer; O2 is refused; O1 cancelled, O2 gets it.
            let used = try await api.call(.post, "/v1/coupons/\(code)/redeem", json: Self.cart(euros: 40, order: "O1"))
            #expect(used.status == 200 && used.json["coupon"]?["status"]?.string == "used" && used.json["discount"] == .number(1000))
            #expect(used.json["reward_type"]?.string == "fixed_discount")
            #expect(try await api.call(.post, "/v1/coupons/\(code)/redeem", json: Self.cart(euros: 40, order: "O1")).status == 200)
            let again = try await api.call(.post, "/v1/coupons/\(code)/redeem", json: Self.cart(euros: 40, order: "O2"))
            #expect(again.status == 409 && again.code == "coupon_used")
            #expect(try await api.call(.post, "/v1/coupons/\(code)/void", json: #"{"order_reference": "O2"}"#).code == "coupon_used")
            #expect(try await api.call(.post, "/v1/coupons/\(code)/void", json: #"{"order_reference": "O1"}"#).json["status"]?.string == "issued")
            #expect(try await api.call(.post, "/v1/coupons/\(code)/redeem", json: #"{"order_reference": "O2"}"#).status == 200)

            // Ben's coupon, after its last day.
            let bens = try #require(try await api.call(.get, "/v1/members/\(ben)/coupons").json["items"]?[0]?["code"]?.string)
            hands.set("2026-12-31T23:00:00Z")
            check = try await api.call(.post, "/v1/coupons/\(bens)/validate", json: Self.cart(euros: 40)).json
            #expect(check["valid"]?.bool == false && check["reason"]?.string == "coupon_expired")
            #expect(try await api.call(.post, "/v1/coupons/\(bens)/redeem", json: Self.cart(euros: 40, order: "B1")).code == "coupon_expired")
        }
    }

    /// Ana (€800 spent on 1 December: 800 points to the end of 2027 with her welcome gift's 50,
    /// and 350 given by hand to the end of 2029) redeems €10 off and changes her mind: the points come back to the end of 2027,
    /// once. A voucher whose order was cancelled gives its points back (`on_void: refund`).
    @Test(arguments: TestStores.available)
    func aRedemptionCancelledInItsWindowGivesThePointsBackWithTheirExpiry(backend: Backend) async throws {
        let hands = Hands(Self.start)
        try await API.run(backend, clock: hands.clock) { api in
            let program = Self.program.replacingOccurrences(of: #""pending_days": 14"#, with: #""pending_days": 0"#)
                .replacingOccurrences(of: #""title": {"en": "Socks""#, with: #""cancel_days": 0, "title": {"en": "Socks""#)
                .replacingOccurrences(of: #"{"id": "gold-socks""#, with: #"""
                    {"id": "voucher", "type": "fixed_discount", "amount": 500, "cost": 300, "on_void": "refund",
                     "title": {"en": "€5 voucher", "de": "5-€-Gutschein", "vi": "Phiếu 5 €"}},
                    {"id": "gold-socks"
                    """#)
            #expect(try await api.call(.put, "/v1/program", json: program).status == 201)
            let order = #"{"type": "order", "reference": "A1", "member": {"email": "ana@example.com"}, "currency": "EUR", "lines": [{"sku": "COAT", "quantity": 1, "unit_price": 80000}]}"#
            #expect(try await api.call(.post, "/v1/events", json: order).status == 201)
            let ana = try #require(try await api.call(.get, "/v1/members/lookup?identity=ana@example.com").json["id"]?.string)
            #expect(try await api.call(.post, "/v1/members/\(ana)/adjustments",
                                       json: #"{"points": 350, "reason": "welcome", "expires_at": "2029-12-31T23:00:00Z"}"#).status == 201)
            let before = try await api.call(.get, "/v1/members/\(ana)/balance").json
            #expect(before["available"] == .number(1_200) && before["next_expiries"] == .array([.object(["on": .string("2027-12-31"), "points": .number(850)]),
                                                                                                  .object(["on": .string("2029-12-31"), "points": .number(350)])]))

            let code = try #require(try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "ten-off"}"#).json["code"]?.string)
            var balance = try await api.call(.get, "/v1/members/\(ana)/balance").json
            #expect(balance["available"] == .number(700) && balance["next_expiries"]?[0]?["points"] == .number(350))

            // Someone else's coupon is not hers to cancel; hers is, within 14 days.
            let ben = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ben@example.com"}"#).json["id"]?.string)
            #expect(try await api.call(.post, "/v1/members/\(ben)/coupons/\(code)/cancel").code == "coupon_not_found")
            hands.set("2026-12-15T22:59:59Z")
            let cancelled = try await api.call(.post, "/v1/members/\(ana)/coupons/\(code)/cancel")
            #expect(cancelled.status == 200 && cancelled.json["status"]?.string == "cancelled")
            balance = try await api.call(.get, "/v1/members/\(ana)/balance").json
            #expect(balance["available"] == .number(1_200) && balance["next_expiries"] == before["next_expiries"])
            #expect(balance["lifetime_spent"] == .number(0))
            let last = try await api.call(.get, "/v1/members/\(ana)/ledger").json["items"]?.array?.last
            #expect(last?["kind"]?.string == "refund" && last?["points"] == .number(500) && last?["reason"]?.string == "redemption cancelled")
            // Once: again is refused and gives nothing; the coupon no longer works; its unit is back in stock.
            #expect(try await api.call(.post, "/v1/members/\(ana)/coupons/\(code)/cancel").code == "coupon_cancelled")
            #expect(try await api.call(.get, "/v1/members/\(ana)/balance").json["available"] == .number(1_200))
            #expect(try await api.call(.post, "/v1/coupons/\(code)/validate", json: Self.cart(euros: 40)).json["reason"]?.string == "coupon_cancelled")

            // The window ends with the 14th day after the redemption (Berlin's midnight).
            let second = try #require(try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "ten-off"}"#).json["code"]?.string)
            hands.set("2026-12-29T23:00:00Z")
            #expect(try await api.call(.post, "/v1/members/\(ana)/coupons/\(second)/cancel").code == "cancel_window_closed")

            // The voucher used on O7, whose order was then cancelled: cancelled, its 300 points back, once.
            let voucher = try #require(try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "voucher"}"#).json["code"]?.string)
            #expect(try await api.call(.get, "/v1/members/\(ana)/balance").json["available"] == .number(400))
            #expect(try await api.call(.post, "/v1/coupons/\(voucher)/redeem", json: Self.cart(euros: 40, order: "O7")).status == 200)
            #expect(try await api.call(.post, "/v1/coupons/\(voucher)/void", json: #"{"order_reference": "O8"}"#).code == "coupon_used")
            for _ in 0..<2 {
                let voided = try await api.call(.post, "/v1/coupons/\(voucher)/void", json: #"{"order_reference": "O7"}"#)
                #expect(voided.status == 200 && voided.json["status"]?.string == "cancelled" && voided.json["order_reference"]?.string == "O7")
                #expect(try await api.call(.get, "/v1/members/\(ana)/balance").json["available"] == .number(700))
            }
        }
    }

    /// An order of €50 or more on the web earns "10 % off your next order": a coupon in the
    /// order's answer, refused on that order, taken on the next; a replay issues no second one.
    @Test(arguments: TestStores.available)
    func anOrderEarnsACouponForTheNextOrderOnly(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.start)) { api in
            let program = Self.program
                .replacingOccurrences(of: #"{"id": "gold-socks""#, with: #"""
                    {"id": "next-ten", "type": "percent_discount", "percent": 10, "cost": 1000, "coupon_days": 60,
                     "title": {"en": "10 % off your next order", "de": "10 % auf die nächste Bestellung", "vi": "Giảm 10 % cho đơn tiếp theo"}},
                    {"id": "gold-socks"
                    """#)
                .replacingOccurrences(of: #""rules": ["#, with: #""rules": [{"name": "next order", "type": "coupon", "reward": "next-ten", "when": {"channels": ["web"]}}, "#)
            let put = try await api.call(.put, "/v1/program", json: program)
            #expect(put.status == 201, "\(put.json)")
            func order(_ reference: String, channel: String) -> String {
                #"{"type": "order", "reference": "\#(reference)", "channel": "\#(channel)", "member": {"email": "ana@example.com"}, "currency": "EUR", "lines": [{"sku": "COAT", "quantity": 1, "unit_price": 6000}]}"#
            }
            let first = try await api.call(.post, "/v1/events", json: order("O1", channel: "web"))
            let effect = try #require(first.json["effects"]?.array?.first { $0["type"]?.string == "coupon" })
            #expect(effect["reward_id"]?.string == "next-ten" && effect["rule"]?.string == "next order")
            #expect(effect["expires_at"]?.string == "2027-01-30T23:00:00.000Z")
            let code = try #require(effect["code"]?.string)
            // The same order again is the same answer, and still one coupon.
            let replay = try await api.call(.post, "/v1/events", json: order("O1", channel: "web"))
            #expect(replay.body == first.body)
            let ana = try #require(first.json["member_id"]?.string)
            let coupons = try await api.call(.get, "/v1/members/\(ana)/coupons").json["items"]?.array ?? []
            #expect(coupons.count == 1 && coupons.first?["earned_by"]?.string == "O1" && coupons.first?["points"] == .number(0))
            // In the shop, no coupon.
            let shop = try await api.call(.post, "/v1/events", json: order("S1", channel: "store"))
            #expect(shop.json["effects"]?.array?.contains { $0["type"]?.string == "coupon" } == false)

            // Not on the order that earned it; on the next one, 10 % off.
            let check = try await api.call(.post, "/v1/coupons/\(code)/validate", json: Self.cart(euros: 60, order: "O1")).json
            #expect(check["valid"]?.bool == false && check["reason"]?.string == "earned_by_this_order")
            let refused = try await api.call(.post, "/v1/coupons/\(code)/redeem", json: Self.cart(euros: 60, order: "O1"))
            #expect(refused.status == 422 && refused.code == "earned_by_this_order")
            let used = try await api.call(.post, "/v1/coupons/\(code)/redeem", json: Self.cart(euros: 60, order: "O2"))
            #expect(used.status == 200 && used.json["discount"] == .number(600))
        }
    }

    /// Points given to a cause count in its running total at once; a workshop redeemed is on the
    /// shop's list of gifts to hand over until it is marked done; early access is a flag for as
    /// long as its coupon runs.
    @Test(arguments: TestStores.available)
    func donationsAddUpPerCauseGiftsAreTrackedToDoneAndEarlyAccessIsAFlag(backend: Backend) async throws {
        let hands = Hands(Self.start)
        try await API.run(backend, clock: hands.clock) { api in
            let program = Self.program.replacingOccurrences(of: #"{"id": "gold-socks""#, with: #"""
                {"id": "plant-a-tree", "type": "donation", "cost": 200,
                 "title": {"en": "Plant a tree", "de": "Einen Baum pflanzen", "vi": "Trồng một cây"}},
                {"id": "workshop", "type": "gift", "cost": 300,
                 "title": {"en": "Tailoring workshop", "de": "Schneiderkurs", "vi": "Lớp may đo"}},
                {"id": "preview", "type": "early_access", "cost": 100, "coupon_days": 7,
                 "title": {"en": "Early access to the sale", "de": "Früher Zugang zum Sale", "vi": "Mua sớm"}},
                {"id": "gold-socks"
                """#)
            #expect(try await api.call(.put, "/v1/program", json: program).status == 201)
            var members: [String] = []
            for email in ["ana@example.com", "ben@example.com"] {
                let id = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "\#(email)"}"#).json["id"]?.string)
                #expect(try await api.call(.post, "/v1/members/\(id)/adjustments", json: #"{"points": 1000, "reason": "welcome"}"#).status == 201)
                members.append(id)
            }
            let (ana, ben) = (members[0], members[1])
            for member in [ana, ana, ben] {
                let receipt = try await api.call(.post, "/v1/members/\(member)/redemptions", json: #"{"reward_id": "plant-a-tree"}"#)
                #expect(receipt.status == 201 && receipt.json["status"]?.string == "used")
            }
            let entry = try await api.call(.get, "/v1/members/\(ana)/ledger").json["items"]?.array?.last
            #expect(entry?["kind"]?.string == "donation" && entry?["points"] == .number(-200) && entry?["reason"]?.string == "donation to Plant a tree")
            let tree = try await api.call(.get, "/v1/causes").json["causes"]?.array?.first
            #expect(tree?["reward_id"]?.string == "plant-a-tree" && tree?["title"]?["vi"]?.string == "Trồng một cây")
            #expect(tree?["points"] == .number(600) && tree?["donations"] == .number(3) && tree?["members"] == .number(2))
            // Given is given: a donation is not cancelled.
            let receipt = try #require(try await api.call(.get, "/v1/members/\(ben)/coupons").json["items"]?[0]?["code"]?.string)
            #expect(try await api.call(.post, "/v1/members/\(ben)/coupons/\(receipt)/cancel").code == "coupon_used")

            let workshop = try #require(try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "workshop"}"#).json["code"]?.string)
            var open = try await api.call(.get, "/v1/gifts").json
            #expect(open["items"]?.array?.map { $0["code"]?.string } == [workshop] && open["items"]?[0]?["member_id"]?.string == ana)
            #expect(try await api.call(.post, "/v1/coupons/\(workshop)/redeem", json: #"{"order_reference": "booking-17"}"#).status == 200)
            open = try await api.call(.get, "/v1/gifts?status=open").json
            #expect(open["items"]?.array?.isEmpty == true)
            let done = try await api.call(.get, "/v1/gifts?status=done").json["items"]?.array
            #expect(done?.map { $0["order_reference"]?.string } == ["booking-17"])
            #expect(try await api.call(.get, "/v1/gifts?status=lost").code == "invalid_parameter")

            // Early access: none, then until the end of the 7th day in Berlin, then none again.
            var access = try await api.call(.get, "/v1/members/\(ben)/early-access").json
            #expect(access["early_access"]?.bool == false && access["until"] == .null)
            #expect(try await api.call(.post, "/v1/members/\(ben)/redemptions", json: #"{"reward_id": "preview"}"#).status == 201)
            access = try await api.call(.get, "/v1/members/\(ben)/early-access").json
            #expect(access["early_access"]?.bool == true && access["until"]?.string == "2026-12-08T23:00:00.000Z")
            #expect(try await api.call(.get, "/v1/members/\(ana)/early-access").json["early_access"]?.bool == false)
            hands.set("2026-12-08T23:00:00Z")
            #expect(try await api.call(.get, "/v1/members/\(ben)/early-access").json["early_access"]?.bool == false)
        }
    }

    @Test(arguments: TestStores.available)
    func aCampaignsCodesAreExportedImportedAndUsedWithinItsBudget(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.start)) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            let tooShort = try await api.call(.post, "/v1/coupon-campaigns", json: #"{"name": "X", "reward": {"type": "free_shipping"}, "count": 10, "pattern": "XMAS-###"}"#)
            #expect(tooShort.status == 422 && tooShort.code == "pattern_too_short")
            // €10 off orders of €30, 50 codes, at most €25 off in all.
            let created = try await api.call(.post, "/v1/coupon-campaigns", json: """
                {"name": "Christmas newsletter", "reward": {"type": "fixed_discount", "amount": 1000, "minimum_order": 3000},
                 "count": 50, "pattern": "XMAS-####-####", "budget": {"money": 2500}}
                """)
            #expect(created.status == 201 && created.json["codes"] == .number(50) && created.json["budget"]?["money"] == .number(2500))
            let id = try #require(created.json["id"]?.string)
            let csv = try await api.call(.get, "/v1/coupon-campaigns/\(id)/codes")
            #expect(csv.status == 200 && csv.contentType?.hasPrefix("text/csv") == true)
            let rows = String(decoding: csv.body, as: UTF8.self).split(separator: "\n").map(String.init)
            #expect(rows.first == "code,status,order_reference,used_at,discount" && rows.count == 51)
            let codes = rows.dropFirst().map { String($0.prefix { $0 != "," }) }
            #expect(Set(codes).count == 50 && codes.allSatisfy { $0.hasPrefix("XMAS-") && $0.count == 14 })

            // A partner's codes: stored in capitals; one sent twice is skipped.
            let imported = try await api.call(.post, "/v1/coupon-campaigns/\(id)/codes", json: #"{"codes": ["partner-0001", "PARTNER-0001"]}"#)
            #expect(imported.status == 201 && imported.json["added"] == .number(1) && imported.json["skipped"] == .number(1))

            let check = try await api.call(.post, "/v1/coupons/\(codes[0].lowercased())/validate", json: Self.cart(euros: 40)).json
            #expect(check["valid"]?.bool == true && check["discount"] == .number(1000) && check["coupon"]?["campaign_id"]?.string == id)
            let first = try await api.call(.post, "/v1/coupons/\(codes[0])/redeem", json: Self.cart(euros: 40, order: "N1"))
            #expect(first.status == 200 && first.json["reward_type"]?.string == "fixed_discount")
            #expect(try await api.call(.post, "/v1/coupons/partner-0001/redeem", json: Self.cart(euros: 40, order: "N2")).status == 200)
            // €20 of €25 spent: another €10 does not fit.
            let third = try await api.call(.post, "/v1/coupons/\(codes[1])/redeem", json: Self.cart(euros: 40, order: "N3"))
            #expect(third.status == 409 && third.code == "budget_spent")
            #expect(try await api.call(.post, "/v1/coupons/\(codes[1])/validate", json: Self.cart(euros: 40)).json["reason"]?.string == "budget_spent")
            // N1 is cancelled: its €10 come back.
            #expect(try await api.call(.post, "/v1/coupons/\(codes[0])/void", json: #"{"order_reference": "N1"}"#).json["status"]?.string == "issued")
            #expect(try await api.call(.post, "/v1/coupons/\(codes[1])/redeem", json: Self.cart(euros: 40, order: "N3")).status == 200)
            let campaign = try await api.call(.get, "/v1/coupon-campaigns/\(id)").json
            #expect(campaign["used_uses"] == .number(2) && campaign["used_money"] == .number(2000))
            // The export says which order used which code, and what it took off.
            let export = String(decoding: try await api.call(.get, "/v1/coupon-campaigns/\(id)/codes").body, as: UTF8.self)
            let partner = export.split(separator: "\n").first { $0.hasPrefix("PARTNER0001,") }.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(partner.map { [$0[1], $0[2], $0[4]] } == ["used", "N2", "1000"])
            #expect(try await api.call(.get, "/v1/coupon-campaigns/\(UUID().uuidString)").code == "campaign_not_found")
            let nobody = UUID().uuidString
            let noExport = try await api.call(.get, "/v1/coupon-campaigns/\(nobody)/codes")
            #expect(noExport.status == 404 && noExport.code == "campaign_not_found")
            let noImport = try await api.call(.post, "/v1/coupon-campaigns/\(nobody)/codes", json: #"{"codes": ["P-1"]}"#)
            #expect(noImport.status == 404 && noImport.code == "campaign_not_found")
            #expect(try await api.call(.get, "/v1/coupon-campaigns/not-an-id/codes").code == "campaign_not_found")
        }
    }
}
