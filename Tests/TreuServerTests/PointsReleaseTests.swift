import Foundation
import GRDB
import Logging
import Testing
import TreuCore
import TreuStore
import TreuTestSupport
@testable import TreuServer

@Suite("Release, expiry and verification")
struct PointsReleaseTests {
    let day0 = Date(timeIntervalSince1970: 1_790_000_000)
    func day(_ n: Double) -> Date { day0.addingTimeInterval(n * 86_400) }

    @Test(arguments: TestStores.available)
    func pendingPointsAndExpiriesHappenAtTheirMomentOnce(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember()
            try await store.enrol(member)
            let day = self.day
            try await store.changePoints(of: member.id, loadingLotsOf: nil) { ledger in
                try ledger.credit(100, at: day(0), availableAt: day(14), expiresAt: day(100), source: "order-1", cause: Cause())
            }
            let clock = PointsRelease(store: store, clock: .fixed(day0), logger: Logger(label: "test"))
            // One millisecond early: nothing.
            #expect(try await clock.runOnce(at: day(14).addingTimeInterval(-0.001)) == 0)
            #expect(try await store.points(of: member.id, loadingLotsOf: nil).balance.pending == 100)
            // At the moment, two servers at once: released once.
            async let first = clock.runOnce(at: day(14))
            async let second = clock.runOnce(at: day(14))
            #expect(try await first + second == 1)
            #expect(try await store.points(of: member.id, loadingLotsOf: nil).balance.available == 100)
            #expect(try await clock.runOnce(at: day(99)) == 0)
            #expect(try await clock.runOnce(at: day(100)) == 1)
            let after = try await store.points(of: member.id, loadingLotsOf: nil)
            #expect(after.balance.available == 0 && after.balance.lifetimeExpired == 100)
            #expect(try await clock.runOnce(at: day(200)) == 0)
            let entries = try await store.ledgerEntries(of: member.id, after: 0, limit: 10)
            #expect(entries.map(\.kind) == [.credit, .release, .expiry])
            #expect(entries.map(\.at) == [day(0), day(14), day(100)])
            #expect(try await PointsVerification.run(store).differences.isEmpty)
        }
    }

    /// Three servers' clocks at once over 600 members due (more than one transaction's 500):
    /// each member's points are released exactly once, by whichever got to it first.
    @Test(arguments: TestStores.available)
    func severalClocksShareTheWorkAndDoEachReleaseOnce(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let members = try (0..<600).map { try sampleMember(emails: ["m\($0)@example.com"]) }
            try await store.importMembers(members, progress: nil)
            let day = self.day
            for member in members {
                try await store.changePoints(of: member.id, loadingLotsOf: nil) { ledger in
                    try ledger.credit(10, at: day(0), availableAt: day(14), expiresAt: nil, source: "order-\(member.id)", cause: Cause())
                }
            }
            let clock = PointsRelease(store: store, clock: .fixed(day0), logger: Logger(label: "test"))
            async let a = clock.runOnce(at: day(14))
            async let b = clock.runOnce(at: day(14))
            async let c = clock.runOnce(at: day(14))
            #expect(try await a + b + c == 600)
            #expect(try await clock.runOnce(at: day(15)) == 0)
            for member in members.prefix(20) {
                #expect(try await store.ledgerEntries(of: member.id, after: 0, limit: 10).map(\.kind) == [.credit, .release])
            }
            #expect(try await PointsVerification.run(store).differences.isEmpty)
        }
    }

    @Test func verificationFindsATamperedLot() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("verify-\(UUID()).sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.migrate(to: nil)
        let member = try sampleMember()
        try await store.enrol(member)
        let day = self.day
        try await store.changePoints(of: member.id, loadingLotsOf: nil) { ledger in
            try ledger.credit(100, at: day(0), expiresAt: nil, source: "order-1", cause: Cause())
        }
        #expect(try await PointsVerification.run(store).differences.isEmpty)
        // Someone edits the database by hand: 100 points become 500.
        let tamper = try DatabaseQueue(path: path)
        try await tamper.write { db in try db.execute(sql: "UPDATE lots SET remaining = 500") }
        let (checked, differences) = try await PointsVerification.run(store)
        #expect(checked == 1)
        #expect(differences.map(\.detail).contains("lot 1: entries say 100, the lot says 500"))
        try await store.close()
    }
}
