import Foundation
import Logging
import ServiceLifecycle
import TreuCore
import TreuStore

/// Referrals over any `Store`: members' codes, a friend enrolling with one, and the timed work
/// that rewards both (or cancels) once the friend's first qualifying order is past its window.
public struct ReferralService: Sendable {
    let store: any Store
    let clock: TreuClock
    let ids: IDGenerator
    let programs: ProgramService
    let events: EventService
    let rewardService: RewardService

    public init(store: any Store, clock: TreuClock, ids: IDGenerator, programs: ProgramService, notices: NoticeBoard = .silent) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.programs = programs
        events = EventService(store: store, clock: clock, ids: ids, programs: programs, enrolUnknown: false, notices: notices)
        rewardService = RewardService(store: store, clock: clock, ids: ids, programs: programs, notices: notices)
    }

    /// The member's code (made on the first ask) and the shop's link for it (nil when the
    /// program in force has no link or no referrals).
    public func code(of member: UUID) async throws -> (code: String, link: String?) {
        let ids = self.ids
        let code = try await store.referralCode(of: member, at: clock.now()) { ShortCode.make(from: ids.next()) }
        let terms = try await programs.book().version(at: clock.now()).program.referrals
        return (code, terms?.link(for: code))
    }

    /// Records that the holder of `code` brought `member`, or refuses it with the reason (a
    /// refused referral is kept, with its reason). `checked`: the program `check(code:)` gave
    /// for this code a moment ago (it is not looked up again).
    /// - Throws: `Problem` `no_referrals` (the program in force has none), `referral_code_unknown`.
    public func refer(code raw: String, member: UUID, checked: Program? = nil) async throws -> Referral {
        let now = clock.now()
        let program = if let checked { checked } else { try await check(code: raw) }
        let code = ShortCode.normalize(raw)
        do {
            return try await store.refer(id: ids.next(), code: code, referred: member, at: now) { facts in
                program.referralRefusal(facts, at: now)
            }
        } catch StoreError.notFound {
            // The code was found a moment ago; what is missing is the friend.
            throw Problem.memberNotFound
        }
    }

    /// The program in force, if it has referrals and someone holds `code`.
    /// - Throws: `Problem` `no_referrals`, `referral_code_unknown`.
    @discardableResult
    public func check(code raw: String) async throws -> Program {
        let version = try await programs.book().version(at: clock.now())
        guard version.program.referrals != nil else {
            throw Problem(.conflict, code: "no_referrals", detail: "the program in force (version \(version.number)) has no referrals")
        }
        guard try await store.member(referralCode: ShortCode.normalize(raw)) != nil else {
            throw Problem(.unprocessableContent, code: "referral_code_unknown", detail: "no member has the referral code '\(raw)'",
                          field: "referral_code")
        }
        return version.program
    }

    /// What a member brought and what brought them: their code, link, referrals by status, and
    /// what their friends bought (net of discounts and returns).
    public func summary(of member: UUID) async throws -> ReferralSummary {
        guard try await store.member(id: member) != nil else { throw Problem.memberNotFound }
        let (code, link) = try await code(of: member)
        let made = try await store.referrals(by: member)
        let friends = made.filter { $0.status != .refused }.map(\.referred)
        let spend = friends.isEmpty ? 0 : try await PurchaseLog.read(store, members: friends).purchases.reduce(0) { $0 + $1.amount }
        return ReferralSummary(code: code, link: link, referredBy: try await store.referral(of: member), referrals: made, friendsSpend: spend)
    }

    /// What one pass of the timed work did.
    public struct Settled: Sendable, Equatable {
        public var qualified = 0
        public var rewarded = 0
        public var cancelled = 0
    }

    /// Decides every referral that has something to decide at `now`: a friend's new orders are
    /// looked at (a first qualifying one starts its window), an ended window rewards both sides
    /// or, after a return that left the order below the minimum, cancels. Each reward is an event
    /// with a reference of its own and the referral moves on only from the status it was read
    /// in: another server, or a run after a crash between the two, credits nothing twice.
    @discardableResult
    public func settle(at now: Date) async throws -> Settled {
        var settled = Settled()
        let book = try await programs.book()
        var seen = Set<UUID>()
        while true {
            let due = try await store.referralsToSettle(at: now, limit: 200).filter { !seen.contains($0.referral.id) }
            guard !due.isEmpty else { return settled }
            for (referral, _) in due {
                seen.insert(referral.id)
                // The terms promised when the friend joined decide.
                let program = book.version(at: referral.createdAt).program
                let log = try await PurchaseLog.read(store, members: [referral.referred])
                let orders = log.referralOrders
                let outcome = program.referralOutcome(orders: orders, at: now)
                let next = referral.settled(by: outcome, at: now) ?? referral
                if case let .rewarded(_, at) = outcome, let terms = program.referrals {
                    try await reward(referral, terms: terms, program: program, at: at)
                }
                guard try await store.updateReferral(next, expected: referral.status, ordersSeen: orders.count) else { continue }
                switch next.status {
                case .qualified where referral.status != .qualified: settled.qualified += 1
                case .rewarded: settled.rewarded += 1
                case .cancelled: settled.cancelled += 1
                default: break
                }
            }
        }
    }

    private func reward(_ referral: Referral, terms: ReferralTerms, program: Program, at: Date) async throws {
        let rewards = [ReferralReward(referral: referral.id, side: .referrer, member: referral.referrer, other: referral.referred,
                                      points: terms.referrerPoints, at: at),
                       ReferralReward(referral: referral.id, side: .referred, member: referral.referred, other: referral.referrer,
                                      points: terms.referredPoints, at: at)]
        let outcomes = try await events.record(rewards.map { reward in
            (IncomingEvent.referralReward(reward), EventService.fingerprint(reward.jsonData))
        })
        for outcome in outcomes {
            if case .refused(let error) = outcome { throw error }
        }
        // Prizes from the catalog, once each (their origin names the referral and the side).
        let prizes = [(terms.referrerReward, referral.referrer, ReferralReward.Side.referrer), (terms.referredReward, referral.referred, .referred)]
        for (id, member, side) in prizes {
            guard let id, let reward = program.reward(id) else { continue }
            _ = try await rewardService.award(reward, to: member, origin: "referral:\(referral.id.uuidString.lowercased()):\(side.rawValue)",
                                              at: at, program: program)
        }
    }
}

/// A member's referrals, for GET /v1/members/{id}/referrals.
public struct ReferralSummary: Sendable {
    public var code: String
    public var link: String?
    public var referredBy: Referral?
    public var referrals: [Referral]
    /// What the friends they brought bought, minor units (net of discounts and returns).
    public var friendsSpend: Int
}
