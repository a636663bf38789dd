import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// Coupons and rewards' stock, alike on every engine, under concurrency.
@Suite("Store conformance: coupons")
struct CouponConformanceTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    func day(_ n: Double) -> Date { now.addingTimeInterval(n * 86_400) }

    func member(_ i: Int, points: Int, _ store: any Store) async throws -> UUID {
        let member = try sampleMember(name: "Member \(i)", emails: ["m\(i)@example.com"])
        try await store.enrol(member)
        let now = self.now
        try await store.changePoints(of: member.id, loadingLotsOf: nil) { ledger in
            _ = try ledger.credit(points, at: now, expiresAt: nil, source: nil, cause: Cause(reason: "test"), kind: .adjustment)
        }
        return member.id
    }

    func coupon(_ code: String, for member: UUID, reward: String = "ten-off") -> Coupon {
        Coupon(code: code, rewardID: reward, member: member, points: 100, issuedAt: now, expiresAt: now.addingTimeInterval(86_400))
    }

    func redeem(_ coupon: Coupon, stock: Int?, _ store: any Store) async throws -> Coupon {
        let now = self.now
        return try await store.redeem(coupon, origin: nil, stock: stock, countingSince: now.addingTimeInterval(-3_600)) { ledger, _ in
            _ = try ledger.debit(100, at: now, cause: Cause(event: "coupon:\(coupon.code)"))
        }
    }

    @Test(arguments: TestStores.available)
    func aRewardsStockIsNeverExceededAndARefusalCostsNothing(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            var members: [UUID] = []
            for i in 0..<20 { members.append(try await member(i, points: 150, store)) }
            // Twenty members at once for five coupons: five get one and pay 100 points; fifteen keep theirs.
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for (i, member) in members.enumerated() {
                    group.addTask {
                        do {
                            _ = try await redeem(coupon(String(format: "CODE-%04d", i), for: member), stock: 5, store)
                            return true
                        } catch CouponRefusal.outOfStock {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.count { $0 } == 5)
            var balances: [Int] = []
            for member in members { balances.append(try await store.points(of: member, loadingLotsOf: nil).balance.available) }
            #expect(balances.count { $0 == 50 } == 5 && balances.count { $0 == 150 } == 15)
            var coupons = 0
            for member in members { coupons += try await store.coupons(of: member).count }
            #expect(coupons == 5)
        }
    }

    /// Two members redeem three coupons of 100 points; one is cancelled within its window and
    /// its points come back: the totals count what stands (2 coupons, 200 points, 2 members).
    @Test(arguments: TestStores.available)
    func aCancelledCouponGivesItsPointsBackAndLeavesTheTotals(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try await member(1, points: 500, store), ben = try await member(2, points: 500, store)
            let first = try await redeem(coupon("AAAA-AAAA-AAAA", for: ana), stock: nil, store)
            _ = try await redeem(coupon("BBBB-BBBB-BBBB", for: ana), stock: nil, store)
            _ = try await redeem(coupon("CCCC-CCCC-CCCC", for: ben), stock: nil, store)
            #expect(try await store.rewardTotals(["ten-off", "other"]) == ["ten-off": RewardTotal(coupons: 3, points: 300, members: 2)])
            #expect(try await store.points(of: ana, loadingLotsOf: nil).balance.available == 300)
            let now = self.now
            // What `check` refuses is not cancelled.
            #expect(try await store.cancelCoupon(code: first.code, order: nil, at: now, { _ in .cancelWindowClosed }, refund: { _, _ in }) == .failure(.cancelWindowClosed))
            let cancelled = try await store.cancelCoupon(code: first.code, order: nil, at: now, { _ in nil }) { ledger, spent in
                #expect(spent.map(\.points) == [100])
                ledger.refund(spent, at: now, cause: Cause(event: "coupon:\(first.code)", reason: "cancelled"))
            }
            #expect(cancelled.map(\.status) == .success(.cancelled))
            #expect(try await store.points(of: ana, loadingLotsOf: nil).balance.available == 400)
            #expect(try await store.rewardTotals(["ten-off"]) == ["ten-off": RewardTotal(coupons: 2, points: 200, members: 2)])
            // Once: a second cancellation is refused as such, and gives nothing.
            #expect(try await store.cancelCoupon(code: first.code, order: nil, at: now, { $0.status == .cancelled ? .cancelled : nil }, refund: { _, _ in })
                    == .failure(.cancelled))
            #expect(try await store.cancelCoupon(code: "NOPE-NOPE-NOPE", order: nil, at: now, { _ in nil }, refund: { _, _ in }) == .failure(.couponNotFound))
            #expect(try await store.points(of: ana, loadingLotsOf: nil).balance.available == 400)
        }
    }

    @Test(arguments: TestStores.available)
    func aCouponIsUsedOnExactlyOneOfAHundredOrdersAtOnce(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try await member(1, points: 500, store)
            let issued = try await redeem(coupon("K7QX-2M9P-H4TW", for: ana), stock: nil, store)
            #expect(try await store.coupon(code: issued.code) == issued)
            let now = self.now
            let outcomes = try await withThrowingTaskGroup(of: Result<Coupon, CouponRefusal>.self) { group in
                for i in 0..<100 {
                    group.addTask { try await store.useCoupon(code: issued.code, order: "order-\(i)", at: now) { _, _ in nil } }
                }
                return try await group.reduce(into: [Result<Coupon, CouponRefusal>]()) { $0.append($1) }
            }
            let used = outcomes.compactMap { try? $0.get() }
            #expect(used.count == 1 && outcomes.count { if case .failure(.used) = $0 { true } else { false } } == 99)
            let order = try #require(used.first?.order)
            // The same order again gets the same answer; another is refused.
            #expect(try await store.useCoupon(code: issued.code, order: order, at: now) { _, _ in nil } == .success(used[0]))
            #expect(try await store.useCoupon(code: issued.code, order: "late", at: now) { _, _ in nil } == .failure(.used))
            // The order is cancelled: voided, the coupon works again — once.
            #expect(try await store.voidCoupon(code: issued.code, order: "late") == .failure(.used))
            #expect(try await store.voidCoupon(code: issued.code, order: order).map(\.status) == .success(.issued))
            #expect(try await store.useCoupon(code: issued.code, order: "again", at: now) { _, _ in nil }.map(\.order) == .success("again"))
            #expect(try await store.useCoupon(code: "NOPE-NOPE-NOPE", order: "x", at: now) { _, _ in nil } == .failure(.couponNotFound))
            // What `check` refuses is not used.
            let other = try await redeem(coupon("AAAA-BBBB-CCCC", for: ana), stock: nil, store)
            #expect(try await store.useCoupon(code: other.code, order: "y", at: now) { _, _ in .belowMinimum } == .failure(.belowMinimum))
            #expect(try await store.coupon(code: other.code)?.status == .issued)
        }
    }

    @Test(arguments: TestStores.available)
    func aPrizeWithAnOriginIsIssuedOnce(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try await member(1, points: 1, store)
            let now = self.now
            func prize(_ code: String) async throws -> Coupon {
                try await store.redeem(Coupon(code: code, rewardID: "ten-off", member: ana, points: 0, issuedAt: now, expiresAt: now.addingTimeInterval(86_400)),
                                       origin: "referral:r1:referred", stock: 1, countingSince: nil) { _, _ in }
            }
            // Issued again under the same origin (a rerun, another server): the first coupon, and the stock of one not taken twice.
            let first = try await prize("PRIZ-EONE-AAAA")
            #expect(try await prize("PRIZ-ETWO-BBBB") == first)
            #expect(try await store.coupons(of: ana).map(\.code) == ["PRIZ-EONE-AAAA"])
            await #expect(throws: CouponRefusal.outOfStock) {
                try await store.redeem(Coupon(code: "OTHE-RPRI-ZEEE", rewardID: "ten-off", member: ana, points: 0, issuedAt: now,
                                              expiresAt: now.addingTimeInterval(86_400)), origin: "referral:r2:referred", stock: 1, countingSince: nil) { _, _ in }
            }
        }
    }

    /// Donations to causes members name are summed by cause; a reward's donation (its
    /// redemption names the event) is counted with its reward, not here.
    @Test(arguments: TestStores.available)
    func namedDonationsAreSummedByCause(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let (ana, ben) = (try sampleMember(), try sampleMember(emails: ["ben@example.com"]))
            try await store.enrol(ana)
            try await store.enrol(ben)
            let day = self.day
            for (member, gifts) in [(ana.id, [("Trees", 30), ("Trees", 20)]), (ben.id, [("Trees", 5), ("Bees", 7)])] {
                _ = try await store.changePoints(of: member, loadingLotsOf: nil) { ledger in
                    try ledger.credit(100, at: day(0), expiresAt: nil, source: nil, cause: Cause(reason: "x"), kind: .adjustment)
                    for (cause, points) in gifts { try ledger.donate(points, to: cause, at: day(1), actor: nil) }
                    try ledger.debit(10, at: day(1), cause: Cause(event: "coupon:ABC", reason: "donation to Trees"), kind: .donation)
                }
            }
            let totals = try await store.namedDonations()
            #expect(totals == ["donation to Trees": RewardTotal(coupons: 3, points: 55, members: 2),
                               "donation to Bees": RewardTotal(coupons: 1, points: 7, members: 1)])
        }
    }

    /// A shop's list of gifts: the coupons of some rewards by status, in code order, in pages.
    @Test(arguments: TestStores.available)
    func couponsOfRewardsAreListedByStatusInPages(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try await member(1, points: 1_000, store)
            for code in ["GIFT-AAAA-0001", "GIFT-AAAA-0002", "GIFT-AAAA-0003"] { _ = try await redeem(coupon(code, for: ana, reward: "workshop"), stock: nil, store) }
            _ = try await redeem(coupon("TENO-FFFF-0001", for: ana), stock: nil, store)
            let now = self.now
            #expect(try await store.useCoupon(code: "GIFT-AAAA-0002", order: "booking-7", at: now) { _, _ in nil }.map(\.status) == .success(.used))
            #expect(try await store.coupons(ofRewards: ["workshop"], status: .issued, after: nil, limit: 10).map(\.code) == ["GIFT-AAAA-0001", "GIFT-AAAA-0003"])
            #expect(try await store.coupons(ofRewards: ["workshop"], status: .issued, after: "GIFT-AAAA-0001", limit: 1).map(\.code) == ["GIFT-AAAA-0003"])
            #expect(try await store.coupons(ofRewards: ["workshop"], status: .used, after: nil, limit: 10).map(\.order) == ["booking-7"])
            #expect(try await store.coupons(ofRewards: ["workshop", "ten-off"], status: .issued, after: nil, limit: 10).count == 3)
        }
    }
}
