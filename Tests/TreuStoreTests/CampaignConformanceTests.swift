import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// Coupon campaigns' codes and budgets, alike on every engine, under concurrency.
@Suite("Store conformance: coupon campaigns")
struct CampaignConformanceTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func campaign(uses: Int?, money: Int? = nil, _ store: any Store) async throws -> CouponCampaign {
        let campaign = CouponCampaign(id: UUID(), name: "Newsletter", reward: Reward(id: "c", kind: .fixedDiscount(amount: 500), cost: 0, title: [:]),
                                      pattern: CouponCampaign.defaultPattern, expiresAt: nil, budget: .init(uses: uses, money: money), createdAt: now)
        try await store.createCampaign(campaign)
        return campaign
    }

    @Test(arguments: TestStores.available)
    func aBudgetOfAThousandUsesHoldsUnder64ConcurrentRedemptions(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let newsletter = try await campaign(uses: 1_000, store)
            let codes = (0..<1_152).map { String(format: "CODE-%08d", $0) }
            #expect(try await store.addCampaignCodes(codes, to: newsletter.id) == 1_152)
            let now = self.now
            // 64 tills, 18 codes each, all at once: exactly 1,000 orders get a code.
            let results = try await withThrowingTaskGroup(of: [Bool].self) { group in
                for till in 0..<64 {
                    group.addTask {
                        var used: [Bool] = []
                        for code in codes[(till * 18)..<(till * 18 + 18)] {
                            let result = try await store.useCampaignCode(code, order: "order-\(code)", discount: 500, at: now) { _, _ in nil }
                            switch result {
                            case .success: used.append(true)
                            case .failure(let refusal): #expect(refusal == .budgetSpent); used.append(false)
                            }
                        }
                        return used
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0 += $1 }
            }
            #expect(results.count { $0 } == 1_000 && results.count == 1_152)
            let stored = try #require(try await store.campaign(id: newsletter.id))
            #expect(stored.usedUses == 1_000 && stored.usedMoney == 500_000)
        }
    }

    /// The codes used on one order, a member's coupon and a campaign's alike, and two codes for
    /// one order at once: used one after the other, so a rule that lets only one in holds.
    @Test(arguments: TestStores.available)
    func theCodesOfAnOrderAreReadAndUsedOneAfterTheOther(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember(name: "Ana", emails: ["ana@example.com"])
            try await store.enrol(member)
            let now = self.now
            let coupon = Coupon(code: "K7QX-2M9P-H4TW", rewardID: "ten-off", member: member.id, points: 0, issuedAt: now, expiresAt: now.addingTimeInterval(86_400))
            _ = try await store.redeem(coupon, origin: nil, stock: nil, countingSince: nil) { _, _ in }
            let exclusive = CouponCampaign(id: UUID(), name: "Alone", reward: Reward(id: "c", kind: .fixedDiscount(amount: 500), cost: 0, title: [:], exclusive: true),
                                           pattern: CouponCampaign.defaultPattern, expiresAt: nil, budget: .init(), createdAt: now)
            try await store.createCampaign(exclusive)
            #expect(try await store.addCampaignCodes(["ALONE-1", "ALONE-2", "ALONE-3"], to: exclusive.id) == 3)
            #expect(try await store.useCoupon(code: coupon.code, order: "O1", at: now) { _, _ in nil }.map(\.order) == .success("O1"))
            #expect(try await store.useCampaignCode("ALONE-1", order: "O1", discount: 500, at: now) { _, others in
                others == [CodeOnOrder(code: "K7QX-2M9P-H4TW", rewardID: "ten-off")] ? nil : .couponNotFound
            }.map(\.order) == .success("O1"))
            let onO1 = try await store.codes(onOrder: "O1", except: "")
            #expect(onO1.map(\.code) == ["ALONE-1", "K7QX-2M9P-H4TW"] && onO1[0].campaignReward?.exclusive == true && onO1[1].rewardID == "ten-off")
            #expect(try await store.codes(onOrder: "O1", except: "ALONE-1").map(\.code) == ["K7QX-2M9P-H4TW"])
            #expect(try await store.codes(onOrder: "O2", except: "").isEmpty)

            // Two codes for order O2 at once, each refused if another is on the order: one gets in.
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for code in ["ALONE-2", "ALONE-3"] {
                    group.addTask {
                        let result = try await store.useCampaignCode(code, order: "O2", discount: 500, at: now) { _, others in others.isEmpty ? nil : .notCombinable }
                        return (try? result.get()) != nil
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.count { $0 } == 1)
            #expect(try await store.codes(onOrder: "O2", except: "").count == 1)
        }
    }

    @Test(arguments: TestStores.available)
    func codesAreDistinctUsedOnceAndGiveBackTheirBudgetWhenVoided(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let partner = try await campaign(uses: nil, money: 1_200, store)
            #expect(try await store.addCampaignCodes(["AAAA", "BBBB", "CCCC", "AAAA"], to: partner.id) == 3)
            #expect(try await store.addCampaignCodes(["BBBB", "DDDD"], to: partner.id) == 1)
            #expect(try await store.campaignCodes(of: partner.id, after: nil, limit: 10).map(\.code) == ["AAAA", "BBBB", "CCCC", "DDDD"])
            #expect(try await store.campaignCodes(of: partner.id, after: "BBBB", limit: 1).map(\.code) == ["CCCC"])
            #expect(try await store.campaignCode("CCCC") == CampaignCode(code: "CCCC", campaign: partner.id))
            #expect(try await store.campaignCode("ZZZZ") == nil)
            let now = self.now
            // €5 and €5 fit a budget of €12; a third €5 does not.
            #expect(try await store.useCampaignCode("AAAA", order: "O1", discount: 500, at: now) { _, _ in nil }.map(\.order) == .success("O1"))
            #expect(try await store.useCampaignCode("AAAA", order: "O1", discount: 500, at: now) { _, _ in nil }.map(\.status) == .success(.used))
            #expect(try await store.campaignCode("AAAA").map { ($0.status, $0.order, $0.discount) } ?? (.issued, nil, nil) == (.used, "O1", 500))
            #expect(try await store.useCampaignCode("AAAA", order: "O2", discount: 500, at: now) { _, _ in nil } == .failure(.used))
            #expect(try await store.useCampaignCode("BBBB", order: "O2", discount: 500, at: now) { _, _ in nil }.map(\.discount) == .success(500))
            #expect(try await store.useCampaignCode("CCCC", order: "O3", discount: 500, at: now) { _, _ in nil } == .failure(.budgetSpent))
            #expect(try await store.useCampaignCode("DDDD", order: "O3", discount: 500, at: now) { _, _ in .expired } == .failure(.expired))
            // O1 is cancelled: its €5 go back to the budget and AAAA works again.
            #expect(try await store.voidCampaignCode("AAAA", order: "O9") == .failure(.used))
            #expect(try await store.voidCampaignCode("AAAA", order: "O1").map(\.status) == .success(.issued))
            #expect(try await store.campaign(id: partner.id)?.usedMoney == 500)
            #expect(try await store.useCampaignCode("CCCC", order: "O3", discount: 500, at: now) { _, _ in nil }.map(\.status) == .success(.used))
            #expect(try await store.useCampaignCode("ZZZZ", order: "O4", discount: 0, at: now) { _, _ in nil } == .failure(.couponNotFound))
        }
    }
}
