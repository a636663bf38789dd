import Foundation

/// Many customers' histories packed for fast likelihoods: identical histories counted once, and
/// the times stored as indices into their distinct values, so that a logarithm of (α + T) is
/// taken once per distinct T, not once per customer.
public struct PackedHistories: Sendable {
    var frequencies: [Int32] = []
    var recencyIndex: [Int32] = []
    var ageIndex: [Int32] = []
    var weights: [Double] = []
    var recencies: [Double] = []
    var ages: [Double] = []
    var distinctFrequencies: [Int] = []
    var frequencyIndex: [Int32] = []
    public var rows: Int { weights.count }

    public init(_ histories: [PurchaseHistory]) {
        var recencyPosition: [Double: Int32] = [:], agePosition: [Double: Int32] = [:], frequencyPosition: [Int: Int32] = [:]
        var rowPosition: [SIMD3<Int32>: Int] = [:]
        func position<K: Hashable>(_ key: K, in table: inout [K: Int32], values: inout [K]) -> Int32 {
            if let found = table[key] { return found }
            let index = Int32(values.count)
            values.append(key)
            table[key] = index
            return index
        }
        for h in histories {
            let r = position(h.recency, in: &recencyPosition, values: &recencies)
            let a = position(h.age, in: &agePosition, values: &ages)
            let f = position(h.frequency, in: &frequencyPosition, values: &distinctFrequencies)
            let key = SIMD3(Int32(h.frequency), r, a)
            if let row = rowPosition[key] {
                weights[row] += 1
            } else {
                rowPosition[key] = weights.count
                frequencies.append(Int32(h.frequency))
                frequencyIndex.append(f)
                recencyIndex.append(r)
                ageIndex.append(a)
                weights.append(1)
            }
        }
    }
}

extension BGNBD {
    /// The log-likelihood and its gradient with respect to (ln r, ln α, ln a, ln b).
    public func logLikelihoodAndGradient(_ data: PackedHistories) -> (value: Double, gradient: [Double]) {
        let xs = data.distinctFrequencies.map(Double.init)
        // Per distinct x: A1 + A2 and their derivatives.
        let psiR = SpecialFunctions.digamma(r), psiAB = SpecialFunctions.digamma(a + b), psiB = SpecialFunctions.digamma(b)
        let logAlpha = log(alpha)
        var base = [Double](), dBaseR = [Double](), dBaseA = [Double](), dBaseB = [Double](), logBX1 = [Double](), invBX1 = [Double]()
        for x in xs {
            let a1: Double = lgamma(r + x) - lgamma(r) + r * logAlpha
            let a2: Double = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
            base.append(a1 + a2)
            dBaseR.append(SpecialFunctions.digamma(r + x) - psiR + logAlpha)
            let psiABX = SpecialFunctions.digamma(a + b + x)
            dBaseA.append(psiAB - psiABX)
            dBaseB.append(psiAB + SpecialFunctions.digamma(b + x) - psiB - psiABX)
            logBX1.append(x > 0 ? log(b + x - 1) : 0)
            invBX1.append(x > 0 ? 1 / (b + x - 1) : 0)
        }
        let logAT = data.ages.map { log(alpha + $0) }, invAT = data.ages.map { 1 / (alpha + $0) }
        let logAt = data.recencies.map { log(alpha + $0) }, invAt = data.recencies.map { 1 / (alpha + $0) }
        let logA = log(a)
        var value = 0.0, gr = 0.0, gAlpha = 0.0, ga = 0.0, gb = 0.0
        for i in 0..<data.rows {
            let w = data.weights[i], fi = Int(data.frequencyIndex[i])
            let x = Double(data.frequencies[i])
            let ti = Int(data.ageIndex[i])
            let a3 = -(r + x) * logAT[ti]
            var row = base[fi], dr = dBaseR[fi] - logAT[ti], dAlpha = r / alpha - (r + x) * invAT[ti]
            var da = dBaseA[fi], db = dBaseB[fi]
            if x > 0 {
                let ri = Int(data.recencyIndex[i])
                let a4 = logA - logBX1[fi] - (r + x) * logAt[ri]
                let d = a4 - a3
                let w4 = 1 / (1 + exp(-d))
                row += d > 0 ? a4 + log1p(exp(-d)) : a3 + log1p(exp(d))
                dr += w4 * (logAT[ti] - logAt[ri])
                dAlpha += w4 * ((r + x) * invAT[ti] - (r + x) * invAt[ri])
                da += w4 / a
                db -= w4 * invBX1[fi]
            } else {
                row += a3
            }
            value += w * row
            gr += w * dr; gAlpha += w * dAlpha; ga += w * da; gb += w * db
        }
        return (value, [gr * r, gAlpha * alpha, ga * a, gb * b])
    }

