import Foundation
import Testing
import TreuCore

@Suite("The ledger, by hand")
struct LedgerTests {
    let day0 = Date(timeIntervalSince1970: 1_790_000_000)
    func day(_ n: Double) -> Date { day0.addingTimeInterval(n * 86_400) }

    @Test func spendingTakesTheFirstExpiringLotFirst() throws {
        var ledger = MemberLedger()
        try ledger.credit(100, at: day(0), expiresAt: day(120), source: "order-1", cause: Cause(event: "order-1"))
        try ledger.credit(50, at: day(1), expiresAt: day(60), source: "order-2", cause: Cause(event: "order-2"))
        try ledger.credit(30, at: day(2), expiresAt: nil, source: "review", cause: Cause(rule: "review"))
        let debit = try ledger.debit(70, at: day(3), cause: Cause(event: "redemption-1"))
        #expect(debit.lots == [LotChange(lot: 2, change: -50), LotChange(lot: 1, change: -20)])
        #expect(ledger.lots.map(\.remaining) == [80, 0, 30])
        #expect(ledger.changedLots.map(\.id) == [1, 2, 3])
        let loaded = MemberLedger(lots: ledger.lots, debt: 0, totals: ledger.totals, reversed: [:], nextLotID: 4, nextSequence: 5)
        var changed = loaded
        try changed.debit(10, at: day(5), cause: Cause())
        #expect(changed.changedLots.map(\.id) == [1])   // only the lot the debit touched goes back to storage
        #expect(ledger.balance.available == 110)
        #expect(ledger.balance.lifetimeEarned == 180 && ledger.balance.lifetimeSpent == 70)
        #expect(throws: LedgerError.insufficientPoints(available: 110, requested: 111)) {
            try ledger.debit(111, at: day(4), cause: Cause())
        }
        #expect(ledger.verify().isEmpty)
    }

    @Test func pendingPointsWaitForTheirDate() throws {
        var ledger = MemberLedger()
        try ledger.credit(100, at: day(0), availableAt: day(14), expiresAt: day(365), source: "order-1", cause: Cause())
        #expect(ledger.balance.pending == 100 && ledger.balance.available == 0)
        #expect(throws: LedgerError.self) { try ledger.debit(10, at: day(1), cause: Cause()) }
        #expect(ledger.releasePending(at: day(14).addingTimeInterval(-1)).isEmpty)
        let released = ledger.releasePending(at: day(14))
        #expect(released.map(\.kind) == [.release] && released.first?.at == day(14))
        #expect(ledger.balance.pending == 0 && ledger.balance.available == 100)
        #expect(ledger.releasePending(at: day(30)).isEmpty)
    }

    @Test func lotsExpireOnTheirDateOnce() throws {
        var ledger = MemberLedger()
        try ledger.credit(100, at: day(0), expiresAt: day(90), source: "order-1", cause: Cause())
        try ledger.credit(40, at: day(10), expiresAt: day(100), source: "order-2", cause: Cause())
        try ledger.debit(30, at: day(20), cause: Cause())
        #expect(ledger.expire(at: day(90).addingTimeInterval(-1)).isEmpty)
        let expired = ledger.expire(at: day(95))
        #expect(expired.map(\.points) == [-70])
        #expect(expired.first?.at == day(90))
        #expect(ledger.expire(at: day(95)).isEmpty)
        #expect(ledger.balance.available == 40 && ledger.balance.lifetimeExpired == 70)
        #expect(ledger.upcomingExpiries(timeZone: TimeZone(identifier: "UTC")!).map(\.points) == [40])
        #expect(ledger.verify().isEmpty)
    }

    @Test(arguments: [ReversalPolicy.clawBack, .negativeBalance])
    func aReturnTakesBackWhatItsOrderEarned(policy: ReversalPolicy) throws {
        var ledger = MemberLedger()
        try ledger.credit(100, at: day(0), expiresAt: day(365), source: "order-A", cause: Cause(event: "order-A"))
        try ledger.credit(40, at: day(1), expiresAt: day(400), source: "order-B", cause: Cause(event: "order-B"))
        try ledger.debit(90, at: day(2), cause: Cause())          // 90 from A's lot (expires first): A has 10 left
        // Half of order A comes back: 50 points. 10 come from A's lot; 40 were spent.
        let reversal = try ledger.reverse(50, earnedBy: "order-A", at: day(3), policy: policy, cause: Cause(event: "return-1"))
        #expect(reversal.points == -50)
        switch policy {
        case .clawBack:
            // The 40 come from B's lot: nothing left, no debt.
            #expect(ledger.lots.map(\.remaining) == [0, 0])
            #expect(ledger.debt == 0 && ledger.balance.available == 0)
        case .negativeBalance:
            // B's lot stays; the member owes 40: available 40 − 40 = 0 too, but the debt is open.
            #expect(ledger.lots.map(\.remaining) == [0, 40])
            #expect(ledger.debt == 40 && ledger.balance.available == 0)
        }
        // The other half comes back too: never more than the order earned (100).
        try ledger.reverse(80, earnedBy: "order-A", at: day(4), policy: policy, cause: Cause(event: "return-2"))
        #expect(ledger.reversedSoFar("order-A") == 100)
        #expect(throws: LedgerError.self) {
            try ledger.reverse(1, earnedBy: "order-A", at: day(5), policy: policy, cause: Cause(event: "return-3"))
        }
        #expect(ledger.balance.lifetimeReversed == 100)
        #expect(ledger.verify().isEmpty)
    }

    @Test func aDebtIsSettledByTheNextCredit() throws {
        var ledger = MemberLedger()
        try ledger.credit(100, at: day(0), expiresAt: nil, source: "order-A", cause: Cause())
        try ledger.debit(100, at: day(1), cause: Cause())
        try ledger.reverse(100, earnedBy: "order-A", at: day(2), policy: .negativeBalance, cause: Cause())
        #expect(ledger.balance.available == -100)
        let credit = try ledger.credit(130, at: day(3), expiresAt: nil, source: "order-B", cause: Cause())
        #expect(credit.points == 130 && credit.debtChange == -100 && credit.lots == [LotChange(lot: 2, change: 30)])
        #expect(ledger.debt == 0 && ledger.balance.available == 30)
        #expect(ledger.balance.lifetimeEarned == 230)
        #expect(ledger.verify().isEmpty)
    }
}

