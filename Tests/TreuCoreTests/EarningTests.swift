import Foundation
import Testing
import TreuCore

@Suite("Orders, returns and the standard program, by hand")
struct EarningTests {
    let monday = Date(timeIntervalSince1970: 1_790_000_000)

    var order: Order {
        // A shirt €29.90 and two pairs of socks €9.00 each with €1.00 off the line; a €5.00 coupon;
        // shipping €4.90. Net: 29.90 + 17.00 − 5.00 = €41.90.
        Order(reference: "A-1001", at: monday, channel: "web", currency: "EUR", lines: [
            OrderLine(sku: "SHIRT", category: "tops", quantity: 1, unitPrice: 2_990),
            OrderLine(sku: "SOCKS", category: "basics", quantity: 2, unitPrice: 900, discount: 100),
        ], orderDiscount: 500, shipping: 490)
    }

    @Test func anOrderEarnsOnePointPerWholeEuroOfItsNet() {
        var counters: [String: Int] = [:] // the standard program has no punch cards or caps
        #expect(order.netOfDiscounts == Money(4_190, "EUR"))
        #expect(order.total.description == "46.80 EUR")
        #expect(order.problems().isEmpty)
        let effects = Program.standard.effects(of: order, history: MemberHistory(), counters: &counters)
        // Monday 2026-09-21T14:13:20Z: pending through the 14 days after that day, released at the
        // midnight that starts 6 October (UTC); expiring at the end of September 2027.
        #expect(effects == [.credit(points: 41, rule: "1 point per whole unit spent", availableAt: Timestamp.parse("2026-10-06")!,
                                    expiresAt: Timestamp.parse("2027-10-01")!)])
    }

    @Test func spendCountsInTheProgramsCurrencyOnly() {
        var counters: [String: Int] = [:] // the standard program has no punch cards or caps
        let pho = Order(reference: "V-1", at: monday, currency: "VND", lines: [OrderLine(sku: "PHO", quantity: 2, unitPrice: 45_000)])
        #expect(pho.netOfDiscounts.description == "90000 VND")
        #expect(Program.standard.effects(of: pho, history: MemberHistory(), counters: &counters).isEmpty)
        var vietnam = Program.standard
        vietnam.currency = "VND"
        vietnam.earning.rules = [EarningRule(name: "1 point per 1,000 đồng", kind: .spend(points: 1, per: 1_000, rounding: .down, scope: .order))]
        #expect(vietnam.effects(of: pho, history: MemberHistory(), counters: &counters).map { if case let .credit(points, _, _, _) = $0 { points } else { 0 } } == [90])
    }

    @Test func aPartialReturnTakesBackItsShare() throws {
        // The shirt comes back: lines net 29.90 of 46.90; with the coupon shared, 29.90 × 41.90 / 46.90 = €26.71 of €41.90.
        let ret = Return(reference: "R-1", orderReference: "A-1001", at: monday, lines: [.init(sku: "SHIRT", quantity: 1)])
        #expect(try ret.returnedNet(of: order) == (returned: 2_671, of: 4_190))
        // 41 points × 2671 / 4190 = 26.1 → 26 points back.
        let effects = try ret.pointsTakenBack(from: order, earlier: [], earned: 41, reversedSoFar: 0)
        #expect(effects == [.reverse(points: 26, earnedBy: "A-1001")])
        // Then the socks: with the shirt, everything is back, so all 41 are: 15 more (not the 14 that
        // the socks' own share, 14.85, would round down to).
        let rest = Return(reference: "R-2", orderReference: "A-1001", at: monday, lines: [.init(sku: "SOCKS", quantity: 2)])
        #expect(try rest.pointsTakenBack(from: order, earlier: [ret], earned: 41, reversedSoFar: 26) == [.reverse(points: 15, earnedBy: "A-1001")])
        // Nothing is left to come back, and the same socks cannot come back twice.
        let whole = Return(reference: "R-3", orderReference: "A-1001", at: monday)
        #expect(try whole.pointsTakenBack(from: order, earlier: [ret, rest], earned: 41, reversedSoFar: 41) == [])
        #expect(throws: ValidationError.self) {
            try rest.pointsTakenBack(from: order, earlier: [ret, rest], earned: 41, reversedSoFar: 41)
        }
    }

    @Test func badReturnsAndOrdersAreRefused() {
        let tooMany = Return(reference: "R-9", orderReference: "A-1001", at: monday, lines: [.init(sku: "SOCKS", quantity: 3)])
        #expect(throws: ValidationError.self) { try tooMany.returnedNet(of: order) }
        let unknown = Return(reference: "R-9", orderReference: "A-1001", at: monday, lines: [.init(sku: "HAT", quantity: 1)])
        #expect(throws: ValidationError.self) { try unknown.returnedNet(of: order) }
        let bad = Order(reference: "", at: monday, currency: "eur", lines: [OrderLine(sku: "X", quantity: 0, unitPrice: 100)])
        #expect(bad.problems().map(\.code) == ["invalid_reference", "invalid_currency", "invalid_line"])
    }

    @Test func effectsApplyToTheLedgerWholeOrNotAtAll() throws {
        var counters: [String: Int] = [:] // the standard program has no punch cards or caps
        var ledger = MemberLedger()
        try ledger.apply(Program.standard.effects(of: order, history: MemberHistory(), counters: &counters), event: order.reference, at: monday, policy: .clawBack)
        #expect(ledger.balance.pending == 41 && ledger.balance.available == 0)
        let ret = Return(reference: "R-1", orderReference: "A-1001", at: monday, lines: [.init(sku: "SHIRT", quantity: 1)])
        let effects = try ret.pointsTakenBack(from: order, earlier: [], earned: 41, reversedSoFar: ledger.reversedSoFar("A-1001"))
        let entries = try ledger.apply(effects, event: ret.reference, at: monday.addingTimeInterval(86_400), policy: .clawBack)
        #expect(entries.map(\.points) == [-26])
        #expect(entries.first?.cause.event == "R-1" && entries.first?.reverses == "A-1001")
        #expect(ledger.balance.pending == 15)
        // A list whose second effect fails leaves the ledger as it was.
        let before = ledger
        #expect(throws: LedgerError.self) {
            try ledger.apply([.credit(points: 5, rule: "x", availableAt: monday, expiresAt: nil), .reverse(points: 1, earnedBy: "nothing")],
                             event: "E-2", at: monday, policy: .clawBack)
        }
        #expect(ledger == before)
    }
}
