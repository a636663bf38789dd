import Testing
import TreuAnalytics

@Suite("Calibration and holdout: how good the forecast is")
struct HoldoutTests {
    @Test func aSplitCountsEachSideByHand() {
        // First purchase at week 2, repeats at 10 and 30 (calibration to week 39), then 45 and 80 (holdout to 78).
        let split = HoldoutEvaluation.split(purchaseTimes: [[2, 10, 30, 45, 80], [50, 60]], calibrationEnd: 39, holdoutEnd: 78)
        #expect(split.calibration == [PurchaseHistory(frequency: 2, recency: 28, age: 37)])
        #expect(split.holdoutPurchases == [1])
    }

    /// The tracking chart by hand: calibration to week 39, three holdout weeks. The first
    /// customer buys at 39.5 and 41 (weeks 1 and 2), the second at 40 (week 1), the third began
    /// after the calibration and does not count. A stand-in forecast of 0.1 purchases a week each.
    @Test func theTrackingChartCountsWeekByWeek() {
        let times: [[Double]] = [[2, 10, 30, 39.5, 41], [20, 40], [39.8, 40.5]]
        var asked: [PurchaseHistory] = []
        let weeks = HoldoutEvaluation.tracking(purchaseTimes: times, calibrationEnd: 39, weeks: 3) { history, t in
            if t == 1 { asked.append(history) }
            return 0.1 * t
        }
        #expect(weeks.map(\.actualCumulative) == [2, 3, 3])
        // Two customers × 0.1 a week: 0.2, 0.4, 0.6.
        #expect(weeks.map { ($0.predictedCumulative * 1_000).rounded() } == [200, 400, 600])
        // Asked once per calibration history: (2 repeats, recency 28, age 37) and (0, 0, 19).
        #expect(Set(asked) == [PurchaseHistory(frequency: 2, recency: 28, age: 37), PurchaseHistory(frequency: 0, recency: 0, age: 19)])
    }

    @Test func theBGNBDForecastsAHoldoutItWasNotFittedOn() {
        // 20,000 customers making their first purchase in the first 12 weeks; fit on weeks 0–39,
        // predict weeks 39–78.
        let truth = BGNBD(r: 0.3, alpha: 5, a: 0.8, b: 2.5)
        var generator = SplitMix64(seed: 39)
        let firsts = (0..<20_000).map { _ in Double.random(in: 0..<12, using: &generator) }
        let times = truth.simulatePurchaseTimes(firstPurchases: firsts, until: 78, using: &generator)
        let split = HoldoutEvaluation.split(purchaseTimes: times, calibrationEnd: 39, holdoutEnd: 78)
        let (model, _, _) = BGNBD.fit(PackedHistories(split.calibration))
        let evaluation = HoldoutEvaluation(split) { model.expectedPurchases(in: 39, after: $0) }
        #expect(evaluation.actualTotal > 5_000)
        #expect(abs(evaluation.predictedTotal / Double(evaluation.actualTotal) - 1) < 0.05,
                "predicted \(evaluation.predictedTotal), actual \(evaluation.actualTotal)")
        // Customers who bought more in calibration buy more in the holdout, as predicted.
        let means = evaluation.groups.map(\.actualMean)
        #expect(means.first! < means.last!)
        for group in evaluation.groups where group.customers > 500 {
            #expect(abs(group.predictedMean - group.actualMean) < 0.25 * max(group.actualMean, 0.2),
                    "x = \(group.calibrationFrequency): predicted \(group.predictedMean), actual \(group.actualMean)")
        }
    }

    @Test func purchaseFiguresByHand() {
        // Three customers: one order of €10; two orders of €20 and €30; none. Two buyers, three orders, €60.
        let figures = PurchaseFigures(orderAmounts: [[1_000], [2_000, 3_000], []])
        #expect(figures.customers == 2 && figures.orders == 3 && figures.revenue == 6_000)
        #expect(figures.repeatPurchaseRate == 50)
        #expect(figures.purchaseFrequency == 1.5)
        #expect(figures.averageOrderValue == 2_000)
    }
}
