/// The largest numbers Treu takes at its edges (API, imports, program documents), so that no
/// sum it computes can overflow: an order of at most 1,000 lines of at most 1,000,000 units at
/// most 10^12 minor units each is refused above 10^12 in all, and every sum of such amounts
/// over a shop's whole history stays far inside 64 bits. Documented in the OpenAPI document and
/// the program's schema; a number outside is refused with a problem naming its field.
public enum Limits {
    /// The most units of one line of an order, a cart or a return.
    public static let quantity = 1_000_000
    /// The most minor units of a price, a discount, shipping, and of an order or a cart in all.
    public static let amount = 1_000_000_000_000
    /// The most lines of an order or a cart.
    public static let lines = 1_000
    /// The most points one event, adjustment, transfer or donation moves.
    public static let points = 1_000_000_000_000
    /// The most money a coupon campaign's budget holds, minor units.
    public static let budget = 1_000_000_000_000_000
    /// The most points a member holds and earns in a lifetime: a credit past it is refused.
    public static let balance = 1_000_000_000_000_000

    /// Whether `value` is a whole amount from 0 to `amount`.
    public static func isAmount(_ value: Int) -> Bool { (0...amount).contains(value) }
}

extension Int {
    /// The sum, or `Int.max`/`Int.min` where it would overflow: for figures that only grow with
    /// history (a report's revenue), where a number at its limit says more than a crash.
    public func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}

extension Int {
    /// The number with a comma between thousands (`1,000,000`), for messages in English.
    public var grouped: String {
        let digits = String(magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return self < 0 ? "-" + out : out
    }
}
