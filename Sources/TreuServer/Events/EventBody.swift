import Foundation
import TreuCore

/// POST /v1/events: an order, a return, an action or a membership, in one shape with a `type`.
struct EventBody: Decodable, Sendable {
    var type: String
    var reference: String
    var at: Date?
    var memberID: UUID?
    var member: MemberIdentities?
    var channel: String?
    var currency: String?
    var lines: [LineBody]?
    var orderDiscount: Int?
    var shipping: Int?
    var orderReference: String?
    var name: String?
    var properties: [String: String]?
    /// A membership's paid level and months.
    var level: String?
    var months: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, reference, at, memberID = "member_id", member, channel, currency, lines
        case orderDiscount = "order_discount", shipping, orderReference = "order_reference", name, properties, level, months
    }

    struct MemberIdentities: Decodable, Sendable {
        var email, phone, card, customerID: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case email, phone, card, customerID = "customer_id" }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            email = try c.decodeIfPresent(String.self, forKey: .email)
            phone = try c.decodeIfPresent(String.self, forKey: .phone)
            card = try c.decodeIfPresent(String.self, forKey: .card)
            customerID = try c.decodeIfPresent(String.self, forKey: .customerID)
        }

        func identities(defaultCountryCode: String?) throws(ValidationError) -> [Identity] {
            var result: [Identity] = []
            if let email { result.append(try Identity(.email, email)) }
            if let phone { result.append(try Identity(.phone, phone, defaultCountryCode: defaultCountryCode)) }
            if let card { result.append(try Identity(.card, card)) }
            if let customerID { result.append(try Identity(.customerID, customerID)) }
            return result
        }
    }

    struct LineBody: Codable, Sendable, JSONWritable {
        var sku: String
        var category: String?
        var quantity: Int
        var unitPrice: Int?
        var discount: Int?
        enum CodingKeys: String, CodingKey, CaseIterable { case sku, category, quantity, unitPrice = "unit_price", discount }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            sku = try c.decode(String.self, forKey: .sku)
            category = try c.decodeIfPresent(String.self, forKey: .category)
            quantity = try c.decode(Int.self, forKey: .quantity)
            unitPrice = try c.decodeIfPresent(Int.self, forKey: .unitPrice)
            discount = try c.decodeIfPresent(Int.self, forKey: .discount)
        }
        /// The line of an order or a cart (its `unit_price` required), at `index`.
        func orderLine(at index: Int) throws(ValidationError) -> OrderLine {
            guard let unitPrice else {
                throw ValidationError(code: "missing_field", field: "lines.\(index).unit_price", message: "an order line has a unit_price")
            }
            return OrderLine(sku: sku, category: category, quantity: quantity, unitPrice: unitPrice, discount: discount ?? 0)
        }

        /// One writer for the line in an event's canonical form and in a stored order.
        func write(to w: inout JSONWriter) {
            w.object { w in
                if let category { w.field("category", category) }
                if let discount { w.field("discount", discount) }
                w.field("quantity", quantity)
                w.field("sku", sku)
                if let unitPrice { w.field("unit_price", unitPrice) }
            }
        }

        init(sku: String, category: String?, quantity: Int, unitPrice: Int?, discount: Int?) {
            self.sku = sku
            self.category = category
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.discount = discount
        }
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        reference = try c.decode(String.self, forKey: .reference)
        if let text = try c.decodeIfPresent(String.self, forKey: .at) {
            guard let date = Timestamp.parse(text) else {
                throw ValidationError(code: "invalid_time", field: "at", message: "'\(text)' is not a time like 2026-11-25T18:02:19Z")
            }
            at = date
        }
        memberID = try c.decodeIfPresent(UUID.self, forKey: .memberID)
        member = try c.decodeIfPresent(MemberIdentities.self, forKey: .member)
        channel = try c.decodeIfPresent(String.self, forKey: .channel)
        currency = try c.decodeIfPresent(String.self, forKey: .currency)
        lines = try c.decodeIfPresent([LineBody].self, forKey: .lines)
        orderDiscount = try c.decodeIfPresent(Int.self, forKey: .orderDiscount)
        shipping = try c.decodeIfPresent(Int.self, forKey: .shipping)
        orderReference = try c.decodeIfPresent(String.self, forKey: .orderReference)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        properties = try c.decodeIfPresent([String: String].self, forKey: .properties)
        level = try c.decodeIfPresent(String.self, forKey: .level)
        months = try c.decodeIfPresent(Int.self, forKey: .months)
    }

    /// The event as sent, in one canonical form (keys sorted, no spaces, the time in UTC with
    /// milliseconds): its fingerprint does not depend on formatting or key order, and the same
    /// event sent alone or in a batch is the same event. Fields left out stay out, so a retry
    /// without `at` is still the same event.
    var canonical: Data {
        var w = JSONWriter()
        w.object { w in
            if let at { w.field("at", at) }
            if let channel { w.field("channel", channel) }
            if let currency { w.field("currency", currency.uppercased()) }  // eur and EUR are one currency
            if let lines {
                w.key("lines")
                w.array(lines) { w, line in line.write(to: &w) }
            }
            if let member {
                w.key("member")
                w.object { w in
                    if let card = member.card { w.field("card", card) }
                    if let id = member.customerID { w.field("customer_id", id) }
                    if let email = member.email { w.field("email", email) }
                    if let phone = member.phone { w.field("phone", phone) }
                }
            }
            if let level { w.field("level", level) }
            if let memberID { w.field("member_id", memberID.uuidString.lowercased()) }
            if let months { w.field("months", months) }
            if let name { w.field("name", name) }
            if let orderDiscount { w.field("order_discount", orderDiscount) }
            if let orderReference { w.field("order_reference", orderReference) }
            if let properties {
                w.field("properties", properties)
            }
            w.field("reference", reference)
            if let shipping { w.field("shipping", shipping) }
            w.field("type", type)
        }
        return w.data
    }

    /// The event in the domain's terms; `at` defaults to `now`.
    func incoming(now: Date, defaultCountryCode: String?) throws(ValidationError) -> IncomingEvent {
        switch type {
        case "order": return .order(try order(now: now), member: try memberReference(defaultCountryCode))
        case "return": return .return(try returned(now: now))
        case "action":
            guard let name else { throw ValidationError(code: "missing_field", field: "name", message: "an action has a name, such as review") }
            let action = Action(reference: reference, name: name, at: at ?? now, properties: properties ?? [:])
            if let problem = action.problems().first { throw problem }
            return .action(action, member: try memberReference(defaultCountryCode))
        case "membership":
            guard let months else { throw ValidationError(code: "missing_field", field: "months", message: "a membership runs for months") }
            let membership = Membership(reference: reference, level: level ?? "", months: months, at: at ?? now)
            if let problem = membership.problems().first { throw problem }
            return .membership(membership, member: try memberReference(defaultCountryCode))
        default:
            throw ValidationError(code: "unknown_event_type", field: "type", message: "type is order, return, action or membership, not '\(type)'")
        }
    }

    func memberReference(_ defaultCountryCode: String?) throws(ValidationError) -> MemberReference {
        if let memberID { return .id(memberID) }
        return .identities(try member?.identities(defaultCountryCode: defaultCountryCode) ?? [])
    }

    func order(now: Date) throws(ValidationError) -> Order {
        guard let currency else { throw ValidationError(code: "missing_field", field: "currency", message: "an order has a currency") }
        var orderLines: [OrderLine] = []
        for (index, line) in (lines ?? []).enumerated() { orderLines.append(try line.orderLine(at: index)) }
        let order = Order(reference: reference, at: at ?? now, channel: channel, currency: currency.uppercased(), lines: orderLines,
                          orderDiscount: orderDiscount ?? 0, shipping: shipping ?? 0)
        if let problem = order.problems().first { throw problem }
        return order
    }

    func returned(now: Date) throws(ValidationError) -> Return {
        guard let orderReference, !orderReference.isEmpty else {
            throw ValidationError(code: "missing_field", field: "order_reference", message: "a return names its order_reference")
        }
        if let problem = ValidationError.reference(reference) { throw problem }
        if let problem = ValidationError.reference(orderReference, field: "order_reference") { throw problem }
        for (index, line) in (lines ?? []).enumerated() where line.sku.isEmpty || line.sku.count > 128 || line.sku.containsControlCharacter {
            throw ValidationError(code: "invalid_line", field: "lines.\(index).sku", message: "a returned line names its sku: 1 to 128 characters, no control characters")
        }
        return Return(reference: reference, orderReference: orderReference, at: at ?? now,
                      lines: lines.map { $0.map { Return.ReturnedLine(sku: $0.sku, quantity: $0.quantity) } })
    }
}
