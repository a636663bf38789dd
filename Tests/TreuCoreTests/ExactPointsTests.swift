import Foundation
import Testing
import TreuCore

/// Defects found by outside testing, each on numbers a person can check by hand: multipliers in
/// exact arithmetic, shipping never multiplied, limits decided by what was recorded, caps "per
/// ever", returns that take back what the returned lines earned, punch cards, bounds.
@Suite("Exact points")
struct ExactPointsTests {
    let at = Timestamp.parse("2026-11-25T10:00:00Z")!
    let utc = TimeZone(identifier: "UTC")!

    func program(_ rules: [EarningRule], includeShipping: Bool = false, caps: [Cap] = []) -> Program {
        Program(name: "test", currency: "EUR", timeZone: utc, pendingDays: 0, expiry: .never,
                earning: Earning(rules: rules, includeShipping: includeShipping, caps: caps), actions: [])
    }

    func order(_ lines: [OrderLine], reference: String = "A-1", shipping: Int = 0, at: Date? = nil) -> Order {
        Order(reference: reference, at: at ?? self.at, currency: "EUR", lines: lines, shipping: shipping)
    }

    func points(_ effects: [Effect]) -> [String: Int] {
        Dictionary(effects.compactMap { if case let .credit(points, rule, _, _) = $0 { (rule, points) } else { nil } }, uniquingKeysWith: +)
    }

    static let perUnit = EarningRule(name: "1 per cent", kind: .spend(points: 1, per: 1, rounding: .down, scope: .line))

