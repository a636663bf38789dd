import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport
@testable import TreuServer

/// Schema version 15 (members' compact keys) reverted and applied again on a shop with history
/// in every table that names a member: members and identities, events, ledger entries, lots,
/// accounts with counters, referral codes and referrals, coupons.
@Suite("Members' compact keys: the migration on a shop with data")
struct CompactKeyMigrationTests {
    static let start = Timestamp.parse("2026-03-01T10:00:00Z")!

    static let program: String = {
        let extra = #"""
            "referrals": {"referrer": {"points": 500}, "referred": {"points": 250}, "minimum_order": 2000},
            "tiers": {"metric": "spend", "window": "calendar_year", "levels": [{"name": "Gold", "threshold": 5000}]},
            "rewards": [{"id": "five-off", "type": "fixed_discount", "amount": 500, "cost": 40, "coupon_days": 30,
              "title": {"en": "€5 off", "de": "5 € Rabatt", "vi": "Giảm 5 €"}}],
            """#
        let document = Program.standardDocument.replacingOccurrences(of: #""name": "Treu standard program","#,
                                                                     with: #""name": "with everything", \#(extra)"#)
        return #"{"effective_from": "2026-03-01T10:00:00Z", "document": \#(document)}"#
    }()

    /// Ana's and a phone customer's history, as `OrderImportTests` has it.
    static var history: String { OrderImportTests.history }

    /// Every answer about the shop's members that reads the tables the migration rebuilds.
    func answers(_ api: API, _ members: [String]) async throws -> [String] {
        var answers: [String] = []
        for member in members {
            for path in ["", "/balance", "/ledger", "/coupons", "/referrals", "/tier"] {
                let answer = try await api.call(.get, "/v1/members/\(member)\(path)")
                answers.append("\(path) \(answer.status) \(answer.text)")
            }
        }
        // Every member, in pages (each one's whole answer is compared above). Their order is compared as a set: schema 14 kept no enrolment
        // order, so going down and up again orders members made in the same millisecond by id.
        var listed: [String] = [], cursor: String?
        repeat {
            let page = try await api.call(.get, "/v1/members?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            listed += (page.json["items"]?.array ?? []).compactMap { $0["id"]?.string }
            cursor = page.json["next_cursor"]?.string
        } while cursor != nil
        answers.append("list \(listed.sorted())")
        answers.append("lookup \(try await api.call(.get, "/v1/members/lookup?phone=%2B491701234567").text)")
        answers.append("program \(try await api.call(.get, "/v1/analytics/program?from=2026-01-01&to=2026-04-01").text)")
        return answers
    }

    @Test(arguments: TestStores.available)
    func revertedAndAppliedAgainEveryAnswerStaysAndAnImportRerunCountsNothingTwice(backend: Backend) async throws {
        let hands = Hands(Self.start)
        let path = try ImportFiles.file(Self.history)
        try await API.run(backend, clock: hands.clock) { api in
            let store = api.environment.store
            let put = try await api.call(.put, "/v1/program", json: Self.program)
            #expect(put.status == 201, "\(put.text)")
            let first = try await OrderImport.run(path: path, environment: api.environment)
            #expect(first.recorded == 4 && first.refused.isEmpty)
            let ana = try await api.environment.members.lookUp("ana@example.com").id.uuidString.lowercased()
            let phone = try await api.environment.members.lookUp("+491701234567").id.uuidString.lowercased()
            // A referral (code, referral, the friend's order), a coupon, an adjustment.
            let code = try #require(try await api.call(.get, "/v1/members/\(ana)/referrals").json["code"]?.string)
            let ben = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ben@example.com", "referral_code": "\#(code)"}"#)
                .json["id"]?.string)
            #expect(try await api.call(.post, "/v1/events", json: ReferralAPITests.order("B-9", ben, "2026-03-01T10:00:00Z", euros: 60)).status == 201)
            #expect(try await api.call(.post, "/v1/members/\(ana)/redemptions", json: #"{"reward_id": "five-off"}"#).status == 201)
            #expect(try await api.call(.post, "/v1/members/\(phone)/adjustments", json: #"{"points": 30, "reason": "sorry"}"#).status == 201)
            let members = [ana, phone, ben]
            // What the background services do at this time, done now (they would race the snapshots otherwise).
            try await PointsRelease(store: store, clock: hands.clock, logger: api.environment.logger).runOnce(at: hands.clock.now())
            _ = try await api.environment.referrals.settle(at: hands.clock.now())
            let before = try await answers(api, members)
            #expect(before.contains { $0.hasPrefix("/coupons 200") && $0.contains("five-off") })
            #expect(before.contains { $0.hasPrefix("/referrals 200") && $0.contains(ben) })

            #expect(try await store.migrate(to: 14) == [18, 17, 16, 15])
            #expect(try await store.schemaShape().contains { $0.contains("events.member_id") })
            #expect(try await store.migrate(to: nil) == [15, 16, 17, 18])
            let after = try await answers(api, members)
            #expect(after.count == before.count)
            for (was, now) in zip(before, after) { #expect(was == now) }

            // Nothing of the ledger moved, and a rerun of the import finds every event there.
            let (checked, differences) = try await PointsVerification.run(store)
            #expect(checked == 3 && differences.isEmpty)
            let rerun = try await OrderImport.run(path: path, environment: api.environment)
            #expect(rerun.recorded == 0 && rerun.replayed == 4)
            #expect(try await answers(api, members) == before)

            // New members get keys after those handed out by the migration, and come last.
            let cem = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "cem@example.com"}"#).json["id"]?.string)
            #expect(try await api.call(.post, "/v1/events", json: ReferralAPITests.order("C-1", cem, "2026-03-01T10:00:00Z", euros: 30)).status == 201)
            #expect(try await api.call(.get, "/v1/members/\(cem)/balance").json["pending"] == .number(30))
            let listed = try await api.call(.get, "/v1/members?limit=10").json["items"]?.array?.compactMap { $0["id"]?.string }
            #expect(listed?.last == cem && listed?.count == 4)
        }
    }
}
