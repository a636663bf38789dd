import Foundation

/// One line of an order: what was bought, how many, at what price, less what discount.
public struct OrderLine: Hashable, Sendable {
    public var sku: String
    public var category: String?
    public var quantity: Int
    /// Price of one unit, minor units.
    public var unitPrice: Int
    /// Discount on the whole line, minor units.
    public var discount: Int

    public init(sku: String, category: String? = nil, quantity: Int, unitPrice: Int, discount: Int = 0) {
        self.sku = sku
        self.category = category
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.discount = discount
    }

    /// What the line costs after its discount.
    public var net: Int { quantity * unitPrice - discount }

    /// What is wrong with the line at `index` of an order or a cart, if anything: a quantity from
    /// 1 to `Limits.quantity`, a price and a discount from 0 to `Limits.amount`, and a line that
    /// costs from 0 to `Limits.amount` after its discount.
    public func problem(at index: Int) -> ValidationError? {
        let field = "lines.\(index)"
        guard (1...128).contains(sku.count), !sku.containsControlCharacter,
              category.map({ (1...128).contains($0.count) && !$0.containsControlCharacter }) ?? true else {
            return ValidationError(code: "invalid_line", field: "\(field).sku",
                                   message: "a line's sku and category have 1 to 128 characters and no control characters")
        }
        guard (1...Limits.quantity).contains(quantity) else {
            return ValidationError(code: "invalid_line", field: "\(field).quantity",
                                   message: "a line's quantity is a whole number from 1 to \(Limits.quantity.grouped), not \(quantity)")
        }
        for (name, value) in [("unit_price", unitPrice), ("discount", discount)] where !Limits.isAmount(value) {
            return ValidationError(code: "invalid_line", field: "\(field).\(name)",
                                   message: "a line's \(name) is from 0 to \(Limits.amount.grouped) minor units, not \(value)")
        }
        let (gross, overflow) = quantity.multipliedReportingOverflow(by: unitPrice)
        guard !overflow, gross <= Limits.amount else {
            return ValidationError(code: "invalid_line", field: field,
                                   message: "a line costs at most \(Limits.amount.grouped) minor units (quantity × unit_price)")
        }
        guard discount <= gross else {
            return ValidationError(code: "invalid_line", field: "\(field).discount",
                                   message: "a line's discount is no more than what the line costs (\(gross) minor units)")
        }
        return nil
    }
}

/// A purchase. `reference` is the shop's order number: unique, so a retry changes nothing.
public struct Order: Hashable, Sendable {
    public var reference: String
    public var at: Date
    public var channel: String?
    public var currency: String
    public var lines: [OrderLine]
    /// Discount on the whole order (a coupon), minor units.
    public var orderDiscount: Int
    public var shipping: Int

    public init(reference: String, at: Date, channel: String? = nil, currency: String, lines: [OrderLine],
                orderDiscount: Int = 0, shipping: Int = 0) {
        self.reference = reference
        self.at = at
        self.channel = channel
        self.currency = currency
        self.lines = lines
        self.orderDiscount = orderDiscount
        self.shipping = shipping
    }

    /// Goods after every discount, without shipping: what points are earned on by default.
    public var netOfDiscounts: Money { Money(lines.reduce(0) { $0 + $1.net } - orderDiscount, currency) }
    public var total: Money { Money(netOfDiscounts.minorUnits + shipping, currency) }