    @Test func aFactorOfOnePointTwoOnTenPointsGivesTwoMoreNotOne() {
        // In binary floating point 10 × (1.2 − 1) is 1.9999999999999996, which rounded down was 1.
        #expect(Factor("1.2")!.extra(over: 10) == 2)
        #expect(Factor("1.2")!.extra(over: 5) == 1)
        #expect(Factor("1.1")!.extra(over: 30) == 3)
        #expect(Factor("2.3")!.extra(over: 10) == 13)
        #expect(Factor("1.25")!.extra(over: 3) == 0 && Factor("1.25")!.extra(over: 4) == 1)
        // The document's number is read as its decimal text: 1.2, not 1.19999…
        #expect(Factor(json: 1.2) == Factor("1.2") && Factor("1.2")!.description == "1.2")
        #expect(Factor("1.23456") == nil && Factor("-1") == nil && Factor("1e3") == nil)
        let p = program([Self.perUnit, EarningRule(name: "× 1.2", kind: .multiplier(factor: Factor("1.2")!))])
        var counters: [String: Int] = [:]
        #expect(points(p.effects(of: order([OrderLine(sku: "TEE", quantity: 1, unitPrice: 10)]), history: MemberHistory(), counters: &counters))
                == ["1 per cent": 10, "× 1.2": 2])
    }

    /// Random programs (a spend rule and multipliers by category with factors such as 1.1, 1.2,
    /// 1.25, 2.3) on random orders: every line's extra points equal exact decimal arithmetic
    /// (Foundation's `Decimal`), rounded down. 20,000 cases from a fixed seed.
    @Test func multipliersAgreeWithExactDecimalArithmetic() {
        var random = SplitMix(seed: 20_261_202)
        let factors = ["1.1", "1.2", "1.25", "1.3", "1.5", "1.75", "2", "2.3", "2.5", "3", "1.05", "1.125", "1.0001", "9.9999"]
        let categories = ["a", "b", "c"]
        var cases = 0
        for _ in 0..<2_000 {
            let points = random.int(in: 1...5), per = [1, 10, 100, 250][random.int(in: 0...3)]
            let chosen = categories.map { _ in factors[random.int(in: 0...factors.count - 1)] }
            var rules = [EarningRule(name: "spend", kind: .spend(points: points, per: per, rounding: .down, scope: .line))]
            for (i, category) in categories.enumerated() {
                rules.append(EarningRule(name: "× \(category)", kind: .multiplier(factor: Factor(chosen[i])!), when: Condition(categories: [category])))
            }
            let p = program(rules)
            for _ in 0..<10 {
                let lines = (0..<random.int(in: 1...4)).map { _ in
                    OrderLine(sku: "S", category: categories[random.int(in: 0...2)], quantity: random.int(in: 1...9), unitPrice: random.int(in: 1...99_999))
                }
                var counters: [String: Int] = [:]
                let got = self.points(p.effects(of: order(lines), history: MemberHistory(), counters: &counters))
                var expected: [String: Int] = [:]
                for line in lines {
                    let base = line.net * points / per
                    guard base > 0 else { continue }
                    expected["spend", default: 0] += base
                    let factor = Decimal(string: chosen[categories.firstIndex(of: line.category!)!])!
                    var extra = Decimal(base) * (factor - 1), rounded = Decimal()
                    NSDecimalRound(&rounded, &extra, 0, .down)
                    let value = NSDecimalNumber(decimal: rounded).intValue
                    if value > 0 { expected["× \(line.category!)", default: 0] += value }
                }
                #expect(got == expected, "\(lines) \(chosen)")
                cases += 1
            }
        }
        #expect(cases == 20_000)
    }

    @Test func shippingEarnsTheBaseRateAndIsNeverMultiplied() {
        // A red line of 100 with × 2 on red, shipping 100, 1 point per cent: 100 + 100 for the
        // base, 100 more for the red line only: 300 (it was 400: shipping's points were doubled).
        let rules = [EarningRule(name: "1 per cent", kind: .spend(points: 1, per: 1, rounding: .down, scope: .order)),
                     EarningRule(name: "double red", kind: .multiplier(factor: 2), when: Condition(categories: ["red"]))]
        var counters: [String: Int] = [:]
        let got = program(rules, includeShipping: true).effects(of: order([OrderLine(sku: "R", category: "red", quantity: 1, unitPrice: 100)], shipping: 100),
                                                             history: MemberHistory(), counters: &counters)
        #expect(points(got) == ["1 per cent": 200, "double red": 100])
    }

    @Test func aFirstOrderIsTheFirstRecordedWhateverItsTime() {
        let rules = [EarningRule(name: "welcome order", kind: .bonus(points: 100), when: Condition(firstOrder: true))]
        var counters: [String: Int] = [:]
        let basket = order([OrderLine(sku: "TEE", quantity: 1, unitPrice: 1_000)])
        // Nothing recorded before: the first. One recorded before, later or at the same second: not.
        #expect(points(program(rules).effects(of: basket, history: MemberHistory(), counters: &counters)) == ["welcome order": 100])
        for earlier in [at.addingTimeInterval(7_200), at] {
            #expect(program(rules).effects(of: basket, history: MemberHistory(earlier: [earlier]), counters: &counters).isEmpty)
        }
    }

    @Test func anActionLimitCountsWhatWasRecordedInThePeriodWhateverTheOrder() {
        var p = program([])
        p.actions = [ActionRule(name: "reviews", action: "review", points: 25, limit: ActionLimit(count: 3, per: .month))]
        let review = Action(reference: "R", name: "review", at: at)
        // Three recorded this month, two of them later in the month than this one: the limit is reached.
        let recorded = [at.addingTimeInterval(86_400), at.addingTimeInterval(-86_400), at.addingTimeInterval(2 * 86_400)]
        let refused = p.evaluate(review, history: MemberHistory(earlier: recorded))
        #expect(refused.effects.isEmpty && refused.notes.map(\.code) == ["limit_reached"] && refused.notes[0].rule == "reviews")
        // Three recorded, one of them last month: one more is allowed.
        let lastMonth = [at.addingTimeInterval(86_400), at.addingTimeInterval(2 * 86_400), at.addingTimeInterval(-30 * 86_400)]
        #expect(points(p.effects(of: review, history: MemberHistory(earlier: lastMonth))) == ["reviews": 25])
        #expect(p.evaluate(Action(reference: "X", name: "unknown", at: at), history: MemberHistory()).notes.map(\.code) == ["no_rule"])
    }

    @Test func aCapPerEverHoldsForEver() {
        // At most 100 points ever from the bonus: 60, 40, then nothing — also three years later
        // (the periods' counters older than two years are forgotten, `ever` never).
        let bonus = EarningRule(name: "bonus", kind: .bonus(points: 60), cap: Cap(points: 100, per: .ever))
        var counters: [String: Int] = [:]
        let basket = { (at: Date) in self.order([OrderLine(sku: "TEE", quantity: 1, unitPrice: 1_000)], at: at) }
        let p = program([bonus])
        #expect(points(p.effects(of: basket(at), history: MemberHistory(), counters: &counters)) == ["bonus": 60])
        #expect(points(p.effects(of: basket(at.addingTimeInterval(60)), history: MemberHistory(), counters: &counters)) == ["bonus": 40])
        let later = at.addingTimeInterval(3 * 365 * 86_400)
        let evaluation = p.evaluate(basket(later), history: MemberHistory(), counters: &counters)
        #expect(evaluation.effects.isEmpty && evaluation.notes.map(\.code) == ["cap_reached"])
    }

    @Test func aRuleWithItsOwnMinimumsAndARuleThatStopsTheOthers() {
        // 50 points for three or more socks (units of the lines the rule names); a flash sale
        // that, when it holds (€100 or more of shoes), gives 200 and stops the rules after it.
        let rules = [EarningRule(name: "three socks", kind: .bonus(points: 50), when: { var c = Condition(skus: ["SOCKS"]); c.minQuantity = 3; return c }()),
                     EarningRule(name: "flash", kind: .bonus(points: 200), when: { var c = Condition(categories: ["shoes"]); c.minAmount = 10_000; return c }(),
                                 stop: true),
                     EarningRule(name: "1 per euro", kind: .spend(points: 1, per: 100, rounding: .down, scope: .order))]
        var counters: [String: Int] = [:]
        let two = order([OrderLine(sku: "SOCKS", quantity: 2, unitPrice: 500)])
        #expect(points(program(rules).effects(of: two, history: MemberHistory(), counters: &counters)) == ["1 per euro": 10])
        let three = order([OrderLine(sku: "SOCKS", quantity: 3, unitPrice: 500), OrderLine(sku: "BOOT", category: "shoes", quantity: 1, unitPrice: 9_999)])
        #expect(points(program(rules).effects(of: three, history: MemberHistory(), counters: &counters)) == ["three socks": 50, "1 per euro": 114])
        let boots = order([OrderLine(sku: "SOCKS", quantity: 3, unitPrice: 500), OrderLine(sku: "BOOT", category: "shoes", quantity: 1, unitPrice: 10_000)])
        #expect(points(program(rules).effects(of: boots, history: MemberHistory(), counters: &counters)) == ["three socks": 50, "flash": 200])
    }

    /// A coat (€200, × 2 on coats) and socks filling a punch card: returning the coat takes back
    /// the coat's points and its multiplier, not the card's points.
    @Test func aReturnTakesBackWhatTheReturnedLinesEarned() throws {
        let rules = [EarningRule(name: "1 per euro", kind: .spend(points: 1, per: 100, rounding: .down, scope: .line)),
                     EarningRule(name: "double coats", kind: .multiplier(factor: 2), when: Condition(categories: ["coats"])),
                     EarningRule(name: "sock card", kind: .punchCard(stamps: 3, points: 90), when: Condition(skus: ["SOCKS"])),
                     EarningRule(name: "order bonus", kind: .bonus(points: 30))]
        let p = program(rules)
        let coatAndSocks = order([OrderLine(sku: "COAT", category: "coats", quantity: 1, unitPrice: 20_000),
                                  OrderLine(sku: "SOCKS", quantity: 3, unitPrice: 1_000)])
        var counters: [String: Int] = [:]
        let evaluation = p.evaluate(coatAndSocks, history: MemberHistory(), counters: &counters)
        #expect(points(evaluation.effects) == ["1 per euro": 230, "double coats": 200, "sock card": 90, "order bonus": 30])
        let earned = 550
        // The coat back: its 200 + 200; the order bonus by the net returned, 30 × 200/230 = 26.
        let coat = Return(reference: "R-1", orderReference: "A-1", at: at, lines: [.init(sku: "COAT", quantity: 1)])
        let back = try Program.takeBack(coat, of: coatAndSocks, parts: evaluation.parts, earlier: [], earlierTaken: [:],
                                        earned: earned, reversedSoFar: 0, counters: &counters)
        #expect(back.byRule == ["1 per euro": 200, "double coats": 200, "order bonus": 26])
        #expect(back.effects == [.reverse(points: 426, earnedBy: "A-1")])
        // Then one pair of socks: 10 for its euros, and its stamp: the card it filled is no more (90),
        // the two kept pairs stay on the open card.
        let socks = Return(reference: "R-2", orderReference: "A-1", at: at, lines: [.init(sku: "SOCKS", quantity: 1)])
        let more = try Program.takeBack(socks, of: coatAndSocks, parts: evaluation.parts, earlier: [coat], earlierTaken: back.byRule,
                                        earned: earned, reversedSoFar: 426, counters: &counters)
        #expect(more.byRule == ["1 per euro": 10, "sock card": 90, "order bonus": 1])
        #expect(counters[PunchCards.key("sock card")] == 2)
    }

    /// Seven coffees, then an order of five fills the card (10 stamps): the open card has 2.
    @Test func punchCardStampsComeOffWithTheReturnedUnitsOnly() throws {
        let card = EarningRule(name: "coffee card", kind: .punchCard(stamps: 10, points: 350), when: Condition(categories: ["coffee"]))
        let p = program([card])
        func coffees(_ reference: String, _ n: Int) -> Order { order([OrderLine(sku: "FLAT", category: "coffee", quantity: n, unitPrice: 380)], reference: reference) }
        var counters: [String: Int] = [:]
        let seven = coffees("A", 7), five = coffees("B", 5)
        let a = p.evaluate(seven, history: MemberHistory(), counters: &counters)
        let b = p.evaluate(five, history: MemberHistory(), counters: &counters)
        #expect(points(b.effects) == ["coffee card": 350] && counters[PunchCards.key("coffee card")] == 2)
        // Two of B back: those stamps came off the open card; the card B filled stands.
        var partial = counters
        let two = try Program.takeBack(Return(reference: "R", orderReference: "B", at: at, lines: [.init(sku: "FLAT", quantity: 2)]), of: five,
                                       parts: b.parts, earlier: [], earlierTaken: [:], earned: 350, reversedSoFar: 0, counters: &partial)
        #expect(two.effects.isEmpty && partial[PunchCards.key("coffee card")] == nil)
        // All of B back: the card it filled is taken back, and A's seven stamps stay.
        var whole = counters
        let all = try Program.takeBack(Return(reference: "R", orderReference: "B", at: at), of: five,
                                       parts: b.parts, earlier: [], earlierTaken: [:], earned: 350, reversedSoFar: 0, counters: &whole)
        #expect(all.effects == [.reverse(points: 350, earnedBy: "B")] && whole[PunchCards.key("coffee card")] == 7)
        // A back instead: its 7 stamps leave the card B filled short; B's card stands (A earned no
        // card to give back) and the 5 missing stamps are bought again before the next card.
        var other = counters
        let backA = try Program.takeBack(Return(reference: "R", orderReference: "A", at: at), of: seven,
                                         parts: a.parts, earlier: [], earlierTaken: [:], earned: 0, reversedSoFar: 0, counters: &other)
        #expect(backA.effects.isEmpty && other[PunchCards.key("coffee card")] == -5)
        #expect(p.effects(of: coffees("C", 14), history: MemberHistory(), counters: &other) == [])
        #expect(other[PunchCards.key("coffee card")] == 9)
    }

    @Test func amountsBeyondTheLimitsAreRefusedBeforeAnythingIsSummed() {
        func codes(_ lines: [OrderLine], discount: Int = 0, shipping: Int = 0) -> [String] {
            Order(reference: "X", at: at, currency: "EUR", lines: lines, orderDiscount: discount, shipping: shipping).problems().map { "\($0.code) \($0.field ?? "")" }
        }
        #expect(codes([OrderLine(sku: "A", quantity: 1_000_000_000_000_000_000, unitPrice: 100)]) == ["invalid_line lines.0.quantity"])
        #expect(codes([OrderLine(sku: "A", quantity: 2, unitPrice: Int.max / 2 + 1)]) == ["invalid_line lines.0.unit_price"])
        #expect(codes([OrderLine(sku: "A", quantity: 1_000_000, unitPrice: 1_000_000_000_000)]) == ["invalid_line lines.0"])
        // Two lines within the limit each, over it together.
        let big = OrderLine(sku: "A", quantity: 1, unitPrice: 600_000_000_000)
        #expect(codes([big, big]) == ["invalid_amount lines"])
        #expect(codes([OrderLine(sku: "A", quantity: 1, unitPrice: 100)], discount: Int.min) == ["invalid_amount order_discount"])
        #expect(codes([OrderLine(sku: "A", quantity: 1, unitPrice: 100)], shipping: Int.max) == ["invalid_amount shipping"])
        #expect(codes(Array(repeating: OrderLine(sku: "A", quantity: 1, unitPrice: 1), count: 1_001)) == ["too_many_lines lines"])
        // The largest order there can be earns in 128 bits: no trap, a number to refuse.
        let most = program([EarningRule(name: "a lot", kind: .spend(points: 1_000_000, per: 1, rounding: .up, scope: .order)),
                            EarningRule(name: "× 100", kind: .multiplier(factor: 100))])
        var counters: [String: Int] = [:]
        let credited = most.effects(of: order([OrderLine(sku: "A", quantity: 1, unitPrice: Limits.amount)]), history: MemberHistory(), counters: &counters).credited
        #expect(credited > Limits.points)
    }

    @Test func moneyHasTheDigitsOfItsCurrency() throws {
        #expect(Money(4_790, "EUR").description == "47.90 EUR")
        #expect(Money(1_250_000, "VND").description == "1250000 VND" && Money(1_250, "JPY").description == "1250 JPY")
        #expect(Money(12_345, "KWD").description == "12.345 KWD" && Money(-5, "BHD").description == "-0.005 BHD")
        #expect(Money(12_345, "KWD").wholeUnits == 12 && Money.unit("OMR") == 1_000 && Money.unit("CLF") == 10_000)
        #expect(ISO4217.isCurrency("TND") && !ISO4217.isCurrency("ABC") && !ISO4217.isCurrency("XAU"))
        // "1 point per whole unit" by default: per 1,000 fils in Kuwait, per dong in Vietnam.
        for (currency, per) in [("KWD", 1_000), ("VND", 1), ("EUR", 100)] {
            let document = #"{"name": "p", "currency": "\#(currency)", "time_zone": "UTC", "expiry": {"policy": "never"},"# +
                #""earning": {"rules": [{"name": "1 per unit", "type": "spend", "points": 1}]}}"#
            let program = try Program.parse(Data(document.utf8))
            #expect(program.earning.rules[0].kind == .spend(points: 1, per: per, rounding: .down, scope: .order), "\(currency)")
        }
        #expect(throws: ProgramProblems.self) { try Program.parse(Data(#"{"name": "p", "currency": "ABC", "time_zone": "UTC", "expiry": {"policy": "never"}, "earning": {"rules": []}}"#.utf8)) }
    }

    @Test func pointsCanExpireAfterDays() throws {
        let document = #"{"name": "p", "currency": "EUR", "time_zone": "Europe/Berlin", "expiry": {"policy": "after_days", "days": 30}, "earning": {"rules": []}}"#
        let program = try Program.parse(Data(document.utf8))
        // Earned on 25 November (Berlin): gone at the midnight that ends 25 December there.
        #expect(program.expiryDate(earnedAt: at) == Timestamp.parse("2026-12-25T23:00:00Z"))
    }
}

/// A small seeded generator (SplitMix64), so a property test is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
}
