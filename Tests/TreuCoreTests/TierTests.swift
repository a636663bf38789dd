import Foundation
import Testing
import TreuCore

/// Tier cases a person can check by hand. Silver at €500 and Gold at €1,500 of net spend in a
/// calendar year in Berlin, unless a case says otherwise; orders at noon UTC.
@Suite("Tiers: qualification, windows, keeping and losing a level")
struct TierTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    func t(_ text: String) -> Date { Timestamp.parse(text.count == 10 ? text + "T12:00:00Z" : text)! }
    func order(_ day: String, _ euros: Int) -> QualifyingActivity { QualifyingActivity(at: t(day), amount: euros * 100) }
    func tiers(_ window: TierProgram.Window = .calendarYear, keep: Bool = true, downgrade: TierProgram.Downgrade = .toEarned,
               grace: Int = 0) -> TierProgram {
        TierProgram(metric: .spend, window: window,
                    levels: [.init(name: "Silver", threshold: 50_000), .init(name: "Gold", threshold: 150_000, multiplier: Factor("1.5"))],
                    keepNextWindow: keep, downgrade: downgrade, graceDays: grace)
    }

    @Test func crossingAThresholdMidWindowUpgradesAtOnce() {
        let activity = [order("2026-03-01", 300), order("2026-06-15", 250)]
        let before = tiers().status(of: activity, at: t("2026-06-14"), timeZone: berlin)
        #expect(before.level == nil && before.value == 30_000 && before.next == 0 && before.needed == 20_000)
        let after = tiers().status(of: activity, at: t("2026-06-15"), timeZone: berlin)
        #expect(after.level == 0 && after.earned == 0 && after.value == 55_000)
        #expect(after.next == 1 && after.needed == 95_000 && after.toKeep == 0)
        // Earned in 2026, kept through 2027: until midnight starting 2028 in Berlin.
        #expect(after.windowEnd == t("2026-12-31T23:00:00Z") && after.keptUntil == t("2027-12-31T23:00:00Z"))
    }

    /// The B2B example: Partner from €10,000 over the last 12 months, held only while they reach
    /// it ("below_level"). €12,000 on 2026-01-20: Partner until that order leaves the window
    /// (2027-01-20); a rolling window that keeps levels would hold it 12 months more.
    @Test func theB2BExampleHoldsALevelOnlyWhileTheLastTwelveMonthsReachIt() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/b2b-supplier.json")
        let program = try Program.parse(try Data(contentsOf: url))
        let tiers = try #require(program.tiers)
        #expect(tiers.downgrade == .belowLevel && !tiers.keepNextWindow && tiers.graceDays == 0 && tiers.window == .rolling(months: 12))
        let activity = [order("2026-01-20", 12_000)]
        #expect(tiers.status(of: activity, at: t("2026-12-31"), timeZone: berlin).level == 0)
        #expect(tiers.status(of: activity, at: t("2027-01-21"), timeZone: berlin).level == nil)
        var keeping = tiers
        keeping.keepNextWindow = true
        #expect(keeping.status(of: activity, at: t("2027-01-21"), timeZone: berlin).level == 0)
    }

    @Test func aReturnInTheSameWindowUndoesTheUpgrade() {
        let activity = [order("2026-03-01", 300), order("2026-06-15", 250),
                        QualifyingActivity(at: t("2026-06-20"), orderAt: t("2026-06-15"), amount: -10_000)]
        #expect(tiers().status(of: activity, at: t("2026-06-19"), timeZone: berlin).level == 0)
        let after = tiers().status(of: activity, at: t("2026-06-20"), timeZone: berlin)
        #expect(after.level == nil && after.value == 45_000 && after.needed == 5_000)
    }

    @Test func aReturnAfterTheWindowEndedLowersTheNewOne() {
        // €600 in December 2026 (Silver), €200 of it back in January 2027: 2026 stays Silver, kept in 2027.
        let activity = [order("2026-12-20", 600), QualifyingActivity(at: t("2027-01-05"), orderAt: t("2026-12-20"), amount: -20_000)]
        let status = tiers().status(of: activity, at: t("2027-02-01"), timeZone: berlin)
        #expect(status.level == 0 && status.earned == nil && status.value == -20_000 && status.toKeep == 70_000)
    }

    @Test func theWindowEndsAtMidnightInTheProgramsZone() {
        let activity = [order("2026-05-01", 600)]
        // Silver earned in 2026 is kept through 2027 and ends when 2028 begins in Berlin (23:00 UTC).
        let kept = tiers().status(of: activity, at: t("2027-12-31T22:59:59.999Z"), timeZone: berlin)
        #expect(kept.level == 0 && kept.earned == nil && kept.keptUntil == t("2027-12-31T23:00:00Z"))
        #expect(tiers().status(of: activity, at: t("2027-12-31T23:00:00Z"), timeZone: berlin).level == nil)
        // In UTC the same moment is still 2027.
        #expect(tiers().status(of: activity, at: t("2027-12-31T23:00:00Z"), timeZone: TimeZone(identifier: "UTC")!).level == 0)
        // Without keeping a level through the next window, it ends with its own.
        #expect(tiers(keep: false).status(of: activity, at: t("2026-12-31T22:59:59Z"), timeZone: berlin).level == 0)
        #expect(tiers(keep: false).status(of: activity, at: t("2026-12-31T23:00:00Z"), timeZone: berlin).level == nil)
    }

    @Test func graceDelaysADowngradeAndOneLevelDropsOneStepAWindow() {
        // Gold in 2026 (€1,600), Silver in 2027 (€600).
        let activity = [order("2026-04-01", 1_600), order("2027-04-01", 600)]
        let graced = tiers(downgrade: .oneLevel, grace: 30)
        let inGrace = graced.status(of: activity, at: t("2028-01-15"), timeZone: berlin)
        // Gold carried into 2028 for 30 days: to the midnight starting 31 January in Berlin.
        #expect(inGrace.level == 1 && inGrace.keptUntil == t("2028-01-30T23:00:00Z"))
        #expect(graced.status(of: activity, at: t("2028-01-30T23:00:00Z"), timeZone: berlin).level == 0)
        // Without grace the drop is at the window's end.
        #expect(tiers(downgrade: .oneLevel).status(of: activity, at: t("2028-01-15"), timeZone: berlin).level == 0)

        // Gold in 2026 and nothing after: one level a window (Gold 2027, Silver 2028, none 2029), or at once to what was earned.
        let gold = [order("2026-04-01", 1_600)]
        #expect([2027, 2028, 2029].map { tiers(downgrade: .oneLevel).status(of: gold, at: t("\($0)-06-01"), timeZone: berlin).level } == [1, 0, nil])
        #expect([2027, 2028].map { tiers(downgrade: .toEarned).status(of: gold, at: t("\($0)-06-01"), timeZone: berlin).level } == [1, nil])
    }

    @Test func aRollingWindowSlides() {
        let rolling = tiers(.rolling(months: 12), keep: false)
        let activity = [order("2026-01-10", 300), order("2026-06-10", 250)]
        let june = rolling.status(of: activity, at: t("2026-06-10"), timeZone: berlin)
        #expect(june.level == 0 && june.value == 55_000)
        // The January order leaves the window twelve months after it: Silver until then.
        #expect(june.keptUntil == t("2027-01-10"))
        #expect(rolling.status(of: activity, at: t("2027-01-10T11:59:59Z"), timeZone: berlin).level == 0)
        let later = rolling.status(of: activity, at: t("2027-01-10"), timeZone: berlin)
        #expect(later.level == nil && later.value == 25_000)
        // Kept for a window after it was last reached: until 2028-01-10.
        let kept = tiers(.rolling(months: 12)).status(of: activity, at: t("2027-06-01"), timeZone: berlin)
        #expect(kept.level == 0 && kept.earned == nil && kept.keptUntil == t("2028-01-10"))
    }

    @Test func lifetimeCountsEverythingAndOrdersCanBeTheMetric() {
        let orders = TierProgram(metric: .orders, window: .lifetime,
                                 levels: [.init(name: "Regular", threshold: 5), .init(name: "Friend", threshold: 20)])
        let five = (1...5).map { QualifyingActivity(at: t("202\($0)-03-01"), amount: 1) }
        let status = orders.status(of: five, at: t("2026-01-01"), timeZone: berlin)
        #expect(status.level == 0 && status.next == 1 && status.needed == 15 && status.keptUntil == nil)
        // An order returned whole no longer counts.
        let returned = five + [QualifyingActivity(at: t("2025-03-02"), orderAt: t("2025-03-01"), amount: -1)]
        #expect(orders.status(of: returned, at: t("2026-01-01"), timeZone: berlin).level == nil)
    }

    @Test func theFashionShopsTiersAreReadFromItsDocument() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/fashion-shop.json")
        let tiers = try #require(try Program.parse(try Data(contentsOf: url)).tiers)
        #expect(tiers.metric == .spend && tiers.window == .calendarYear && tiers.downgrade == .oneLevel && tiers.graceDays == 30)
        #expect(tiers.levels.map(\.name) == ["Silver", "Gold", "Atelier Club"] && tiers.levels.map(\.threshold) == [0, 50_000, 0])
        #expect(tiers.levels[1].multiplier == Factor("1.5") && tiers.levels[1].freeShipping && tiers.levels[1].perks["vi"] != nil)
        #expect(tiers.levels.map(\.paid) == [false, false, true] && tiers.levels[2].multiplier == 2)
        #expect(Program.standard.tiers == nil)
    }

    @Test func badTiersAreRefusedWithTheirPaths() {
        let document = """
            {"name": "x", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"}, "earning": {"rules": []},
             "tiers": {"metric": "smiles", "window": "lifetime", "downgrade": "one_level", "grace_days": 400,
                       "levels": [{"name": "Gold", "threshold": 100, "multiplier": 0.5}, {"name": "Gold", "threshold": 100, "perks": {"fr": "x"}}]}}
            """
        do {
            _ = try Program.parse(Data(document.utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.path) == [
                "tiers.metric", "tiers.downgrade", "tiers.grace_days", "tiers.levels[0].multiplier",
                "tiers.levels[1].perks.fr", "tiers.levels[1].name", "tiers.levels[1].threshold",
            ])
        }
    }

    @Test func theRecordedLevelMovesWithEventsAndDropsWhenItsWindowEnds() throws {
        var program = Program.standard
        program.timeZone = berlin
        program.tiers = tiers(grace: 30)
        var counters: [String: Int] = [:]
        QualifyingCounters.add(spend: 60_000, orders: 1, points: 0, at: t("2026-05-01"), orderAt: t("2026-05-01"), timeZone: berlin,
                               monthly: false, to: &counters)
        #expect(program.recordTier(at: t("2026-05-01"), counters: &counters) == TierChange(from: nil, to: "Silver", isUpgrade: true))
        #expect(counters[Program.recordedTierKey] == 1)
        #expect(program.recordTier(at: t("2026-05-02"), counters: &counters) == nil)
        // Kept through 2027, then 30 days of grace: due from 30 January 2028, midnight in Berlin.
        #expect(program.dueDowngrade(counters: counters, at: t("2028-01-30T22:59:59Z")) == nil)
        #expect(program.dueDowngrade(counters: counters, at: t("2028-01-30T23:00:00Z")) == TierChange(from: "Silver", to: nil, isUpgrade: false))
        // A recorded level the definition no longer has is named null.
        counters[Program.recordedTierKey] = 5
        #expect(program.dueDowngrade(counters: counters, at: t("2026-06-01")) == TierChange(from: nil, to: "Silver", isUpgrade: false))
    }

    @Test func aDowngradeMayBeDueOnlyAfterAWindowsEndOrGrace() {
        let yearly = tiers(grace: 30)
        func due(_ last: String?, _ now: String, _ program: TierProgram) -> Bool {
            program.downgradeMayBeDue(since: last.map(t), at: t(now), timeZone: berlin)
        }
        #expect(due(nil, "2027-06-01", yearly))
        #expect(!due("2028-01-30T22:00:00Z", "2028-01-30T22:59:59Z", yearly))
        #expect(due("2028-01-30T22:00:00Z", "2028-01-30T23:00:00Z", yearly))
        #expect(!due("2028-02-01", "2028-12-31", yearly))
        #expect(due("2027-12-31", "2029-03-01", yearly))
        let rolling = tiers(.rolling(months: 12))
        #expect(!due("2027-03-01T10:00:00Z", "2027-03-01T22:59:59Z", rolling) && due("2027-03-01T10:00:00Z", "2027-03-01T23:00:00Z", rolling))
        #expect(!due("2020-01-01", "2027-01-01", tiers(.lifetime)) && !due(nil, "2027-01-01", tiers(.lifetime)))
    }

}

