import Foundation

/// The `rewards` section of a program document: the catalog and what each discount takes.
extension DocumentReader {
    mutating func rewardCatalog(_ value: Any?) -> [Reward] {
        guard let value else { return [] }
        guard let list = value as? [Any] else {
            fail("rewards", "is a list of rewards")
            return []
        }
        var rewards: [Reward] = []
        for (i, item) in list.enumerated() {
            let path = "rewards[\(i)]"
            let known: Set = ["id", "type", "cost", "percent", "amount", "sku", "title", "description", "valid_from", "valid_until",
                              "stock", "limit", "tiers", "minimum_order", "coupon_days", "cancel_days", "on_void", "on_return",
                              "applies_to", "max_discount", "quantity", "usable_after_days", "exclusive"]
            guard let r = object(item, path, known: known) else { continue }
            let id = string(r, "id", path, required: true) ?? ""
            if !id.isEmpty, !id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }) {
                fail("\(path).id", "'\(id)' is not an id: lower-case letters, digits, - and _")
            }
            if rewards.contains(where: { $0.id == id }) { fail("\(path).id", "'\(id)' names another reward too") }
            let cost = integer(r, "cost", path, range: 1...100_000_000, required: true) ?? 1
            var kind = Reward.Kind.gift
            switch string(r, "type", path, required: true) {
            case "percent_discount": kind = .percentDiscount(percent: integer(r, "percent", path, range: 1...100, required: true) ?? 1)
            case "fixed_discount": kind = .fixedDiscount(amount: integer(r, "amount", path, range: 1...100_000_000, required: true) ?? 1)
            case "free_shipping": kind = .freeShipping
            case "free_product": kind = .freeProduct(sku: string(r, "sku", path, required: true) ?? "")
            case "gift": kind = .gift
            case "early_access": kind = .earlyAccess
            case "donation": kind = .donation
            case "cheapest_free": kind = .cheapestFree
            case nil: break
            case let other?: fail("\(path).type", "'\(other)' is not one of percent_discount, fixed_discount, free_shipping, free_product, cheapest_free, gift, early_access, donation")
            }
            let shape = rewardShape(r, path, kind: kind)
            for (key, needed) in [("percent", "percent_discount"), ("amount", "fixed_discount"), ("sku", "free_product")]
                where r[key] != nil && kind.name != needed {
                fail("\(path).\(key)", "is for type \(needed)")
            }
            func time(_ key: String) -> Date? {
                guard let text = string(r, key, path) else { return nil }
                guard let date = Timestamp.parse(text) else { fail("\(path).\(key)", "'\(text)' is not a time like 2026-12-01T00:00:00Z"); return nil }
                return date
            }
            let reward = Reward(id: id, kind: kind, cost: cost, title: texts(r["title"], "\(path).title", required: true),
                                description: texts(r["description"], "\(path).description", required: false),
                                validFrom: time("valid_from"), validUntil: time("valid_until"),
                                stock: integer(r, "stock", path, range: 0...100_000_000),
                                limit: actionLimit(r["limit"], "\(path).limit"), tiers: Set(strings(r, "tiers", path)),
                                minimumOrder: integer(r, "minimum_order", path, range: 0...1_000_000_000) ?? 0,
                                couponDays: integer(r, "coupon_days", path, range: 1...3_650) ?? 90,
                                cancelDays: integer(r, "cancel_days", path, range: 0...3_650) ?? Reward.defaultCancelDays, onVoid: choice(r, "on_void", path) ?? .reissue,
                                onReturn: choice(r, "on_return", path) ?? .keep, appliesTo: shape.appliesTo, maxDiscount: shape.maxDiscount,
                                freeQuantity: shape.quantity, usableAfterDays: integer(r, "usable_after_days", path, range: 0...3_650) ?? 0,
                                exclusive: flag(r, "exclusive", path))
            if let from = reward.validFrom, let until = reward.validUntil, until <= from { fail("\(path).valid_until", "is after valid_from") }
            if reward.usableAfterDays >= reward.couponDays {
                fail("\(path).usable_after_days", "is less than coupon_days (\(reward.couponDays)): the coupon is usable before it expires")
            }
            rewards.append(reward)
        }
        return rewards
    }

    /// What a discount applies to and how far: `applies_to` ({"skus": […], "categories": […]})
    /// for percent and fixed discounts and the cheapest item free, `max_discount` (minor units)
    /// for those that grow with the cart, `quantity` (units, or "all") for free products.
    mutating func rewardShape(_ r: [String: Any], _ path: String, kind: Reward.Kind) -> (appliesTo: ProductScope, maxDiscount: Int?, quantity: Int?) {
        var scope = ProductScope.everything
        if r["applies_to"] != nil {
            if !kind.takesProductScope { fail("\(path).applies_to", "is for types \(Reward.Kind.names(\.takesProductScope))") }
            if let o = object(r["applies_to"], "\(path).applies_to", known: ["skus", "categories"]) {
                scope = ProductScope(skus: Set(strings(o, "skus", "\(path).applies_to")), categories: Set(strings(o, "categories", "\(path).applies_to")))
                if scope.isEverything { fail("\(path).applies_to", "names skus or categories (leave it out for the whole cart)") }
            }
        }
        if r["max_discount"] != nil, !kind.takesCap { fail("\(path).max_discount", "is for types \(Reward.Kind.names(\.takesCap))") }
        let cap = integer(r, "max_discount", path, range: 1...Limits.amount)
        var quantity: Int? = 1
        if let value = r["quantity"] {
            if !kind.takesQuantity { fail("\(path).quantity", "is for types \(Reward.Kind.names(\.takesQuantity))") }
            if let text = value as? String {
                if text == "all" { quantity = nil } else { fail("\(path).quantity", "is a number of units or \"all\", not '\(text)'") }
            } else {
                quantity = integer(r, "quantity", path, range: 1...Limits.quantity) ?? 1
            }
        }
        return (scope, cap, quantity)
    }
}
