import Foundation

/// The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005; Fader & Hardie
/// 2013, "The Gamma-Gamma model of monetary value"): a customer's transactions are
/// Gamma(p, ν) in value, and ν varies across customers as Gamma(q, γ). It is fitted on the
/// customers with repeat purchases: their count x and the mean value m̄ of those purchases.
public struct GammaGamma: Equatable, Sendable {
    public var p: Double
    public var q: Double
    public var gamma: Double

    public init(p: Double, q: Double, gamma: Double) {
        self.p = p
        self.q = q
        self.gamma = gamma
    }

    /// The log-likelihood of one customer's mean spend over x transactions (up to a constant).
    public func logLikelihood(transactions x: Int, meanValue m: Double) -> Double {
        let px = p * Double(x)
        return lgamma(px + q) - lgamma(px) - lgamma(q) + q * log(gamma) + (px - 1) * log(m)
            + px * log(Double(x)) - (px + q) * log(gamma + Double(x) * m)
    }

    /// The expected value of a transaction by a customer with x transactions of mean value m
    /// (a weighted mean of the population's and the customer's own mean).
    public func expectedValue(transactions x: Int, meanValue m: Double) -> Double {
        p * (gamma + Double(x) * m) / (p * Double(x) + q - 1)
    }

    /// The population's mean transaction value, pγ/(q − 1) (for q > 1).
    public var populationMean: Double { p * gamma / (q - 1) }

    /// Maximum-likelihood parameters for customers given as (x, m̄) with x ≥ 1.
    public static func fit(_ customers: [(transactions: Int, meanValue: Double)],
                           start: GammaGamma = GammaGamma(p: 1, q: 1, gamma: 1)) -> (model: GammaGamma, logLikelihood: Double) {
        let data = customers.filter { $0.transactions > 0 && $0.meanValue > 0 }
        let fit = NelderMead.maximizeLikelihood(from: [start.p, start.q, start.gamma]) { v in
            let model = GammaGamma(p: v[0], q: v[1], gamma: v[2])
            return data.reduce(0) { $0 + model.logLikelihood(transactions: $1.transactions, meanValue: $1.meanValue) }
        }
        let v = fit.parameters
        return (GammaGamma(p: v[0], q: v[1], gamma: v[2]), fit.logLikelihood)
    }

    /// Customers drawn from the model's generative process: each makes the given number of
    /// transactions, and the mean of their values is reported.
    public func simulate<G: RandomNumberGenerator>(transactions: [Int], using generator: inout G) -> [(transactions: Int, meanValue: Double)] {
        transactions.map { x in
            let nu = Random.gamma(shape: q, using: &generator) / gamma
            let total = (0..<x).reduce(0.0) { sum, _ in sum + Random.gamma(shape: p, using: &generator) / nu }
            return (x, total / Double(x))
        }
    }
}
