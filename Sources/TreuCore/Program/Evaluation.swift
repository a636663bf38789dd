import Foundation

/// What the rules see of a member besides the event: the times of their events of the same
/// tally recorded before this one (their orders for an order, their actions of one name for an
/// action), in whatever order they came. Limits and "first order" are decided from what was
/// recorded, never from the timestamps alone: an order sent late with an earlier time, or two
/// with the same second, are not both a member's first.
public struct MemberHistory: Equatable, Sendable {
    public var earlier: [Date]
    public init(earlier: [Date] = []) { self.earlier = earlier }
}

/// Why an event earned nothing, or less than a rule would give: the answer says so, so a zero
/// is never silent.
public struct EarningNote: Equatable, Sendable {
    /// Stable: `no_rule`, `limit_reached`, `cap_reached`, `below_minimum_order`,
    /// `excluded_lines`, `nothing_to_earn_on`, `stamps_collected`, `member_suspended`,
    /// `not_birthday`, `no_birthday`, `currency_mismatch`.
    public var code: String
    /// The rule it concerns, if one.
    public var rule: String?
    public var detail: String

    public init(code: String, rule: String? = nil, detail: String) {
        self.code = code
        self.rule = rule
        self.detail = detail
    }
}

/// What one rule gave an order, and which lines earned it: a return takes a line's points back
/// with its units, and the order's own share (shipping, a bonus for the order) by the share of
/// the net returned.
public struct EarnedPart: Equatable, Sendable {
    public var rule: String
    /// Points credited under the rule (after caps): `lines` summed plus `order`.
    public var points: Int
    /// Points per line of the order (by index into `order.lines`).
    public var lines: [Int]
    /// Points of the order as a whole.
    public var order: Int
    /// A punch card's stamps per line, and its size and points per card.
    public var card: Card?

    public struct Card: Equatable, Sendable {
        public var stamps: [Int]
        public var size: Int
        public var pointsPerCard: Int
        public init(stamps: [Int], size: Int, pointsPerCard: Int) {
            self.stamps = stamps
            self.size = size
            self.pointsPerCard = pointsPerCard
        }
    }

    public init(rule: String, points: Int, lines: [Int], order: Int, card: Card? = nil) {
        self.rule = rule
        self.points = points
        self.lines = lines
        self.order = order
        self.card = card
    }
}

/// An order's evaluation: the effects (credits, then coupons), which lines earned each credit,
/// and notes on what earned nothing.
public struct OrderEvaluation: Equatable, Sendable {
    public var effects: [Effect]
    public var parts: [EarnedPart]
    public var notes: [EarningNote]

    public init(effects: [Effect], parts: [EarnedPart], notes: [EarningNote]) {
        self.effects = effects
        self.parts = parts
        self.notes = notes
    }
}

/// The program's rules as pure functions from (event, member history, program) to effects, in a
/// documented order:
///
/// 0. Spend counts in the program's currency: orders in another earn nothing (the API refuses them).
/// 1. Excluded lines (by sku or category) earn nothing; an order discount is shared over the
///    lines in proportion to their net, so excluded lines take their share with them.
/// 2. Below the minimum order (eligible net, with shipping if the program counts it) nothing is
///    earned. A rule holds for an order when its order conditions do, its line condition (if
///    any) matches a line, and its own minimums (`min_quantity`, `min_amount` of the lines it
///    matches) are met; a rule with `stop` that holds ends the list: the rules after it are not
///    evaluated.
/// 3. Spend: the first spend rule that holds gives the base points, rounded per order or per
///    line as it says. Later spend rules are alternatives, not additions. Shipping, when the
///    program counts it, earns this base only: its share is never multiplied.
/// 4. Multipliers: each line gets the highest multiplier that holds for it (no stacking; the
///    member's tier's own competes), in exact arithmetic, rounded down; the extra over the base
///    is credited under that multiplier's name.
/// 5. Bonuses: every bonus that holds adds its points.
/// 6. Punch cards: each unit of the matching lines is a stamp (stamps carry over between
///    orders); each full card gives its points and starts again.
/// 7. Caps: a rule's own cap trims what it gives in the period; then the member's caps trim
///    the order's points, rule by rule in the order above.
/// 8. Coupons: every coupon rule that holds issues its reward, for a later order.
///
/// Every effect names the rule that caused it; all arithmetic is in integers (128 bits where a
/// product could pass 64).
extension Program {
    /// - Parameter counters: the member's punch-card stamps and points towards caps, updated.
    public func effects(of order: Order, history: MemberHistory, counters: inout [String: Int]) -> [Effect] {
        evaluate(order, history: history, counters: &counters).effects
    }

