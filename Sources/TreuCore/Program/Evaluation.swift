import Foundation

/// What the rules see of a member besides the event: times of their earlier events of the same
/// tally (their orders for an order, their actions of one name for an action).
public struct MemberHistory: Equatable, Sendable {
    public var earlier: [Date]
    public init(earlier: [Date] = []) { self.earlier = earlier }
}

/// The program's rules as pure functions from (event, member history, program) to effects, in a
/// documented order:
///
/// 0. Spend counts in the program's currency: orders in another earn no spend points.
/// 1. Excluded lines (by sku or category) earn nothing; an order discount is shared over the
///    lines in proportion to their net, so excluded lines take their share with them.
/// 2. Below the minimum order (eligible net, with shipping if the program counts it) nothing is earned.
/// 3. Spend: the first spend rule whose condition holds gives the base points, rounded per order
///    or per line as it says. Later spend rules are alternatives, not additions.
/// 4. Multipliers: each line gets the highest multiplier whose condition holds for it (no
///    stacking); the extra over the base is credited under that multiplier's name.
/// 5. Bonuses: every bonus whose condition holds adds its points.
/// 6. Punch cards: each unit of the matching lines is a stamp (stamps carry over between
///    orders); each full card gives its points and starts again.
/// 7. Caps: a rule's own cap trims what it gives in the period; then the member's caps trim
///    the order's points, rule by rule in the order above.
/// 8. Coupons: every coupon rule whose condition holds issues its reward, for a later order.
///
/// Every effect names the rule that caused it.
extension Program {
    /// - Parameter counters: the member's punch-card stamps and points towards caps, updated.
    public func effects(of order: Order, history: MemberHistory, counters: inout [String: Int]) -> [Effect] {
        effects(of: order, history: history, counters: &counters, dates: (releaseDate(of: order.at), expiryDate(earnedAt: order.at)))
    }

    /// With the order's release and expiry dates given (a simulation computes them once per day).
    public func effects(of order: Order, history: MemberHistory, counters: inout [String: Int],
                        dates: (release: Date, expiry: Date?)) -> [Effect] {
        var coupons: [Effect] = []
        let credits = points(of: order, history: history, counters: &counters, coupons: &coupons)
        countQualifying(order: order, points: credits.reduce(0) { $0 + $1.points }, counters: &counters)
        return credits.map { .credit(points: $0.points, rule: $0.rule, availableAt: dates.release, expiresAt: dates.expiry) } + coupons
    }

    /// The points of an order by rule, in the documented order, after caps.
    func points(of order: Order, history: MemberHistory, counters: inout [String: Int], coupons: inout [Effect]) -> [(rule: String, points: Int)] {
        var credits: [(rule: String, points: Int)] = []
        func credit(_ points: Int, _ rule: String) {
            if points > 0 { credits.append((rule, points)) }
        }
        let eligible = order.currency == currency ? eligibleLines(of: order) : []
        let lineNets = eligible.map(\.net)
        let eligibleNet = lineNets.reduce(0, +) + (earning.includeShipping ? order.shipping : 0)
        guard order.currency != currency || eligibleNet >= max(earning.minimumOrder, 1) else { return [] }
        let ruleCaps = Dictionary(earning.rules.compactMap { rule in rule.cap.map { (rule.name, $0) } }, uniquingKeysWith: { a, _ in a })
        let isFirst = !history.earlier.contains { $0 < order.at }
        // The member's tier when the order came (from the qualifying counters, before this order).
        let level = tiers?.level(counters: counters, at: order.at, timeZone: timeZone).map { tiers!.levels[$0] }
        let orderMatches = { (c: Condition) in
            self.orderMatches(c, order, isFirst: isFirst) && (c.tiers.isEmpty || level.map { c.tiers.contains($0.name) } == true)
        }

        // 3. Base points per line (for multipliers) and in all.
        var basePerLine = [Int](repeating: 0, count: eligible.count)
        if let rule = earning.rules.first(where: { if case .spend = $0.kind { orderMatches($0.when) } else { false } }),
           case let .spend(points, per, rounding, scope) = rule.kind {
            let base: Int
            switch scope {
            case .line:
                for (i, line) in eligible.enumerated() where rule.when.matches(line) {
                    basePerLine[i] = Self.round(lineNets[i] * points, per, rounding)
                }
                base = basePerLine.reduce(0, +)
            case .order:
                let matching = eligible.indices.filter { rule.when.matches(eligible[$0]) }
                let net = matching.reduce(0) { $0 + lineNets[$1] } + (earning.includeShipping && !rule.when.isLineCondition ? order.shipping : 0)
                base = Self.round(net * points, per, rounding)
                // Shared over the lines in proportion to their net, for multipliers.
                let total = matching.reduce(0) { $0 + lineNets[$1] }
                var given = 0
                for (k, i) in matching.enumerated() {
                    basePerLine[i] = k == matching.count - 1 ? base - given : (total > 0 ? base * lineNets[i] / total : 0)
                    given += basePerLine[i]
                }
            }
            credit(base, rule.name)
        }
        // 4. Multipliers: the highest per line, the member's tier's among them (named after the level).
        var extra: [String: Int] = [:]
        var order4: [String] = []
        let tierMultiplier = level.flatMap { level in level.multiplier.map { ("\(level.name) tier", $0) } }
        for (i, line) in eligible.enumerated() where basePerLine[i] > 0 {
            let best = (earning.rules.compactMap { rule -> (String, Double)? in
                guard case let .multiplier(factor) = rule.kind, factor > 1, orderMatches(rule.when), rule.when.matches(line) else { return nil }
                return (rule.name, factor)
            } + (tierMultiplier.map { [$0] } ?? [])).max { $0.1 < $1.1 }
            if let (name, factor) = best {
                if extra[name] == nil { order4.append(name) }
                extra[name, default: 0] += Int((Double(basePerLine[i]) * (factor - 1)).rounded(.down))
            }
        }
        for name in order4 { credit(extra[name] ?? 0, name) }
        // Whether a bonus's or a coupon's rule holds for the order (a line condition: for one of its lines).
        func holds(_ rule: EarningRule) -> Bool {
            orderMatches(rule.when) && (!rule.when.isLineCondition || eligible.contains(where: rule.when.matches))
        }
        // 5. Bonuses.
        for rule in earning.rules {
            guard case let .bonus(points) = rule.kind, holds(rule) else { continue }
            credit(points, rule.name)
        }
        // 6. Punch cards.
        for rule in earning.rules {
            guard case let .punchCard(stamps, points) = rule.kind, orderMatches(rule.when) else { continue }
            let bought = eligible.filter(rule.when.matches).reduce(0) { $0 + $1.quantity }
            guard bought > 0 else { continue }
            let key = "stamps:\(rule.name)"
            let total = (counters[key] ?? 0) + bought
            counters[key] = total % stamps
            credit(total / stamps * points, rule.name)
        }
        // 7. Caps: the rule's own, then the member's.
        let day = CalendarDate.dayNumber(order.at, in: timeZone)
        for key in counters.keys where key.hasPrefix("cap:") {
            // Periods long past are forgotten (the key ends with the day the period starts).
            if let start = key.split(separator: ":").last.flatMap({ Int($0) }), start < day - 400 { counters[key] = nil }
        }
        func key(_ cap: Cap, _ scope: String) -> String {
            let start = cap.per == .ever ? 0 : CalendarDate.dayNumber(period(cap.per, containing: order.at).start, in: timeZone)
            return "cap:\(scope):\(cap.per.rawValue):\(start)"
        }
        for i in credits.indices {
            // What every cap that applies still allows; what is given counts towards all of them.
            let caps = (ruleCaps[credits[i].rule].map { [($0, credits[i].rule)] } ?? []) + earning.caps.map { ($0, "*") }
            guard !caps.isEmpty else { continue }
            let keys = caps.map { key($0.0, $0.1) }
            let given = zip(caps, keys).reduce(credits[i].points) { given, pair in min(given, max(0, pair.0.0.points - (counters[pair.1] ?? 0))) }
            if given > 0 { for key in keys { counters[key, default: 0] += given } }
            credits[i].points = given
        }
        // 8. Coupons (no points, so no caps).
        for rule in earning.rules {
            guard case let .coupon(reward) = rule.kind, holds(rule) else { continue }
            coupons.append(.coupon(reward: reward, rule: rule.name))
        }
        return credits.filter { $0.points > 0 }
    }

