import Foundation

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

    /// `47.90 EUR`, `1250 VND`, `1.250 KWD`: as many decimals as the currency has minor-unit digits.
    public var description: String { "\(Money.decimalText(minorUnits, exponent: Money.decimals(currency))) \(currency)" }

    /// Minor-unit digits of a currency (ISO 4217): 0 for VND and JPY, 3 for KWD and BHD, 4 for
    /// CLF, 2 for EUR and most others. A code the table does not hold counts as 2.
    public static func decimals(_ currency: String) -> Int { ISO4217.exponent(of: currency) ?? 2 }

    /// One whole unit of the currency in minor units: 100 for EUR, 1 for VND, 1,000 for KWD.
    public static func unit(_ currency: String) -> Int { pow10(decimals(currency)) }

    /// Whole units of the currency, rounded towards zero.
    public var wholeUnits: Int { minorUnits / Money.unit(currency) }

    /// The amount in major units as a number (for reports, charts and models: never for money
    /// that is stored or compared).
    public var majorUnits: Double { Double(minorUnits) / Double(Money.unit(currency)) }

    /// `minor` written with `exponent` decimals and a point: `4790, 2` → `47.90`, `-5, 3` → `-0.005`.
    public static func decimalText(_ minor: Int, exponent: Int) -> String {
        guard exponent > 0 else { return String(minor) }
        let scale = pow10(exponent)
        let magnitude = minor.magnitude
        let whole = magnitude / UInt(scale), fraction = String(magnitude % UInt(scale))
        return "\(minor < 0 ? "-" : "")\(whole).\(String(repeating: "0", count: exponent - fraction.count))\(fraction)"
    }

    /// An amount in minor units that is not whole (a mean, a liability at a point value) in
    /// major units, with the currency's decimals: `1234.5, "EUR"` → `12.35`, `1234.5, "VND"` → `1235`.
    public static func majorText(_ minor: Double, _ currency: String) -> String {
        // Rounded to whole minor units first (half away from zero), then written exactly.
        guard minor.isFinite, abs(minor) < 9e18 else { return minor.isNaN ? "" : String(format: "%.0f", minor / Double(unit(currency))) }
        return decimalText(Int(minor.rounded()), exponent: decimals(currency))
    }

    static func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { r, _ in r * 10 } }
}

/// The ISO 4217 list of currencies in use, with the digits of their minor unit (the
/// exponent): money is stored in minor units and shown through this table everywhere.
/// Funds, precious metals and the test code (XAU, XDR, XTS…) are not a shop's currency and
/// are not listed.
public enum ISO4217 {
    /// The exponent of `code`, or nil if it is not a currency in use.
    public static func exponent(of code: String) -> Int? { exponents[code] }

    public static func isCurrency(_ code: String) -> Bool { exponents[code] != nil }

    static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        for code in twoDigits.split(separator: " ") { table[String(code)] = 2 }
        for code in ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"] {
            table[code] = 0
        }
        for code in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] { table[code] = 3 }
        for code in ["CLF", "UYW"] { table[code] = 4 }
        return table
    }()

    private static let twoDigits = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD \
        CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL \
        GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD \
        LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN \
        PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL \
        THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL
        """
}