    /// With the order's release and expiry dates given (a simulation computes them once per day).
    public func effects(of order: Order, history: MemberHistory, counters: inout [String: Int],
                        dates: (release: Date, expiry: Date?)) -> [Effect] {
        evaluate(order, history: history, counters: &counters, dates: dates).effects
    }

    /// The order's effects with the lines that earned them and notes on what earned nothing.
    public func evaluate(_ order: Order, history: MemberHistory, counters: inout [String: Int],
                         dates: (release: Date, expiry: Date?)? = nil) -> OrderEvaluation {
        let dates = dates ?? (releaseDate(of: order.at), expiryDate(earnedAt: order.at))
        var evaluation = OrderEvaluation(effects: [], parts: [], notes: [])
        var coupons: [Effect] = []
        evaluation.parts = points(of: order, history: history, counters: &counters, coupons: &coupons, notes: &evaluation.notes)
        countQualifying(order: order, points: evaluation.parts.reduce(0) { $0.saturatingAdd($1.points) }, counters: &counters)
        evaluation.effects = evaluation.parts.filter { $0.points > 0 }
            .map { .credit(points: $0.points, rule: $0.rule, availableAt: dates.release, expiresAt: dates.expiry) } + coupons
        if evaluation.effects.isEmpty, evaluation.notes.isEmpty {
            if let card = evaluation.parts.first(where: { $0.card != nil }), let size = card.card?.size {
                let open = counters[PunchCards.key(card.rule)] ?? 0
                evaluation.notes.append(EarningNote(code: "stamps_collected", rule: card.rule,
                                                    detail: "stamps for '\(card.rule)': \(open) of \(size) on the card, no points until it is full"))
            } else {
                evaluation.notes.append(EarningNote(code: "no_rule", detail: "no earning rule of the program holds for this order"))
            }
        }
        return evaluation
    }

