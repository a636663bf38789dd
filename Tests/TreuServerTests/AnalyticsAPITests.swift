import Foundation
import Logging
import Synchronization
import Testing
import TreuAnalytics
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// A small shop whose every figure can be counted by hand (the standard program: UTC, 1 point
/// per whole euro, points pending 14 days, expiring at the end of the 12th month after).
///
/// | member | orders (net €) | last order |
/// | --- | --- | --- |
/// | ana | 02-10 100, 05-05 100, 06-20 100 | 06-20 |
/// | ben | 03-15 50 | 03-15 |
/// | cem | 04-20 100 (40 + 60; the 60 line returned 04-25), 05-01 20, 05-20 20, 06-01 20 | 06-01 |
/// | dora | 01-20 200, 03-01 200 | 03-01 |
/// | eva | 06-10 80, returned whole 06-12 | none: no purchase |
///
/// Each was enrolled by their first order, with the standard welcome gift of 50 points (available at once).
@Suite("Analytics over HTTP: retention, cohorts, RFM, lifetime value, program figures")
struct AnalyticsAPITests {
    static let now = Timestamp.parse("2026-07-01T10:00:00Z")!

    static func order(_ reference: String, _ email: String, _ day: String, _ lines: [(String, Int)]) -> String {
        let items = lines.map { #"{"sku": "\#($0.0)", "quantity": 1, "unit_price": \#($0.1)}"# }.joined(separator: ", ")
        return #"{"type": "order", "reference": "\#(reference)", "at": "2026-\#(day)T12:00:00Z", "member": {"email": "\#(email)@example.com"}, "currency": "EUR", "lines": [\#(items)]}"#
    }

    static let shop = """
        {"events": [
          \(order("D1", "dora", "01-20", [("COAT", 20000)])),
          \(order("A1", "ana", "02-10", [("BAG", 10000)])),
          \(order("D2", "dora", "03-01", [("COAT", 20000)])),
          \(order("B1", "ben", "03-15", [("CAP", 5000)])),
          \(order("C1", "cem", "04-20", [("SOCKS", 4000), ("SHIRT", 6000)])),
          {"type": "return", "reference": "C1-R", "order_reference": "C1", "at": "2026-04-25T12:00:00Z", "lines": [{"sku": "SHIRT", "quantity": 1}]},
          \(order("C2", "cem", "05-01", [("TEA", 2000)])),
          \(order("A2", "ana", "05-05", [("BAG", 10000)])),
          \(order("C3", "cem", "05-20", [("TEA", 2000)])),
          \(order("C4", "cem", "06-01", [("TEA", 2000)])),
          \(order("E1", "eva", "06-10", [("DRESS", 8000)])),
          {"type": "return", "reference": "E1-R", "order_reference": "E1", "at": "2026-06-12T12:00:00Z"},
          \(order("A3", "ana", "06-20", [("BAG", 10000)]))
        ]}
        """

    /// The shop's members by name.
    static func openShop(_ api: API) async throws -> [String: String] {
        let results = try #require(try await api.call(.post, "/v1/events/batch", json: shop).json["results"]?.array)
        #expect(results.allSatisfy { $0["status"] == .number(201) })
        var ids: [String: String] = [:]
        for name in ["ana", "ben", "cem", "dora", "eva"] {
            ids[name] = try #require(try await api.call(.get, "/v1/members/lookup?identity=\(name)@example.com").json["id"]?.string)
        }
        return ids
    }

    @Test(arguments: TestStores.available)
    func retentionAndPurchaseFiguresOfAQuarter(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            _ = try await Self.openShop(api)
            let answer = try await api.call(.get, "/v1/analytics/retention?from=2026-04-01&to=2026-06-30&period=quarter&active_days=90")
            #expect(answer.status == 200)
            let rows = try #require(answer.json["periods"]?.array)
            try #require(rows.count == 1)
            let q2 = rows[0]
            #expect(q2["period"]?.string == "2026-Q2")
            // S: bought within 90 days of 03-31 (on or after 01-01): ana, ben, dora. E: on or after
            // 04-02 by 06-30: ana, cem. N: first order in the quarter: cem. Kept: ana.
            #expect(q2["customers_at_start"] == .number(3) && q2["customers_at_end"] == .number(2))
            #expect(q2["new_customers"] == .number(1) && q2["kept_from_start"] == .number(1))
            // CRR = (2 − 1) / 3 = 33.3 %; repeat-buyer 1/3; churn 2/3.
            #expect(abs((q2["retention_rate"]?.double ?? 0) - 100.0 / 3) < 1e-9)
            #expect(abs((q2["repeat_buyer_rate"]?.double ?? 0) - 100.0 / 3) < 1e-9)
            #expect(abs((q2["churn_rate"]?.double ?? 0) - 200.0 / 3) < 1e-9)
            // The quarter's orders: ana 2 (€200), cem 4 (€40 after the return + 3 × €20); eva's came back whole.
            #expect(q2["buyers"] == .number(2) && q2["orders"] == .number(6) && q2["revenue"] == .number(30_000))
            #expect(q2["repeat_purchase_rate"] == .number(100) && q2["purchase_frequency"] == .number(3))
            #expect(q2["average_order_value"] == .number(5_000))

            // By month: April has cem only; the first order on the first day of a month is new.
            let months = try #require(try await api.call(.get, "/v1/analytics/retention?from=2026-04-01&to=2026-06-30&active_days=90").json["periods"]?.array)
            #expect(months.compactMap { $0["period"]?.string } == ["2026-04", "2026-05", "2026-06"])
            #expect(months[0]["buyers"] == .number(1) && months[0]["revenue"] == .number(4_000))
        }
    }

