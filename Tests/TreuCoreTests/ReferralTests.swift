import Foundation
import Testing
import TreuCore

/// Referral cases a person can check by hand: a Berlin shop with a 14-day return window, 500
/// points for the referrer and 250 for the friend once the friend's first order of at least
/// €20 is past that window, at most 2 friends a year.
@Suite("Referrals: terms, codes, refusals and when a reward is due")
struct ReferralTests {
    func t(_ text: String) -> Date { Timestamp.parse(text.count == 10 ? text + "T12:00:00Z" : text)! }

    let program: Program = try! Program.parse(Data("""
        {"name": "Shop", "currency": "EUR", "time_zone": "Europe/Berlin", "pending_days": 14,
         "expiry": {"policy": "never"},
         "earning": {"rules": [{"name": "base", "type": "spend", "points": 1, "per": 100}]},
         "referrals": {"referrer": {"points": 500}, "referred": {"points": 250}, "minimum_order": 2000,
                       "limit": {"count": 2, "per": "year"}, "link": "https://shop.example/r/{code}"}}
        """.utf8))

    func member(_ identities: [Identity], id: Int = 1) -> Member {
        Member(id: UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", id))!, name: nil, locale: .en, birthday: nil,
               attributes: [:], consents: Consents(), status: .active, identities: identities, createdAt: t("2026-01-01"), updatedAt: t("2026-01-01"))
    }

