import Foundation
import Testing
import TreuCore

/// Rewards and coupons by hand: a catalog in a program document, what a coupon takes off a
/// cart, and why a coupon or a reward is refused.
@Suite("Rewards: the catalog, coupons and what they take off")
struct RewardTests {
    func t(_ text: String) -> Date { Timestamp.parse(text)! }
    func line(_ sku: String, _ quantity: Int, _ price: Int, discount: Int = 0) -> OrderLine {
        OrderLine(sku: sku, category: nil, quantity: quantity, unitPrice: price, discount: discount)
    }

    @Test func theCatalogIsReadFromTheDocumentWithEveryProblemsPath() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/fashion-shop.json")
        let rewards = try Program.parse(try Data(contentsOf: url)).rewards
        #expect(rewards.map(\.id) == ["ten-off", "free-shipping", "gold-preview", "welcome-back", "styling-session", "plant-a-tree"])
        #expect(rewards[3].cancelDays == 14 && rewards[3].onVoid == .reissue && rewards[4].cancelDays == 7)
        #expect(rewards[4].kind == .gift && rewards[5].kind == .donation)
        #expect(rewards[0].kind == .fixedDiscount(amount: 1000) && rewards[0].cost == 500 && rewards[0].minimumOrder == 5000)
        #expect(rewards[0].couponDays == 60 && rewards[0].title["vi"] == "Giảm 10 € cho đơn hàng tiếp theo")
        #expect(rewards[1].limit == ActionLimit(count: 2, per: .month) && rewards[2].tiers == ["Gold"] && rewards[2].stock == 500)

        let bad = """
            {"name": "x", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"}, "earning": {"rules": []},
             "rewards": [{"id": "A b", "type": "percent_discount", "cost": 0, "title": {"en": "x", "de": "x"}},
                         {"id": "socks", "type": "free_product", "cost": 10, "amount": 5, "title": {"en": "x", "de": "x", "vi": "x"}, "tiers": ["Gold"],
                          "on_void": "keep", "cancel_days": -1}]}
            """
        let error = #expect(throws: ProgramProblems.self) { try Program.parse(Data(bad.utf8)) }
        #expect(error?.problems.map(\.path) == ["rewards[0].id", "rewards[0].cost", "rewards[0].percent", "rewards[0].title.vi",
                                                 "rewards[1].sku", "rewards[1].amount", "rewards[1].cancel_days", "rewards[1].on_void", "rewards[1].tiers"])
        let coupon = """
            {"name": "x", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"},
             "earning": {"rules": [{"name": "next", "type": "coupon", "reward": "nope"}, {"name": "bare", "type": "coupon"}]}}
            """
        let unknown = #expect(throws: ProgramProblems.self) { try Program.parse(Data(coupon.utf8)) }
        #expect(unknown?.problems.map(\.path) == ["earning.rules[1].reward", "earning.rules[0].reward"])
    }

    @Test func whatACouponTakesOffACart() {
        let cart = Cart(currency: "EUR", lines: [line("TEE", 2, 2_000, discount: 500), line("SOCK", 3, 500)], shipping: 495)
        #expect(cart.goods == 5_000)
        func benefit(_ kind: Reward.Kind, minimum: Int = 0) -> Result<CouponBenefit, CouponRefusal> {
            Reward(id: "r", kind: kind, cost: 1, title: [:], minimumOrder: minimum).benefit(for: cart, currency: "EUR")
        }
        #expect(benefit(.percentDiscount(percent: 15)) == .success(CouponBenefit(discount: 750, freeShipping: false)))
        #expect(benefit(.fixedDiscount(amount: 1_000)) == .success(CouponBenefit(discount: 1_000, freeShipping: false)))
        #expect(benefit(.fixedDiscount(amount: 9_000)) == .success(CouponBenefit(discount: 5_000, freeShipping: false)))
        #expect(benefit(.freeShipping) == .success(CouponBenefit(discount: 0, freeShipping: true)))
        #expect(benefit(.freeProduct(sku: "SOCK")) == .success(CouponBenefit(discount: 500, freeShipping: false, freeSKU: "SOCK")))
        #expect(benefit(.freeProduct(sku: "CAP")) == .failure(.productNotInCart))
        #expect(benefit(.fixedDiscount(amount: 1_000), minimum: 5_001) == .failure(.belowMinimum))
        #expect(Reward(id: "r", kind: .gift, cost: 1, title: [:]).benefit(for: cart, currency: "CHF") == .failure(.currencyMismatch))
    }

    @Test func aRewardOrACouponIsRefusedWithItsReason() {
        let reward = Reward(id: "r", kind: .gift, cost: 1, title: [:], validFrom: t("2026-12-01T00:00:00Z"),
                            validUntil: t("2027-01-01T00:00:00Z"), tiers: ["Gold"])
        #expect(reward.refusal(at: t("2026-11-30T23:59:59Z"), level: "Gold") == .rewardNotAvailable)
        #expect(reward.refusal(at: t("2026-12-24T12:00:00Z"), level: "Silver") == .tierNotReached)
        #expect(reward.refusal(at: t("2026-12-24T12:00:00Z"), level: nil) == .tierNotReached)
        #expect(reward.refusal(at: t("2026-12-24T12:00:00Z"), level: "Gold") == nil)
        #expect(reward.refusal(at: t("2027-01-01T00:00:00Z"), level: "Gold") == .rewardNotAvailable)

        let ana = UUID(), ben = UUID()
        var coupon = Coupon(code: "K7QX-2M9P-H4TW", rewardID: "r", member: ana, points: 1, issuedAt: t("2026-12-01T00:00:00Z"),
                            expiresAt: t("2027-01-01T00:00:00Z"))
        #expect(coupon.refusal(at: t("2026-12-31T23:59:59Z"), member: ana) == nil && coupon.refusal(at: t("2026-12-31T23:59:59Z"), member: nil) == nil)
        #expect(coupon.refusal(at: t("2027-01-01T00:00:00Z"), member: ana) == .expired)
        #expect(coupon.refusal(at: t("2026-12-02T00:00:00Z"), member: ben) == .anotherMembers)
        coupon.status = .used
        #expect(coupon.refusal(at: t("2026-12-02T00:00:00Z"), member: nil) == .used)
    }

    @Test func couponCodesAreTwelveSymbolsWithoutLookAlikes() {
        let ids = IDGenerator.sequential()
        let codes = (0..<10_000).map { _ in ShortCode.coupon(from: ids.next()) }
        #expect(Set(codes).count == 10_000)
        #expect(codes.allSatisfy { code in
            code.count == 14 && code.split(separator: "-").map(\.count) == [4, 4, 4]
                && code.filter { $0 != "-" }.allSatisfy { ShortCode.alphabet.contains($0) }
        })
    }
}

