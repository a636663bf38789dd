import Foundation
import Testing
import TreuCore

/// Rewards and coupons by hand: a catalog in a program document, what a coupon takes off a
/// cart, and why a coupon or a reward is refused.
@Suite("Rewards: the catalog, coupons and what they take off")
struct RewardTests {
    func t(_ text: String) -> Date { Timestamp.parse(text)! }
    func line(_ sku: String, _ quantity: Int, _ price: Int, discount: Int = 0, category: String? = nil) -> OrderLine {
        OrderLine(sku: sku, category: category, quantity: quantity, unitPrice: price, discount: discount)
    }

    @Test func theCatalogIsReadFromTheDocumentWithEveryProblemsPath() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/fashion-shop.json")
        let rewards = try Program.parse(try Data(contentsOf: url)).rewards
        #expect(rewards.map(\.id) == ["ten-off", "free-shipping", "gold-preview", "welcome-back", "socks-and-hats", "cheapest-free",
                                       "styling-session", "plant-a-tree"])
        #expect(rewards[3].cancelDays == 14 && rewards[3].onVoid == .reissue && rewards[3].onReturn == .reissue && rewards[6].cancelDays == 7)
        #expect(rewards[6].kind == .gift && rewards[7].kind == .donation)
        #expect(rewards[4].appliesTo == ProductScope(categories: ["socks", "hats"]) && rewards[4].maxDiscount == 2_000 && rewards[4].usableAfterDays == 1)
        #expect(rewards[5].kind == .cheapestFree && rewards[5].freeQuantity == 1 && rewards[5].minimumOrder == 8_000 && rewards[5].exclusive)
        #expect(!rewards[4].exclusive)
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
        // Split over the lines by their net (3,500 and 1,500): 70 % and 30 %.
        #expect(benefit(.percentDiscount(percent: 15)) == .success(CouponBenefit(discount: 750, freeShipping: false,
                                                                                  lines: [part(0, "TEE", 525), part(1, "SOCK", 225)])))
        #expect(benefit(.fixedDiscount(amount: 1_000)) == .success(CouponBenefit(discount: 1_000, freeShipping: false,
                                                                                  lines: [part(0, "TEE", 700), part(1, "SOCK", 300)])))
        #expect(benefit(.fixedDiscount(amount: 9_000)) == .success(CouponBenefit(discount: 5_000, freeShipping: false,
                                                                                  lines: [part(0, "TEE", 3_500), part(1, "SOCK", 1_500)])))
        #expect(benefit(.freeShipping) == .success(CouponBenefit(discount: 0, freeShipping: true)))
        #expect(benefit(.freeProduct(sku: "SOCK")) == .success(CouponBenefit(discount: 500, freeShipping: false, freeSKU: "SOCK",
                                                                               lines: [part(1, "SOCK", 500)])))
        #expect(benefit(.freeProduct(sku: "CAP")) == .failure(.productNotInCart))
        #expect(benefit(.fixedDiscount(amount: 1_000), minimum: 5_001) == .failure(.belowMinimum))
        #expect(Reward(id: "r", kind: .gift, cost: 1, title: [:]).benefit(for: cart, currency: "CHF") == .failure(.currencyMismatch))
    }

    /// The fashion example's new-collection rules, worked out by hand: three pieces at €60 in
    /// March 2027, a second order, from the app. 180 points, 1.25 times on the collection (+45),
    /// 150 for three pieces worth €150 or more, and that rule stops the app bonus after it: 375.
    @Test func theFashionExamplesCollectionRulesByHand() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/fashion-shop.json")
        let program = try Program.parse(try Data(contentsOf: url))
        let at = Timestamp.parse("2027-03-10T12:00:00Z")!
        func order(_ pieces: Int) -> Order {
            Order(reference: "O\(pieces)", at: at, channel: "app", currency: "EUR",
                  lines: [OrderLine(sku: "JACKET", category: "new_collection", quantity: pieces, unitPrice: 6_000)])
        }
        var counters: [String: Int] = [:]
        let three = program.evaluate(order(3), history: MemberHistory(earlier: [at.addingTimeInterval(-86_400)]), counters: &counters)
        #expect(credits(three.effects) == [180, 45, 150], "\(three.effects)")
        // Two pieces (€120) miss the collection bonus: the app bonus applies instead. 120 + 30 + 20.
        var others: [String: Int] = [:]
        let two = program.evaluate(order(2), history: MemberHistory(earlier: [at.addingTimeInterval(-86_400)]), counters: &others)
        #expect(credits(two.effects) == [120, 30, 20], "\(two.effects)")
    }

    func credits(_ effects: [Effect]) -> [Int] {
        effects.compactMap { if case let .credit(points, _, _, _) = $0 { points } else { nil } }
    }

    func part(_ index: Int, _ sku: String, _ discount: Int) -> LineDiscount { LineDiscount(index: index, sku: sku, discount: discount) }

    /// A shirt line of 2 × 20.00 less 5.00 (3,500), socks 3 × 5.00 (1,500), a cap 9.99 (999):
    /// 59.99 of goods. Every figure below can be worked out on paper.
    @Test func discountsForSomeProductsCappedCheapestFirstAndSplitOverTheLines() {
        let cart = Cart(currency: "EUR", lines: [line("TEE", 2, 2_000, discount: 500, category: "shirts"), line("SOCK", 3, 500, category: "socks"),
                                                 line("CAP", 1, 999, category: "hats")])
        func benefit(_ kind: Reward.Kind, to scope: ProductScope = .everything, cap: Int? = nil, quantity: Int? = 1) -> Result<CouponBenefit, CouponRefusal> {
            Reward(id: "r", kind: kind, cost: 1, title: [:], appliesTo: scope, maxDiscount: cap, freeQuantity: quantity).benefit(for: cart, currency: "EUR")
        }
        // 20 % of socks and hats (2,499) is 499.8, rounded down to 499; split 1,500 : 999 gives
        // 299.5 and 199.5 → 299 + 199 = 498, and the cent left goes to the larger remainder (socks).
        #expect(benefit(.percentDiscount(percent: 20), to: ProductScope(categories: ["socks", "hats"]))
                == .success(CouponBenefit(discount: 499, freeShipping: false, lines: [part(1, "SOCK", 300), part(2, "CAP", 199)])))
        // 50 % of everything (2,999) capped at 10.00; 1,000 × 3,500/5,999 = 583.4, × 1,500/5,999 = 250.04,
        // × 999/5,999 = 166.5: 583 + 250 + 166 = 999, the last cent to the cap (remainder .53).
        let capped = [part(0, "TEE", 583), part(1, "SOCK", 250), part(2, "CAP", 167)]
        #expect(benefit(.percentDiscount(percent: 50), cap: 1_000) == .success(CouponBenefit(discount: 1_000, freeShipping: false, lines: capped)))
        #expect(benefit(.fixedDiscount(amount: 1_000)) == .success(CouponBenefit(discount: 1_000, freeShipping: false, lines: capped)))
        // A fixed discount on socks only takes at most their value.
        #expect(benefit(.fixedDiscount(amount: 2_000), to: ProductScope(skus: ["SOCK"]))
                == .success(CouponBenefit(discount: 1_500, freeShipping: false, lines: [part(1, "SOCK", 1_500)])))
        #expect(benefit(.percentDiscount(percent: 10), to: ProductScope(skus: ["BAG"])) == .failure(.productNotInCart))

        // The cheapest unit is a sock (5.00; a shirt is 17.50 after its line's discount, the cap 9.99).
        #expect(benefit(.cheapestFree) == .success(CouponBenefit(discount: 500, freeShipping: false, freeSKU: "SOCK", lines: [part(1, "SOCK", 500)])))
        #expect(benefit(.cheapestFree, quantity: 2) == .success(CouponBenefit(discount: 1_000, freeShipping: false, freeSKU: "SOCK", lines: [part(1, "SOCK", 1_000)])))
        // Four units: the three socks, then the cap.
        #expect(benefit(.cheapestFree, quantity: 4) == .success(CouponBenefit(discount: 2_499, freeShipping: false, freeSKU: "SOCK",
                                                                              lines: [part(1, "SOCK", 1_500), part(2, "CAP", 999)])))
        #expect(benefit(.cheapestFree, to: ProductScope(categories: ["shirts", "hats"]))
                == .success(CouponBenefit(discount: 999, freeShipping: false, freeSKU: "CAP", lines: [part(2, "CAP", 999)])))
        #expect(benefit(.cheapestFree, cap: 700, quantity: 2) == .success(CouponBenefit(discount: 700, freeShipping: false, freeSKU: "SOCK", lines: [part(1, "SOCK", 700)])))
        // A free product for all its units, or two of them; the shirt's units at 17.50 each.
        #expect(benefit(.freeProduct(sku: "SOCK"), quantity: nil) == .success(CouponBenefit(discount: 1_500, freeShipping: false, freeSKU: "SOCK", lines: [part(1, "SOCK", 1_500)])))
        #expect(benefit(.freeProduct(sku: "TEE"), quantity: 1) == .success(CouponBenefit(discount: 1_750, freeShipping: false, freeSKU: "TEE", lines: [part(0, "TEE", 1_750)])))
        #expect(benefit(.freeProduct(sku: "TEE"), quantity: 5) == .success(CouponBenefit(discount: 3_500, freeShipping: false, freeSKU: "TEE", lines: [part(0, "TEE", 3_500)])))
    }

    @Test func theNewRewardFieldsAreReadAndCheckedFromTheDocument() throws {
        let good = #"""
            {"name": "x", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"}, "earning": {"rules": []},
             "rewards": [
              {"id": "socks-20", "type": "percent_discount", "percent": 20, "cost": 300, "applies_to": {"categories": ["socks"]},
               "max_discount": 1500, "usable_after_days": 3, "coupon_days": 30, "title": {"en": "a", "de": "b", "vi": "c"}},
              {"id": "cheapest", "type": "cheapest_free", "quantity": 2, "cost": 500, "title": {"en": "a", "de": "b", "vi": "c"}},
              {"id": "all-socks", "type": "free_product", "sku": "SOCK", "quantity": "all", "cost": 500, "title": {"en": "a", "de": "b", "vi": "c"}}]}
            """#
        let program = try Program.parse(Data(good.utf8))
        #expect(program.rewards[0].appliesTo == ProductScope(categories: ["socks"]) && program.rewards[0].maxDiscount == 1_500)
        #expect(program.rewards[0].usableAfterDays == 3 && program.rewards[1].kind == .cheapestFree && program.rewards[1].freeQuantity == 2)
        #expect(program.rewards[2].freeQuantity == nil)
        let bad = #"""
            {"name": "x", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"}, "earning": {"rules": []},
             "rewards": [
              {"id": "a", "type": "gift", "cost": 1, "applies_to": {"skus": ["X"]}, "quantity": 2, "title": {"en": "a", "de": "b", "vi": "c"}},
              {"id": "b", "type": "fixed_discount", "amount": 100, "cost": 1, "max_discount": 50, "applies_to": {}, "title": {"en": "a", "de": "b", "vi": "c"}},
              {"id": "c", "type": "cheapest_free", "cost": 1, "quantity": "some", "usable_after_days": 30, "coupon_days": 30, "title": {"en": "a", "de": "b", "vi": "c"}}]}
            """#
        let error = #expect(throws: ProgramProblems.self) { try Program.parse(Data(bad.utf8)) }
        #expect(error?.problems.map(\.path) == ["rewards[0].applies_to", "rewards[0].quantity", "rewards[1].applies_to", "rewards[1].max_discount",
                                                 "rewards[2].quantity", "rewards[2].usable_after_days"])
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