    /// Every reason the order cannot be taken, or none. Lines and amounts are checked against
    /// `Limits` before anything is summed, so no sum of a checked order can overflow.
    public func problems() -> [ValidationError] {
        var problems: [ValidationError] = []
        if let problem = ValidationError.reference(reference) { problems.append(problem) }
        if !ISO4217.isCurrency(currency) {
            problems.append(ValidationError(code: "invalid_currency", field: "currency", message: "'\(currency)' is not an ISO 4217 currency code such as EUR"))
        }
        if lines.isEmpty {
            problems.append(ValidationError(code: "no_lines", field: "lines", message: "an order has at least one line"))
        } else if lines.count > Limits.lines {
            problems.append(ValidationError(code: "too_many_lines", field: "lines", message: "an order has at most \(Limits.lines.grouped) lines, not \(lines.count)"))
        }
        let lineProblems = lines.prefix(Limits.lines).enumerated().compactMap { index, line in line.problem(at: index) }
        problems += lineProblems
        for (name, value) in [("order_discount", orderDiscount), ("shipping", shipping)] where !Limits.isAmount(value) {
            problems.append(ValidationError(code: "invalid_amount", field: name, message: "\(name) is from 0 to \(Limits.amount.grouped) minor units, not \(value)"))
        }
        guard problems.isEmpty else { return problems }
        // Each line is at most `Limits.amount`, and there are at most `Limits.lines`: the sum fits.
        let gross = lines.reduce(0) { $0 + $1.net }
        if gross + shipping > Limits.amount {
            problems.append(ValidationError(code: "invalid_amount", field: "lines",
                                            message: "an order's lines and shipping come to at most \(Limits.amount.grouped) minor units"))
        } else if orderDiscount > gross {
            problems.append(ValidationError(code: "invalid_amount", field: "order_discount",
                                            message: "the order discount is no more than the lines cost after their discounts (\(gross) minor units)"))
        }
        return problems
    }
}

/// Goods coming back: the whole order, or some of its lines (by sku and quantity).
public struct Return: Hashable, Sendable {
    public var reference: String
    public var orderReference: String
    public var at: Date
    /// nil: the whole order.
    public var lines: [ReturnedLine]?

    public struct ReturnedLine: Hashable, Sendable {
        public var sku: String
        public var quantity: Int
        public init(sku: String, quantity: Int) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    public init(reference: String, orderReference: String, at: Date, lines: [ReturnedLine]? = nil) {
        self.reference = reference
        self.orderReference = orderReference
        self.at = at
        self.lines = lines
    }

    /// How much of the order's net (after discounts, without shipping) has come back with this
    /// return and the `earlier` ones, in minor units, out of the order's net. An order discount is
    /// shared over the lines in proportion to their net. A whole-order return takes back the rest.
    /// - Throws: `ValidationError` if a line is not in the order or more comes back than was bought.
    public func returnedNet(of order: Order, after earlier: [Return] = []) throws(ValidationError) -> (returned: Int, of: Int) {
        let orderNet = order.netOfDiscounts.minorUnits
        let all = earlier + [self]
        if all.contains(where: { $0.lines == nil }) { return (orderNet, orderNet) }
        var quantities: [String: Int] = [:]
        for line in all.flatMap({ $0.lines ?? [] }) {
            guard line.quantity > 0 else {
                throw ValidationError(code: "invalid_quantity", field: "lines", message: "a returned quantity is positive")
            }
            quantities[line.sku, default: 0] += line.quantity
        }
        let linesNet = order.lines.reduce(0) { $0 + $1.net }
        var returnedLinesNet = 0
        for (sku, quantity) in quantities.sorted(by: { $0.key < $1.key }) {
            guard let line = order.lines.first(where: { $0.sku == sku }) else {
                throw ValidationError(code: "unknown_line", field: "lines", message: "order \(order.reference) has no line \(sku)")
            }
            guard quantity <= line.quantity else {
                throw ValidationError(code: "invalid_quantity", field: "lines",
                                      message: "\(quantity) of \(sku) cannot have come back: \(line.quantity == 1 ? "1 was" : "\(line.quantity) were") bought")
            }
            returnedLinesNet += line.net * quantity / line.quantity
        }
        guard linesNet > 0 else { return (0, orderNet) }
        return (returnedLinesNet * orderNet / linesNet, orderNet)
    }

    /// What this return alone brings back of the order's net (what has come back with it less
    /// what had before), and whether it completes the order.
    public func share(of order: Order, after earlier: [Return]) throws(ValidationError) -> (amount: Int, completes: Bool) {
        let now = try returnedNet(of: order, after: earlier)
        let before = try earlier.last?.returnedNet(of: order, after: Array(earlier.dropLast())).returned ?? 0
        return (now.returned - before, now.returned >= now.of && before < now.of)
    }
}
