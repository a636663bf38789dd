import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// What an event's answer says, and what one bad event does to the others: nothing.
@Suite("Event answers and refusals")
struct EventAnswersAPITests {
    static let now = Timestamp.parse("2026-12-01T10:00:00Z")!

    static func order(_ reference: String, member: String = #"{"email": "ana@example.com"}"#, currency: String = "EUR", at: String? = nil) -> String {
        let time = at.map { #", "at": "\#($0)""# } ?? ""
        return #"{"type": "order", "reference": "\#(reference)", "member": \#(member), "currency": "\#(currency)"\#(time), "lines": [{"sku": "TEE", "quantity": 1, "unit_price": 1000}]}"#
    }

    /// An order without a member used to pass the request check and fail inside the group
    /// commit, taking every concurrent order of its group with it (422s they would not retry).
    /// (25 at once, over the test client's 8 connections: 51 could wait past its 15 s deadline
    /// for a connection on a loaded machine.)
    @Test(arguments: TestStores.available)
    func anEventWithoutAMemberFailsAloneAmongTwentyFourGoodOnes(backend: Backend) async throws {
        try await API.run(backend, transport: .live) { api in
            let answers = try await withThrowingTaskGroup(of: (Int, API.Answer).self) { group in
                for n in 0...24 {
                    let body = n == 12 ? #"{"type": "order", "reference": "BAD", "currency": "EUR", "lines": [{"sku": "A", "quantity": 1, "unit_price": 100}]}"#
                                       : Self.order("G-\(n)", member: #"{"email": "m\#(n)@example.com"}"#)
                    group.addTask { (n, try await api.call(.post, "/v1/events", json: body)) }
                }
                return try await group.reduce(into: [Int: API.Answer]()) { $0[$1.0] = $1.1 }
            }
            #expect(answers[12]?.status == 422 && answers[12]?.code == "member_required")
            #expect(answers.filter { $0.key != 12 }.allSatisfy { $0.value.status == 201 })
            #expect(try await api.call(.get, "/v1/members?limit=100").json["items"]?.array?.count == 24)

            let batch = "{\"events\": [\(Self.order("B-1")), {\"type\": \"action\", \"reference\": \"B-2\", \"name\": \"review\"}, \(Self.order("B-3"))]}"
            let results = try #require(try await api.call(.post, "/v1/events/batch", json: batch).json["results"]?.array)
            #expect(results.map { $0["status"] } == [201, 422, 201].map { .number(Double($0)) })
            #expect(results[1]["problem"]?["code"]?.string == "member_required")
        }
    }

    @Test func ordersInAnotherCurrencyOrFromTheFutureAreRefusedWithTheirReason() async throws {
        try await API.run(clock: .fixed(Self.now)) { api in
            let dollars = try await api.call(.post, "/v1/events", json: Self.order("USD-1", currency: "USD"))
            #expect(dollars.status == 422 && dollars.code == "currency_mismatch" && dollars.json["field"]?.string == "currency")
            let tomorrow = try await api.call(.post, "/v1/events", json: Self.order("F-1", at: "2026-12-02T10:00:00Z"))
            #expect(tomorrow.status == 422 && tomorrow.code == "time_in_future" && tomorrow.json["field"]?.string == "at")
            // A till's clock a minute fast is fine.
            #expect(try await api.call(.post, "/v1/events", json: Self.order("F-2", at: "2026-12-01T10:01:00Z")).status == 201)
            let review = #"{"type": "action", "reference": "R-F", "name": "review", "member": {"email": "ana@example.com"}, "at": "2027-01-01T00:00:00Z"}"#
            #expect(try await api.call(.post, "/v1/events", json: review).code == "time_in_future")
            // Nothing of the refused ones was recorded.
            #expect(try await api.call(.post, "/v1/events", json: Self.order("USD-1")).status == 201)
        }
    }

    @Test func anEventThatEarnsNothingSaysWhy() async throws {
        try await API.run(clock: .fixed(Self.now)) { api in
            let visit = try await api.call(.post, "/v1/events", json: #"{"type": "action", "reference": "V-1", "name": "store_visit", "member": {"email": "ana@example.com"}}"#)
            #expect(visit.status == 201 && visit.json["effects"]?.array?.map { $0["rule"]?.string } == ["welcome gift"])
            #expect(visit.json["notes"]?[0]?["code"]?.string == "no_rule")
            let tiny = #"{"type": "order", "reference": "T-1", "member": {"email": "ana@example.com"}, "currency": "EUR", "lines": [{"sku": "GUM", "quantity": 1, "unit_price": 0}]}"#
            #expect(try await api.call(.post, "/v1/events", json: tiny).json["notes"]?[0]?["code"]?.string == "nothing_to_earn_on")
            // A sign-up sent after the enrolment earns nothing more: the welcome gift is once ever.
            let signup = try await api.call(.post, "/v1/events", json: #"{"type": "action", "reference": "S-1", "name": "signup", "member": {"email": "ana@example.com"}}"#)
            #expect(signup.json["effects"]?.array?.isEmpty == true && signup.json["notes"]?[0]?["code"]?.string == "limit_reached")
        }
    }

    @Test func enrollingAMemberGivesTheWelcomeGiftOnce() async throws {
        try await API.run(clock: .fixed(Self.now)) { api in
            let member = try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#)
            #expect(member.status == 201)
            let id = try #require(member.json["id"]?.string)
            let ledger = try await api.call(.get, "/v1/members/\(id)/ledger").json["items"]?.array ?? []
            #expect(ledger.map { $0["rule"]?.string } == ["welcome gift"] && ledger.first?["points"] == .number(50))
            #expect(ledger.first?["event"]?.string == "signup:\(id)")
            // The same email again: refused, no second member and no second gift.
            let again = try await api.call(.post, "/v1/members", json: #"{"email": "ANA@example.com"}"#)
            #expect(again.status == 409 && again.code == "identity_taken")
            #expect(try await api.call(.get, "/v1/members/\(id)/balance").json["available"] == .number(50))
            #expect(try await api.call(.get, "/v1/members").json["items"]?.array?.count == 1)
        }
    }

    /// A dry run says a coupon would be issued, without a code that will never exist.
    @Test func aDryRunShowsACouponWithoutItsCode() async throws {
        try await API.run(clock: .fixed(Self.now)) { api in
            let document = Program.standardDocument
                .replacingOccurrences(of: #""rules": ["#, with: #""rules": [{"name": "next order", "type": "coupon", "reward": "next"}, "#)
                .replacingOccurrences(of: #""name": "Treu standard program","#, with: #"""
                    "name": "with coupons", "rewards": [{"id": "next", "type": "percent_discount", "percent": 10, "cost": 1000,
                    "title": {"en": "10 %", "de": "10 %", "vi": "10 %"}}],
                    """#)
            #expect(try await api.call(.put, "/v1/program", json: #"{"document": \#(document)}"#).status == 201)
            let dry = try await api.call(.post, "/v1/events?dry_run=true", json: Self.order("D-1"))
            let coupon = try #require(dry.json["effects"]?.array?.first { $0["type"]?.string == "coupon" })
            #expect(coupon["code"] == .null && coupon["reward_id"]?.string == "next")
            #expect(try await api.call(.get, "/v1/members/lookup?identity=ana%40example.com").status == 404)
            let real = try await api.call(.post, "/v1/events", json: Self.order("D-1"))
            #expect(real.json["effects"]?.array?.first { $0["type"]?.string == "coupon" }?["code"]?.string?.isEmpty == false)
        }
    }
}
