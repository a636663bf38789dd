import Foundation

/// One thing wrong with a program document, at its place (`earning.rules[2].points`).
public struct ProgramProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path.isEmpty ? "(document)" : path): \(message)" }
}

/// Every problem of a document at once, so a shop fixes them in one go.
public struct ProgramProblems: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [ProgramProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

extension Program {
    /// Reads a program document (JSON; the schema is in docs/program.schema.json).
    /// - Throws: `ProgramProblems` with every problem found and its path.
    public static func parse(_ data: Data) throws(ProgramProblems) -> Program {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw ProgramProblems(problems: [ProgramProblem("", "the document is not valid JSON")])
        }
        var reader = DocumentReader()
        let program = reader.program(root)
        guard reader.problems.isEmpty, let program else { throw ProgramProblems(problems: reader.problems) }
        return program
    }
}

/// Walks the parsed JSON, collecting problems instead of stopping at the first.
struct DocumentReader {
    var problems: [ProgramProblem] = []

    mutating func fail(_ path: String, _ message: String) { problems.append(ProgramProblem(path, message)) }

    mutating func object(_ value: Any?, _ path: String, known: Set<String>) -> [String: Any]? {
        guard let value else { return nil }
        guard let object = value as? [String: Any] else {
            fail(path, "is an object")
            return nil
        }
        for key in object.keys.sorted() where !known.contains(key) { fail(join(path, key), "is not a field of this document") }
        return object
    }

    mutating func string(_ object: [String: Any], _ key: String, _ path: String, required: Bool = false) -> String? {
        guard let value = object[key] else {
            if required { fail(join(path, key), "is required") }
            return nil
        }
        guard let text = value as? String, !text.isEmpty else {
            fail(join(path, key), "is a non-empty string")
            return nil
        }
        return text
    }

