import Foundation
import Synchronization
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// Referral codes and referrals, alike on every engine.
@Suite("Store conformance: referrals")
struct ReferralConformanceTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func order(_ reference: String, of member: UUID, _ store: any Store) async throws {
        let draft = EventDraft(reference: reference, kind: "order", member: .id(member), fingerprint: reference, payload: "{}",
                               occurredAt: now, amount: 4_000)
        _ = try await store.recordEvents([draft], at: now, dryRun: false) { _, _ in EventAnswer(Data("{}".utf8)) }
    }

    @Test(arguments: TestStores.available)
    func aMemberKeepsOneCodeAndATakenProposalIsReplaced(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try sampleMember(name: "Ana", emails: ["ana@example.com"]), ben = try sampleMember(name: "Ben", emails: ["ben@example.com"])
            try await store.enrol(ana)
            try await store.enrol(ben)
            #expect(try await store.referralCode(of: ana.id, at: now) { "ANACODE2" } == "ANACODE2")
            #expect(try await store.referralCode(of: ana.id, at: now) { "OTHER234" } == "ANACODE2")
            // Ben's first proposal is Ana's code: he gets the next one.
            let proposals = Mutex(["ANACODE2", "BENCODE3"])
            #expect(try await store.referralCode(of: ben.id, at: now) { proposals.withLock { $0.removeFirst() } } == "BENCODE3")
            #expect(try await store.member(referralCode: "ANACODE2") == ana.id)
            #expect(try await store.member(referralCode: "BENCODE3") == ben.id)
            #expect(try await store.member(referralCode: "NOBODY22") == nil)
            await #expect(throws: StoreError.notFound) { try await store.referralCode(of: UUID(), at: now) { "LOST2345" } }
        }
    }

    @Test(arguments: TestStores.available)
    func aReferralIsStoredWithTheFactsItWasDecidedOn(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try sampleMember(name: "Ana", emails: ["ana@example.com"]), ben = try sampleMember(name: "Ben", emails: ["ben@example.com"])
            try await store.enrol(ana)
            try await store.enrol(ben)
            _ = try await store.referralCode(of: ana.id, at: now) { "ANACODE2" }
            let seen = Mutex<[ReferralFacts]>([])
            let first = try await store.refer(id: UUID(), code: "ANACODE2", referred: ben.id, at: now) { facts in
                seen.withLock { $0.append(facts) }
                return nil
            }
            #expect(first.status == .pending && first.referrer == ana.id && first.referred == ben.id && first.reason == nil)
            // The second time Ben is already referred; the refusal is kept with its reason.
            let second = try await store.refer(id: UUID(), code: "ANACODE2", referred: ben.id, at: now.addingTimeInterval(1)) { facts in
                seen.withLock { $0.append(facts) }
                return facts.alreadyReferred ? .alreadyReferred : nil
            }
            #expect(second.status == .refused && second.reason == "already_referred")
            let facts = seen.withLock { $0 }
            #expect(facts.map(\.alreadyReferred) == [false, true] && facts.map(\.referrerUses.count) == [0, 1])
            #expect(facts.first?.referrer == ana && facts.first?.referred == ben && facts.first?.referredOrders == 0)
            #expect(try await store.referrals(by: ana.id) == [first, second])
            #expect(try await store.referral(of: ben.id) == first)
            #expect(try await store.referral(of: ana.id) == nil)
            #expect(try await store.referrals(after: nil, limit: 10).count == 2)
            await #expect(throws: StoreError.notFound) {
                try await store.refer(id: UUID(), code: "NOBODY22", referred: ben.id, at: now) { _ in nil }
            }
        }
    }

    @Test(arguments: TestStores.available)
    func concurrentReferralsWithOneCodeCountEachOther(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try sampleMember(name: "Ana", emails: ["ana@example.com"])
            try await store.enrol(ana)
            _ = try await store.referralCode(of: ana.id, at: now) { "ANACODE2" }
            var friends: [UUID] = []
            for i in 0..<20 {
                let friend = try sampleMember(name: "Friend \(i)", emails: ["friend\(i)@example.com"])
                try await store.enrol(friend)
                friends.append(friend.id)
            }
            // At most 5 friends: 20 at once make exactly 5 referrals and 15 refusals.
            let statuses = try await withThrowingTaskGroup(of: ReferralStatus.self) { group in
                for friend in friends {
                    group.addTask {
                        try await store.refer(id: UUID(), code: "ANACODE2", referred: friend, at: now) { facts in
                            facts.referrerUses.count >= 5 ? .limitReached : nil
                        }.status
                    }
                }
                return try await group.reduce(into: [ReferralStatus]()) { $0.append($1) }
            }
            #expect(statuses.count { $0 == .pending } == 5 && statuses.count { $0 == .refused } == 15)
        }
    }

    @Test(arguments: TestStores.available)
    func referralsToSettleAreThoseWithNewOrdersOrAnEndedWindow(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try sampleMember(name: "Ana", emails: ["ana@example.com"]), ben = try sampleMember(name: "Ben", emails: ["ben@example.com"])
            try await store.enrol(ana)
            try await store.enrol(ben)
            _ = try await store.referralCode(of: ana.id, at: now) { "ANACODE2" }
            let referral = try await store.refer(id: UUID(), code: "ANACODE2", referred: ben.id, at: now) { _ in nil }
            #expect(try await store.referralsToSettle(at: now, limit: 10).isEmpty)
            try await order("o-1", of: ben.id, store)
            let found = try await store.referralsToSettle(at: now, limit: 10)
            #expect(found.map(\.referral) == [referral] && found.map(\.ordersSeen) == [0])
            // Looked at, not qualifying: not found again until another order comes.
            #expect(try await store.updateReferral(referral, expected: .pending, ordersSeen: 1))
            #expect(try await store.referralsToSettle(at: now, limit: 10).isEmpty)
            try await order("o-2", of: ben.id, store)
            #expect(try await store.referralsToSettle(at: now, limit: 10).map(\.ordersSeen) == [1])
            // Qualified with a window ending in a day: found when it has ended.
            var qualified = referral
            qualified.status = .qualified
            qualified.order = "o-2"
            qualified.dueAt = now.addingTimeInterval(86_400)
            #expect(try await store.updateReferral(qualified, expected: .pending, ordersSeen: 2))
            #expect(try await !store.updateReferral(qualified, expected: .pending, ordersSeen: 2))
            #expect(try await store.referralsToSettle(at: now.addingTimeInterval(86_399), limit: 10).isEmpty)
            #expect(try await store.referralsToSettle(at: now.addingTimeInterval(86_400), limit: 10).map(\.referral) == [qualified])
            var rewarded = qualified
            rewarded.status = .rewarded
            rewarded.settledAt = now.addingTimeInterval(86_400)
            #expect(try await store.updateReferral(rewarded, expected: .qualified, ordersSeen: 2))
            #expect(try await store.referral(of: ben.id) == rewarded)
            #expect(try await store.referralsToSettle(at: now.addingTimeInterval(999_999), limit: 10).isEmpty)
        }
    }
}
