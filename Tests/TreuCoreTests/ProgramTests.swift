import Foundation
import Testing
import TreuCore

/// Each rule kind on cases a person can check by hand.
@Suite("Program rules")
struct ProgramTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    func time(_ text: String) -> Date { Timestamp.parse(text)! }

    func program(_ rules: [EarningRule], zone: TimeZone = TimeZone(identifier: "UTC")!, expiry: ExpiryPolicy = .never,
                 pendingDays: Int = 0, minimum: Int = 0, excluded: Set<String> = []) -> Program {
        Program(name: "test", currency: "EUR", timeZone: zone, pendingDays: pendingDays, expiry: expiry,
                earning: Earning(rules: rules, minimumOrder: minimum, excludedCategories: excluded), actions: [])
    }

    func order(_ lines: [OrderLine], discount: Int = 0, at: String = "2026-11-25T10:00:00Z", channel: String? = nil) -> Order {
        Order(reference: "A-1", at: time(at), channel: channel, currency: "EUR", lines: lines, orderDiscount: discount)
    }

    /// Effects of an order with no counters before (and the counters after dropped).
    func evaluate(_ program: Program, _ order: Order, _ history: MemberHistory = MemberHistory()) -> [Effect] {
        var counters: [String: Int] = [:]
        return program.effects(of: order, history: history, counters: &counters)
    }

    func points(_ effects: [Effect]) -> [String: Int] {
        Dictionary(effects.compactMap { if case let .credit(points, rule, _, _) = $0 { (rule, points) } else { nil } }, uniquingKeysWith: +)
    }

    @Test func twoPointsPerEuroOnTheNetAfterACouponRoundedDown() {
        // €47.90 less a €5 coupon = €42.90; × 2 = 85.8 → 85 rounded down, 86 to nearest or up.
        let basket = order([OrderLine(sku: "COAT", quantity: 1, unitPrice: 4_790)], discount: 500)
        for (rounding, expected) in [(EarningRule.Rounding.down, 85), (.nearest, 86), (.up, 86)] {
            let p = program([EarningRule(name: "2 per euro", kind: .spend(points: 2, per: 100, rounding: rounding, scope: .order))])
            #expect(points(evaluate(p, basket)) == ["2 per euro": expected])
        }
    }

    @Test func perLineRoundsEachLineAndPerOrderTheSum() {
        // €19.90 + €29.90: per line 19 + 29 = 48; per order 49.80 → 49.
        let basket = order([OrderLine(sku: "TEE", quantity: 1, unitPrice: 1_990), OrderLine(sku: "SHIRT", quantity: 1, unitPrice: 2_990)])
        let perLine = program([EarningRule(name: "1 per euro", kind: .spend(points: 1, per: 100, rounding: .down, scope: .line))])
        let perOrder = program([EarningRule(name: "1 per euro", kind: .spend(points: 1, per: 100, rounding: .down, scope: .order))])
        #expect(points(evaluate(perLine, basket)) == ["1 per euro": 48])
        #expect(points(evaluate(perOrder, basket)) == ["1 per euro": 49])
    }

    @Test func aMultiplierDoublesTheLinesItNamesAndTheHighestWins() {
        // Shoes €89.90 and a tee €19.90 = €109.80 → 109 points, of which the shoes' share is
        // 109 × 8990 / 10980 = 89; doubling them adds 89 (the triple on web orders adds 2 × 89 instead).
        let basket = order([OrderLine(sku: "SNEAKER", category: "shoes", quantity: 1, unitPrice: 8_990),
                            OrderLine(sku: "TEE", category: "tops", quantity: 1, unitPrice: 1_990)], channel: "store")
        let rules = [EarningRule(name: "1 per euro", kind: .spend(points: 1, per: 100, rounding: .down, scope: .order)),
                     EarningRule(name: "double on shoes", kind: .multiplier(factor: 2), when: Condition(categories: ["shoes"])),
                     EarningRule(name: "triple shoes online", kind: .multiplier(factor: 3), when: Condition(categories: ["shoes"], channels: ["web"]))]
        #expect(points(evaluate(program(rules), basket)) == ["1 per euro": 109, "double on shoes": 89])
        var online = basket
        online.channel = "web"
        #expect(points(evaluate(program(rules), online)) == ["1 per euro": 109, "triple shoes online": 178])
    }

    @Test func aFirstOrderBonusOnlyOnTheFirstOrder() {
        let rules = [EarningRule(name: "1 per euro", kind: .spend(points: 1, per: 100, rounding: .down, scope: .order)),
                     EarningRule(name: "welcome order", kind: .bonus(points: 100), when: Condition(firstOrder: true))]
        let basket = order([OrderLine(sku: "TEE", quantity: 1, unitPrice: 1_990)])
        #expect(points(evaluate(program(rules), basket)) == ["1 per euro": 19, "welcome order": 100])
        let before = MemberHistory(earlier: [time("2026-10-01T10:00:00Z")])
        #expect(points(evaluate(program(rules), basket, before)) == ["1 per euro": 19])
        // An order that comes after one on record is not a first order, even with an earlier
        // time (sent late, or two tills' clocks disagree) or the same second: what was recorded decides.
        let after = MemberHistory(earlier: [time("2026-12-01T10:00:00Z")])
        #expect(points(evaluate(program(rules), basket, after)) == ["1 per euro": 19])
        let sameSecond = MemberHistory(earlier: [basket.at])
        #expect(points(evaluate(program(rules), basket, sameSecond)) == ["1 per euro": 19])
    }

    @Test func excludedLinesAndTheMinimumOrder() {
        let rules = [EarningRule(name: "1 per euro", kind: .spend(points: 1, per: 100, rounding: .down, scope: .order))]
        // A €50 gift card earns nothing; the €19.90 tee earns 19.
        let basket = order([OrderLine(sku: "GC-50", category: "gift_cards", quantity: 1, unitPrice: 5_000),
                            OrderLine(sku: "TEE", quantity: 1, unitPrice: 1_990)])
        #expect(points(evaluate(program(rules, excluded: ["gift_cards"]), basket)) == ["1 per euro": 19])
        // With a €20 minimum, the tee alone (€19.90 eligible) earns nothing.
        #expect(evaluate(program(rules, minimum: 2_000, excluded: ["gift_cards"]), basket).isEmpty)
    }

    @Test func weekendBonusesCountDaysInTheProgramsTimeZone() {
        // Friday 23:30 UTC is Saturday 00:30 in Berlin.
        let rules = [EarningRule(name: "1 per euro", kind: .spend(points: 1, per: 100, rounding: .down, scope: .order)),
                     EarningRule(name: "weekend", kind: .bonus(points: 50), when: Condition(daysOfWeek: [6, 7]))]
        let friday = order([OrderLine(sku: "TEE", quantity: 1, unitPrice: 1_000)], at: "2026-11-27T23:30:00Z")
        #expect(points(evaluate(program(rules, zone: Self.berlin), friday))["weekend"] == 50)
        #expect(points(evaluate(program(rules), friday))["weekend"] == nil)
    }

    @Test func aPunchCardCountsStampsAcrossOrdersAndStartsAgain() {
        // Nine coffees fill the card (350 points, a coffee's worth); the tea earns no stamp.
        let card = EarningRule(name: "coffee card", kind: .punchCard(stamps: 9, points: 350), when: Condition(categories: ["coffee"]))
        let p = program([card])
        var counters: [String: Int] = [:]
        let first = order([OrderLine(sku: "FLAT-WHITE", category: "coffee", quantity: 5, unitPrice: 380),
                           OrderLine(sku: "TEA", category: "tea", quantity: 2, unitPrice: 300)])
        #expect(p.effects(of: first, history: MemberHistory(), counters: &counters).isEmpty)
        #expect(counters["stamps:coffee card"] == 5)
        // Six more: the ninth stamp fills the card; two carry over to the next.
        let second = order([OrderLine(sku: "ESPRESSO", category: "coffee", quantity: 6, unitPrice: 250)])
        #expect(points(p.effects(of: second, history: MemberHistory(), counters: &counters)) == ["coffee card": 350])
        #expect(counters["stamps:coffee card"] == 2)
        // Twenty at once fill two cards and leave four.
        let party = order([OrderLine(sku: "ESPRESSO", category: "coffee", quantity: 20, unitPrice: 250)])
        #expect(points(p.effects(of: party, history: MemberHistory(), counters: &counters)) == ["coffee card": 700])
        #expect(counters["stamps:coffee card"] == 4 && counters["q:orders:2026"] == 3)
    }

    @Test func capsTrimARuleAndTheMembersDayInTheProgramsTimeZone() {
        // 1 point per euro, at most 150 a day for the member; a bonus of 100 on every order, at
        // most 100 a month. What a cap trims is not counted towards the others.
        var p = program([EarningRule(name: "1 per euro", kind: .spend(points: 1, per: 100, rounding: .down, scope: .order)),
                         EarningRule(name: "bonus", kind: .bonus(points: 100), cap: Cap(points: 100, per: .month))], zone: Self.berlin)
        p.earning.caps = [Cap(points: 150, per: .day)]
        var counters: [String: Int] = [:]
        let big = { (at: String) in self.order([OrderLine(sku: "COAT", quantity: 1, unitPrice: 12_000)], at: at) }
        // 120 + 100 = 220 wanted; the day's cap leaves 120 + 30.
        #expect(points(p.effects(of: big("2026-11-28T10:00:00Z"), history: MemberHistory(), counters: &counters)) == ["1 per euro": 120, "bonus": 30])
        // Later that day (Berlin): nothing left.
        #expect(p.effects(of: big("2026-11-28T22:30:00Z"), history: MemberHistory(), counters: &counters).isEmpty)
        // 23:30 UTC is the next day in Berlin: 120 again, and 30 of the bonus's 70 left this month.
        #expect(points(p.effects(of: big("2026-11-28T23:30:00Z"), history: MemberHistory(), counters: &counters)) == ["1 per euro": 120, "bonus": 30])
        #expect(points(p.effects(of: big("2026-11-30T10:00:00Z"), history: MemberHistory(), counters: &counters)) == ["1 per euro": 120, "bonus": 30])
        // 30 November: 30 more (90 of the bonus's month); 1 December: a new month.
        #expect(points(p.effects(of: big("2026-12-01T10:00:00Z"), history: MemberHistory(), counters: &counters)) == ["1 per euro": 120, "bonus": 30])
    }

    @Test func expiryEndsAtMidnightInTheProgramsTimeZone() {
        let p = { (policy: ExpiryPolicy) in self.program([], zone: Self.berlin, expiry: policy) }
        // 2026-01-31T23:30Z is 1 February in Berlin: the end of February there is 2026-03-01T00:00+01:00.
        #expect(p(.endOfMonth(after: 0)).expiryDate(earnedAt: time("2026-01-31T23:30:00Z")) == time("2026-02-28T23:00:00Z"))
        #expect(p(.endOfMonth(after: 12)).expiryDate(earnedAt: time("2026-01-31T23:30:00Z")) == time("2027-02-28T23:00:00Z"))
        // 31 January (Berlin) + 12 months, to the end of that day.
        #expect(p(.afterMonths(12)).expiryDate(earnedAt: time("2026-01-31T10:00:00Z")) == time("2027-01-31T23:00:00Z"))
        // New Year's Eve 23:30 UTC is already 2027 in Berlin: the end of 2027.
        #expect(p(.endOfYear(after: 0)).expiryDate(earnedAt: time("2026-12-31T23:30:00Z")) == time("2027-12-31T23:00:00Z"))
        #expect(p(.never).expiryDate(earnedAt: time("2026-12-31T23:30:00Z")) == nil)
        // "Expire on 28 February": the last day they can be used, as the member reads it.
        #expect(CalendarDate(lastDayBefore: time("2026-02-28T23:00:00Z"), in: Self.berlin).description == "2026-02-28")
        // West of UTC the zone decides: midnight in New York is 05:00 UTC, so points gone then were
        // last usable on 28 February there (in UTC it would read 1 March) — in the balance too.
        let newYork = TimeZone(identifier: "America/New_York")!
        #expect(CalendarDate(lastDayBefore: time("2026-03-01T05:00:00Z"), in: newYork).description == "2026-02-28")
        var ledger = MemberLedger()
        try? ledger.credit(40, at: time("2026-02-01"), expiresAt: time("2026-03-01T05:00:00Z"), source: nil, cause: Cause())
        #expect(ledger.upcomingExpiries(timeZone: newYork).map(\.day.description) == ["2026-02-28"])
        #expect(ledger.upcomingExpiries(timeZone: TimeZone(identifier: "UTC")!).map(\.day.description) == ["2026-03-01"])
    }

    @Test func pendingPointsAreReleasedAtTheMidnightEndingTheReturnWindow() {
        // Ordered on 28 March 2026 (Berlin); 14 days: released at the start of 12 April, summer time (UTC+2).
        let p = program([], zone: Self.berlin, pendingDays: 14)
        #expect(p.releaseDate(of: time("2026-03-28T12:00:00Z")) == time("2026-04-11T22:00:00Z"))
    }

    @Test func actionLimitsCountCalendarPeriodsInTheProgramsTimeZone() {
        var p = program([], zone: Self.berlin)
        p.actions = [ActionRule(name: "review bonus", action: "review", points: 25, limit: ActionLimit(count: 1, per: .day))]
        let first = time("2026-11-27T22:30:00Z") // 27 November, 23:30 in Berlin
        func review(_ at: String) -> Action { Action(reference: at, name: "review", at: time(at)) }
        // 00:30 on 28 November in Berlin: a new day.
        #expect(points(p.effects(of: review("2026-11-27T23:30:00Z"), history: MemberHistory(earlier: [first]))) == ["review bonus": 25])
        // Later on 28 November: the day's one review was rewarded.
        let both = MemberHistory(earlier: [first, time("2026-11-27T23:30:00Z")])
        #expect(p.effects(of: review("2026-11-28T10:00:00Z"), history: both).isEmpty)
        #expect(p.effects(of: Action(reference: "x", name: "unknown", at: first), history: MemberHistory()).isEmpty)
    }

    @Test func anInvalidDocumentIsRefusedWithEveryProblemAndItsPath() throws {
        let document = """
            {"name": "draft", "currency": "euro", "time_zone": "Mars/Olympus", "pending_days": -1,
             "expiry": {"policy": "sometimes"},
             "earning": {"rules": [
                {"name": "base", "type": "spend"},
                {"name": "base", "type": "multiplier", "factor": 0.5},
                {"name": "x", "type": "bonus", "points": 10, "when": {"days_of_week": ["funday"], "colour": "red"}}]},
             "actions": [{"name": "r", "action": "Review!", "points": 5, "limit": {"count": 1, "per": "decade"}}],
             "tiers": []}
            """
        do {
            _ = try Program.parse(Data(document.utf8))
            Issue.record("an invalid document was accepted")
        } catch {
            #expect(error.problems.map(\.path) == [
                "currency", "time_zone", "pending_days", "expiry.policy", "earning.rules[0].points",
                "earning.rules[1].factor", "earning.rules[2].when.colour", "earning.rules[2].when.days_of_week",
                "actions[0].action", "actions[0].limit.per", "tiers",
            ])
        }
    }

    @Test func theStandardProgramIsWhatItsDocumentSays() {
        let p = Program.standard
        #expect(p.currency == "EUR" && p.pendingDays == 14 && p.expiry == .endOfMonth(after: 12))
        #expect(p.earning.rules == [EarningRule(name: "1 point per whole unit spent", kind: .spend(points: 1, per: 100, rounding: .down, scope: .order))])
        #expect(p.actions.map(\.action) == ["signup", "birthday", "review", "social_share"])
        #expect(p.actions.map(\.points) == [50, 100, 25, 10])
        #expect(p.actions[1].limit == ActionLimit(count: 1, per: .year))
    }
}

