import Foundation
import TreuCore

/// How events are kept in storage (the `payload`): enough to compute a later return. Written by
/// hand (`JSONWritable`, keys in order) and read back with `Decodable`.
struct StoredOrder: Decodable, JSONWritable {
    var reference: String
    var at: Date
    var channel: String?
    var currency: String
    var lines: [EventBody.LineBody]
    var orderDiscount: Int
    var shipping: Int
    /// What each rule gave the order and which lines earned it (nil: recorded before Treu kept it).
    var earned: [Part]?

    /// One rule's points: per line, for the order, and a punch card's stamps per line.
    struct Part: Codable {
        var rule: String
        var points: Int
        var lines: [Int]
        var order: Int
        var stamps: [Int]?
        var cardSize: Int?
        var pointsPerCard: Int?

        init(_ part: EarnedPart) {
            rule = part.rule
            points = part.points
            lines = part.lines
            order = part.order
            stamps = part.card?.stamps
            cardSize = part.card?.size
            pointsPerCard = part.card?.pointsPerCard
        }

        var part: EarnedPart {
            let card = stamps.flatMap { stamps in cardSize.map { EarnedPart.Card(stamps: stamps, size: $0, pointsPerCard: pointsPerCard ?? 0) } }
            return EarnedPart(rule: rule, points: points, lines: lines, order: order, card: card)
        }

        func write(to w: inout JSONWriter) {
            w.object { w in
                if let cardSize { w.field("cardSize", cardSize) }
                w.key("lines")
                w.array(lines) { w, n in w.value(n) }
                w.field("order", order)
                w.field("points", points)
                if let pointsPerCard { w.field("pointsPerCard", pointsPerCard) }
                w.field("rule", rule)
                if let stamps {
                    w.key("stamps")
                    w.array(stamps) { w, n in w.value(n) }
                }
            }
        }
    }

    init(_ order: Order) {
        reference = order.reference
        at = order.at
        channel = order.channel
        currency = order.currency
        lines = order.lines.map { .init(sku: $0.sku, category: $0.category, quantity: $0.quantity, unitPrice: $0.unitPrice, discount: $0.discount) }
        orderDiscount = order.orderDiscount
        shipping = order.shipping
    }

    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("at", at)
            if let channel { w.field("channel", channel) }
            w.field("currency", currency)
            if let earned {
                w.key("earned")
                w.array(earned) { w, part in part.write(to: &w) }
            }
            w.key("lines")
            w.array(lines) { w, line in line.write(to: &w) }
            w.field("orderDiscount", orderDiscount)
            w.field("reference", reference)
            w.field("shipping", shipping)
        }
    }

    var order: Order {
        Order(reference: reference, at: at, channel: channel, currency: currency,
              lines: lines.map { OrderLine(sku: $0.sku, category: $0.category, quantity: $0.quantity, unitPrice: $0.unitPrice ?? 0, discount: $0.discount ?? 0) },
              orderDiscount: orderDiscount, shipping: shipping)
    }
}

struct StoredAction: Decodable, JSONWritable {
    var reference: String
    var name: String
    var at: Date
    var properties: [String: String]

    init(_ action: Action) {
        reference = action.reference
        name = action.name
        at = action.at
        properties = action.properties
    }

    var value: Action { Action(reference: reference, name: name, at: at, properties: properties) }

    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("at", at)
            w.field("name", name)
            w.field("properties", properties)
            w.field("reference", reference)
        }
    }
}

struct StoredReturn: Decodable, JSONWritable {
    var reference: String
    var orderReference: String
    var at: Date
    var lines: [StoredLine]?
    /// What it took back by rule (nil: recorded before Treu kept it).
    var taken: [String: Int]?
    struct StoredLine: Codable { var sku: String; var quantity: Int }

    init(_ ret: Return) {
        reference = ret.reference
        orderReference = ret.orderReference
        at = ret.at
        lines = ret.lines.map { $0.map { StoredLine(sku: $0.sku, quantity: $0.quantity) } }
    }

    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("at", at)
            if let lines {
                w.key("lines")
                w.array(lines) { w, line in w.object { w in w.field("quantity", line.quantity); w.field("sku", line.sku) } }
            }
            w.field("orderReference", orderReference)
            w.field("reference", reference)
            if let taken {
                w.key("taken")
                w.object { w in for (rule, points) in taken.sorted(by: { $0.key < $1.key }) { w.field(rule, points) } }
            }
        }
    }

    var value: Return {
        Return(reference: reference, orderReference: orderReference, at: at,
               lines: lines.map { $0.map { Return.ReturnedLine(sku: $0.sku, quantity: $0.quantity) } })
    }
}

/// A membership as stored.
struct StoredMembership: JSONWritable {
    var membership: Membership
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("at", membership.at)
            w.field("level", membership.level)
            w.field("months", membership.months)
            w.field("reference", membership.reference)
        }
    }
}