    /// Maximum likelihood by BFGS on the logarithms of the parameters, with the analytic
    /// gradient: the fit for large shops (a million customers in seconds).
    public static func fit(_ data: PackedHistories, start: BGNBD = BGNBD(r: 1, alpha: 1, a: 1, b: 1)) -> (model: BGNBD, logLikelihood: Double, evaluations: Int) {
        func model(_ p: [Double]) -> BGNBD { BGNBD(r: exp(p[0]), alpha: exp(p[1]), a: exp(p[2]), b: exp(p[3])) }
        // Minimise the mean negative log-likelihood per customer, so that the scale of the
        // problem does not grow with the shop.
        let customers = data.weights.reduce(0, +)
        let result = BFGS.minimize({ p in
            let (value, gradient) = model(p).logLikelihoodAndGradient(data)
            return (-value / customers, gradient.map { -$0 / customers })
        }, from: [log(start.r), log(start.alpha), log(start.a), log(start.b)])
        return (model(result.point), -result.value * customers, result.evaluations)
    }
}

extension GammaGamma {
    /// The log-likelihood and its gradient with respect to (ln p, ln q, ln γ).
    public func logLikelihoodAndGradient(transactions: [Int32], logMeans: [Double], means: [Double]) -> (value: Double, gradient: [Double]) {
        let maxX = Int(transactions.max() ?? 0)
        var perX = [(base: Double, dp: Double, dq: Double)](repeating: (0, 0, 0), count: maxX + 1)
        let psiQ = SpecialFunctions.digamma(q), logGamma = log(gamma)
        for x in 1...max(maxX, 1) {
            let xd = Double(x), px = p * xd
            let psiPXQ = SpecialFunctions.digamma(px + q)
            let constant: Double = lgamma(px + q) - lgamma(px) - lgamma(q) + q * logGamma + px * log(xd)
            perX[x] = (constant,
                       xd * psiPXQ - xd * SpecialFunctions.digamma(px) + xd * log(xd),
                       psiPXQ - psiQ + logGamma)
        }
        var value = 0.0, gp = 0.0, gq = 0.0, gg = 0.0
        for i in 0..<transactions.count {
            let x = Int(transactions[i]), xd = Double(x)
            let px = p * xd
            let denominator = gamma + xd * means[i]
            let logDenominator = log(denominator)
            value += perX[x].base + (px - 1) * logMeans[i] - (px + q) * logDenominator
            gp += perX[x].dp + xd * logMeans[i] - xd * logDenominator
            gq += perX[x].dq - logDenominator
            gg += q / gamma - (px + q) / denominator
        }
        return (value, [gp * p, gq * q, gg * gamma])
    }

    /// Maximum likelihood by BFGS with the analytic gradient, for many customers.
    public static func fitLarge(_ customers: [(transactions: Int, meanValue: Double)],
                                start: GammaGamma = GammaGamma(p: 1, q: 1, gamma: 1)) -> (model: GammaGamma, logLikelihood: Double, evaluations: Int) {
        let kept = customers.filter { $0.transactions > 0 && $0.meanValue > 0 }
        let transactions = kept.map { Int32($0.transactions) }, means = kept.map(\.meanValue), logMeans = means.map { log($0) }
        func model(_ v: [Double]) -> GammaGamma { GammaGamma(p: exp(v[0]), q: exp(v[1]), gamma: exp(v[2])) }
        let n = Double(max(kept.count, 1))
        let result = BFGS.minimize({ v in
            let (value, gradient) = model(v).logLikelihoodAndGradient(transactions: transactions, logMeans: logMeans, means: means)
            return (-value / n, gradient.map { -$0 / n })
        }, from: [log(start.p), log(start.q), log(start.gamma)])
        return (model(result.point), -result.value * n, result.evaluations)
    }
}
