import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// What the reports read, alike on every engine, with numbers a person can check.
@Suite("Store conformance: figures")
struct FigureConformanceTests {
    let day0 = Date(timeIntervalSince1970: 1_790_000_000)
    func day(_ n: Double) -> Date { day0.addingTimeInterval(n * 86_400) }

    @Test(arguments: TestStores.available)
    func theFiguresReportsReadAddUp(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let (ana, ben) = try await ShopFixture.shop(store, day: day)
            // Orders and returns in reference order, pages after a reference.
            let purchases = try await store.purchases(after: nil, limit: 10)
            #expect(purchases.map(\.reference) == ["A-1", "A-1-R", "B-1"] && purchases.map(\.kind) == ["order", "return", "order"])
            #expect(purchases[0].amount == 10_000 && purchases[0].member == ana && purchases[1].payload == #"{"r":"A-1-R"}"#)
            #expect(try await store.purchases(after: "A-1-R", limit: 10).map(\.reference) == ["B-1"])
            // One member's, in time order.
            #expect(try await store.purchases(of: [ana]).map(\.reference) == ["A-1", "A-1-R"])
            #expect(try await store.purchases(of: [ben]).map(\.occurredAt) == [day(2)])
            #expect(try await store.payloads(of: ["B-1", "nope"]) == ["B-1": #"{"o":"B-1"}"#])
            // Points earned: ana's credit of 100 and reversal of 40, ben's 50.
            let earned = try await store.pointsEarned(after: nil, limit: 10)
            #expect(earned.filter { $0.member == ana }.map(\.points) == [100, -40] && earned.filter { $0.member == ben }.map(\.points) == [50])
            #expect(try await store.pointsEarned(after: earned[0].position, limit: 10).count == 2)
            // The ledger's totals before day 3: both credits; before day 4 the reversal too.
            let credited = try await store.ledgerTotals(before: day(3)).filter { $0.kind == EntryKind.credit.rawValue }
            #expect(credited.reduce(0) { $0 + $1.points } == 150 && credited.reduce(0) { $0 + $1.entries } == 2)
            #expect(try await store.ledgerTotals(before: day(4)).filter { $0.kind == EntryKind.reversal.rawValue }.map(\.points) == [-40])
            // Two members enrolled on day 0.
            let enrolled = try await store.enrolments(before: day(1))
            #expect(enrolled.reduce(0) { $0 + $1.members } == 2 && enrolled.allSatisfy { $0.start <= day(0) })
            #expect(try await store.enrolments(before: day(-1)).isEmpty)
        }
    }
}
