import Foundation

// The arithmetic of earning: line matching, parts of the points, punch cards, exact sums.

extension Condition {
    /// Whether the rule's own minimums hold for the lines it matches.
    func minimumsHold(_ eligible: [OrderLine]) -> Bool {
        guard minQuantity != nil || minAmount != nil else { return true }
        let matching = eligible.filter(matches)
        if let minQuantity, matching.reduce(0, { $0 + $1.quantity }) < minQuantity { return false }
        if let minAmount, matching.reduce(0, { $0 + $1.net }) < minAmount { return false }
        return true
    }
}

extension EarnedPart {
    /// The part trimmed to `points` (a cap), its lines and order share scaled down alike.
    mutating func scale(to points: Int) {
        let shares = Arithmetic.shares(of: points, by: lines + [order])
        lines = Array(shares.dropLast())
        order = shares.last ?? 0
        self.points = points
    }
}

/// The open card's stamps of each punch-card rule, kept as a counter of the member.
public enum PunchCards {
    public static func key(_ rule: String) -> String { "stamps:\(rule)" }
}

/// Integer arithmetic for points: products in 128 bits, so no amount of a checked order can
/// overflow, and results held within `Int`.
public enum Arithmetic {
    /// `value × points / per`, rounded as asked (0 for a value of 0 or less).
    public static func scaled(_ value: Int, _ points: Int, _ per: Int, _ rounding: EarningRule.Rounding) -> Int {
        guard value > 0, per > 0 else { return 0 }
        let numerator = Int128(value) * Int128(points), denominator = Int128(per)
        let result: Int128 = switch rounding {
        case .down: numerator / denominator
        case .up: (numerator + denominator - 1) / denominator
        case .nearest: (2 * numerator + denominator) / (2 * denominator)
        }
        return clamp(result)
    }

    /// `a × b`, at most `Int.max`.
    public static func product(_ a: Int, _ b: Int) -> Int { clamp(Int128(a) * Int128(b)) }

    /// `total` shared in proportion to `weights` (not negative), cumulatively rounded down, so
    /// that the shares add up to `total` exactly; all to the last when the weights are all 0.
    public static func shares(of total: Int, by weights: [Int]) -> [Int] {
        guard !weights.isEmpty else { return [] }
        let sum = weights.reduce(Int128(0)) { $0 + Int128(max($1, 0)) }
        guard sum > 0 else { return weights.indices.map { $0 == weights.count - 1 ? total : 0 } }
        var shares: [Int] = []
        shares.reserveCapacity(weights.count)
        var running = Int128(0), given = 0
        for weight in weights {
            running += Int128(max(weight, 0))
            let upTo = Int(Int128(total) * running / sum)
            shares.append(upTo - given)
            given = upTo
        }
        return shares
    }

    static func clamp(_ value: Int128) -> Int {
        value > Int128(Int.max) ? .max : value < Int128(Int.min) ? .min : Int(value)
    }
}
