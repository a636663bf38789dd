import Foundation

/// A value axis: from zero (or below, for data below zero) to a round number at or above the
/// largest value, with ticks at a round step (1, 2 or 5 times a power of ten), so a reader sees
/// 0, 500, 1,000, 1,500 rather than 0, 247, 494.
public struct AxisScale: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    public let step: Double

    /// - Parameter ticks: about how many steps the axis should have.
    public init(covering values: [Double], ticks: Int = 5) {
        let finite = values.filter(\.isFinite)
        let least = min(0, finite.min() ?? 0), most = max(0, finite.max() ?? 0)
        guard most > least else {
            (lower, upper, step) = (0, 1, 1)
            return
        }
        let raw = (most - least) / Double(max(1, ticks))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = switch raw / magnitude {
        case ...1: magnitude
        case ...2: 2 * magnitude
        case ...5: 5 * magnitude
        default: 10 * magnitude
        }
        self.step = step
        lower = (least / step).rounded(.down) * step
        upper = (most / step).rounded(.up) * step
    }

    /// The values the axis is marked at, lower to upper.
    public var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// How far along an axis of `length` the value lies: 0 at `lower`, `length` at `upper`.
    public func position(of value: Double, length: Double) -> Double {
        (value - lower) / (upper - lower) * length
    }
}