    @Test(arguments: TestStores.available)
    func retentionByTier(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            _ = try await Self.openShop(api)
            let none = try await api.call(.get, "/v1/analytics/retention?by=tier")
            #expect(none.status == 400 && none.code == "no_tiers" && none.json["field"]?.string == "by")
            // Silver from €150 spent in a calendar year (UTC).
            let document = Program.standardDocument.replacingOccurrences(of: #""name": "Treu standard program","#, with: """
                "name": "tiers", "tiers": {"metric": "spend", "window": "calendar_year", "levels": [{"name": "Silver", "threshold": 15000}]},
                """)
            #expect(try await api.call(.put, "/v1/program", json: #"{"effective_from": "2026-07-01T10:00:00Z", "document": \#(document)}"#).status == 201)
            let rows = try #require(try await api.call(.get, "/v1/analytics/retention?from=2026-04-01&to=2026-06-30&period=quarter&active_days=90&by=tier").json["periods"]?.array)
            #expect(rows.compactMap { $0["tier"]?.string } == ["none", "Silver"])
            // As the quarter opened, dora had spent €400 in 2026 (Silver); ana €100, ben €50, cem nothing.
            // Silver: dora was a customer then, not at the end: kept none, churn 100 %.
            let silver = rows[1]
            #expect(silver["customers_at_start"] == .number(1) && silver["customers_at_end"] == .number(0))
            #expect(silver["retention_rate"] == .number(-0.0) || silver["retention_rate"] == .number(0))
            #expect(silver["churn_rate"] == .number(100) && silver["buyers"] == .number(0))
            // No tier: S = ana, ben; E = ana, cem; N = cem; kept ana: CRR (2 − 1) / 2 = 50 %.
            let rest = rows[0]
            #expect(rest["customers_at_start"] == .number(2) && rest["customers_at_end"] == .number(2) && rest["new_customers"] == .number(1))
            #expect(rest["retention_rate"] == .number(50) && rest["repeat_buyer_rate"] == .number(50))
            #expect(rest["buyers"] == .number(2) && rest["orders"] == .number(6) && rest["revenue"] == .number(30_000))
        }
    }

    @Test(arguments: TestStores.available)
    func cohortsByMonthOfFirstOrder(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            _ = try await Self.openShop(api)
            let cohorts = try #require(try await api.call(.get, "/v1/analytics/cohorts?from=2026-01-01&to=2026-06-30").json["cohorts"]?.array)
            #expect(cohorts.compactMap { $0["cohort"]?.string } == ["2026-01", "2026-02", "2026-03", "2026-04"])
            func numbers(_ value: JSON?) -> [Double] { value?.array?.compactMap(\.double) ?? [] }
            // dora: January and March; ana: February, May, June; ben: March; cem: April, May, June.
            #expect(numbers(cohorts[0]["active"]) == [1, 0, 1, 0, 0, 0])
            #expect(numbers(cohorts[0]["revenue"]) == [20_000, 0, 20_000, 0, 0, 0])
            #expect(numbers(cohorts[1]["retention"]) == [1, 0, 0, 1, 1])
            #expect(numbers(cohorts[2]["active"]) == [1, 0, 0, 0])
            #expect(numbers(cohorts[3]["revenue"]) == [4_000, 4_000, 2_000])
            #expect(cohorts.allSatisfy { $0["customers"] == .number(1) })
        }
    }

    @Test(arguments: TestStores.available)
    func rfmScoresAndSegments(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            let ids = try await Self.openShop(api)
            let answer = try await api.call(.get, "/v1/analytics/rfm?to=2026-06-30&segment=loyal").json
            #expect(answer["customers"] == .number(4))
            // Four customers rank 1 to 4 on each measure (1 + ⌊5i/4⌋). Days since the last order:
            // dora 121, ben 107, cem 29, ana 10. Orders: ben 1, dora 2, ana 3, cem 4. Spend: ben
            // €50, cem €100, ana €300, dora €400. Segments (R, ⌈(F+M)/2⌉): ana (4, 3) Loyal,
            // cem (3, 3) Need Attention, dora (1, 3) At Risk, ben (2, 1) Hibernating.
            let segments = try #require(answer["segments"]?.array)
            func count(_ name: String) -> JSON? { segments.first { $0["segment"]?.string == name }?["customers"] }
            #expect(count("Loyal") == .number(1) && count("Need Attention") == .number(1))
            #expect(count("At Risk") == .number(1) && count("Hibernating") == .number(1) && count("Champions") == .number(0))
            let ana = try #require(answer["members"]?[0])
            #expect(ana["member_id"]?.string == ids["ana"])
            #expect(ana["recency"] == .number(4) && ana["frequency"] == .number(3) && ana["monetary"] == .number(3))
            #expect(ana["days_since_last_order"] == .number(10) && ana["orders"] == .number(3) && ana["spend"] == .number(30_000))

            // The member resource carries the member's figures as of now (2026-07-01); four
            // customers are too few to fit a lifetime-value model, so there is no P(alive).
            let member = try await api.call(.get, "/v1/members/\(ids["ana"]!)").json
            #expect(member["analytics"]?["segment"]?.string == "Loyal")
            #expect(member["analytics"]?["historic_value"] == .number(30_000) && member["analytics"]?["orders"] == .number(3))
            #expect(member["analytics"]?["p_alive"] == .null)
            #expect(try await api.call(.get, "/v1/members/\(ids["dora"]!)").json["analytics"]?["segment"]?.string == "At Risk")
            // eva bought nothing that stayed bought.
            #expect(try await api.call(.get, "/v1/members/\(ids["eva"]!)").json["analytics"] == .null)
        }
    }

    /// 80 customers whose purchases follow BG/NBD's own process (r 0.25, α 4, a 0.8, b 2.4, in
    /// weeks; seeded, so always the same): first purchases in the 9 weeks from 2026-01-05, then
    /// until 2026-06-29; customer i pays 10 + i mod 30 euros each time.
    static let larger: (batch: String, days: [[String]], revenue: Int) = {
        var generator = SplitMix64(seed: 7)
        let weeks = BGNBD(r: 0.25, alpha: 4, a: 0.8, b: 2.4)
            .simulatePurchaseTimes(firstPurchases: (0..<80).map { Double($0 % 9) }, until: 25, using: &generator)
        let start = Timestamp.parse("2026-01-05T12:00:00Z")!
        var events: [String] = [], days: [[String]] = [], revenue = 0
        for (i, times) in weeks.enumerated() {
            var mine: [String] = []
            for (k, week) in times.enumerated() {
                let at = TreuJSON.timestamp(start.addingTimeInterval((week * 7).rounded(.down) * 86_400))
                mine.append(String(at.prefix(10)))
                revenue += 1_000 + 100 * (i % 30)
                events.append(#"{"type": "order", "reference": "L\#(i)-\#(k)", "at": "\#(at)", "member": {"email": "c\#(i)@example.com"}, "currency": "EUR", "lines": [{"sku": "TEA", "quantity": 1, "unit_price": \#(1_000 + 100 * (i % 30))}]}"#)
            }
            days.append(mine)
        }
        return (#"{"events": ["# + events.joined(separator: ", ") + "]}", days, revenue)
    }()

    @Test(arguments: TestStores.available)
    func lifetimeValueFitsTheShopsHistory(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            // Four customers: nothing to fit, said plainly.
            _ = try await Self.openShop(api)
            let few = try await api.call(.get, "/v1/analytics/clv?to=2026-06-30").json
            #expect(few["customers"] == .number(4) && few["repeat_customers"] == .number(3))
            #expect(few["historic"]?["revenue"] == .number(85_000) && few["historic"]?["mean_value"] == .number(21_250))
            #expect(few["purchases"] == nil && few["predicted"] == nil)

            let results = try #require(try await api.call(.post, "/v1/events/batch", json: Self.larger.batch).json["results"]?.array)
            #expect(results.count == Self.larger.days.joined().count && results.allSatisfy { $0["status"] == .number(201) })
            let answer = try await api.call(.get, "/v1/analytics/clv?to=2026-06-30&holdout_weeks=8").json
            // Repeat customers buy on more than one day: ana, cem, dora and those of the 80 who did.
            let repeaters = Self.larger.days.filter { Set($0).count > 1 }.count
            #expect(answer["customers"] == .number(84) && answer["repeat_customers"] == .number(Double(3 + repeaters)))
            #expect(answer["historic"]?["revenue"] == .number(Double(85_000 + Self.larger.revenue)))
            #expect(answer["purchases"]?["model"]?.string == "bgnbd" && answer["spend"]?["model"]?.string == "gamma_gamma")
            for name in ["r", "alpha", "a", "b"] { #expect((answer["purchases"]?["parameters"]?[name]?.double ?? 0) > 0) }
            let top = try #require(answer["top"]?.array)
            #expect(top.count == 84)
            #expect(top.allSatisfy { ($0["p_alive"]?.double ?? -1) >= 0 && ($0["p_alive"]?.double ?? 2) <= 1 })
            #expect((answer["predicted"]?["value"]?.double ?? 0) > 0)
            // Held out: the 8 weeks after 2026-05-05, fitted on the customers who had bought by then (all).
            #expect(answer["holdout"]?["calibration_end"]?.string == "2026-05-05")
            #expect(answer["holdout"]?["customers"] == .number(84))
            // The calibration fit's own parameters, and the tracking chart: 8 weeks, cumulative,
            // ending at the holdout's own total.
            #expect(answer["holdout"]?["calibration"]?["model"]?.string == "bgnbd" && answer["holdout"]?["calibration"]?["log_likelihood"]?.double != nil)
            let tracking = try #require(answer["holdout"]?["tracking"]?.array)
            #expect(tracking.count == 8 && tracking.last?["actual_cumulative"] == answer["holdout"]?["actual_purchases"])
            #expect(tracking.first?["end"]?.string == "2026-05-12" && tracking.last?["end"]?.string == "2026-06-30")
            let actual = tracking.compactMap { $0["actual_cumulative"]?.double }, predicted = tracking.compactMap { $0["predicted_cumulative"]?.double }
            #expect(actual == actual.sorted() && predicted == predicted.sorted() && abs((predicted.last ?? 0) - (answer["holdout"]?["predicted_purchases"]?.double ?? -1)) < 1e-6)
            #expect(answer["purchase_unit"]?.string == "customer_day")

            // The model fits in memory whatever the engine (and this one takes seconds): once is enough.
            if backend == .sqlite {
                let pareto = try await api.call(.get, "/v1/analytics/clv?to=2026-06-30&model=pareto_nbd").json
                #expect(pareto["purchases"]?["model"]?.string == "pareto_nbd")
                for name in ["r", "alpha", "s", "beta"] { #expect((pareto["purchases"]?["parameters"]?[name]?.double ?? 0) > 0) }
            }

            // Now the member resource has a P(alive) and a predicted value too.
            let busiest = Self.larger.days.indices.max { Self.larger.days[$0].count < Self.larger.days[$1].count }!
            let id = try #require(try await api.call(.get, "/v1/members/lookup?identity=c\(busiest)@example.com").json["id"]?.string)
            let figures = try #require(try await api.call(.get, "/v1/members/\(id)").json["analytics"])
            let pAlive = try #require(figures["p_alive"]?.double)
            #expect(pAlive > 0 && pAlive <= 1 && (figures["predicted_value"]?.double ?? 0) > 0)
            #expect(figures["orders"] == .number(Double(Self.larger.days[busiest].count)))
            #expect(figures["historic_value"] == .number(Double(Self.larger.days[busiest].count * (1_000 + 100 * (busiest % 30)))))

            // One customer as of any day and horizon: the busiest, on 2026-03-31, over 6 months.
            let asOf = try await api.call(.get, "/v1/analytics/clv?to=2026-03-31&horizon_months=6&member_id=\(id)").json
            let mine = Self.larger.days[busiest].filter { $0 <= "2026-03-31" }
            let member = try #require(asOf["member"])
            #expect(member["member_id"]?.string == id && member["purchase_days"] == .number(Double(Set(mine).count)))
            #expect(member["historic_value"] == .number(Double(mine.count * (1_000 + 100 * (busiest % 30)))))
            let sooner = try #require(member["expected_purchases"]?.double)
            let later = try await api.call(.get, "/v1/analytics/clv?to=2026-03-31&horizon_months=12&member_id=\(id)").json["member"]?["expected_purchases"]?.double
            #expect(sooner > 0 && (later ?? 0) > sooner, "12 months expect more than 6")
            #expect(try await api.call(.get, "/v1/analytics/clv?member_id=\(UUID().uuidString.lowercased())").code == "member_not_found")
            #expect(try await api.call(.get, "/v1/analytics/retention?member_id=\(id)").status == 400)
        }
    }

    @Test(arguments: TestStores.available)
    func programFiguresPointsAndLiability(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            let ids = try await Self.openShop(api)
            // Release what is due by now, donate 50 of ana's points, then let dora's January
            // points (200) expire at the end of January 2027.
            let clock = PointsRelease(store: api.environment.store, clock: .fixed(Self.now), logger: Logger(label: "test"))
            _ = try await clock.runOnce(at: Self.now)
            #expect(try await api.call(.post, "/v1/members/\(ids["ana"]!)/donations", json: #"{"points": 50, "cause": "Trees"}"#).status == 201)
            _ = try await clock.runOnce(at: Timestamp.parse("2027-02-01T00:00:01Z")!)

            let answer = try await api.call(.get, "/v1/analytics/program?from=2026-01-01&to=2027-02-28&period=year&point_value=2").json
            let rows = try #require(answer["periods"]?.array)
            try #require(rows.count == 2)
            // Issued: 200 + 100 + 250 + 100 + 140 + 200 = 990 points for orders in 2026, and five
            // welcome gifts of 50: 1,240; returns took back 60 + 80.
            #expect(rows[0]["issued"] == .number(1_240) && rows[0]["taken_back"] == .number(140))
            #expect(rows[0]["redeemed"] == .number(50) && rows[0]["expired"] == .number(0))
            #expect(rows[0]["enrolled"] == .number(5) && rows[0]["members"] == .number(5) && rows[0]["active_members"] == .number(4))
            #expect(rows[0]["outstanding"] == .number(1_050))
            // dora's January points expire: her order's 200 and her welcome gift's 50.
            #expect(rows[1]["period"]?.string == "2027" && rows[1]["expired"] == .number(250) && rows[1]["outstanding"] == .number(800))
            // dora's last order (2026-03-01) is 364 days before 2027-02-28: still a customer.
            #expect(rows[1]["active_members"] == .number(4))
            let totals = answer["totals"]
            // Breakage: of the 300 settled points 250 expired (5/6); liability 800 × 2 × (1 − 5/6) = 266.67, 267 minor units.
            #expect(abs((totals?["breakage"]?.double ?? 0) - 250.0 / 300) < 1e-9)
            #expect(totals?["liability"] == .number(267))
            #expect(totals?["redemption_rate"] == .number(50.0 / 1_240))

            // By month, eva (first event in June) enrols in June.
            let months = try #require(try await api.call(.get, "/v1/analytics/program?from=2026-01-01&to=2026-06-30").json["periods"]?.array)
            #expect(months.map { $0["enrolled"] } == [1, 1, 1, 1, 0, 1].map { .number(Double($0)) })
            #expect(months.map { $0["active_members"] } == [1, 2, 3, 4, 4, 4].map { .number(Double($0)) })
        }
    }

    @Test func membersFiguresAreKeptUntilTheyAreOlderThanTheirAge() async throws {
        try await API.run(clock: .fixed(Self.now)) { api in
            let ids = try await Self.openShop(api)
            let now = Mutex(Self.now)
            let service = MemberAnalyticsService(store: api.environment.store, programs: api.environment.programs,
                                                 clock: TreuClock { now.withLock { $0 } }, maxAge: 60)
            let ana = try #require(UUID(uuidString: ids["ana"]!))
            #expect(try await service.figures(of: ana)?.orders == 3)
            #expect(try await api.call(.post, "/v1/events", json: Self.order("A4", "ana", "06-25", [("BAG", 10000)])).status == 201)
            // 59 seconds later the snapshot still holds. At 60 it is old: the read answers with it
            // at once (a read used to wait for the whole shop's refit) and a new one is built in
            // the background, which the next reads see once it is done.
            now.withLock { $0 = $0.addingTimeInterval(59) }
            #expect(try await service.figures(of: ana)?.orders == 3)
            now.withLock { $0 = $0.addingTimeInterval(1) }
            #expect(try await service.figures(of: ana)?.orders == 3)
            var orders = 3
            for _ in 0..<200 where orders == 3 {
                try await Task.sleep(for: .milliseconds(20))
                orders = try await service.figures(of: ana)?.orders ?? 0
            }
            #expect(orders == 4)
        }
    }

    @Test func analystsAndAdminsReadReportsOthersDoNot() async throws {
        try await API.run(clock: .fixed(Self.now)) { api in
            let analyst = try await api.key(.analyst), integration = try await api.key(.integration)
            #expect(try await api.call(.get, "/v1/analytics/retention", key: analyst).status == 200)
            let refused = try await api.call(.get, "/v1/analytics/program", key: integration)
            #expect(refused.status == 403 && refused.code == "forbidden")
            let cases: [(String, String)] = [
                ("from=2026-07-01&to=2026-06-01", "from"), ("from=2026-02-30", "from"), ("period=week", "period"),
                ("active_days=0", "active_days"), ("segment=vip", "segment"), ("model=arima", "model"), ("colour=red", "colour"),
            ]
            for (query, field) in cases {
                let answer = try await api.call(.get, "/v1/analytics/rfm?\(query)")
                #expect(answer.status == 400 && answer.code == "invalid_parameter" && answer.json["field"]?.string == field, "\(query)")
            }
            // An empty shop has figures too: none.
            let empty = try await api.call(.get, "/v1/analytics/clv").json
            #expect(empty["customers"] == .number(0) && empty["purchases"] == nil)
        }
    }
}
