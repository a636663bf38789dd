import Foundation
import Testing
import TreuCore

/// A paid level by hand: a Berlin shop with Silver from €500 and Gold from €1,500 a calendar
/// year, and the paid "Club" between them (a membership ranks above Silver, below Gold).
@Suite("Paid tiers: memberships that run, renew and lapse")
struct MembershipTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    func t(_ text: String) -> Date { Timestamp.parse(text.count == 10 ? text + "T12:00:00Z" : text)! }

    var program: Program {
        var program = Program.standard
        program.timeZone = berlin
        program.tiers = TierProgram(metric: .spend, window: .calendarYear,
                                    levels: [.init(name: "Silver", threshold: 50_000), .init(name: "Club", threshold: 0, multiplier: 2, paid: true),
                                             .init(name: "Gold", threshold: 150_000)])
        return program
    }

    func spent(_ euros: Int, on day: String, _ counters: inout [String: Int]) {
        QualifyingCounters.add(spend: euros * 100, orders: 1, points: 0, at: t(day), orderAt: t(day), timeZone: berlin, monthly: false, to: &counters)
    }

    @Test func aMembershipRunsToTheEndOfItsLastDayAndRenewsFromItsEnd() throws {
        var counters: [String: Int] = [:]
        // Bought on 10 March 2026 for 12 months: to the end of 10 March 2027 in Berlin.
        let until = try program.join(Membership(reference: "m1", level: "Club", months: 12, at: t("2026-03-10")), counters: &counters)
        #expect(until == t("2027-03-10T23:00:00Z") && counters[Membership.levelKey] == 2)
        // Renewed while it runs: 12 more from its end.
        let renewed = try program.join(Membership(reference: "m2", level: "Club", months: 12, at: t("2027-02-01")), counters: &counters)
        #expect(renewed == t("2028-03-10T23:00:00Z"))
        // Bought again after it lapsed: from the new day.
        let again = try program.join(Membership(reference: "m3", level: "Club", months: 1, at: t("2028-05-20")), counters: &counters)
        #expect(again == t("2028-06-20T22:00:00Z"))
        let error = #expect(throws: ValidationError.self) {
            try program.join(Membership(reference: "m4", level: "Gold", months: 12, at: t("2026-03-10")), counters: &counters)
        }
        #expect(error?.code == "not_a_paid_level")
        #expect(Membership(reference: "m5", level: "Club", months: 0, at: t("2026-03-10")).problems().map(\.code) == ["invalid_months"])
    }

    @Test func aRunningMembershipIsTheLevelUnlessTheMetricEarnsAHigherOne() throws {
        let tiers = try #require(program.tiers)
        var counters: [String: Int] = [:]
        spent(600, on: "2026-03-01", &counters)
        #expect(tiers.level(counters: counters, at: t("2026-03-10"), timeZone: berlin) == 0)
        _ = try program.join(Membership(reference: "m1", level: "Club", months: 1, at: t("2026-03-10")), counters: &counters)
        #expect(tiers.level(counters: counters, at: t("2026-03-10"), timeZone: berlin) == 1)
        // €1,000 more: Gold, above the Club.
        var gold = counters
        spent(1_000, on: "2026-03-20", &gold)
        #expect(tiers.level(counters: gold, at: t("2026-03-20"), timeZone: berlin) == 2)
        // The membership lapses as 11 April begins in Berlin: Silver again, a downgrade due.
        #expect(tiers.level(counters: counters, at: t("2026-04-10T21:59:59Z"), timeZone: berlin) == 1)
        #expect(tiers.level(counters: counters, at: t("2026-04-10T22:00:00Z"), timeZone: berlin) == 0)
        var recorded = counters
        #expect(program.recordTier(at: t("2026-03-10"), counters: &recorded)?.to == "Club")
        #expect(program.dueDowngrade(counters: recorded, at: t("2026-04-10T22:00:00Z")) == TierChange(from: "Club", to: "Silver", isUpgrade: false))
        // The tier service looks every midnight when a program has paid levels.
        #expect(tiers.downgradeMayBeDue(since: t("2026-04-10T21:00:00Z"), at: t("2026-04-10T22:00:00Z"), timeZone: berlin))
        // The metric's next level skips the paid one.
        let status = tiers.status(of: [QualifyingActivity(at: t("2026-03-01"), amount: 60_000)], at: t("2026-03-10"), timeZone: berlin)
        #expect(status.next == 2 && status.needed == 90_000)
    }

    @Test func aPaidLevelHasNoThresholdAndDoesNotBreakTheOrderOfTheOthers() {
        let document = """
            {"name": "x", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"}, "earning": {"rules": []},
             "tiers": {"metric": "spend", "window": "calendar_year", "levels": [
               {"name": "Silver", "threshold": 100}, {"name": "Club", "paid": true}, {"name": "Gold", "threshold": 200},
               {"name": "Plus", "paid": true, "threshold": 300}, {"name": "Odd", "paid": "yes"}]}}
            """
        let error = #expect(throws: ProgramProblems.self) { try Program.parse(Data(document.utf8)) }
        #expect(error?.problems.map(\.path) == ["tiers.levels[3].threshold", "tiers.levels[4].paid", "tiers.levels[4].threshold"])
    }
}