    /// The points of an order by rule, in the documented order, after caps, each with its lines.
    func points(of order: Order, history: MemberHistory, counters: inout [String: Int], coupons: inout [Effect],
                notes: inout [EarningNote]) -> [EarnedPart] {
        guard order.currency == currency else {
            notes.append(EarningNote(code: "currency_mismatch", detail: "the order is in \(order.currency); the program earns on \(currency)"))
            return []
        }
        let (eligible, origin) = eligibleLines(of: order)
        let lineNets = eligible.map(\.net)
        let linesNet = lineNets.reduce(0, +)
        let shipping = earning.includeShipping ? order.shipping : 0
        if eligible.isEmpty {
            notes.append(EarningNote(code: "excluded_lines", detail: "every line of the order is excluded from earning"))
            return []
        }
        guard linesNet + shipping >= max(earning.minimumOrder, 1) else {
            notes.append(linesNet + shipping == 0
                ? EarningNote(code: "nothing_to_earn_on", detail: "the order's eligible net is 0")
                : EarningNote(code: "below_minimum_order",
                              detail: "the eligible net \(Money(linesNet + shipping, currency)) is below the minimum order of \(Money(earning.minimumOrder, currency))"))
            return []
        }
        let isFirst = history.earlier.isEmpty
        // The member's tier when the order came (from the qualifying counters, before this order).
        let level = tiers?.level(counters: counters, at: order.at, timeZone: timeZone).map { tiers!.levels[$0] }
        func orderMatches(_ c: Condition) -> Bool {
            self.orderMatches(c, order, isFirst: isFirst) && (c.tiers.isEmpty || level.map { c.tiers.contains($0.name) } == true)
        }
        // The rules that hold, in the document's order, up to the first with `stop` that holds.
        var active: [EarningRule] = []
        for rule in earning.rules {
            guard orderMatches(rule.when), rule.when.minimumsHold(eligible) else { continue }
            if case .spend = rule.kind {} else if rule.when.isLineCondition, !eligible.contains(where: rule.when.matches) { continue }
            active.append(rule)
            if rule.stop { break }
        }
        var parts: [EarnedPart] = []
        let lineCount = order.lines.count
        /// A part's points per order line from points per eligible line.
        func onOrderLines(_ perEligible: [Int]) -> [Int] {
            var lines = [Int](repeating: 0, count: lineCount)
            for (i, points) in perEligible.enumerated() { lines[origin[i]] += points }
            return lines
        }

        // 3. Base points per line (for multipliers), and shipping's share (never multiplied).
        var basePerLine = [Int](repeating: 0, count: eligible.count)
        if let rule = active.first(where: { if case .spend = $0.kind { true } else { false } }),
           case let .spend(points, per, rounding, scope) = rule.kind {
            let matching = eligible.indices.filter { rule.when.matches(eligible[$0]) }
            let ruleShipping = rule.when.isLineCondition ? 0 : shipping
            var shippingPoints = 0
            switch scope {
            case .line:
                for i in matching { basePerLine[i] = Arithmetic.scaled(lineNets[i], points, per, rounding) }
                shippingPoints = Arithmetic.scaled(ruleShipping, points, per, rounding)
            case .order:
                let net = matching.reduce(0) { $0 + lineNets[$1] }
                let base = Arithmetic.scaled(net + ruleShipping, points, per, rounding)
                // Shared over the lines and shipping in proportion to their net (cumulatively, so
                // the shares add up to the base exactly).
                let shares = Arithmetic.shares(of: base, by: matching.map { lineNets[$0] } + [ruleShipping])
                for (k, i) in matching.enumerated() { basePerLine[i] = shares[k] }
                shippingPoints = shares.last ?? 0
            }
            let lines = onOrderLines(basePerLine)
            parts.append(EarnedPart(rule: rule.name, points: lines.reduce(0, +) + shippingPoints, lines: lines, order: shippingPoints))
        }
        // 4. Multipliers: the highest per line, the member's tier's among them (named after the level).
        var extra: [String: [Int]] = [:]
        var multiplierOrder: [String] = []
        let tierMultiplier = level.flatMap { level in level.multiplier.map { ("\(level.name) tier", $0) } }
        for (i, line) in eligible.enumerated() where basePerLine[i] > 0 {
            let candidates = active.compactMap { rule -> (String, Factor)? in
                guard case let .multiplier(factor) = rule.kind, factor.isAboveOne, rule.when.matches(line) else { return nil }
                return (rule.name, factor)
            } + (tierMultiplier.map { [$0] } ?? [])
            // The highest; between equal factors, the first listed.
            guard let (name, factor) = candidates.reduce(nil, { (best: (String, Factor)?, next) in
                best.map { $0.1 >= next.1 ? $0 : next } ?? next
            }) else { continue }
            if extra[name] == nil {
                multiplierOrder.append(name)
                extra[name] = [Int](repeating: 0, count: eligible.count)
            }
            extra[name]![i] = factor.extra(over: basePerLine[i])
        }
        for name in multiplierOrder {
            let lines = onOrderLines(extra[name]!)
            parts.append(EarnedPart(rule: name, points: lines.reduce(0) { $0.saturatingAdd($1) }, lines: lines, order: 0))
        }
        // 5. Bonuses: for the order, or shared over the lines of a line condition by their net.
        for rule in active {
            guard case let .bonus(points) = rule.kind else { continue }
            if rule.when.isLineCondition {
                let matching = eligible.indices.filter { rule.when.matches(eligible[$0]) }
                let shares = Arithmetic.shares(of: points, by: matching.map { max(lineNets[$0], 0) })
                var perEligible = [Int](repeating: 0, count: eligible.count)
                for (k, i) in matching.enumerated() { perEligible[i] = shares[k] }
                parts.append(EarnedPart(rule: rule.name, points: points, lines: onOrderLines(perEligible), order: 0))
            } else {
                parts.append(EarnedPart(rule: rule.name, points: points, lines: [Int](repeating: 0, count: lineCount), order: points))
            }
        }
        // 6. Punch cards: the open card's stamps are kept per rule (below zero when a return took
        // back stamps of a card another order filled: they are bought again before the next card).
        for rule in active {
            guard case let .punchCard(size, points) = rule.kind else { continue }
            var stamps = [Int](repeating: 0, count: eligible.count)
            for i in eligible.indices where rule.when.matches(eligible[i]) { stamps[i] = eligible[i].quantity }
            let bought = stamps.reduce(0, +)
            guard bought > 0 else { continue }
            let key = PunchCards.key(rule.name)
            let total = (counters[key] ?? 0) + bought
            let cards = total > 0 ? total / size : 0
            counters[key] = total - cards * size
            let card = EarnedPart.Card(stamps: onOrderLines(stamps), size: size, pointsPerCard: points)
            parts.append(EarnedPart(rule: rule.name, points: Arithmetic.product(cards, points), lines: [Int](repeating: 0, count: lineCount),
                                    order: Arithmetic.product(cards, points), card: card))
        }
        // 7. Caps: the rule's own, then the member's.
        let ruleCaps = Dictionary(earning.rules.compactMap { rule in rule.cap.map { (rule.name, $0) } }, uniquingKeysWith: { a, _ in a })
        forgetPastCaps(at: order.at, counters: &counters)
        for i in parts.indices {
            // What every cap that applies still allows; what is given counts towards all of them.
            let caps = (ruleCaps[parts[i].rule].map { [($0, parts[i].rule)] } ?? []) + earning.caps.map { ($0, "*") }
            guard !caps.isEmpty, parts[i].points > 0 else { continue }
            let keys = caps.map { capKey($0.0, $0.1, at: order.at) }
            let given = zip(caps, keys).reduce(parts[i].points) { given, pair in min(given, max(0, pair.0.0.points - (counters[pair.1] ?? 0))) }
            if given > 0 { for key in keys { counters[key, default: 0] += given } }
            if given < parts[i].points {
                notes.append(EarningNote(code: "cap_reached", rule: parts[i].rule,
                                         detail: "'\(parts[i].rule)' gave \(given) of \(parts[i].points) points: a cap on points per period was reached"))
                parts[i].scale(to: given)
            }
        }
        // 8. Coupons (no points, so no caps).
        for rule in active {
            guard case let .coupon(reward) = rule.kind else { continue }
            coupons.append(.coupon(reward: reward, rule: rule.name))
        }
        // A punch card's part is kept without points too: its stamps come off with a return.
        return parts.filter { $0.points > 0 || $0.card != nil }
    }

