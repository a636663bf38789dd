import Foundation

/// One customer's repeat-purchase history in the form the buy-till-you-die models read:
/// `frequency` repeat purchases (x), the time of the last one (`recency`, t_x) and the length of
/// observation (`age`, T), all measured from the customer's first purchase, in any unit (weeks
/// in the papers).
public struct PurchaseHistory: Hashable, Sendable {
    public var frequency: Int
    public var recency: Double
    public var age: Double

    public init(frequency: Int, recency: Double, age: Double) {
        precondition(frequency >= 0 && recency >= 0 && age >= recency, "0 ≤ t_x ≤ T and x ≥ 0")
        self.frequency = frequency
        self.recency = frequency == 0 ? 0 : recency
        self.age = age
    }
}

/// The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
/// alive a customer buys at a rate λ ~ Gamma(r, α); after each purchase they drop out with
/// probability p ~ Beta(a, b).
public struct BGNBD: Equatable, Sendable {
    public var r: Double
    public var alpha: Double
    public var a: Double
    public var b: Double

    public init(r: Double, alpha: Double, a: Double, b: Double) {
        self.r = r
        self.alpha = alpha
        self.a = a
        self.b = b
    }

    /// The log-likelihood of one history under these parameters (equation 6 of the paper).
    public func logLikelihood(_ h: PurchaseHistory) -> Double {
        let x = Double(h.frequency)
        let a1 = lgamma(r + x) - lgamma(r) + r * log(alpha)
        let a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
        let a3 = -(r + x) * log(alpha + h.age)
        guard h.frequency > 0 else { return a1 + a2 + a3 }
        let a4 = log(a) - log(b + x - 1) - (r + x) * log(alpha + h.recency)
        let high = max(a3, a4)
        return a1 + a2 + high + log(exp(a3 - high) + exp(a4 - high))
    }

    /// The log-likelihood of many customers, given as distinct histories with their counts.
    public func logLikelihood(_ data: [(history: PurchaseHistory, count: Int)]) -> Double {
        data.reduce(0) { $0 + Double($1.count) * logLikelihood($1.history) }
    }

    /// The probability that a customer with this history is still alive at the end of it.
    public func probabilityAlive(_ h: PurchaseHistory) -> Double {
        guard h.frequency > 0 else { return 1 }
        let x = Double(h.frequency)
        return 1 / (1 + a / (b + x - 1) * pow((alpha + h.age) / (alpha + h.recency), r + x))
    }

    /// Expected purchases in the next `t` units by a customer with this history (equation 10).
    public func expectedPurchases(in t: Double, after h: PurchaseHistory) -> Double {
        let x = Double(h.frequency)
        let z = t / (alpha + h.age + t)
        let hyper = SpecialFunctions.hypergeometric2F1(r + x, b + x, a + b + x - 1, z)
        let numerator = (a + b + x - 1) / (a - 1) * (1 - pow((alpha + h.age) / (alpha + h.age + t), r + x) * hyper)
        let denominator = h.frequency > 0 ? 1 + a / (b + x - 1) * pow((alpha + h.age) / (alpha + h.recency), r + x) : 1
        return numerator / denominator
    }

    /// Expected purchases of a new customer in their first `t` units (equation 9).
    public func expectedPurchases(in t: Double) -> Double {
        (a + b - 1) / (a - 1) * (1 - pow(alpha / (alpha + t), r) * SpecialFunctions.hypergeometric2F1(r, b, a + b - 1, t / (alpha + t)))
    }

    /// The maximum-likelihood parameters for these histories, fitted on the parameters'
    /// logarithms. Identical histories are counted once, so large shops fit fast.
    public static func fit(_ histories: [PurchaseHistory], start: BGNBD = BGNBD(r: 1, alpha: 1, a: 1, b: 1)) -> (model: BGNBD, logLikelihood: Double) {
        let data = PurchaseHistory.counted(histories)
        let fit = NelderMead.maximizeLikelihood(from: [start.r, start.alpha, start.a, start.b]) { p in
            BGNBD(r: p[0], alpha: p[1], a: p[2], b: p[3]).logLikelihood(data)
        }
        let p = fit.parameters
        return (BGNBD(r: p[0], alpha: p[1], a: p[2], b: p[3]), fit.logLikelihood)
    }

    /// Histories drawn from the model's own generative process, for `customers` customers each
    /// observed for `age` units from their first purchase. Deterministic for a given generator.
    public func simulate<G: RandomNumberGenerator>(customers: Int, age: Double, using generator: inout G) -> [PurchaseHistory] {
        simulate(ages: Array(repeating: age, count: customers), using: &generator)
    }

    /// Histories drawn from the model's generative process, one per observation length in `ages`.
    public func simulate<G: RandomNumberGenerator>(ages: [Double], using generator: inout G) -> [PurchaseHistory] {
        ages.map { age in
            let lambda = Random.gamma(shape: r, using: &generator) / alpha
            let p = Random.beta(a, b, using: &generator)
            var time = 0.0, last = 0.0, count = 0
            while true {
                time += Random.exponential(rate: lambda, using: &generator)
                guard time <= age else { break }
                count += 1
                last = time
                if Double.random(in: 0..<1, using: &generator) < p { break }
            }
            return PurchaseHistory(frequency: count, recency: last, age: age)
        }
    }
}
