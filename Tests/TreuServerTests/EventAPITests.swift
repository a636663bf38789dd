import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

@Suite("Orders and returns over HTTP")
struct EventAPITests {
    /// The order of the earning tests: €41.90 net after discounts, shipping apart: 41 points.
    static let order = """
        {"type": "order", "reference": "A-1001", "at": "2026-11-20T10:00:00Z", "member": {"email": "Ana@Example.com"},
         "channel": "web", "currency": "EUR", "order_discount": 500, "shipping": 490,
         "lines": [{"sku": "SHIRT", "category": "tops", "quantity": 1, "unit_price": 2990},
                   {"sku": "SOCKS", "category": "basics", "quantity": 2, "unit_price": 900, "discount": 100}]}
        """

    @Test func anOrderEnrolsItsCustomerAndEarnsPendingPoints() async throws {
        try await API.run { api in
            let first = try await api.call(.post, "/v1/events", json: Self.order)
            #expect(first.status == 201)
            #expect(first.json["enrolled"]?.bool == true)
            #expect(first.json["effects"]?[0]?["points"] == .number(41))
            // Pending through the 14 days after 20 November (the standard program is in UTC): released at the midnight that starts 5 December.
            #expect(first.json["effects"]?[0]?["available_at"]?.string == "2026-12-05T00:00:00.000Z")
            // Enrolled by her first order, she gets the standard program's welcome gift at once (50, available).
            #expect(first.json["effects"]?[1]?["rule"]?.string == "welcome gift" && first.json["effects"]?[1]?["points"] == .number(50))
            #expect(first.json["balance"]?["pending"] == .number(41) && first.json["balance"]?["available"] == .number(50))
            let id = try #require(first.json["member_id"]?.string)
            #expect(try await api.call(.get, "/v1/members/lookup?identity=ana%40example.com").json["id"]?.string == id)

            let replay = try await api.call(.post, "/v1/events", json: Self.order)
            #expect(replay.status == 200 && replay.body == first.body)
            let changed = try await api.call(.post, "/v1/events", json: Self.order.replacingOccurrences(of: "\"shipping\": 490", with: "\"shipping\": 0"))
            #expect(changed.status == 409 && changed.code == "reference_reused")
            // A refused retry naming someone new enrols nobody.
            let other = try await api.call(.post, "/v1/events", json: Self.order.replacingOccurrences(of: "Ana@Example.com", with: "new@example.com"))
            #expect(other.status == 409 && other.code == "reference_reused")
            #expect(try await api.call(.get, "/v1/members/lookup?identity=new%40example.com").status == 404)
            #expect(try await api.call(.get, "/v1/members/\(id)/balance").json["lifetime_earned"] == .number(91))

            // A second order of the same customer, by phone this time after she gave it: no new member.
            try await api.call(.post, "/v1/members/\(id)/identities", json: #"{"kind": "phone", "value": "+49 170 1234567"}"#)
            let second = try await api.call(.post, "/v1/events", json: """
                {"type": "order", "reference": "A-1002", "member": {"phone": "0170 1234567"}, "currency": "EUR",
                 "lines": [{"sku": "CAP", "quantity": 1, "unit_price": 1999}]}
                """)
            #expect(second.json["enrolled"]?.bool == false && second.json["member_id"]?.string == id)
            #expect(second.json["balance"]?["pending"] == .number(60))
        }
    }

    @Test func returnsTakeBackTheirShareAndNeverMore() async throws {
        try await API.run { api in
            try await api.call(.post, "/v1/events", json: Self.order)
            let shirt = try await api.call(.post, "/v1/events", json: """
                {"type": "return", "reference": "R-1", "order_reference": "A-1001", "lines": [{"sku": "SHIRT", "quantity": 1}]}
                """)
            #expect(shirt.status == 201)
            #expect(shirt.json["effects"]?[0]?["points"] == .number(-26))
            #expect(shirt.json["balance"]?["pending"] == .number(15))
            let rest = try await api.call(.post, "/v1/events", json: #"{"type": "return", "reference": "R-2", "order_reference": "A-1001"}"#)
            #expect(rest.json["effects"]?[0]?["points"] == .number(-15))
            #expect(rest.json["balance"]?["pending"] == .number(0) && rest.json["balance"]?["lifetime_reversed"] == .number(41))
            let again = try await api.call(.post, "/v1/events", json: """
                {"type": "return", "reference": "R-3", "order_reference": "A-1001", "lines": [{"sku": "SHIRT", "quantity": 1}]}
                """)
            #expect(again.status == 201 && again.json["effects"]?.array?.isEmpty == true)
            let unknown = try await api.call(.post, "/v1/events", json: #"{"type": "return", "reference": "R-4", "order_reference": "nope"}"#)
            #expect(unknown.status == 404 && unknown.code == "order_not_found")
        }
    }

    @Test(arguments: TestStores.available)
    func aDryRunSaysWhatWouldHappenAndWritesNothing(backend: Backend) async throws {
        try await API.run(backend) { api in
            let dry = try await api.call(.post, "/v1/events?dry_run=true", json: Self.order)
            #expect(dry.status == 200 && dry.json["enrolled"]?.bool == true && dry.json["effects"]?[0]?["points"] == .number(41))
            // Nobody was enrolled and the reference is free: the real one is recorded.
            #expect(try await api.call(.get, "/v1/members/lookup?identity=ana%40example.com").status == 404)
            let real = try await api.call(.post, "/v1/events", json: Self.order)
            #expect(real.status == 201 && real.json["effects"] == dry.json["effects"])
            #expect(try await api.call(.post, "/v1/events?dry_run=maybe", json: Self.order).code == "invalid_parameter")
        }
    }

    @Test func badEventsAreRefusedWithACode() async throws {
        try await API.run { api in
            try await api.call(.post, "/v1/events", json: Self.order)
            let cases: [(String, Int, String)] = [
                (#"{"type": "gift", "reference": "G-1"}"#, 422, "unknown_event_type"),
                (#"{"type": "order", "reference": "B-1", "currency": "EUR", "lines": [{"sku": "X", "quantity": 1, "unit_price": 100}]}"#, 422, "member_required"),
                (#"{"type": "order", "reference": "B-2", "member": {"email": "b@example.com"}, "currency": "EUR", "lines": []}"#, 422, "no_lines"),
                (#"{"type": "order", "reference": "B-3", "member": {"email": "b@example.com"}, "currency": "EUR", "lines": [{"sku": "X", "quantity": 1}]}"#, 422, "missing_field"),
                (#"{"type": "order", "reference": "B-4", "member": {"email": "b@example.com"}, "at": "yesterday", "currency": "EUR", "lines": []}"#, 422, "invalid_time"),
                (#"{"type": "return", "reference": "R-9", "order_reference": "A-1001", "lines": [{"sku": "SOCKS", "quantity": 3}]}"#, 422, "invalid_quantity"),
                (#"{"type": "return", "reference": "R-9", "order_reference": "A-1001", "lines": [{"sku": "HAT", "quantity": 1}]}"#, 422, "unknown_line"),
            ]
            for (body, status, code) in cases {
                let answer = try await api.call(.post, "/v1/events", json: body)
                #expect(answer.status == status && answer.code == code, "\(code): \(answer.status) \(answer.code ?? "")")
            }
            // Nothing of that changed the points: the first order's entry and her welcome gift's.
            let id = try #require(try await api.call(.get, "/v1/members/lookup?identity=ana%40example.com").json["id"]?.string)
            #expect(try await api.call(.get, "/v1/members/\(id)/ledger").json["items"]?.array?.count == 2)
        }
    }

    @Test func aSuspendedMembersOrderIsRecordedButEarnsNothing() async throws {
        try await API.run { api in
            // Enrolling gives the welcome gift (50); once suspended, she earns nothing, and the answer says why.
            let member = try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#)
            let id = try #require(member.json["id"]?.string)
            try await api.call(.patch, "/v1/members/\(id)", json: #"{"status": "suspended"}"#)
            let order = try await api.call(.post, "/v1/events", json: Self.order)
            #expect(order.status == 201 && order.json["member_id"]?.string == id)
            #expect(order.json["effects"]?.array?.isEmpty == true)
            #expect(order.json["notes"]?[0]?["code"]?.string == "member_suspended")
            #expect(try await api.call(.get, "/v1/members/\(id)/balance").json["lifetime_earned"] == .number(50))
        }
    }

    @Test(arguments: TestStores.available)
    func oneOrderSentEightTimesAtOnceCountsOnce(backend: Backend) async throws {
        try await API.run(backend, transport: .live) { api in
            let answers = try await withThrowingTaskGroup(of: API.Answer.self) { group in
                for _ in 0..<8 { group.addTask { try await api.call(.post, "/v1/events", json: Self.order) } }
                return try await group.reduce(into: [API.Answer]()) { $0.append($1) }
            }
            #expect(answers.map(\.status).sorted() == [200, 200, 200, 200, 200, 200, 200, 201])
            #expect(Set(answers.map(\.body)).count == 1)
            let id = try #require(answers[0].json["member_id"]?.string)
            // 41 for the order and 50 for the welcome, once.
            #expect(try await api.call(.get, "/v1/members/\(id)/balance").json["lifetime_earned"] == .number(91))
            #expect(try await api.call(.get, "/v1/members").json["items"]?.array?.count == 1)
        }
    }
}