    /// The counter key of a cap's period containing `at` (`ever`: one period).
    func capKey(_ cap: Cap, _ scope: String, at: Date) -> String {
        let start = cap.per == .ever ? 0 : CalendarDate.dayNumber(period(cap.per, containing: at).start, in: timeZone)
        return "cap:\(scope):\(cap.per.rawValue):\(start)"
    }

    /// Forgets cap counters of periods that started more than two years before `at` (an order
    /// that late is history being imported); `ever` caps are never forgotten.
    func forgetPastCaps(at: Date, counters: inout [String: Int]) {
        let day = CalendarDate.dayNumber(at, in: timeZone)
        for key in counters.keys where key.hasPrefix("cap:") && !key.contains(":ever:") {
            if let start = key.split(separator: ":").last.flatMap({ Int($0) }), start < day - 800 { counters[key] = nil }
        }
    }

    /// Points for an action: the first action rule for its name, unless its limit is reached:
    /// the member's actions of that name recorded before, in the period (program's time zone)
    /// that holds this one, whatever their order of arrival.
    public func effects(of action: Action, history: MemberHistory) -> [Effect] {
        evaluate(action, history: history).effects
    }

    /// An action's effects, or a note on why it earned nothing.
    public func evaluate(_ action: Action, history: MemberHistory) -> (effects: [Effect], notes: [EarningNote]) {
        guard let rule = actions.first(where: { $0.action == action.name }), rule.points > 0 else {
            return ([], [EarningNote(code: "no_rule", detail: "the program has no rule for the action '\(action.name)'")])
        }
        if let limit = rule.limit {
            let period = self.period(limit.per, containing: action.at)
            let used = history.earlier.filter { period.contains($0) }.count
            guard used < limit.count else {
                let per = limit.per == .ever ? "ever" : "a \(limit.per.rawValue)"
                return ([], [EarningNote(code: "limit_reached", rule: rule.name,
                                         detail: "'\(rule.name)' gives points \(limit.count) time\(limit.count == 1 ? "" : "s") \(per); that many are recorded")])
            }
        }
        return ([.credit(points: rule.points, rule: rule.name, availableAt: action.at, expiresAt: expiryDate(earnedAt: action.at))], [])
    }

    /// Whether evaluating an order reads the member's earlier orders (a first-order condition):
    /// when not, the store need not fetch them.
    public var readsOrderHistory: Bool { earning.rules.contains { $0.when.firstOrder != nil } }

    /// Whether evaluating this action reads the member's earlier ones (its rule has a limit).
    public func readsHistory(of action: Action) -> Bool { actions.first { $0.action == action.name }?.limit != nil }

    /// The lines that earn, with the order discount shared over all lines by net, and for each
    /// the index of its line in the order.
    func eligibleLines(of order: Order) -> (lines: [OrderLine], origin: [Int]) {
        let shares = Arithmetic.shares(of: order.orderDiscount, by: order.lines.map(\.net))
        var result: [OrderLine] = []
        var origin: [Int] = []
        for (i, line) in order.lines.enumerated() {
            guard !earning.excludedSKUs.contains(line.sku), !(line.category.map(earning.excludedCategories.contains) ?? false) else { continue }
            var eligible = line
            eligible.discount += shares[i]
            result.append(eligible)
            origin.append(i)
        }
        return (result, origin)
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
        Arithmetic.scaled(numerator, 1, denominator, rounding)
    }
}