    mutating func integer(_ object: [String: Any], _ key: String, _ path: String, range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let value = object[key] else {
            if required { fail(join(path, key), "is required") }
            return nil
        }
        guard let number = value as? NSNumber, !isBool(value), number.doubleValue == number.doubleValue.rounded(),
              range.contains(number.intValue) else {
            fail(join(path, key), "is a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number.intValue
    }

    mutating func strings(_ object: [String: Any], _ key: String, _ path: String) -> [String] {
        guard let value = object[key] else { return [] }
        guard let list = value as? [Any], list.allSatisfy({ ($0 as? String)?.isEmpty == false }) else {
            fail(join(path, key), "is a list of non-empty strings")
            return []
        }
        return list.compactMap { $0 as? String }
    }

    /// One of an enumeration's names; nil when it is left out, or when it is not one (the
    /// problem noted with the names it may be).
    mutating func choice<T: RawRepresentable & CaseIterable>(_ object: [String: Any], _ key: String, _ path: String,
                                                             required: Bool = false) -> T? where T.RawValue == String {
        guard let text = string(object, key, path, required: required) else { return nil }
        if let value = T(rawValue: text) { return value }
        fail(join(path, key), "'\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        return nil
    }

    /// A true or false; `fallback` when it is left out (or is not one, with the problem noted).
    mutating func flag(_ object: [String: Any], _ key: String, _ path: String, default fallback: Bool = false) -> Bool {
        guard let value = object[key] else { return fallback }
        guard isBool(value), let flag = value as? Bool else { fail(join(path, key), "is true or false"); return fallback }
        return flag
    }

    /// JSON's true and false (Foundation reads every JSON number as something `as? Bool` accepts).
    func isBool(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func program(_ root: Any) -> Program? {
        let known: Set = ["name", "currency", "time_zone", "pending_days", "expiry", "earning", "actions", "tiers", "rewards", "referrals", "$schema", "description"]
        guard let doc = object(root, "", known: known) else { return nil }
        let name = string(doc, "name", "", required: true) ?? ""
        let currency = string(doc, "currency", "", required: true) ?? "EUR"
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            fail("currency", "is an ISO 4217 code in capitals, such as EUR")
        } else if !ISO4217.isCurrency(currency) {
            fail("currency", "'\(currency)' is not an ISO 4217 currency in use")
        }
        var timeZone = TimeZone(identifier: "UTC")!
        if let zone = string(doc, "time_zone", "", required: true) {
            if let found = TimeZone(identifier: zone) { timeZone = found } else { fail("time_zone", "'\(zone)' is not a time zone such as Europe/Berlin") }
        }
        let pendingDays = integer(doc, "pending_days", "", range: 0...365) ?? 0
        let expiry = expiryPolicy(doc["expiry"]) ?? .never
        let reminder = (doc["expiry"] as? [String: Any]).flatMap { integer($0, "remind_days_before", "expiry", range: 1...365) }
        if reminder != nil, expiry == .never { fail("expiry.remind_days_before", "is for points that expire (the policy is never)") }
        let earning = earningSection(doc["earning"], currency: currency)
        let actions = actionRules(doc["actions"])
        let tiers = doc["tiers"].flatMap { tierProgram($0) }
        let referrals = doc["referrals"].flatMap { referralTerms($0) }
        let rewards = rewardCatalog(doc["rewards"])
        var names = Set<String>()
        for (i, rule) in earning.rules.enumerated() where !names.insert(rule.name).inserted {
            fail("earning.rules[\(i)].name", "'\(rule.name)' names another rule too: each rule has its own name (it is written on the ledger)")
        }
        for (i, rule) in actions.enumerated() where !names.insert(rule.name).inserted {
            fail("actions[\(i)].name", "'\(rule.name)' names another rule too: each rule has its own name (it is written on the ledger)")
        }
        for (side, id) in [("referrer", referrals?.referrerReward), ("referred", referrals?.referredReward)] {
            if let id, !rewards.contains(where: { $0.id == id }) { fail("referrals.\(side).reward", "'\(id)' is not a reward of the catalog") }
        }
        for (i, reward) in rewards.enumerated() {
            for name in reward.tiers.sorted() where !(tiers?.levels.contains { $0.name == name } ?? false) {
                fail("rewards[\(i)].tiers", "'\(name)' is not a level of this program's tiers")
            }
        }
        for (i, rule) in earning.rules.enumerated() {
            if case let .coupon(reward) = rule.kind, !rewards.contains(where: { $0.id == reward }) {
                fail("earning.rules[\(i)].reward", "'\(reward)' is not a reward of the catalog")
            }
            for name in rule.when.tiers.sorted() where !(tiers?.levels.contains { $0.name == name } ?? false) {
                fail("earning.rules[\(i)].when.tiers", "'\(name)' is not a level of this program's tiers")
            }
        }
        return Program(name: name, currency: currency, timeZone: timeZone, pendingDays: pendingDays, expiry: expiry,
                       earning: earning, actions: actions, tiers: tiers, referrals: referrals, rewards: rewards,
                       expiryReminderDays: reminder)
    }

    mutating func expiryPolicy(_ value: Any?) -> ExpiryPolicy? {
        guard let value else {
            fail("expiry", "is required ({\"policy\": \"never\"} if points never expire)")
            return nil
        }
        guard let e = object(value, "expiry", known: ["policy", "months", "after", "days", "remind_days_before"]) else { return nil }
        switch string(e, "policy", "expiry", required: true) {
        case "after_days": return integer(e, "days", "expiry", range: 1...3_650, required: true).map(ExpiryPolicy.afterDays)
        case "after_months": return integer(e, "months", "expiry", range: 1...120, required: true).map(ExpiryPolicy.afterMonths)
        case "end_of_month": return integer(e, "after", "expiry", range: 0...120, required: true).map { .endOfMonth(after: $0) }
        case "end_of_year": return integer(e, "after", "expiry", range: 0...10, required: true).map { .endOfYear(after: $0) }
        case "never": return .never
        case nil: return nil
        case let other?:
            fail("expiry.policy", "'\(other)' is not one of after_days, after_months, end_of_month, end_of_year, never")
            return nil
        }
    }

    mutating func earningSection(_ value: Any?, currency: String) -> Earning {
        guard let e = object(value, "earning", known: ["rules", "minimum_order", "include_shipping", "exclude", "caps"]) else {
            if value == nil { fail("earning", "is required") }
            return Earning(rules: [])
        }
        var earning = Earning(rules: [])
        earning.minimumOrder = integer(e, "minimum_order", "earning", range: 0...Limits.amount) ?? 0
        earning.includeShipping = flag(e, "include_shipping", "earning", default: earning.includeShipping)
        if let exclude = object(e["exclude"], "earning.exclude", known: ["skus", "categories"]) {
            earning.excludedSKUs = Set(strings(exclude, "skus", "earning.exclude"))
            earning.excludedCategories = Set(strings(exclude, "categories", "earning.exclude"))
        }
        if let caps = e["caps"] {
            if let list = caps as? [Any] {
                earning.caps = list.enumerated().compactMap { cap($1, "earning.caps[\($0)]") }
            } else {
                fail("earning.caps", "is a list of caps such as {\"points\": 500, \"per\": \"day\"}")
            }
        }
        guard let rules = e["rules"] as? [Any] else {
            fail("earning.rules", "is a list of rules")
            return earning
        }
        for (i, value) in rules.enumerated() {
            if let rule = earningRule(value, "earning.rules[\(i)]", currency: currency) { earning.rules.append(rule) }
        }
        return earning
    }

    mutating func earningRule(_ value: Any, _ path: String, currency: String) -> EarningRule? {
        guard let r = object(value, path, known: ["name", "type", "points", "per", "rounding", "scope", "factor", "when", "stamps", "cap", "reward", "stop"]) else { return nil }
        let name = string(r, "name", path, required: true)
        let when = condition(r["when"], "\(path).when")
        let ruleCap = r["cap"].flatMap { cap($0, "\(path).cap") }
        let kind: EarningRule.Kind?
        switch string(r, "type", path, required: true) {
        case "spend":
            let points = integer(r, "points", path, range: 1...1_000_000, required: true)
            // One whole unit of the currency by default: 100 cents, 1 dong, 1,000 fils.
            let per = integer(r, "per", path, range: 1...100_000_000) ?? Money.unit(currency)
            var rounding = EarningRule.Rounding.down
            if let text = string(r, "rounding", path) {
                if let value = EarningRule.Rounding(rawValue: text) { rounding = value } else { fail("\(path).rounding", "is down, nearest or up") }
            }
            var scope = EarningRule.Scope.order
            if let text = string(r, "scope", path) {
                if let value = EarningRule.Scope(rawValue: text) { scope = value } else { fail("\(path).scope", "is order or line") }
            }
            kind = points.map { .spend(points: $0, per: per, rounding: rounding, scope: scope) }
        case "multiplier":
            guard let value = r["factor"] else {
                fail("\(path).factor", "is required")
                return nil
            }
            guard let factor = factor(value, "\(path).factor", max: 100) else { return nil }
            kind = .multiplier(factor: factor)
        case "bonus":
            kind = integer(r, "points", path, range: 1...1_000_000, required: true).map { .bonus(points: $0) }
        case "punch_card":
            let stamps = integer(r, "stamps", path, range: 2...1_000, required: true)
            let points = integer(r, "points", path, range: 1...1_000_000, required: true)
            if !when.isLineCondition { fail("\(path).when", "a punch card names the skus or categories that earn stamps") }
            kind = stamps.flatMap { stamps in points.map { .punchCard(stamps: stamps, points: $0) } }
        case "coupon":
            kind = string(r, "reward", path, required: true).map { .coupon(reward: $0) }
        case nil: kind = nil
        case let other?:
            fail("\(path).type", "'\(other)' is not one of spend, multiplier, bonus, punch_card, coupon")
            kind = nil
        }
        let stop = flag(r, "stop", path)
        guard let name, let kind else { return nil }
        return EarningRule(name: name, kind: kind, when: when, cap: ruleCap, stop: stop)
    }

    /// A multiplier: a number above 1 and at most `max`, with at most four decimals (held exactly).
    mutating func factor(_ value: Any, _ path: String, max: Int) -> Factor? {
        guard let number = value as? NSNumber, !isBool(value), let factor = Factor(json: number.doubleValue),
              factor.isAboveOne, factor <= Factor(tenThousandths: max * Factor.scale) else {
            fail(path, "is a number above 1 and at most \(max), with at most four decimals (such as 1.25)")
            return nil
        }
        return factor
    }

    mutating func cap(_ value: Any, _ path: String) -> Cap? {
        guard let c = object(value, path, known: ["points", "per"]) else { return nil }
        let points = integer(c, "points", path, range: 1...100_000_000, required: true)
        let per: ActionLimit.Period? = choice(c, "per", path, required: true)
        guard let points, let per else { return nil }
        return Cap(points: points, per: per)
    }

    mutating func condition(_ value: Any?, _ path: String) -> Condition {
        guard let c = object(value, path, known: ["skus", "categories", "channels", "days_of_week", "from", "until", "first_order", "tiers",
                                                  "min_quantity", "min_amount"]) else { return Condition() }
        var condition = Condition(skus: Set(strings(c, "skus", path)), categories: Set(strings(c, "categories", path)),
                                  channels: Set(strings(c, "channels", path)))
        condition.tiers = Set(strings(c, "tiers", path))
        condition.minQuantity = integer(c, "min_quantity", path, range: 1...Limits.quantity)
        condition.minAmount = integer(c, "min_amount", path, range: 1...Limits.amount)
        let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        for day in strings(c, "days_of_week", path) {
            if let index = days.firstIndex(of: day.lowercased()) { condition.daysOfWeek.insert(index + 1) } else {
                fail("\(path).days_of_week", "'\(day)' is not a day such as saturday")
            }
        }
        for key in ["from", "until"] {
            guard let text = string(c, key, path) else { continue }
            guard let date = Timestamp.parse(text) else {
                fail("\(path).\(key)", "'\(text)' is not a time such as 2026-12-05T00:00:00+01:00")
                continue
            }
            if key == "from" { condition.from = date } else { condition.until = date }
        }
        if let from = condition.from, let until = condition.until, until <= from { fail("\(path).until", "comes after from") }
        if c["first_order"] != nil { condition.firstOrder = flag(c, "first_order", path) }
        return condition
    }

    mutating func actionRules(_ value: Any?) -> [ActionRule] {
        guard let value else { return [] }
        guard let list = value as? [Any] else {
            fail("actions", "is a list of action rules")
            return []
        }
        var rules: [ActionRule] = []
        for (i, item) in list.enumerated() {
            let path = "actions[\(i)]"
            guard let r = object(item, path, known: ["name", "action", "points", "limit"]) else { continue }
            let name = string(r, "name", path, required: true)
            let action = string(r, "action", path, required: true)
            if let action, Action(reference: "x", name: action, at: Date()).problems().contains(where: { $0.field == "name" }) {
                fail("\(path).action", "'\(action)' is not an action name: lower-case letters, digits and underscores")
            }
            let points = integer(r, "points", path, range: 1...1_000_000, required: true)
            let limit = actionLimit(r["limit"], "\(path).limit")
            if let name, let action, let points { rules.append(ActionRule(name: name, action: action, points: points, limit: limit)) }
        }
        return rules
    }

    /// `{"count": n, "per": "day|week|month|year|ever"}`.
    mutating func actionLimit(_ value: Any?, _ path: String) -> ActionLimit? {
        guard let l = object(value, path, known: ["count", "per"]) else { return nil }
        let count = integer(l, "count", path, range: 1...1_000, required: true)
        let per: ActionLimit.Period? = choice(l, "per", path, required: true)
        guard let count, let per else { return nil }
        return ActionLimit(count: count, per: per)
    }

    mutating func referralTerms(_ value: Any) -> ReferralTerms? {
        let known: Set = ["referrer", "referred", "minimum_order", "wait_days", "limit", "link"]
        guard let r = object(value, "referrals", known: known) else { return nil }
        func side(_ side: String) -> (points: Int, reward: String?) {
            guard let o = object(r[side], "referrals.\(side)", known: ["points", "reward"]) else {
                fail("referrals.\(side)", "is required: {\"points\": n} (0 for nothing) and/or {\"reward\": \"a reward's id\"}")
                return (0, nil)
            }
            let reward = string(o, "reward", "referrals.\(side)")
            return (integer(o, "points", "referrals.\(side)", range: 0...1_000_000, required: reward == nil) ?? 0, reward)
        }
        let referrer = side("referrer"), referred = side("referred")
        let terms = ReferralTerms(referrerPoints: referrer.points, referredPoints: referred.points,
                                  referrerReward: referrer.reward, referredReward: referred.reward,
                                  minimumOrder: integer(r, "minimum_order", "referrals", range: 1...1_000_000_000) ?? 1,
                                  waitDays: integer(r, "wait_days", "referrals", range: 0...365),
                                  limit: actionLimit(r["limit"], "referrals.limit"),
                                  link: string(r, "link", "referrals"))
        if let link = terms.link, !link.contains("{code}") { fail("referrals.link", "holds {code} where the member's code goes") }
        return terms
    }

    /// A member-facing text by language: `{"en": …, "de": …, "vi": …}` (all three when required).
    mutating func texts(_ value: Any?, _ path: String, required: Bool) -> [String: String] {
        guard let t = object(value, path, known: ["en", "de", "vi"]) else {
            if required { fail(path, "is required: {\"en\": …, \"de\": …, \"vi\": …}") }
            return [:]
        }
        var result: [String: String] = [:]
        for language in ["en", "de", "vi"] { result[language] = string(t, language, path, required: required) }
        return result
    }
}