/// A member's tier on the orders they send: Silver from €200, Gold from €500 a calendar year
/// (UTC); Gold earns 1.5 times the base points, and a bonus rule gives Gold members 20 more.
@Suite("Tiers in earning: multipliers and conditions by tier")
struct TierEarningTests {
    static let document = """
        {"name": "tiers", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"},
         "earning": {"rules": [
            {"name": "1 per euro", "type": "spend", "points": 1, "per": 100},
            {"name": "gold bonus", "type": "bonus", "points": 20, "when": {"tiers": ["Gold"]}}]},
         "tiers": {"metric": "spend", "window": "calendar_year", "levels": [
            {"name": "Silver", "threshold": 20000}, {"name": "Gold", "threshold": 50000, "multiplier": 1.5}]}}
        """
    let program = try! Program.parse(Data(document.utf8))
    func t(_ text: String) -> Date { Timestamp.parse(text)! }
    func order(_ reference: String, _ at: String, _ euros: Int) -> Order {
        Order(reference: reference, at: t(at), currency: "EUR", lines: [OrderLine(sku: "COAT", quantity: 1, unitPrice: euros * 100)])
    }
    func credits(_ effects: [Effect]) -> [String: Int] {
        Dictionary(effects.compactMap { if case let .credit(points, rule, _, _) = $0 { (rule, points) } else { nil } }, uniquingKeysWith: +)
    }