@Suite("The ledger, on random histories")
struct LedgerPropertyTests {
    /// SplitMix64: the same seed gives the same history, so a failure can be replayed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// What storage does between two events: keep the ledger's figures and its open lots, archive
    /// the rest, and load back the archived lots of an order that is being returned.
    struct Storage {
        var archived: [[Int: Lot]] = [[:], [:]]
        var entries: [[LedgerEntry]] = [[], []]

        mutating func reload(_ ledger: MemberLedger, member m: Int, loading source: String?) -> MemberLedger {
            entries[m] += ledger.entries
            for lot in ledger.lots { archived[m][lot.id] = lot }
            let lots = archived[m].values.filter { $0.isOpen || ($0.source != nil && $0.source == source) }.sorted { $0.id < $1.id }
            return MemberLedger(lots: lots, debt: ledger.debt, totals: ledger.totals, reversed: ledger.reversed,
                                nextLotID: ledger.nextLotID, nextSequence: ledger.nextSequence)
        }
    }

    @Test(arguments: 0..<200)
    func entriesAlwaysExplainTheBalanceAndNoLotGoesNegative(seed: Int) throws {
        var random = Seeded(state: UInt64(seed))
        var ledgers = [MemberLedger(), MemberLedger()]
        var storage = Storage()
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        var now = start
        var orders: [(member: Int, reference: String)] = []
        for step in 0..<120 {
            now = now.addingTimeInterval(Double(Int.random(in: 0...5, using: &random)) * 86_400)
            let m = Int.random(in: 0...1, using: &random)
            var before = ledgers
            do {
                switch Int.random(in: 0..<7, using: &random) {
                case 0, 1:
                    let reference = "order-\(step)"
                    let pending = Bool.random(using: &random) ? now.addingTimeInterval(14 * 86_400) : nil
                    let expires = Bool.random(using: &random) ? now.addingTimeInterval(Double(Int.random(in: 1...400, using: &random)) * 86_400) : nil
                    try ledgers[m].credit(Int.random(in: 1...500, using: &random), at: now, availableAt: pending, expiresAt: expires,
                                          source: reference, cause: Cause(event: reference))
                    orders.append((m, reference))
                case 2:
                    try ledgers[m].debit(Int.random(in: 1...300, using: &random), at: now, cause: Cause(event: "redeem-\(step)"))
                case 3:
                    if let order = orders.randomElement(using: &random) {
                        ledgers[order.member] = storage.reload(ledgers[order.member], member: order.member, loading: order.reference)
                        before = ledgers  // a trip through storage is not a change
                        let policy: ReversalPolicy = Bool.random(using: &random) ? .clawBack : .negativeBalance
                        try ledgers[order.member].reverse(Int.random(in: 1...300, using: &random), earnedBy: order.reference, at: now,
                                                          policy: policy, cause: Cause(event: "return-\(step)"))
                    }
                case 4:
                    // A transfer: both sides or neither.
                    let points = Int.random(in: 1...200, using: &random)
                    try ledgers[m].debit(points, at: now, cause: Cause(event: "transfer-\(step)"), kind: .transferOut)
                    try ledgers[1 - m].credit(points, at: now, expiresAt: nil, source: "transfer-\(step)", cause: Cause(event: "transfer-\(step)"), kind: .transferIn)
                default:
                    for i in ledgers.indices {
                        ledgers[i].releasePending(at: now)
                        ledgers[i].expire(at: now)
                    }
                }
            } catch {  // every change here throws only LedgerError
                // A refused change changes nothing.
                #expect(ledgers == before, "step \(step): \(error) changed the ledger")
            }
            // Every few events the ledgers go to storage and come back with their open lots only.
            if step % 7 == 6 {
                for m in ledgers.indices { ledgers[m] = storage.reload(ledgers[m], member: m, loading: nil) }
            }
            for (m, ledger) in ledgers.enumerated() {
                let all = storage.entries[m] + ledger.entries
                var lots = storage.archived[m]
                for lot in ledger.lots { lots[lot.id] = lot }
                let differences = MemberLedger.verify(entries: all, lots: lots.values.sorted { $0.id < $1.id }, debt: ledger.debt, totals: ledger.totals)
                #expect(differences.isEmpty, "seed \(seed) step \(step): \(differences)")
                #expect(ledger.lots.allSatisfy { $0.remaining >= 0 })
                let b = ledger.balance
                #expect(b.available + b.pending == all.reduce(0) { $0 + $1.points })
                #expect(b.lifetimeEarned - b.lifetimeSpent - b.lifetimeExpired - b.lifetimeReversed == b.available + b.pending)
            }
        }
        for m in ledgers.indices { ledgers[m] = storage.reload(ledgers[m], member: m, loading: nil) }
        // Points are neither made nor lost by transfers: what left one member arrived at the other.
        let out = storage.entries.joined().filter { $0.kind == .transferOut }.reduce(0) { $0 - $1.points }
        let into = storage.entries.joined().filter { $0.kind == .transferIn }.reduce(0) { $0 + $1.points }
        #expect(out == into)
    }
}