    /// Points for an action: the first action rule for its name, unless its limit is reached in
    /// the period (in the program's time zone) that holds the action.
    public func effects(of action: Action, history: MemberHistory) -> [Effect] {
        guard let rule = actions.first(where: { $0.action == action.name }), rule.points > 0 else { return [] }
        if let limit = rule.limit {
            let period = self.period(limit.per, containing: action.at)
            let used = history.earlier.filter { $0 < action.at && period.contains($0) }.count
            guard used < limit.count else { return [] }
        }
        return [.credit(points: rule.points, rule: rule.name, availableAt: action.at, expiresAt: expiryDate(earnedAt: action.at))]
    }

    /// Whether evaluating an order reads the member's earlier orders (a first-order condition):
    /// when not, the store need not fetch them.
    public var readsOrderHistory: Bool { earning.rules.contains { $0.when.firstOrder != nil } }

    /// Whether evaluating this action reads the member's earlier ones (its rule has a limit).
    public func readsHistory(of action: Action) -> Bool { actions.first { $0.action == action.name }?.limit != nil }

    /// The lines that earn, with the order discount shared over all lines by net.
    func eligibleLines(of order: Order) -> [OrderLine] {
        let linesNet = order.lines.reduce(0) { $0 + $1.net }
        var shared = 0
        var result: [OrderLine] = []
        for (i, line) in order.lines.enumerated() {
            let share = i == order.lines.count - 1 ? order.orderDiscount - shared
                                                   : (linesNet > 0 ? order.orderDiscount * line.net / linesNet : 0)
            shared += share
            guard !earning.excludedSKUs.contains(line.sku), !(line.category.map(earning.excludedCategories.contains) ?? false) else { continue }
            var eligible = line
            eligible.discount += share
            result.append(eligible)
        }
        return result
    }

    func orderMatches(_ c: Condition, _ order: Order, isFirst: Bool) -> Bool {
        if !c.channels.isEmpty, !(order.channel.map(c.channels.contains) ?? false) { return false }
        if let from = c.from, order.at < from { return false }
        if let until = c.until, order.at >= until { return false }
        if let first = c.firstOrder, first != isFirst { return false }
        if !c.daysOfWeek.isEmpty {
            // Calendar weekday: 1 = Sunday … 7 = Saturday; ours: 1 = Monday … 7 = Sunday.
            let weekday = calendar.component(.weekday, from: order.at)
            if !c.daysOfWeek.contains((weekday + 5) % 7 + 1) { return false }
        }
        return true
    }

    static func round(_ numerator: Int, _ denominator: Int, _ rounding: EarningRule.Rounding) -> Int {
        guard numerator > 0 else { return 0 }
        switch rounding {
        case .down: return numerator / denominator
        case .up: return (numerator + denominator - 1) / denominator
        case .nearest: return (2 * numerator + denominator) / (2 * denominator)
        }
    }
}
