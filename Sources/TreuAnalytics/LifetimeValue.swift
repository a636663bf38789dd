import Foundation

/// A model of how often customers buy and whether they are still there: BG/NBD or Pareto/NBD.
public protocol PurchaseModel: Sendable {
    /// The probability that a customer with this history is still active.
    func probabilityAlive(_ h: PurchaseHistory) -> Double
    /// Expected purchases in the next `t` time units of a customer with this history.
    func expectedPurchases(in t: Double, after h: PurchaseHistory) -> Double
}

extension BGNBD: PurchaseModel {}
extension ParetoNBD: PurchaseModel {}

/// Predicted customer lifetime value: expected purchases per period (BG/NBD) × expected value of
/// a purchase (Gamma-Gamma) × margin, each period discounted to today.
///
/// CLV = Σ_{i=1…n} (E[X(iΔ)] − E[X((i−1)Δ)]) · E[M] · margin / (1 + d)^i
/// where E[X(t)] is the expected number of purchases in the next t time units given the
/// customer's history, Δ the period length in those units, and d the discount rate per period.
public struct LifetimeValue: Sendable {
    public var purchases: any PurchaseModel
    public var spend: GammaGamma
    /// The share of revenue that is profit, 0 to 1 (1: value in revenue).
    public var margin: Double
    /// Discount rate per period (0.01 ≈ 12.7 % a year with monthly periods).
    public var discountRate: Double

    public init(purchases: any PurchaseModel, spend: GammaGamma, margin: Double = 1, discountRate: Double = 0) {
        self.purchases = purchases
        self.spend = spend
        self.margin = margin
        self.discountRate = discountRate
    }

    /// The predicted value over `periods` periods of `periodLength` time units (the units the
    /// histories are in: 52/12 weeks for months when histories are in weeks).
    /// - Parameter meanValue: the mean value of the customer's repeat purchases (ignored if none).
    public func predicted(for history: PurchaseHistory, meanValue: Double, periods: Int, periodLength: Double) -> Double {
        let value = history.frequency > 0
            ? spend.expectedValue(transactions: history.frequency, meanValue: meanValue)
            : spend.populationMean
        var total = 0.0, previous = 0.0
        for i in 1...max(periods, 1) {
            let cumulative = purchases.expectedPurchases(in: Double(i) * periodLength, after: history)
            total += (cumulative - previous) * value * margin / pow(1 + discountRate, Double(i))
            previous = cumulative
        }
        return total
    }
}