    @Test func aGoldMembersOrderEarnsTheTiersMultiplierAndTheGoldBonus() {
        var counters: [String: Int] = [:]
        // €600 in March: no tier yet when it comes (the order itself makes the member Gold).
        #expect(credits(program.effects(of: order("A1", "2026-03-01T10:00:00Z", 600), history: MemberHistory(), counters: &counters)) == ["1 per euro": 600])
        #expect(counters["q:spend:2026"] == 60_000 && counters["q:orders:2026"] == 1 && counters["q:points:2026"] == 600)
        // €100 in April, as Gold: 100 + 50 (× 1.5) + 20.
        let april = credits(program.effects(of: order("A2", "2026-04-01T10:00:00Z", 100), history: MemberHistory(), counters: &counters))
        #expect(april == ["1 per euro": 100, "Gold tier": 50, "gold bonus": 20])
        // Next year the level is kept (earned in 2026) though nothing was bought yet in 2027.
        let next = credits(program.effects(of: order("A3", "2027-02-01T10:00:00Z", 100), history: MemberHistory(), counters: &counters))
        #expect(next == ["1 per euro": 100, "Gold tier": 50, "gold bonus": 20])
    }

    @Test func aReturnTakesTheTierAwayForTheNextOrder() {
        var counters: [String: Int] = [:]
        let march = order("A1", "2026-03-01T10:00:00Z", 600)
        _ = program.effects(of: march, history: MemberHistory(), counters: &counters)
        program.countQualifying(return: Return(reference: "R1", orderReference: "A1", at: t("2026-03-10T10:00:00Z")), of: march,
                                earlier: [], pointsTakenBack: 600, counters: &counters)
        #expect(counters["q:spend:2026"] == 0 && counters["q:orders:2026"] == 0 && counters["q:points:2026"] == 0)
        #expect(credits(program.effects(of: order("A2", "2026-04-01T10:00:00Z", 100), history: MemberHistory(), counters: &counters)) == ["1 per euro": 100])
    }

    @Test func aConditionNamesLevelsOfTheProgram() {
        let bad = Self.document.replacingOccurrences(of: #""tiers": ["Gold"]"#, with: #""tiers": ["Platinum"]"#)
        do {
            _ = try Program.parse(Data(bad.utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.path) == ["earning.rules[1].when.tiers"])
        }
    }
}