@Suite("Program versions")
struct ProgramVersionTests {
    @Test func theVersionInForceIsTheLastToTakeEffect() throws {
        let t = { (text: String) in Timestamp.parse(text)! }
        var double = Program.standard
        double.earning.rules[0].kind = .spend(points: 2, per: 100, rounding: .down, scope: .order)
        let book = ProgramBook([
            .init(number: 2, effectiveFrom: t("2027-01-01"), program: double),
            .init(number: 1, effectiveFrom: t("2026-06-01"), program: .standard),
            .init(number: 3, effectiveFrom: t("2027-01-01"), program: .standard),
        ])
        #expect(book.version(at: t("2026-01-01")).number == 0)
        #expect(book.version(at: t("2026-12-31T23:59:59.999Z")).number == 1)
        // Two versions from one day: the later-numbered one is in force.
        #expect(book.version(at: t("2027-01-01")).number == 3)
    }

    @Test func aDiffListsEachChangedLeafByPath() throws {
        let old = #"{"name": "a", "pending_days": 14, "earning": {"rules": [{"points": 1}]}, "tiers": []}"#
        let new = #"{"name": "a", "pending_days": 30, "earning": {"rules": [{"points": 2}, {"points": 5}]}}"#
        let changes = try ProgramDiff.changes(from: Data(old.utf8), to: Data(new.utf8))
        #expect(changes == [
            .init(path: "earning.rules[0].points", before: "1", after: "2"),
            .init(path: "earning.rules[1].points", before: nil, after: "5"),
            .init(path: "pending_days", before: "14", after: "30"),
            .init(path: "tiers", before: "[]", after: nil),
        ])
    }
}

