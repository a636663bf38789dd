import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// Events read back, alike on every engine (recording them: the points suite).
@Suite("Store conformance: events")
struct EventConformanceTests {
    let day0 = Date(timeIntervalSince1970: 1_790_000_000)
    func day(_ n: Double) -> Date { day0.addingTimeInterval(n * 86_400) }

    @Test(arguments: TestStores.available)
    func eventsAreReadBackByReferenceAndInPages(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let (ana, ben) = try await ShopFixture.shop(store, day: day)
            let order = try #require(try await store.event(reference: "A-1"))
            #expect(order.reference == "A-1" && order.kind == "order" && order.member == ana && order.payload == #"{"o":"A-1"}"#)
            #expect(try await store.event(reference: "A-1-R")?.member == ana)
            #expect(try await store.event(reference: "nope") == nil)
            // In reference order, after a reference, at most `limit`.
            #expect(try await store.events(after: nil, limit: 2).map(\.reference) == ["A-1", "A-1-R"])
            #expect(try await store.events(after: "A-1-R", limit: 10).map(\.reference) == ["B-1"])
            #expect(try await store.events(after: "B-1", limit: 10).isEmpty)
            let second = try await store.event(reference: "B-1")
            #expect(second?.member == ben)
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
}
