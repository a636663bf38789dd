import Testing
import TreuAnalytics

@Suite("Retention, repeat-buyer rate and churn, by hand")
struct RetentionTests {
    @Test func theCRRExample() {
        // S = 200 at the start, N = 40 new, E = 180 at the end: (180 − 40) / 200 = 70 %.
        #expect(RetentionCounts(start: 200, end: 180, new: 40).retentionRate == 70)
        #expect(RetentionCounts(start: 0, end: 10, new: 10).retentionRate == nil)
    }

    @Test func customersAreThoseWhoBoughtWithinTheWindow() {
        let activity = CustomerActivity(activeDays: 30)
        #expect(activity.isCustomer(orderDays: [10], on: 39))
        #expect(!activity.isCustomer(orderDays: [10], on: 40))
        #expect(!activity.isCustomer(orderDays: [50], on: 40))
    }

    @Test func aPeriodCountedFromOrders() {
        // Period: days 100 to 200, a customer is someone who bought within the last 90 days.
        let orders: [[Int]] = [
            [50, 150],   // customer at the start (50) and at the end (150): kept
            [20, 190],   // bought 80 days before the start, and again before the end: kept
            [60],        // at the start only: lost
            [120],       // new in the period, a customer at the end (200 − 120 = 80 < 90)
            [105],       // new, lapsed by the end (95 days)
            [5],         // long gone: in no count
        ]
        let result = CustomerActivity(activeDays: 90).retention(orders: orders, from: 100, to: 200)
        #expect(result.counts == RetentionCounts(start: 3, end: 3, new: 2))
        #expect(result.keptFromStart == 2)
        #expect(result.retentionRate == (3.0 - 2.0) / 3.0 * 100)
        #expect(result.repeatBuyerRate == 2.0 / 3.0 * 100)
        #expect(result.churnRate == 100 - 2.0 / 3.0 * 100)
    }

    @Test func aFirstOrderOnThePeriodsFirstDayIsNewNotKept() {
        // Period: days 100 to 130, customers bought within 60 days. One first bought on day 100
        // (new: not a customer as the period opened), the other on day 99 (a customer then, and still at the end).
        let result = CustomerActivity(activeDays: 60).retention(orders: [[100], [99]], from: 100, to: 130)
        #expect(result.counts == RetentionCounts(start: 1, end: 2, new: 1))
        #expect(result.keptFromStart == 1)
        #expect(result.retentionRate == 100)
    }
}
