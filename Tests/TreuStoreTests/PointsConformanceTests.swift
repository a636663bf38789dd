import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// Points kept by the store behave as the pure ledger says, on every engine, under concurrency.
@Suite("Store conformance: points")
struct PointsConformanceTests {
    let day0 = Date(timeIntervalSince1970: 1_790_000_000)
    func day(_ n: Double) -> Date { day0.addingTimeInterval(n * 86_400) }

    /// Donations to causes members name are summed by cause; a reward's donation (its
    /// redemption names the event) is counted with its reward, not here.
    @Test(arguments: TestStores.available)
    func namedDonationsAreSummedByCause(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let (ana, ben) = (try sampleMember(), try sampleMember(emails: ["ben@example.com"]))
            try await store.enrol(ana)
            try await store.enrol(ben)
            let day = self.day
            for (member, gifts) in [(ana.id, [("Trees", 30), ("Trees", 20)]), (ben.id, [("Trees", 5), ("Bees", 7)])] {
                _ = try await store.changePoints(of: member, loadingLotsOf: nil) { ledger in
                    try ledger.credit(100, at: day(0), expiresAt: nil, source: nil, cause: Cause(reason: "x"), kind: .adjustment)
                    for (cause, points) in gifts { try ledger.donate(points, to: cause, at: day(1), actor: nil) }
                    try ledger.debit(10, at: day(1), cause: Cause(event: "coupon:ABC", reason: "donation to Trees"), kind: .donation)
                }
            }
            let totals = try await store.namedDonations()
            #expect(totals == ["donation to Trees": RewardTotal(coupons: 3, points: 55, members: 2),
                               "donation to Bees": RewardTotal(coupons: 1, points: 7, members: 1)])
        }
    }

    @Test(arguments: TestStores.available)
    func storedPointsReadBackAsTheLedgerLeftThem(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember()
            try await store.enrol(member)
            let day = self.day
            let expected = try await store.changePoints(of: member.id, loadingLotsOf: nil) { ledger in
                try ledger.credit(100, at: day(0), expiresAt: day(120), source: "order-1", cause: Cause(event: "order-1", rule: "base"))
                try ledger.credit(50, at: day(1), availableAt: day(15), expiresAt: day(60), source: "order-2", cause: Cause(event: "order-2"))
                try ledger.debit(30, at: day(2), cause: Cause(event: "redeem-1", actor: "checkout"))
                // Read back as written, whatever the characters.
                try ledger.credit(5, at: day(3), expiresAt: nil, source: nil,
                                  cause: Cause(actor: "Ngọc \"Service\"", reason: "a \\ back\tslash,\nnew line — ü ☕"), kind: .adjustment)
                return ledger
            }
            let read = try await store.points(of: member.id, loadingLotsOf: nil)
            #expect(read.balance == expected.balance)
            #expect(read.balance.available == 75 && read.balance.pending == 50)
            #expect(read.lots == expected.lots)
            let entries = try await store.ledgerEntries(of: member.id, after: 0, limit: 10)
            #expect(entries == expected.entries)
            #expect(entries.map(\.cause.actor) == [nil, nil, "checkout", "Ngọc \"Service\""])
            #expect(entries.last?.cause.reason == "a \\ back\tslash,\nnew line — ü ☕" && entries.last?.cause.rule == nil)
            #expect(try await store.ledgerEntries(of: member.id, after: 2, limit: 10).map(\.sequence) == [3, 4])
            #expect(MemberLedger.verify(entries: entries, lots: try await store.allLots(of: member.id), debt: read.debt, totals: read.totals).isEmpty)
        }
    }

    /// `treu tiers recompute` writes what it computed from counters read earlier only where they
    /// are still as read: an event's change in between is kept, and the member named.
    @Test(arguments: TestStores.available)
    func countersAreReplacedOnlyWhereTheyAreStillAsRead(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try sampleMember(), ben = try sampleMember(name: "Ben", emails: ["ben@example.com"])
            try await store.enrol(ana)
            try await store.enrol(ben)
            _ = try await store.changeCounters(of: [ana.id, ben.id]) { _, _ in ["q:spend:2026": 60_000] }
            let read = try await store.counters(after: nil, limit: 10)
            #expect(read.count == 2 && read.allSatisfy { $0.counters == ["q:spend:2026": 60_000] })
            // An order of ben's is counted after the read.
            _ = try await store.changeCounters(of: [ben.id]) { _, current in current.merging(["q:spend:2026": 70_000]) { $1 } }
            let moved = try await store.replaceCounters(read.map { ($0.member, $0.counters, $0.counters.merging(["tier": 1]) { $1 }) })
            #expect(moved == [ben.id])
            let now = Dictionary(uniqueKeysWithValues: try await store.counters(after: nil, limit: 10).map { ($0.member, $0.counters) })
            #expect(now[ana.id] == ["q:spend:2026": 60_000, "tier": 1])
            #expect(now[ben.id] == ["q:spend:2026": 70_000])
        }
    }

    @Test(arguments: TestStores.available)
    func aReturnFindsTheLotsOfItsOrderEvenWhenSpent(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember()
            try await store.enrol(member)
            let day = self.day
            try await store.changePoints(of: member.id, loadingLotsOf: nil) { ledger in
                try ledger.credit(100, at: day(0), expiresAt: nil, source: "order-A", cause: Cause(event: "order-A"))
                try ledger.debit(100, at: day(1), cause: Cause(event: "redeem-1"))
            }
            // Lot 1 is closed now, so only the return's own loading brings it back.
            #expect(try await store.points(of: member.id, loadingLotsOf: nil).lots.isEmpty)
            try await store.changePoints(of: member.id, loadingLotsOf: "order-A") { ledger in
                try ledger.reverse(60, earnedBy: "order-A", at: day(2), policy: .negativeBalance, cause: Cause(event: "return-1"))
            }
            let after = try await store.points(of: member.id, loadingLotsOf: "order-A")
            #expect(after.debt == 60 && after.balance.available == -60)
            #expect(after.reversedSoFar("order-A") == 60)
            // Only 40 are left to take back.
            try await store.changePoints(of: member.id, loadingLotsOf: "order-A") { ledger in
                try ledger.reverse(100, earnedBy: "order-A", at: day(3), policy: .negativeBalance, cause: Cause(event: "return-2"))
            }
            #expect(try await store.points(of: member.id, loadingLotsOf: nil).debt == 100)
        }
    }

    @Test(arguments: TestStores.available)
    func aRefusedChangeWritesNothing(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember()
            try await store.enrol(member)
            let day = self.day
            await #expect(throws: LedgerError.insufficientPoints(available: 10, requested: 11)) {
                try await store.changePoints(of: member.id, loadingLotsOf: nil) { ledger in
                    try ledger.credit(10, at: day(0), expiresAt: nil, source: "order-1", cause: Cause())
                    try ledger.debit(11, at: day(0), cause: Cause())
                }
            }
            #expect(try await store.points(of: member.id, loadingLotsOf: nil).balance.lifetimeEarned == 0)
            #expect(try await store.ledgerEntries(of: member.id, after: 0, limit: 10).isEmpty)
            await #expect(throws: StoreError.notFound) {
                try await store.changePoints(of: UUID(), loadingLotsOf: nil) { ledger in
                    try ledger.credit(10, at: day(0), expiresAt: nil, source: nil, cause: Cause())
                }
            }
        }
    }

    @Test(arguments: TestStores.available)
    func oneOrderSentSixteenTimesAtOnceIsRecordedOnce(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember()
            try await store.enrol(member)
            let day = self.day
            let draft = EventDraft(reference: "order-77", kind: "order", member: .id(member.id), fingerprint: "f-77", payload: "{}",
                                   occurredAt: day(0), amount: 5_000)
            let record: @Sendable () async throws -> [EventOutcome] = {
                try await store.recordEvents([draft], at: day(0), dryRun: false) { ledger, _ in
                    try ledger.credit(50, at: day(0), expiresAt: nil, source: "order-77", cause: Cause(event: "order-77"))
                    return EventAnswer(Data("credited 50".utf8))
                }
            }
            let outcomes = try await withThrowingTaskGroup(of: [EventOutcome].self) { group in
                for _ in 0..<16 { group.addTask { try await record() } }
                return try await group.reduce(into: [EventOutcome]()) { $0 += $1 }
            }
            var recorded = 0, replays = 0
            for outcome in outcomes {
                switch outcome {
                case .recorded(let answer): recorded += 1; #expect(String(decoding: answer, as: UTF8.self) == "credited 50")
                case .replay(let answer): replays += 1; #expect(String(decoding: answer, as: UTF8.self) == "credited 50")
                default: Issue.record("unexpected \(outcome)")
                }
            }
            #expect(recorded == 1 && replays == 15)
            // A batch naming the reference twice, and a new one: the new one recorded once, the others replays.
            let twice = EventDraft(reference: "order-78", kind: "order", member: .id(member.id), fingerprint: "f-78", payload: "{}",
                                   occurredAt: day(1), amount: 1_000)
            let batch = try await store.recordEvents([draft, twice, twice], at: day(1), dryRun: false) { ledger, context in
                try ledger.credit(10, at: day(1), expiresAt: nil, source: "order-78", cause: Cause(event: "order-78"))
                return EventAnswer(Data("credited 10 (\(context.index))".utf8))
            }
            #expect(batch.map { if case .recorded(let a) = $0 { "recorded \(String(decoding: a, as: UTF8.self))" }
                                else if case .replay(let a) = $0 { "replay \(String(decoding: a, as: UTF8.self))" } else { "other" } }
                    == ["replay credited 50", "recorded credited 10 (1)", "replay credited 10 (1)"])
            let points = try await store.points(of: member.id, loadingLotsOf: nil)
            #expect(points.balance.available == 60)
            #expect(try await store.ledgerEntries(of: member.id, after: 0, limit: 10).count == 2)
        }
    }

    @Test(arguments: TestStores.available)
    func sixtyFourConcurrentDebitsAgainstABalanceThatCoversTen(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember()
            try await store.enrol(member)
            let day = self.day
            try await store.changePoints(of: member.id, loadingLotsOf: nil) { ledger in
                try ledger.credit(100, at: day(0), expiresAt: nil, source: "order-1", cause: Cause())
            }
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<64 {
                    group.addTask {
                        do {
                            try await store.changePoints(of: member.id, loadingLotsOf: nil) { ledger in
                                try ledger.debit(10, at: day(1), cause: Cause(event: "redeem-\(i)"))
                            }
                            return true
                        } catch LedgerError.insufficientPoints {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 10)
            let after = try await store.points(of: member.id, loadingLotsOf: nil)
            #expect(after.balance.available == 0 && after.balance.lifetimeSpent == 100)
            let entries = try await store.ledgerEntries(of: member.id, after: 0, limit: 100)
            #expect(entries.count == 11)
            #expect(MemberLedger.verify(entries: entries, lots: try await store.allLots(of: member.id), debt: after.debt, totals: after.totals).isEmpty)
        }
    }
}
