import Foundation
import TreuAnalytics
import TreuCore

/// A made-up fashion shop for trying Treu and for the benchmarks: members with names, locales,
/// birthdays and identities, and two years of orders, returns, reviews and sign-ups. Repeat
/// purchases follow the BG/NBD model's generative process (a buying rate per customer and a
/// chance to drop out after each purchase) and spend follows Gamma-Gamma, so the analytics find
/// the shape real shops have: many one-time buyers, a loyal few, a long tail of spend.
/// The same seed gives the same shop.
public struct DemoShop: Sendable {
    public var members: Int
    public var end: Date
    public var years: Int
    public var seed: UInt64

    /// While alive, about one purchase in three months on average; a one-in-four chance of leaving after each.
    static let buying = BGNBD(r: 0.6, alpha: 7.5, a: 0.8, b: 2.4)
    /// Mean order value around €60, with customers who spend reliably more or less.
    static let spending = (p: 6.0, q: 4.0, gamma: 30.0)

    public init(members: Int, end: Date, years: Int = 2, seed: UInt64 = 1) {
        self.members = members
        self.end = end
        self.years = years
        self.seed = seed
    }

    static let catalog: [(sku: String, category: String, price: Int)] = [
        ("TEE-BASIC", "tops", 1_990), ("TEE-PRINT", "tops", 2_490), ("SHIRT-OXF", "tops", 4_990), ("BLOUSE-SILK", "tops", 6_990),
        ("JEANS-SLIM", "bottoms", 7_990), ("CHINO", "bottoms", 5_990), ("SKIRT-MIDI", "bottoms", 4_990),
        ("DRESS-WRAP", "dresses", 8_990), ("DRESS-SUMMER", "dresses", 5_490), ("JACKET-DENIM", "outerwear", 9_990),
        ("COAT-WOOL", "outerwear", 19_990), ("SOCKS-3", "basics", 1_290), ("BRIEFS-2", "basics", 1_990),
        ("SCARF", "accessories", 2_990), ("BELT", "accessories", 3_490), ("SNEAKER", "shoes", 8_990), ("BOOT", "shoes", 14_990),
    ]
    static let givenNames = ["Anna", "Lena", "Mia", "Lukas", "Jonas", "Felix", "Emma", "Paul", "Sophie", "Max", "Olivia", "James",
                             "Grace", "Oliver", "Linh", "An", "Minh", "Huong", "Thanh", "Bao", "Mai", "Duc", "Lan", "Tuan"]
    static let familyNames = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Smith", "Jones", "Brown",
                              "Taylor", "Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do"]

    /// Writes `members.csv` and `orders.csv` (the formats `treu members import` and `treu import`
    /// read) into `directory`; returns how many events the orders file holds.
    @discardableResult
    public func write(to directory: URL) throws -> (members: URL, orders: URL, events: Int) {
        var random = SplitMix64(seed: seed)
        let span = Double(years) * 365 * 86_400
        let start = end.addingTimeInterval(-span)
        var memberRows = ["name,locale,birthday,email,phone,card,marketing_email"]
        memberRows.reserveCapacity(members + 1)
        var events: [(at: Date, rows: [String])] = []
        var counters = (order: 0, other: 0)
        for n in 0..<members {
            let given = Self.givenNames.randomElement(using: &random)!, family = Self.familyNames.randomElement(using: &random)!
            let vietnamese = ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do"].contains(family)
            let locale = vietnamese ? "vi" : (["Smith", "Jones", "Brown", "Taylor"].contains(family) ? "en" : "de")
            let email = "\(Self.ascii(given)).\(Self.ascii(family)).\(n)@example.com"
            let phone = random.chance(0.6) ? String(format: "+49 15%d %07d", Int.random(in: 1...9, using: &random), n % 10_000_000) : ""
            let card = random.chance(0.3) ? String(format: "TR%08d", n) : ""
            let birthday = String(format: "%04d-%02d-%02d", Int.random(in: 1950...2006, using: &random),
                                  Int.random(in: 1...12, using: &random), Int.random(in: 1...28, using: &random))
            memberRows.append("\(given) \(family),\(locale),\(birthday),\(email),\(phone),\(card),\(random.chance(0.55) ? "yes" : "no")")

            // Purchase times in weeks since the customer's first purchase, as the model draws them.
            let first = Double.random(in: 0..<span, using: &random)
            let weeks = Self.buying.simulatePurchaseTimes(firstPurchases: [0], until: (span - first) / 604_800, using: &random)[0]
            let nu = Random.gamma(shape: Self.spending.q, using: &random) / Self.spending.gamma
            for (k, week) in weeks.enumerated() {
                let at = start.addingTimeInterval(first + week * 604_800)
                if k == 0 {
                    counters.other += 1
                    events.append((at, [Self.row(["type": "action", "reference": "DS-\(counters.other)", "at": Self.stamp(at), "email": email, "name": "signup"])]))
                }
                counters.order += 1
                let reference = "D-\(counters.order)"
                let value = Int(Random.gamma(shape: Self.spending.p, using: &random) / nu * 100)
                let order = Self.order(reference: reference, email: email, at: at, value: value, random: &random)
                events.append((at, order.rows))
                let returned = at.addingTimeInterval(Double.random(in: 1...14, using: &random) * 86_400)
                if random.chance(0.1), returned < end {
                    counters.other += 1
                    // Half take everything back; the others the first line.
                    var fields = ["type": "return", "reference": "DR-\(counters.other)", "at": Self.stamp(returned), "order_reference": reference]
                    if random.chance(0.5) {
                        fields["sku"] = order.first.sku
                        fields["quantity"] = String(order.first.quantity)
                    }
                    events.append((returned, [Self.row(fields)]))
                }
                let reviewed = at.addingTimeInterval(Double.random(in: 3...10, using: &random) * 86_400)
                if random.chance(0.06), reviewed < end {
                    counters.other += 1
                    events.append((reviewed, [Self.row(["type": "action", "reference": "DV-\(counters.other)", "at": Self.stamp(reviewed), "email": email,
                                                        "name": "review", "prop.stars": String(Int.random(in: 3...5, using: &random))])]))
                }
            }
        }
        events.sort { $0.at < $1.at }
        let membersURL = directory.appendingPathComponent("members.csv"), ordersURL = directory.appendingPathComponent("orders.csv")
        try (memberRows.joined(separator: "\n") + "\n").write(to: membersURL, atomically: true, encoding: .utf8)
        var text = Self.columns.joined(separator: ",") + "\n"
        text.reserveCapacity(events.count * 120)
        for event in events { for row in event.rows { text += row; text += "\n" } }
        try text.write(to: ordersURL, atomically: true, encoding: .utf8)
        return (membersURL, ordersURL, events.count)
    }

    /// An order's rows: lines from the catalog until about `value` (minor units) is in the basket.
    static func order(reference: String, email: String, at: Date, value: Int, random: inout SplitMix64)
        -> (rows: [String], first: (sku: String, quantity: Int)) {
        var lines: [(sku: String, category: String, quantity: Int, price: Int)] = []
        var total = 0
        repeat {
            let item = catalog.randomElement(using: &random)!
            let quantity = item.category == "basics" && random.chance(0.4) ? 2 : 1
            if let index = lines.firstIndex(where: { $0.sku == item.sku }) {
                lines[index].quantity += quantity
            } else {
                lines.append((item.sku, item.category, quantity, item.price))
            }
            total += item.price * quantity
        } while total < value * 9 / 10 && lines.count < 5
        let discount = random.chance(0.15) ? total / 10 / 100 * 100 : 0
        let shipping = total - discount < 5_000 ? 490 : 0
        let channel = random.chance(0.7) ? "web" : "store"
        let rows = lines.enumerated().map { n, line in
            var fields = ["type": "order", "reference": reference, "sku": line.sku, "category": line.category,
                          "quantity": String(line.quantity), "unit_price": String(line.price)]
            if n == 0 {
                for (column, value) in ["at": stamp(at), "email": email, "currency": "EUR", "channel": channel,
                                        "order_discount": String(discount), "shipping": String(shipping)] { fields[column] = value }
            }
            return row(fields)
        }
        return (rows, (lines[0].sku, lines[0].quantity))
    }

    static let columns = ["type", "reference", "at", "email", "currency", "channel", "order_discount", "shipping", "sku", "category",
                          "quantity", "unit_price", "discount", "order_reference", "name", "prop.stars"]

    /// One row of `orders.csv` (no value needs quoting: they are ours).
    static func row(_ fields: [String: String]) -> String {
        columns.map { fields[$0] ?? "" }.joined(separator: ",")
    }

    static func stamp(_ date: Date) -> String { Timestamp.format(date) }

    static func ascii(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "ü", with: "ue").replacingOccurrences(of: "ö", with: "oe").replacingOccurrences(of: "ä", with: "ae")
    }
}

extension SplitMix64 {
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}