@Suite("Transfers and donations")
struct TransferTests {
    let day = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z
    func at(_ days: Int) -> Date { day.addingTimeInterval(Double(days) * 86_400) }

    @Test func pointsMoveWithTheirExpiryDatesAndNeverLiveLonger() throws {
        var ana = MemberLedger(), ben = MemberLedger()
        try ana.credit(30, at: at(0), expiresAt: at(100), source: "A-1", cause: Cause(event: "A-1"))
        try ana.credit(50, at: at(1), expiresAt: at(200), source: "A-2", cause: Cause(event: "A-2"))
        try ana.credit(20, at: at(2), expiresAt: nil, source: nil, cause: Cause(actor: "support"), kind: .adjustment)
        // 90 of 100: the 30 expiring on day 100, the 50 on day 200, then 10 that never expire.
        let made = try ana.transfer(90, to: &ben, at: at(3), cause: Cause(event: "T-1"))
        #expect(made.out.points == -90 && made.out.kind == .transferOut)
        #expect(made.in.map(\.points) == [30, 50, 10])
        #expect(ben.lots.map(\.expiresAt) == [at(100), at(200), nil])
        #expect(ana.balance.available == 10 && ben.balance.available == 90)
        #expect(ana.totals.spent == 90 && ben.totals.earned == 90)
        // Ben's first 30 expire on day 100, as they would have for Ana.
        ben.expire(at: at(100))
        #expect(ben.balance.available == 60)
    }

    @Test func aTransferBeyondTheBalanceChangesNeitherSide() throws {
        var ana = MemberLedger(), ben = MemberLedger()
        try ana.credit(40, at: at(0), expiresAt: nil, source: nil, cause: Cause())
        #expect(throws: LedgerError.insufficientPoints(available: 40, requested: 41)) {
            try ana.transfer(41, to: &ben, at: at(1), cause: Cause())
        }
        #expect(ana.entries.count == 1 && ben.entries.isEmpty && ana.balance.available == 40)
    }

    /// A cancelled redemption's points come back with the dates they had; what would have
    /// expired by now does not come back.
    @Test func aRefundGivesPointsBackWithTheirDatesButNotThoseAlreadyPast() throws {
        var ledger = MemberLedger()
        try ledger.credit(50, at: at(0), expiresAt: at(10), source: "o1", cause: Cause(event: "o1"))
        try ledger.credit(100, at: at(0), expiresAt: at(90), source: "o2", cause: Cause(event: "o2"))
        try ledger.credit(30, at: at(0), expiresAt: nil, source: "r", cause: Cause(rule: "review"))
        let debit = try ledger.debit(170, at: at(1), cause: Cause(event: "coupon:X"))
        let spent = debit.lots.map { change in (points: -change.change, expiresAt: ledger.lots.first { $0.id == change.lot }!.expiresAt) }
        #expect(spent.map(\.points) == [50, 100, 20])
        // Cancelled on day 12: the 50 of day 10 are gone, the rest come back in two lots.
        let refunds = ledger.refund(spent, at: at(12), cause: Cause(event: "coupon:X", reason: "redemption cancelled"))
        #expect(refunds.map(\.points) == [100, 20] && refunds.allSatisfy { $0.kind == .refund })
        #expect(ledger.lots.suffix(2).map(\.expiresAt) == [at(90), nil])
        #expect(ledger.balance.available == 130 && ledger.balance.lifetimeSpent == 50)
        #expect(ledger.verify().isEmpty)
    }

    @Test func aDonationIsSpentAndNamed() throws {
        var ana = MemberLedger()
        try ana.credit(40, at: at(0), expiresAt: nil, source: nil, cause: Cause())
        let entry = try ana.donate(25, to: "Trees for Hanoi", at: at(1), actor: "web shop")
        #expect(entry.kind == .donation && entry.points == -25 && entry.cause.reason == "donation to Trees for Hanoi")
        #expect(ana.balance.available == 15 && ana.totals.spent == 25)
    }
}