@Suite("Coupon campaigns: patterns and budgets")
struct CouponCampaignTests {
    @Test func patternsHoldEnoughCodesAndAreFilledWithTheAlphabet() {
        #expect(CouponCampaign.patternProblem("XMAS-####-####", count: 1_000_000) == nil)
        #expect(CouponCampaign.patternProblem("XMAS-######", count: 1_000_000)?.code == "pattern_too_short")
        #expect(CouponCampaign.patternProblem("XMAS-######", count: 800_000) == nil)
        #expect(CouponCampaign.patternProblem("xmas-########", count: 10)?.code == "invalid_pattern")
        #expect(CouponCampaign.patternProblem(String(repeating: "#", count: 15), count: 10)?.code == "invalid_pattern")
        let ids = IDGenerator.sequential()
        let code = ShortCode.fill("XMAS-####-####", from: ids.next())
        #expect(code.hasPrefix("XMAS-") && code.count == 14 && code.dropFirst(5).filter { $0 != "-" }.allSatisfy { ShortCode.alphabet.contains($0) })
    }

    @Test func aBudgetCountsUsesAndMoney() {
        let budget = CouponCampaign.Budget(uses: 2, money: 1_500)
        #expect(budget.allows(usedUses: 1, usedMoney: 1_000, discount: 500))
        #expect(!budget.allows(usedUses: 1, usedMoney: 1_000, discount: 501))
        #expect(!budget.allows(usedUses: 2, usedMoney: 0, discount: 0))
        #expect(CouponCampaign.Budget().allows(usedUses: 1_000_000, usedMoney: .max / 2, discount: 1))
    }
}
