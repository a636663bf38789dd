import Foundation

/// The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987; implemented after Fader, Hardie
/// & Lee 2005, "A note on implementing the Pareto/NBD model in MATLAB"): while alive a customer
/// buys at rate λ ~ Gamma(r, α); their lifetime is exponential with rate μ ~ Gamma(s, β).
public struct ParetoNBD: Equatable, Sendable {
    public var r: Double
    public var alpha: Double
    public var s: Double
    public var beta: Double

    public init(r: Double, alpha: Double, s: Double, beta: Double) {
        self.r = r
        self.alpha = alpha
        self.s = s
        self.beta = beta
    }

    /// log A₀ of the note's equation (2) split as a difference of two positive terms, each in logs.
    private func logA0Terms(_ h: PurchaseHistory) -> (Double, Double) {
        let x = Double(h.frequency)
        let rsx = r + s + x
        let (big, small, second) = alpha >= beta ? (alpha, beta, s + 1) : (beta, alpha, r + x)
        let f1 = SpecialFunctions.hypergeometric2F1(rsx, second, rsx + 1, (big - small) / (big + h.recency))
        let f2 = SpecialFunctions.hypergeometric2F1(rsx, second, rsx + 1, (big - small) / (big + h.age))
        return (log(f1) - rsx * log(big + h.recency), log(f2) - rsx * log(big + h.age))
    }

    /// log of [1/((α+T)^(r+x) (β+T)^s)] and of [s/(r+s+x) · A₀]: the two parts of the likelihood's bracket.
    private func logBracketParts(_ h: PurchaseHistory) -> (Double, Double) {
        let x = Double(h.frequency)
        let first = -(r + x) * log(alpha + h.age) - s * log(beta + h.age)
        let (t1, t2) = logA0Terms(h)
        // A₀ = e^t1 − e^t2 > 0 (t1 > t2, since α + t_x ≤ α + T).
        let logA0 = t1 + log(-expm1(t2 - t1))
        return (first, log(s / (r + s + x)) + logA0)
    }

    public func logLikelihood(_ h: PurchaseHistory) -> Double {
        let x = Double(h.frequency)
        let (first, second) = logBracketParts(h)
        let high = max(first, second)
        return lgamma(r + x) - lgamma(r) + r * log(alpha) + s * log(beta) + high + log(exp(first - high) + exp(second - high))
    }

    public func logLikelihood(_ data: [(history: PurchaseHistory, count: Int)]) -> Double {
        data.reduce(0) { $0 + Double($1.count) * logLikelihood($1.history) }
    }

    /// The probability that a customer with this history is alive at its end.
    public func probabilityAlive(_ h: PurchaseHistory) -> Double {
        let (first, second) = logBracketParts(h)
        return 1 / (1 + exp(second - first))
    }

    /// Expected purchases in the next `t` units by a customer with this history.
    public func expectedPurchases(in t: Double, after h: PurchaseHistory) -> Double {
        let x = Double(h.frequency)
        return (r + x) * (beta + h.age) / ((alpha + h.age) * (s - 1))
            * (1 - pow((beta + h.age) / (beta + h.age + t), s - 1)) * probabilityAlive(h)
    }

    /// The maximum-likelihood parameters for these histories (Nelder-Mead on their logarithms).
    public static func fit(_ histories: [PurchaseHistory], start: ParetoNBD = ParetoNBD(r: 1, alpha: 1, s: 1, beta: 1)) -> (model: ParetoNBD, logLikelihood: Double) {
        let data = PurchaseHistory.counted(histories)
        let fit = NelderMead.maximizeLikelihood(from: [start.r, start.alpha, start.s, start.beta]) { p in
            ParetoNBD(r: p[0], alpha: p[1], s: p[2], beta: p[3]).logLikelihood(data)
        }
        let p = fit.parameters
        return (ParetoNBD(r: p[0], alpha: p[1], s: p[2], beta: p[3]), fit.logLikelihood)
    }

    /// Histories drawn from the model's generative process, each observed for `age` units.
    public func simulate<G: RandomNumberGenerator>(customers: Int, age: Double, using generator: inout G) -> [PurchaseHistory] {
        (0..<customers).map { _ in
            let lambda = Random.gamma(shape: r, using: &generator) / alpha
            let mu = Random.gamma(shape: s, using: &generator) / beta
            let end = min(age, Random.exponential(rate: mu, using: &generator))
            var time = 0.0, last = 0.0, count = 0
            while true {
                time += Random.exponential(rate: lambda, using: &generator)
                guard time <= end else { break }
                count += 1
                last = time
            }
            return PurchaseHistory(frequency: count, recency: last, age: age)
        }
    }
}
