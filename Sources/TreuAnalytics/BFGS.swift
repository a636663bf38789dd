import Foundation

/// Minimises a smooth function whose gradient is known, by BFGS with a backtracking (Armijo)
/// line search. Few evaluations: what makes fitting a million customers take seconds.
public enum BFGS {
    public struct Result: Sendable {
        public var point: [Double]
        public var value: Double
        public var evaluations: Int
    }

    /// - Parameter f: the value and the gradient at a point.
    public static func minimize(_ f: ([Double]) -> (value: Double, gradient: [Double]), from start: [Double],
                                gradientTolerance: Double = 1e-8, maxIterations: Int = 500, maxStep: Double = 2) -> Result {
        let n = start.count
        var x = start
        var (fx, g) = f(x)
        var evaluations = 1
        var h = identity(n)
        for _ in 0..<maxIterations {
            if norm(g) <= gradientTolerance * max(1, abs(fx)) { break }
            var direction = (0..<n).map { i in -(0..<n).reduce(0) { $0 + h[i][$1] * g[$1] } }
            var slope = dot(direction, g)
            if slope >= 0 {  // not a descent direction: start again from steepest descent
                h = identity(n)
                direction = g.map { -$0 }
                slope = dot(direction, g)
            }
            // No step moves a coordinate by more than `maxStep` (the parameters are logarithms:
            // e² is far enough for one step, and keeps exp() finite while H is still a guess).
            let longest = direction.map(abs).max() ?? 0
            var step = longest > maxStep ? maxStep / longest : 1.0
            var next = x, fNext = fx, gNext = g
            while true {
                next = (0..<n).map { x[$0] + step * direction[$0] }
                (fNext, gNext) = f(next)
                evaluations += 1
                if fNext.isFinite && fNext <= fx + 1e-4 * step * slope { break }
                step *= 0.5
                if step < 1e-12 { return Result(point: x, value: fx, evaluations: evaluations) }
            }
            let s = (0..<n).map { next[$0] - x[$0] }
            let y = (0..<n).map { gNext[$0] - g[$0] }
            let sy = dot(s, y)
            if sy > 1e-12 {
                // H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ
                let rho = 1 / sy
                let hy = (0..<n).map { i in (0..<n).reduce(0) { $0 + h[i][$1] * y[$1] } }
                let yhy = dot(y, hy)
                for i in 0..<n {
                    for j in 0..<n {
                        h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j]
                    }
                }
            }
            let improvement = fx - fNext
            x = next; fx = fNext; g = gNext
            if improvement <= 1e-15 * max(1, abs(fx)) { break }
        }
        return Result(point: x, value: fx, evaluations: evaluations)
    }

    static func identity(_ n: Int) -> [[Double]] { (0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } } }
    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    static func norm(_ a: [Double]) -> Double { sqrt(dot(a, a)) }
}

extension SpecialFunctions {
    /// The digamma function ψ(x) = d/dx ln Γ(x), for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up
    /// to x ≥ 10, then the asymptotic series (error below 1e-14).
    public static func digamma(_ x: Double) -> Double {
        var x = x, result = 0.0
        while x < 10 {
            result -= 1 / x
            x += 1
        }
        let f = 1 / (x * x)
        return result + log(x) - 0.5 / x
            - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))))
    }
}