    @Test func theTermsAreReadFromTheDocument() throws {
        let terms = try #require(program.referrals)
        #expect(terms == ReferralTerms(referrerPoints: 500, referredPoints: 250, minimumOrder: 2000, waitDays: nil,
                                       limit: ActionLimit(count: 2, per: .year), link: "https://shop.example/r/{code}"))
        #expect(terms.link(for: "K7QX2M9P") == "https://shop.example/r/K7QX2M9P")
        #expect(Program.standard.referrals == nil)
    }

    @Test func aBadReferralSectionNamesEachProblem() {
        let document = """
            {"name": "S", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"},
             "earning": {"rules": []},
             "referrals": {"referred": {"points": -1}, "link": "https://shop.example/r", "wait_days": 400}}
            """
        let error = #expect(throws: ProgramProblems.self) { try Program.parse(Data(document.utf8)) }
        #expect(error?.problems == [
            ProgramProblem("referrals.referrer", "is required: {\"points\": n} (0 for nothing) and/or {\"reward\": \"a reward's id\"}"),
            ProgramProblem("referrals.referred.points", "is a whole number from 0 to 1000000"),
            ProgramProblem("referrals.wait_days", "is a whole number from 0 to 365"),
            ProgramProblem("referrals.link", "holds {code} where the member's code goes"),
        ])
    }

    @Test func codesAreEightSymbolsWithoutLookAlikes() {
        let id = UUID(uuidString: "9F2C4D6E-1A3B-4C5D-8E7F-0A1B2C3D4E5F")!
        let code = ShortCode.make(from: id)
        #expect(code.count == 8 && code == ShortCode.make(from: id))
        #expect(code.allSatisfy { ShortCode.alphabet.contains($0) })
        for confusable in "01ILO" { #expect(!ShortCode.alphabet.contains(confusable)) }
        #expect(ShortCode.normalize("k7qx-2m9p ") == "K7QX2M9P")
        // Different ids make different codes (1,000 ids: none alike).
        let codes = Set((0..<1_000).map { ShortCode.make(from: UUID(uuidString: String(format: "%08X-0000-4000-8000-%012X", $0 * 7919, $0 * 104_729))!) })
        #expect(codes.count == 1_000)
    }

    @Test func selfReferralIsTheSamePersonAfterLooserNormalisation() throws {
        let anna = member([try Identity(.email, "anna.smith@gmail.com"), try Identity(.card, "00123456")])
        func friend(_ identity: Identity) -> Member { member([identity], id: 2) }
        #expect(Referrals.sameHolder(anna, friend(try Identity(.email, "AnnaSmith+promo@googlemail.com"))))
        #expect(Referrals.sameHolder(anna, friend(try Identity(.card, "123456"))))
        #expect(!Referrals.sameHolder(anna, friend(try Identity(.email, "anna.smith@web.de"))))
        #expect(!Referrals.sameHolder(anna, friend(try Identity(.email, "anna.smyth@gmail.com"))))
        let facts = ReferralFacts(referrer: anna, referred: friend(try Identity(.email, "a.n.n.a.smith@gmail.com")),
                                  referredOrders: 0, alreadyReferred: false, referrerUses: [])
        #expect(program.referralRefusal(facts, at: t("2026-03-01")) == .selfReferral)
        let same = ReferralFacts(referrer: anna, referred: anna, referredOrders: 0, alreadyReferred: false, referrerUses: [])
        #expect(program.referralRefusal(same, at: t("2026-03-01")) == .selfReferral)
    }

    @Test func aCodeIsRefusedBeyondTheLimitInTheProgramsYear() throws {
        let anna = member([try Identity(.email, "anna@shop.example")]), ben = member([try Identity(.email, "ben@shop.example")], id: 2)
        func facts(_ uses: [String], orders: Int = 0, referred: Bool = false) -> ReferralFacts {
            ReferralFacts(referrer: anna, referred: ben, referredOrders: orders, alreadyReferred: referred, referrerUses: uses.map(t))
        }
        // Two friends in 2026 (Berlin): a third on 31 December 23:30 Berlin is refused; at midnight a new year starts.
        let two = facts(["2026-02-01", "2026-12-31T22:29:00Z"])
        #expect(program.referralRefusal(two, at: t("2026-12-31T22:30:00Z")) == .limitReached)
        #expect(program.referralRefusal(two, at: t("2026-12-31T23:00:00Z")) == nil)
        #expect(program.referralRefusal(facts(["2026-02-01"]), at: t("2026-06-01")) == nil)
        #expect(program.referralRefusal(facts([], orders: 1), at: t("2026-06-01")) == .existingCustomer)
        #expect(program.referralRefusal(facts([], referred: true), at: t("2026-06-01")) == .alreadyReferred)
    }

    @Test func theRewardIsDueWhenTheFirstQualifyingOrderLeavesItsReturnWindow() {
        // €15 on 2 March does not qualify; €40 on 10 March does: its window ends at midnight
        // ending 24 March in Berlin (23:00 UTC), 14 days after the order's day.
        let orders = [ReferralOrder(reference: "small", at: t("2026-03-02"), amount: 1_500),
                      ReferralOrder(reference: "first", at: t("2026-03-10"), amount: 4_000)]
        let due = t("2026-03-24T23:00:00Z")
        #expect(program.referralOutcome(orders: [], at: t("2026-06-01")) == .waiting)
        #expect(program.referralOutcome(orders: Array(orders.prefix(1)), at: t("2026-06-01")) == .waiting)
        #expect(program.referralOutcome(orders: orders, at: t("2026-03-24T22:59:59Z")) == .qualified(order: "first", due: due))
        #expect(program.referralOutcome(orders: orders, at: due) == .rewarded(order: "first", due: due))
    }

    @Test func aReturnWithinTheWindowCancelsUnlessEnoughIsKept() {
        let due = t("2026-03-24T23:00:00Z")
        func order(returning amount: Int, at: String) -> [ReferralOrder] {
            [ReferralOrder(reference: "first", at: t("2026-03-10"), amount: 4_000, returns: [(t(at), amount)])]
        }
        // €25 of €40 back on 20 March leaves €15, below €20: cancelled, already before the window ends.
        #expect(program.referralOutcome(orders: order(returning: 2_500, at: "2026-03-20"), at: t("2026-03-21")) == .cancelled(order: "first", due: due))
        // €20 back leaves €20: still qualifies.
        #expect(program.referralOutcome(orders: order(returning: 2_000, at: "2026-03-20"), at: due) == .rewarded(order: "first", due: due))
        // Everything back after the window: the reward was earned.
        #expect(program.referralOutcome(orders: order(returning: 4_000, at: "2026-03-24T23:00:00Z"), at: t("2026-04-01")) == .rewarded(order: "first", due: due))
    }
}

@Suite("Referrals: prizes from the catalog")
struct ReferralPrizeTests {
    @Test func aSidesRewardIsACatalogRewardOfTheProgram() throws {
        func document(_ reward: String) -> String {
            """
            {"name": "S", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"}, "earning": {"rules": []},
             "rewards": [{"id": "ten-off", "type": "fixed_discount", "amount": 1000, "cost": 500, "title": {"en": "a", "de": "b", "vi": "c"}}],
             "referrals": {"referrer": {"points": 500}, "referred": {"reward": "\(reward)"}}}
            """
        }
        let terms = try #require(try Program.parse(Data(document("ten-off").utf8)).referrals)
        #expect(terms.referredReward == "ten-off" && terms.referredPoints == 0 && terms.referrerReward == nil && terms.referrerPoints == 500)
        let error = #expect(throws: ProgramProblems.self) { try Program.parse(Data(document("socks").utf8)) }
        #expect(error?.problems == [ProgramProblem("referrals.referred.reward", "'socks' is not a reward of the catalog")])
    }
}
