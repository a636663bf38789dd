import Foundation

/// Functions the C library does not have.
public enum SpecialFunctions {
    /// Gauss's hypergeometric function ₂F₁(a, b; c; z) by its series, for 0 ≤ z < 1
    /// (where the lifetime-value formulas use it). Terms are added until they no longer change
    /// the sum in the sixteenth digit.
    public static func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        // The series converges for |z| < 1; a fit that strays to parameters where z rounds to 1
        // gets no number (and the optimiser moves away) rather than a crash.
        guard z >= 0 && z < 1 else { return .nan }
        var term = 1.0, sum = 1.0
        var j = 0.0
        while j < 100_000 {
            term *= (a + j) * (b + j) / ((c + j) * (j + 1)) * z
            sum += term
            if abs(term) <= 1e-16 * abs(sum) { break }
            j += 1
        }
        return sum
    }
}
