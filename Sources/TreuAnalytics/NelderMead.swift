import Foundation

/// Minimises a function of a few variables without derivatives (Nelder & Mead 1965, with the
/// standard coefficients: reflection 1, expansion 2, contraction ½, shrink ½).
///
/// Enough for the lifetime-value models, which have two to four parameters fitted on their
/// logarithms (so every point is valid).
public enum NelderMead {
    public struct Result: Sendable {
        public var point: [Double]
        public var value: Double
        public var iterations: Int
    }

    /// - Parameters:
    ///   - start: the first guess.
    ///   - step: the size of the first simplex along each axis.
    ///   - tolerance: stop when the values at the simplex's corners differ by less than this.
    /// A simplex can collapse before it reaches the minimum of a flat valley; starting again
    /// from the best point with a fresh simplex (`restarts` times) is the usual cure.
    public static func minimize(_ f: ([Double]) -> Double, from start: [Double], step: Double = 0.5,
                                tolerance: Double = 1e-10, maxIterations: Int = 5_000, restarts: Int) -> Result {
        var result = minimize(f, from: start, step: step, tolerance: tolerance, maxIterations: maxIterations)
        for _ in 0..<restarts {
            let next = minimize(f, from: result.point, step: step / 5, tolerance: tolerance, maxIterations: maxIterations)
            result = Result(point: next.point, value: next.value, iterations: result.iterations + next.iterations)
        }
        return result
    }

    public static func minimize(_ f: ([Double]) -> Double, from start: [Double], step: Double = 0.5,
                                tolerance: Double = 1e-10, maxIterations: Int = 5_000) -> Result {
        let n = start.count
        var simplex = [start] + (0..<n).map { i -> [Double] in
            var corner = start
            corner[i] += step
            return corner
        }
        var values = simplex.map(f)
        var iterations = 0
        var checkpoint = Double.greatestFiniteMagnitude
        while iterations < maxIterations {
            iterations += 1
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + tolerance) { break }
            // A simplex crawling along a flat ridge (a parameter the data cannot pin down) improves
            // by next to nothing for ever: stop when 200 steps gained less than the tolerance.
            if iterations % 200 == 0 {
                if checkpoint - values[0] <= tolerance * (abs(values[0]) + tolerance) { break }
                checkpoint = values[0]
            }

            let centroid = (0..<n).map { j in simplex[0..<n].reduce(0) { $0 + $1[j] } / Double(n) }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }

            let reflected = along(-1), reflectedValue = f(reflected)
            if reflectedValue < values[0] {
                let expanded = along(-2), expandedValue = f(expanded)
                if expandedValue < reflectedValue {
                    simplex[n] = expanded; values[n] = expandedValue
                } else {
                    simplex[n] = reflected; values[n] = reflectedValue
                }
            } else if reflectedValue < values[n - 1] {
                simplex[n] = reflected; values[n] = reflectedValue
            } else {
                let outside = reflectedValue < values[n]
                let contracted = along(outside ? -0.5 : 0.5), contractedValue = f(contracted)
                if contractedValue < (outside ? reflectedValue : values[n]) {
                    simplex[n] = contracted; values[n] = contractedValue
                } else {
                    for i in 1...n {
                        simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = f(simplex[i])
                    }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return Result(point: simplex[best], value: values[best], iterations: iterations)
    }
}

extension NelderMead {
    /// Maximises a log-likelihood over positive parameters by minimising its negative over
    /// their logarithms (so every point tried is valid); a likelihood that is not finite counts
    /// as the worst possible.
    /// - Returns: the parameters (not their logarithms) and the log-likelihood there.
    /// Parameters are kept within e^±14 (about 10⁻⁶ to 10⁶): data that push a model beyond
    /// (a heterogeneity the data cannot see) get the fit at the bound in a few steps, instead of
    /// a walk towards infinity that costs more at every step.
    static func maximizeLikelihood(from start: [Double], _ logLikelihood: ([Double]) -> Double) -> (parameters: [Double], logLikelihood: Double) {
        let result = minimize({ logs in
            guard logs.allSatisfy({ abs($0) <= 14 }) else { return .greatestFiniteMagnitude }
            let value = -logLikelihood(logs.map { exp($0) })
            return value.isFinite ? value : .greatestFiniteMagnitude
        }, from: start.map { log($0) }, tolerance: 1e-12, restarts: 2)
        return (result.point.map { exp($0) }, -result.value)
    }
}

extension PurchaseHistory {
    /// Identical histories counted once: the likelihood of many customers is evaluated per distinct history.
    static func counted(_ histories: [PurchaseHistory]) -> [(history: PurchaseHistory, count: Int)] {
        var counts: [PurchaseHistory: Int] = [:]
        for history in histories { counts[history, default: 0] += 1 }
        return counts.map { (history: $0.key, count: $0.value) }
    }
}
