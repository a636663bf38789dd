import Foundation

/// Random variates from an injected generator, so simulations repeat exactly.
public enum Random {
    /// Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 by the boost u^(1/shape).
    public static func gamma<G: RandomNumberGenerator>(shape: Double, using generator: inout G) -> Double {
        if shape < 1 {
            let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
            return gamma(shape: shape + 1, using: &generator) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / sqrt(9 * d)
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = normal(using: &generator)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = Double.random(in: 0..<1, using: &generator)
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    public static func beta<G: RandomNumberGenerator>(_ a: Double, _ b: Double, using generator: inout G) -> Double {
        let x = gamma(shape: a, using: &generator), y = gamma(shape: b, using: &generator)
        return x / (x + y)
    }

    public static func exponential<G: RandomNumberGenerator>(rate: Double, using generator: inout G) -> Double {
        -log(Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)) / rate
    }

    /// Standard normal by the Box–Muller transform.
    public static func normal<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
        let v = Double.random(in: 0..<1, using: &generator)
        return sqrt(-2 * log(u)) * cos(2 * .pi * v)
    }
}

/// SplitMix64: a small, fast, seedable generator for simulations and tests.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