@Suite("Simulating a program on past orders")
struct SimulationTests {
    @Test func aMonthByMonthReportAPersonCanCheck() {
        var program = Program.standard
        program.pendingDays = 0
        program.expiry = .never
        program.actions = []
        let t = { (text: String) in Timestamp.parse(text)! }
        func order(_ ref: String, _ at: String, _ quantity: Int, _ price: Int) -> Simulation.Event {
            .order(Order(reference: ref, at: t(at), currency: "EUR", lines: [OrderLine(sku: "X", quantity: quantity, unitPrice: price)]), member: "ana")
        }
        // January: 5 × €20 = €100 → 100 points; at the month's end half are redeemed (50), 50 stay.
        // February: €50 → 50 points; one of January's five comes back (€20: 20 points back, from
        // the 50 January's lot still holds): 80 held, 40 redeemed, 40 stay.
        // March: €1 → 1 point: 41 held, 20 redeemed (half, rounded down), 21 stay.
        let events: [Simulation.Event] = [
            order("A", "2026-01-10T10:00:00Z", 5, 2_000),
            order("B", "2026-02-03T10:00:00Z", 1, 5_000),
            .return(Return(reference: "R", orderReference: "A", at: t("2026-02-05T10:00:00Z"), lines: [.init(sku: "X", quantity: 1)])),
            order("C", "2026-03-31T10:00:00Z", 1, 100),
        ]
        let months = Simulation(program: program, pointValue: 1, redemptionRate: 0.5).run(events)
        #expect(months.map(\.month) == ["2026-01", "2026-02", "2026-03"])
        #expect(months.map(\.issued) == [100, 50, 1])
        #expect(months.map(\.reversed) == [0, 20, 0])
        #expect(months.map(\.redeemed) == [50, 40, 20])
        #expect(months.map(\.outstanding) == [50, 40, 21])
        #expect(months.map(\.revenue) == [10_000, 5_000 - 2_000, 100])
        // January: 50 points at 1 cent against €100 of revenue: 0.5 %.
        #expect(months[0].costShare == 0.005 && months[0].liability == 50)
    }
}
