import Foundation

/// The products a reward's discount applies to: lines whose sku or category is listed; every
/// line when neither list is given.
public struct ProductScope: Equatable, Sendable {
    public var skus: Set<String>
    public var categories: Set<String>

    public init(skus: Set<String> = [], categories: Set<String> = []) {
        self.skus = skus
        self.categories = categories
    }

    public static let everything = ProductScope()
    public var isEverything: Bool { skus.isEmpty && categories.isEmpty }

    public func contains(_ line: OrderLine) -> Bool { Self.contains(line, skus: skus, categories: categories) }

    /// Whether `line` is named by its sku or its category (every line when neither list names any):
    /// a reward's products and a rule's line condition alike.
    static func contains(_ line: OrderLine, skus: Set<String>, categories: Set<String>) -> Bool {
        (skus.isEmpty && categories.isEmpty) || skus.contains(line.sku) || line.category.map(categories.contains) == true
    }
}

/// What a discount takes off one line of the cart, so that a shop can book it per line.
public struct LineDiscount: Equatable, Sendable {
    /// The line's place in the cart (0 the first).
    public var index: Int
    public var sku: String
    /// Minor units off this line.
    public var discount: Int

    public init(index: Int, sku: String, discount: Int) {
        self.index = index
        self.sku = sku
        self.discount = discount
    }
}

extension Reward {
    /// What the coupon takes off `cart`, or why it does not apply. A discount is split over the
    /// lines it applies to in proportion to their value, by largest remainder: the lines' parts
    /// add up to the discount exactly.
    public func benefit(for cart: Cart, currency: String) -> Result<CouponBenefit, CouponRefusal> {
        guard cart.currency.uppercased() == currency else { return .failure(.currencyMismatch) }
        guard cart.goods >= minimumOrder else { return .failure(.belowMinimum) }
        let lines = cart.lines.indices.filter { appliesTo.contains(cart.lines[$0]) && cart.lines[$0].net > 0 }
        let goods = lines.reduce(0) { $0 + cart.lines[$1].net }
        func capped(_ discount: Int) -> Int { min(discount, maxDiscount ?? discount) }
        switch kind {
        case .percentDiscount(let percent):
            guard !lines.isEmpty else { return .failure(.productNotInCart) }
            return .success(split(capped(goods * percent / 100), over: lines, of: cart))
        case .fixedDiscount(let amount):
            guard !lines.isEmpty else { return .failure(.productNotInCart) }
            return .success(split(capped(min(amount, goods)), over: lines, of: cart))
        case .freeShipping:
            return .success(CouponBenefit(discount: 0, freeShipping: true))
        case .freeProduct(let sku):
            let units = cart.lines.indices.filter { cart.lines[$0].sku == sku && cart.lines[$0].quantity > 0 }
            guard !units.isEmpty else { return .failure(.productNotInCart) }
            var benefit = freeUnits(units, of: cart)
            benefit.freeSKU = sku
            return .success(benefit)
        case .cheapestFree:
            guard !lines.isEmpty else { return .failure(.productNotInCart) }
            // The cheapest units first (by a unit's price after its line's discount), then the cart's order.
            let cheapest = lines.sorted { a, b in
                let (x, y) = (cart.lines[a].net * cart.lines[b].quantity, cart.lines[b].net * cart.lines[a].quantity)
                return x != y ? x < y : a < b
            }
            var benefit = freeUnits(cheapest, of: cart)
            benefit.freeSKU = benefit.lines.first.map(\.sku)
            return .success(benefit)
        case .gift, .earlyAccess, .donation:
            return .success(CouponBenefit(discount: 0, freeShipping: false))
        }
    }

    /// `freeQuantity` units (every unit when nil) of the lines in turn, each unit at its line's
    /// price after the line's discount (all of a line's value when all its units are free), at
    /// most `maxDiscount` together.
    private func freeUnits(_ lines: [Int], of cart: Cart) -> CouponBenefit {
        var left = freeQuantity ?? Int.max
        var parts: [LineDiscount] = []
        for index in lines where left > 0 {
            let line = cart.lines[index]
            let units = min(left, line.quantity)
            left -= units
            parts.append(LineDiscount(index: index, sku: line.sku, discount: units == line.quantity ? line.net : line.net / line.quantity * units))
        }
        if let cap = maxDiscount {
            var excess = parts.reduce(0) { $0 + $1.discount } - cap
            for i in parts.indices.reversed() where excess > 0 {
                let cut = min(excess, parts[i].discount)
                parts[i].discount -= cut
                excess -= cut
            }
            if parts.count > 1 { parts.removeAll { $0.discount == 0 } }
        }
        return CouponBenefit(discount: parts.reduce(0) { $0 + $1.discount }, freeShipping: false, lines: parts)
    }

    /// `discount` over `lines` in proportion to their net, by largest remainder (ties to the
    /// earlier line).
    private func split(_ discount: Int, over lines: [Int], of cart: Cart) -> CouponBenefit {
        let nets = lines.map { Int128(cart.lines[$0].net) }
        let total = nets.reduce(0, +)
        guard total > 0, discount > 0 else { return CouponBenefit(discount: 0, freeShipping: false) }
        var shares = nets.map { Int(Int128(discount) * $0 / total) }
        let remainders = nets.map { Int128(discount) * $0 % total }
        var left = discount - shares.reduce(0, +)
        for i in remainders.indices.sorted(by: { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }) where left > 0 {
            shares[i] += 1
            left -= 1
        }
        let parts = zip(lines, shares).map { LineDiscount(index: $0, sku: cart.lines[$0].sku, discount: $1) }
        return CouponBenefit(discount: discount, freeShipping: false, lines: parts)
    }
}
