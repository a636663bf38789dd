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
                            let result = try await store.useCampaignCode(code, order: "order-\(code)", discount: 500, at: now) { _ in nil }
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

    @Test(arguments: TestStores.available)
    func codesAreDistinctUsedOnceAndGiveBackTheirBudgetWhenVoided(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let partner = try await campaign(uses: nil, money: 1_200, store)
            #expect(try await store.addCampaignCodes(["AAAA", "BBBB", "CCCC", "AAAA"], to: partner.id) == 3)
            #expect(try await store.addCampaignCodes(["BBBB", "DDDD"], to: partner.id) == 1)
            #expect(try await store.campaignCodes(of: partner.id, after: nil, limit: 10).map(\.code) == ["AAAA", "BBBB", "CCCC", "DDDD"])
            #expect(try await store.campaignCodes(of: partner.id, after: "BBBB", limit: 1).map(\.code) == ["CCCC"])
            let now = self.now
            // €5 and €5 fit a budget of €12; a third €5 does not.
            #expect(try await store.useCampaignCode("AAAA", order: "O1", discount: 500, at: now) { _ in nil }.map(\.order) == .success("O1"))
            #expect(try await store.useCampaignCode("AAAA", order: "O1", discount: 500, at: now) { _ in nil }.map(\.status) == .success(.used))
            #expect(try await store.useCampaignCode("AAAA", order: "O2", discount: 500, at: now) { _ in nil } == .failure(.used))
            #expect(try await store.useCampaignCode("BBBB", order: "O2", discount: 500, at: now) { _ in nil }.map(\.discount) == .success(500))
            #expect(try await store.useCampaignCode("CCCC", order: "O3", discount: 500, at: now) { _ in nil } == .failure(.budgetSpent))
            #expect(try await store.useCampaignCode("DDDD", order: "O3", discount: 500, at: now) { _ in .expired } == .failure(.expired))
            // O1 is cancelled: its €5 go back to the budget and AAAA works again.
            #expect(try await store.voidCampaignCode("AAAA", order: "O9") == .failure(.used))
            #expect(try await store.voidCampaignCode("AAAA", order: "O1").map(\.status) == .success(.issued))
            #expect(try await store.campaign(id: partner.id)?.usedMoney == 500)
            #expect(try await store.useCampaignCode("CCCC", order: "O3", discount: 500, at: now) { _ in nil }.map(\.status) == .success(.used))
            #expect(try await store.useCampaignCode("ZZZZ", order: "O4", discount: 0, at: now) { _ in nil } == .failure(.couponNotFound))
        }
    }
}
