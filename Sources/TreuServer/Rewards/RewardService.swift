import Foundation
import Synchronization
import TreuCore
import TreuStore

/// The rewards catalog of the program in force, redemption into single-use coupons, and the
/// coupons at checkout: validate, use on an order (exactly once), void when the order is cancelled.
public struct RewardService: Sendable {
    let store: any MemberStore & CouponStore & CampaignStore
    let clock: TreuClock
    let ids: IDGenerator
    let programs: ProgramService
    /// The campaign of the last campaign code found: an unknown code reads and applies it, so
    /// that it costs what a known one does.
    private let decoy = Decoy()
    /// The least time a checkout answer (validate, redeem, void) takes: the work for a known and
    /// an unknown code differs by some microseconds, and a caller timing answers to find codes
    /// that exist sees this floor instead.
    let answerFloor: Duration
    let notices: NoticeBoard

    public init(store: any MemberStore & CouponStore & CampaignStore, clock: TreuClock, ids: IDGenerator, programs: ProgramService,
                answerFloor: Duration = .milliseconds(2), notices: NoticeBoard = .silent) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.programs = programs
        self.answerFloor = answerFloor
        self.notices = notices
    }

    /// `work`'s result, not before `answerFloor` has passed since it began.
    private func padded<T>(_ work: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + answerFloor
        let result = try await work()
        try? await Task.sleep(until: deadline, clock: .continuous)
        return result
    }

    public func catalog() async throws -> (rewards: [Reward], version: Int) {
        let version = try await programs.book().version(at: clock.now())
        return (version.program.rewards, version.number)
    }

    /// The causes of the program in force (its donation rewards), each with what members have
    /// given so far.
    public func causes() async throws -> [(reward: Reward, total: RewardTotal)] {
        let causes = try await catalog().rewards.filter { $0.kind == .donation }
        let totals = try await store.rewardTotals(causes.map(\.id))
        return causes.map { ($0, totals[$0.id] ?? RewardTotal(coupons: 0, points: 0, members: 0)) }
    }

    /// The causes members named in their own donations, with what each was given, by name.
    public func namedCauses() async throws -> [(cause: String, total: RewardTotal)] {
        let prefix = MemberLedger.donationPrefix
        return try await store.namedDonations().compactMap { reason, total in
            reason.hasPrefix(prefix) ? (String(reason.dropFirst(prefix.count)), total) : nil
        }.sorted { $0.cause < $1.cause }
    }

    /// - Throws: `Problem.memberNotFound` when no member has the id (every member route 404s then).
    func requireMember(_ id: UUID) async throws {
        guard try await store.member(id: id) != nil else { throw Problem.memberNotFound }
    }

    /// A member's coupons, newest first. - Throws: `Problem.memberNotFound`.
    public func coupons(of member: UUID) async throws -> [Coupon] {
        try await requireMember(member)
        return try await store.coupons(of: member)
    }

    /// The member's early-access coupons in force at this moment (issued, not expired), of any
    /// version's early-access rewards: what the shop's site reads to open a sale early.
    public func earlyAccess(of member: UUID) async throws -> [Coupon] {
        let now = clock.now()
        let rewards = try await rewardIDs(of: .earlyAccess)
        return try await store.coupons(of: member).filter { rewards.contains($0.rewardID) && $0.refusal(at: now, member: nil) == nil }
    }

    /// Gift and experience coupons to hand over (`done` false: issued) or handed over (used),
    /// of every version's gift rewards, by code after `after`.
    public func gifts(done: Bool, after: String?, limit: Int) async throws -> [Coupon] {
        try await store.coupons(ofRewards: rewardIDs(of: .gift).sorted(), status: done ? .used : .issued, after: after, limit: limit)
    }

    /// The ids of every program version's rewards of `kind`: coupons outlive the version that issued them.
    private func rewardIDs(of kind: Reward.Kind) async throws -> Set<String> {
        Set(try await programs.book().versions.flatMap { $0.program.rewards.filter { $0.kind == kind }.map(\.id) })
    }

    /// Redeems a reward: the points are debited (soonest-expiring first) and a coupon issued,
    /// valid to the end of its `coupon_days`-th day (program's zone).
    /// - Throws: `CouponRefusal` (reward_not_found, reward_not_available, tier_not_reached,
    ///   out_of_stock, limit_reached), `LedgerError.insufficientPoints`, `StoreError.notFound`.
    public func redeem(_ rewardID: String, for member: UUID) async throws -> Coupon {
        let now = clock.now()
        let program = try await programs.book().version(at: now).program
        guard let reward = program.reward(rewardID) else { throw CouponRefusal.rewardNotFound }
        if let refusal = reward.refusal(at: now, level: nil), refusal != .tierNotReached { throw refusal }
        // A donation is given at once: its coupon is the receipt, used.
        let donation = reward.kind == .donation
        var issued = newCoupon(reward, for: member, points: reward.cost, at: now, program: program)
        if donation { (issued.status, issued.usedAt) = (.used, now) }
        let coupon = issued
        let since = reward.limit.map { program.period($0.per, containing: now).start }
        let board = notices
        return try await store.redeem(coupon, origin: nil, stock: reward.stock, countingSince: since) { ledger, issued in
            let level = program.tiers.flatMap { tiers in
                tiers.level(counters: ledger.counters, at: now, timeZone: program.timeZone).map { tiers.levels[$0].name }
            }
            if let refusal = reward.refusal(at: now, level: level) { throw refusal }
            if let limit = reward.limit, issued >= limit.count { throw CouponRefusal.limitReached }
            _ = try ledger.debit(reward.cost, at: now, cause: Cause(event: Coupon.redemptionEvent(coupon.code), rule: "reward: \(reward.id)",
                                                                    reason: donation ? "donation to \(reward.title["en"] ?? reward.id)" : nil),
                                 kind: donation ? .donation : .debit)
            let interest = board.interest
            ledger.noteEntries(interest, at: now, ids: board.ids)
            ledger.note(.rewardRedeemed, RedemptionNoticeFields(coupon, reward: reward, balance: ledger.balance), interest: interest, at: now,
                        ids: board.ids)
            ledger.note(.couponIssued, CouponNoticeFields(coupon), interest: interest, at: now, ids: board.ids)
        }
    }

    /// Gives a reward of the catalog as a prize (no points), once per `origin`: a second call,
    /// from another server or a rerun, returns the coupon issued first. Nil when the reward's
    /// stock is spent (the prize is gone).
    public func award(_ reward: Reward, to member: UUID, origin: String, at now: Date, program: Program) async throws -> Coupon? {
        let coupon = newCoupon(reward, for: member, points: 0, at: now, program: program)
        do {
            return try await store.redeem(coupon, origin: origin, stock: reward.stock, countingSince: nil) { _, _ in }
        } catch CouponRefusal.outOfStock {
            return nil
        } catch {
            // Two servers at once: the other one's insert won (the origin is unique); read it back.
            return try await store.redeem(coupon, origin: origin, stock: reward.stock, countingSince: nil) { _, _ in }
        }
    }

    /// When each coupon with a waiting time (its reward's `usable_after_days`) can first be
    /// used, by code; coupons usable from their issue are left out.
    public func usableFrom(_ coupons: [Coupon]) async throws -> [String: Date] {
        // The reward as checkout reads it (`Self.refusal`): the program in force's.
        let program = try await programs.book().version(at: clock.now()).program
        var dates: [String: Date] = [:]
        for coupon in coupons {
            let reward = program.reward(of: coupon)
            guard reward.usableAfterDays > 0 else { continue }
            dates[coupon.code] = coupon.usableFrom(reward, program: program)
        }
        return dates
    }

    /// A new code for `reward`, valid to the end of its `coupon_days`-th day (program's zone).
    private func newCoupon(_ reward: Reward, for member: UUID, points: Int, at now: Date, program: Program) -> Coupon {
        Coupon(code: ShortCode.coupon(from: ids.next()), rewardID: reward.id, member: member, points: points, issuedAt: now,
               expiresAt: program.midnight(ending: reward.couponDays, after: now))
    }

    /// What the code would take off the cart, or why it would not: a member's coupon or a
    /// campaign's code. With `order`, a coupon that order earned is refused.
    public func validate(_ raw: String, cart: Cart, member: UUID?, order: String? = nil) async throws -> Result<(CheckoutCode, Reward, CouponBenefit), CouponRefusal> {
        try await padded { try await check(raw, cart: cart, member: member, order: order) }
    }

    private func check(_ raw: String, cart: Cart, member: UUID?, order: String?) async throws -> Result<(CheckoutCode, Reward, CouponBenefit), CouponRefusal> {
        let now = clock.now()
        let program = try await programs.book().version(at: now).program
        let code = ShortCode.couponForm(raw)
        // Every code takes the same three reads, known or not, a member's or a campaign's, and an
        // unknown code reads and applies a real campaign (the last one found): how long an answer
        // takes says nothing about whether the code exists.
        let coupon = try await store.coupon(code: code)
        let stored = try await store.campaignCode(code)
        if let stored { decoy.campaign.withLock { $0 = stored.campaign } }
        let campaign = try await store.campaign(id: stored?.campaign ?? decoy.campaign.withLock { $0 } ?? Self.nobody)
        // The codes used on the order so far (none without an order): read for every code alike.
        var others: [CodeOnOrder] = []
        if let order { others = try await store.codes(onOrder: order, except: code) }
        if let coupon {
            if let refusal = Self.refusal(coupon, at: now, member: member, order: order, others: others, program: program) { return .failure(refusal) }
            return Self.benefit(coupon, cart: cart, program: program).map { (.member(coupon), $0.0, $0.1) }
        }
        guard let stored, let campaign else {
            // The work a campaign's code costs (its checks and reward applied), for nothing.
            let stand = campaign ?? Self.placeholder
            _ = stand.refusal(at: now)
            _ = stand.reward.benefit(for: cart, currency: program.currency).map {
                stand.budget.allows(usedUses: stand.usedUses, usedMoney: stand.usedMoney, discount: $0.discount)
            }
            return .failure(.couponNotFound)
        }
        if stored.status == .used { return .failure(.used) }
        if let refusal = campaign.refusal(at: now) { return .failure(refusal) }
        if let refusal = program.stackingRefusal(campaign.reward, with: others) { return .failure(refusal) }
        return campaign.reward.benefit(for: cart, currency: program.currency).flatMap { benefit in
            campaign.budget.allows(usedUses: campaign.usedUses, usedMoney: campaign.usedMoney, discount: benefit.discount)
                ? .success((.campaign(stored), campaign.reward, benefit)) : .failure(.budgetSpent)
        }
    }

    /// Uses the code on an order: once, whatever the concurrency, within a campaign's budget;
    /// the same order again gets the same answer.
    public func use(_ raw: String, order: String, cart: Cart?, member: UUID?) async throws -> Result<(CheckoutCode, Reward, CouponBenefit?), CouponRefusal> {
        try await padded { try await take(raw, order: order, cart: cart, member: member) }
    }

    private func take(_ raw: String, order: String, cart: Cart?, member: UUID?) async throws -> Result<(CheckoutCode, Reward, CouponBenefit?), CouponRefusal> {
        let now = clock.now()
        let program = try await programs.book().version(at: now).program
        let code = ShortCode.couponForm(raw)
        let board = notices
        let result = try await store.useCoupon(code: code, order: order, at: now, notices: { coupon in
            board.notices(.couponUsed, member: coupon.member, at: now, CouponNoticeFields(coupon))
        }) { coupon, others in
            if let refusal = Self.refusal(coupon, at: now, member: member, order: order, others: others, program: program) { return refusal }
            guard let cart else { return nil }
            if case .failure(let refusal) = Self.benefit(coupon, cart: cart, program: program) { return refusal }
            return nil
        }
        if case .failure(.couponNotFound) = result, let stored = try await store.campaignCode(code),
           let campaign = try await store.campaign(id: stored.campaign) {
            var benefit = campaign.reward.faceValue
            if let cart {
                switch campaign.reward.benefit(for: cart, currency: program.currency) {
                case .success(let found): benefit = found
                case .failure(let refusal): return .failure(refusal)
                }
            } else if benefit == nil, campaign.budget.money != nil {
                // What a percent off takes from a money budget is known from the cart alone.
                return .failure(.cartRequired)
            }
            return try await store.useCampaignCode(code, order: order, discount: benefit?.discount ?? 0, at: now) { campaign, others in
                campaign.refusal(at: now) ?? program.stackingRefusal(campaign.reward, with: others)
            }
                .map { (.campaign($0), campaign.reward, benefit) }
        }
        return result.map { coupon in
            let reward = program.reward(of: coupon)
            return (.member(coupon), reward, cart.map { try? reward.benefit(for: $0, currency: program.currency).get() } ?? reward.faceValue)
        }
    }

    /// Cancels a member's unused coupon within its reward's `cancel_days`: the points come back
    /// to lots expiring when the spent ones would have (those already past their date do not),
    /// and its unit goes back to the reward's stock.
    public func cancel(_ raw: String, of member: UUID) async throws -> Result<Coupon, CouponRefusal> {
        let now = clock.now()
        let program = try await programs.book().version(at: now).program
        return try await store.cancelCoupon(code: ShortCode.couponForm(raw), order: nil, at: now, { coupon in
            guard coupon.member == member else { return .couponNotFound }
            return coupon.cancelRefusal(at: now, cancelDays: program.reward(of: coupon).cancelDays, program: program)
        }, refund: Self.refund(code: raw, at: now))
    }

    /// Gives back a redemption's points, as spent, to the member's ledger.
    static func refund(code raw: String, at now: Date) -> @Sendable (inout MemberLedger, [(points: Int, expiresAt: Date?)]) -> Void {
        { ledger, spent in
            ledger.refund(spent, at: now, cause: Cause(event: Coupon.redemptionEvent(ShortCode.couponForm(raw)), reason: "redemption cancelled"))
        }
    }

    /// The order the code was used on was cancelled: the coupon works again, or, for a reward
    /// whose `on_void` is `refund`, it is cancelled and its points come back. A campaign's code
    /// works again and its use goes back to the budget.
    public func void(_ raw: String, order: String) async throws -> Result<CheckoutCode, CouponRefusal> {
        try await padded { try await giveBack(raw, order: order) }
    }

    private func giveBack(_ raw: String, order: String) async throws -> Result<CheckoutCode, CouponRefusal> {
        let now = clock.now()
        let code = ShortCode.couponForm(raw)
        let program = try await programs.book().version(at: now).program
        if let coupon = try await store.coupon(code: code), program.reward(of: coupon).onVoid == .refund {
            if coupon.status == .issued { return .success(.member(coupon)) }
            return try await store.cancelCoupon(code: code, order: order, at: now, { coupon in
                coupon.status == .used && coupon.order == order ? nil : coupon.status == .cancelled ? .cancelled : .used
            }, refund: Self.refund(code: code, at: now)).map { .member($0) }
        }
        let result = try await store.voidCoupon(code: code, order: order)
        if case .failure(.couponNotFound) = result {
            return try await store.voidCampaignCode(code, order: order).map { .campaign($0) }
        }
        return result.map { .member($0) }
    }

    /// The id no campaign has.
    static let nobody = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    static let placeholder = CouponCampaign(id: nobody, name: "none", reward: Reward(id: "none", kind: .fixedDiscount(amount: 1), cost: 0, title: [:]),
                                            pattern: CouponCampaign.defaultPattern, expiresAt: nil, budget: .init(), createdAt: .distantPast)

    /// Why a member's coupon cannot be used now on `order` beside the codes already used there
    /// (`others`), nil if it can: the coupon's own state, its reward's waiting days, stacking.
    static func refusal(_ coupon: Coupon, at now: Date, member: UUID?, order: String?, others: [CodeOnOrder], program: Program) -> CouponRefusal? {
        if let refusal = coupon.refusal(at: now, member: member, order: order) { return refusal }
        let reward = program.reward(of: coupon)
        if now < coupon.usableFrom(reward, program: program) { return .notYetValid }
        return program.stackingRefusal(reward, with: others)
    }

    static func benefit(_ coupon: Coupon, cart: Cart, program: Program) -> Result<(Reward, CouponBenefit), CouponRefusal> {
        let reward = program.reward(of: coupon)
        return reward.benefit(for: cart, currency: program.currency).map { (reward, $0) }
    }
}

extension ShortCode {
    /// A coupon code as someone typed it, in its stored form: capitals, groups of four.
    static func couponForm(_ raw: String) -> String {
        let plain = normalize(raw)
        guard plain.count == 12 else { return plain }
        var grouped = ""
        for (i, character) in plain.enumerated() {
            if i > 0, i % 4 == 0 { grouped.append("-") }
            grouped.append(character)
        }
        return grouped
    }
}

private final class Decoy: Sendable {
    let campaign = Mutex<UUID?>(nil)
}

/// A code at checkout: a member's coupon, or a campaign's code.
public enum CheckoutCode: Sendable, Equatable {
    case member(Coupon)
    case campaign(CampaignCode)
}
