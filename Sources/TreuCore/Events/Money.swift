/// An amount of money in minor units (cents) of a currency: never floating point.
public struct Money: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var minorUnits: Int
    /// ISO 4217 code, such as EUR.
    public var currency: String

    public init(_ minorUnits: Int, _ currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    /// `47.90 EUR` for two-decimal currencies; the minor units as they are for the others (VND has none).
    public var description: String {
        let digits = Money.decimals(currency)
        guard digits > 0 else { return "\(minorUnits) \(currency)" }
        let scale = Int(pow10(digits))
        let sign = minorUnits < 0 ? "-" : ""
        let whole = abs(minorUnits) / scale, fraction = abs(minorUnits) % scale
        let fractionText = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: digits - fractionText.count))\(fractionText) \(currency)"
    }

    /// Minor-unit digits of a currency (ISO 4217): 0 for VND, JPY, KRW and a few others, else 2.
    public static func decimals(_ currency: String) -> Int {
        ["VND", "JPY", "KRW", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF"].contains(currency) ? 0 : 2
    }

    /// Whole units of the currency, rounded down (the default earning counts these).
    public var wholeUnits: Int { minorUnits / Int(pow10(Money.decimals(currency))) }

    private static func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { r, _ in r * 10 } }
    private func pow10(_ n: Int) -> Int { Money.pow10(n) }
}
