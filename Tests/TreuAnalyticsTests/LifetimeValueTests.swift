import Testing
import TreuAnalytics

@Suite("Predicted lifetime value")
struct LifetimeValueTests {
    let purchases = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let spend = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
    let history = PurchaseHistory(frequency: 2, recency: 30.43, age: 38.86)

    @Test func withoutDiscountItIsPurchasesTimesValueTimesMargin() {
        // Undiscounted, the periods add up to the 39-week expectation (1.226 purchases in the paper)
        // times the expected value of a purchase (Gamma-Gamma, x = 2, m̄ = $22.35) times the margin.
        let clv = LifetimeValue(purchases: purchases, spend: spend, margin: 0.3)
        let value = clv.predicted(for: history, meanValue: 22.35, periods: 3, periodLength: 13)
        let expected = purchases.expectedPurchases(in: 39, after: history) * spend.expectedValue(transactions: 2, meanValue: 22.35) * 0.3
        #expect(abs(value - expected) < 1e-9)
        #expect(abs(purchases.expectedPurchases(in: 39, after: history) - 1.226) < 0.001)
    }

    @Test func discountingLowersLaterPeriodsOnly() {
        let flat = LifetimeValue(purchases: purchases, spend: spend)
        let discounted = LifetimeValue(purchases: purchases, spend: spend, discountRate: 0.01)
        let one = flat.predicted(for: history, meanValue: 22.35, periods: 1, periodLength: 4.33)
        #expect(abs(discounted.predicted(for: history, meanValue: 22.35, periods: 1, periodLength: 4.33) - one / 1.01) < 1e-9)
        #expect(discounted.predicted(for: history, meanValue: 22.35, periods: 24, periodLength: 4.33)
                < flat.predicted(for: history, meanValue: 22.35, periods: 24, periodLength: 4.33))
    }

    @Test func aCustomerWithoutRepeatsIsValuedAtThePopulationsMeanSpend() {
        let clv = LifetimeValue(purchases: purchases, spend: spend)
        let newcomer = PurchaseHistory(frequency: 0, recency: 0, age: 10)
        let value = clv.predicted(for: newcomer, meanValue: 0, periods: 1, periodLength: 52)
        #expect(abs(value - purchases.expectedPurchases(in: 52, after: newcomer) * spend.populationMean) < 1e-9)
    }
}
