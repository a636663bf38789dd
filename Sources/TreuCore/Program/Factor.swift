/// An exact multiplier such as 1.25, as the program document writes it: a whole number of
/// ten-thousandths (`12_500` is ×1.25). Points are multiplied in integers, so 10 points × 1.2
/// are 12, never 11.999… rounded down to 11.
public struct Factor: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The factor times `Factor.scale`.
    public let tenThousandths: Int
    public static let scale = 10_000

    public init(tenThousandths: Int) { self.tenThousandths = tenThousandths }

    /// The factor a decimal text says (`"1.25"`, `"2"`), or nil if it is not one with at most four decimals.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, whole < 1_000_000,
              parts[0].allSatisfy(\.isNumber) else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...4).contains(digits.count), digits.allSatisfy(\.isNumber), let value = Int(digits) else { return nil }
            fraction = value * Money.pow10(4 - digits.count)
        }
        tenThousandths = whole * Self.scale + fraction
    }

    /// The factor a JSON number stands for: the shortest decimal text that reads back as the
    /// same double is the text the document wrote (1.2 is "1.2"), so nothing is lost.
    public init?(json number: Double) {
        guard number.isFinite, number >= 0, number < 1_000_000 else { return nil }
        let text = number == number.rounded() ? String(Int(number)) : "\(number)"
        self.init(text)
    }

    public static func < (a: Factor, b: Factor) -> Bool { a.tenThousandths < b.tenThousandths }

    public var description: String {
        let text = Money.decimalText(tenThousandths, exponent: 4)
        var trimmed = Substring(text)
        while trimmed.last == "0" { trimmed = trimmed.dropLast() }
        if trimmed.last == "." { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// The extra points over `base` that this factor gives, rounded down: base × (factor − 1).
    /// Computed in 128 bits, so no base overflows it; the result is at most `Int.max`.
    public func extra(over base: Int) -> Int {
        let value = Int128(base) * Int128(tenThousandths - Self.scale) / Int128(Self.scale)
        return value > Int128(Int.max) ? .max : Int(value)
    }

    /// The factor as a number, for showing it (JSON, a page): never for computing points.
    public var number: Double { Double(tenThousandths) / Double(Self.scale) }

    /// Whether the factor gives anything: above 1.
    public var isAboveOne: Bool { tenThousandths > Self.scale }
}

extension Factor: ExpressibleByIntegerLiteral {
    /// A whole factor: `2` is ×2.
    public init(integerLiteral value: Int) { self.init(tenThousandths: value * Factor.scale) }
}
