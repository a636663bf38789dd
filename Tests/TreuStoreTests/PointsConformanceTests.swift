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
            let moved = try await store.replaceCounters(read.map { ($0.member, $0.counters, $0.counters.merging(["tier": 1]) { $1 }) }, notices: [:])
            #expect(moved == [ben.id])
            let now = Dictionary(uniqueKeysWithValues: try await store.counters(after: nil, limit: 10).map { ($0.member, $0.counters) })
            #expect(now[ana.id] == ["q:spend:2026": 60_000, "tier": 1])
            // Only ana has a recorded level (the tier service's list of members to look at).
            #expect(try await store.members(withCounter: "tier", after: nil, limit: 10) == [ana.id])
            #expect(try await store.members(withCounter: "tier", after: ana.id, limit: 10).isEmpty)
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

    /// Day 15 releases ana's and ben's points (pending 14 days); day 400 expires what is left.
    @Test(arguments: TestStores.available)
    func duePointsAreReleasedAndExpiredOnceAndAccountsListed(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let (ana, ben) = try await ShopFixture.shop(store, day: day)
            let (day10, day17, day400) = (day(10), day(17), day(400))
            #expect(try await store.changeDuePoints(at: day10, limit: 10) { $0.releasePending(at: day10).count } == (0, 0))
            let release = try await store.changeDuePoints(at: day17, limit: 10) { $0.releasePending(at: day17).count }
            #expect(release == (2, 2))
            #expect(try await store.changeDuePoints(at: day17, limit: 10) { $0.releasePending(at: day17).count } == (0, 0))
            let accounts = try await store.pointAccounts(after: nil, limit: 10)
            #expect(Set(accounts.map(\.member)) == [ana, ben])
            let anas = try #require(accounts.first { $0.member == ana })
            #expect(anas.available == 60 && anas.pending == 0)
            #expect(try await store.pointAccounts(after: accounts[0].member, limit: 10).count == 1)
            let expiry = try await store.changeDuePoints(at: day400, limit: 10) { $0.expire(at: day400).count }
            #expect(expiry == (2, 2))
            #expect(try await store.points(of: ana, loadingLotsOf: nil).balance.available == 0)
        }
    }

    /// Two members sending each other points at once, ten times each way: both locked in one
    /// order, so nothing deadlocks, and each ends with the 100 points they began with.
    @Test(arguments: TestStores.available)
    func twoMembersChangeTogetherWhicheverWayRound(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try sampleMember(), ben = try sampleMember(name: "Ben", emails: ["ben@example.com"])
            try await store.enrol(ana)
            try await store.enrol(ben)
            let start = day(0)
            for id in [ana.id, ben.id] {
                try await store.changePoints(of: id, loadingLotsOf: nil) { ledger in
                    _ = try ledger.credit(100, at: start, expiresAt: nil, source: nil, cause: Cause(reason: "start"), kind: .adjustment)
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    let (from, to) = i % 2 == 0 ? (ana.id, ben.id) : (ben.id, ana.id)
                    group.addTask {
                        _ = try await store.changePoints(of: from, and: to) { sender, receiver in
                            try sender.transfer(5, to: &receiver, at: start, cause: Cause(reason: "back and forth"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.points(of: ana.id, loadingLotsOf: nil).balance.available == 100)
            #expect(try await store.points(of: ben.id, loadingLotsOf: nil).balance.available == 100)
            // Each transfer wrote one entry on each side: 1 + 20 each.
            #expect(try await store.ledgerEntries(of: ana.id, after: 0, limit: 100).count == 21)
        }
    }
}
