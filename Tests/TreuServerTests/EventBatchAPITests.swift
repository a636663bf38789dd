import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

@Suite("Batches of events and actions over HTTP")
struct EventBatchAPITests {
    static let order = #"{"type": "order", "reference": "A-1", "at": "2026-11-20T10:00:00Z", "member": {"email": "ana@example.com"}, "currency": "EUR", "lines": [{"sku": "SHIRT", "quantity": 1, "unit_price": 2990}]}"#

    /// Six events, each with its own result: an order that enrols its customer, its return in the
    /// same batch, a review by the same customer, an event of no known type, the first order
    /// again, and a return of an order nobody sent.
    static let batch = """
        {"events": [
          \(order),
          {"type": "return", "reference": "R-1", "order_reference": "A-1", "at": "2026-11-21T10:00:00Z"},
          {"type": "action", "reference": "REV-1", "name": "review", "member": {"email": "ANA@example.com"}, "at": "2026-11-22T10:00:00Z", "properties": {"sku": "SHIRT", "stars": "5"}},
          {"type": "gift", "reference": "G-1"},
          \(order),
          {"type": "return", "reference": "R-2", "order_reference": "nope"}
        ]}
        """

    @Test(arguments: TestStores.available)
    func eachEventOfABatchHasItsOwnResult(backend: Backend) async throws {
        try await API.run(backend) { api in
            let answer = try await api.call(.post, "/v1/events/batch", json: Self.batch)
            #expect(answer.status == 200)
            let results = try #require(answer.json["results"]?.array)
            #expect(results.map { $0["status"] } == [201, 201, 201, 422, 200, 404].map { .number(Double($0)) })
            #expect(results.map { $0["index"] } == (0..<6).map { .number(Double($0)) })
            #expect(results[0]["result"]?["enrolled"]?.bool == true)
            #expect(results[1]["result"]?["effects"]?[0]?["points"] == .number(-29))
            #expect(results[2]["result"]?["effects"]?[0]?["points"] == .number(25))
            #expect(results[3]["problem"]?["code"]?.string == "unknown_event_type")
            #expect(results[4]["result"] == results[0]["result"])
            #expect(results[5]["problem"]?["code"]?.string == "order_not_found")
            // Earned 29, all taken back by the return; the welcome gift's 50 (she was enrolled by
            // the order) and the review's 25 are available at once.
            let id = try #require(results[0]["result"]?["member_id"]?.string)
            let balance = try await api.call(.get, "/v1/members/\(id)/balance").json
            #expect(balance["available"] == .number(75) && balance["pending"] == .number(0))
            #expect(balance["lifetime_earned"] == .number(104) && balance["lifetime_reversed"] == .number(29))

            // The whole batch again: every recorded event is a replay with its first answer; nothing changes.
            let again = try #require(try await api.call(.post, "/v1/events/batch", json: Self.batch).json["results"]?.array)
            #expect(again.map { $0["status"] } == [200, 200, 200, 422, 200, 404].map { .number(Double($0)) })
            #expect(again[1]["result"] == results[1]["result"] && again[2]["result"] == results[2]["result"])
            #expect(try await api.call(.get, "/v1/members/\(id)/ledger").json["items"]?.array?.count == 4)
            // The same order sent alone, formatted otherwise, is the same event: a replay.
            let alone = try await api.call(.post, "/v1/events", json: Self.order.replacingOccurrences(of: ", ", with: ","))
            #expect(alone.status == 200 && alone.json == results[0]["result"])
            #expect(try await api.call(.get, "/v1/members").json["items"]?.array?.count == 1)
        }
    }

    @Test func aBatchHasOneToAThousandEvents() async throws {
        try await API.run { api in
            let empty = try await api.call(.post, "/v1/events/batch", json: #"{"events": []}"#)
            #expect(empty.status == 422 && empty.code == "invalid_batch_size")
            let action = #"{"type": "action", "reference": "X", "name": "visit", "member": {"email": "a@example.com"}}"#
            let tooMany = try await api.call(.post, "/v1/events/batch", json: "{\"events\": [\(Array(repeating: action, count: 1_001).joined(separator: ","))]}")
            #expect(tooMany.status == 422 && tooMany.code == "invalid_batch_size")
            #expect(try await api.call(.post, "/v1/events/batch", json: #"{"events": [], "extra": 1}"#).code == "unknown_field")
            #expect(try await api.call(.post, "/v1/events/batch", json: #"[1, 2]"#).code == "invalid_field")
            #expect(try await api.call(.post, "/v1/events/batch", json: #"{"events": ["#).code == "malformed_json")
            // A thousand distinct actions of one new customer in one batch: one member, all recorded.
            let thousand = (0..<1_000).map { #"{"type": "action", "reference": "V-\#($0)", "name": "visit", "member": {"email": "a@example.com"}}"# }
            let answer = try await api.call(.post, "/v1/events/batch", json: "{\"events\": [\(thousand.joined(separator: ","))]}")
            let statuses = try #require(answer.json["results"]?.array).map { $0["status"] }
            #expect(statuses == Array(repeating: .number(201), count: 1_000))
            #expect(try await api.call(.get, "/v1/members").json["items"]?.array?.count == 1)
        }
    }

    @Test func actionsEarnByNameAndAreChecked() async throws {
        try await API.run { api in
            // A birthday action for someone new: enrolled with the welcome gift, but no birthday is
            // on her profile, so the birthday gift waits, and the answer says why.
            let unknown = try await api.call(.post, "/v1/events", json: """
                {"type": "action", "reference": "BD-2026-0", "name": "birthday", "member": {"phone": "+49 170 1234567"}, "at": "2026-04-02T08:00:00Z"}
                """)
            #expect(unknown.status == 201 && unknown.json["enrolled"]?.bool == true)
            #expect(unknown.json["effects"]?.array?.map { $0["rule"]?.string } == ["welcome gift"])
            #expect(unknown.json["notes"]?[0]?["code"]?.string == "no_birthday")
            let id = try #require(unknown.json["member_id"]?.string)
            try await api.call(.patch, "/v1/members/\(id)", json: #"{"birthday": "1990-04-03"}"#)
            // Three weeks early is not her birthday; the day before is.
            let early = try await api.call(.post, "/v1/events", json: """
                {"type": "action", "reference": "BD-2026-1", "name": "birthday", "member": {"phone": "+49 170 1234567"}, "at": "2026-03-12T08:00:00Z"}
                """)
            #expect(early.json["effects"]?.array?.isEmpty == true && early.json["notes"]?[0]?["code"]?.string == "not_birthday")
            let birthday = try await api.call(.post, "/v1/events", json: """
                {"type": "action", "reference": "BD-2026", "name": "birthday", "member": {"phone": "+49 170 1234567"}, "at": "2026-04-02T08:00:00Z"}
                """)
            #expect(birthday.status == 201 && birthday.json["enrolled"]?.bool == false)
            #expect(birthday.json["effects"]?[0]?["points"] == .number(100))
            #expect(birthday.json["effects"]?[0]?["rule"]?.string == "birthday gift")
            #expect(birthday.json["balance"]?["available"] == .number(150))
            // The standard program gives one birthday gift a year: the day after, again, is past its limit.
            let again = try await api.call(.post, "/v1/events", json: """
                {"type": "action", "reference": "BD-2026-bis", "name": "birthday", "member": {"phone": "+49 170 1234567"}, "at": "2026-04-03T08:00:00Z"}
                """)
            #expect(again.status == 201 && again.json["effects"]?.array?.isEmpty == true)
            #expect(again.json["notes"]?[0]?["code"]?.string == "limit_reached" && again.json["notes"]?[0]?["rule"]?.string == "birthday gift")
            // A custom action is recorded and, in the default program, earns nothing.
            let custom = try await api.call(.post, "/v1/events", json: """
                {"type": "action", "reference": "C-1", "name": "store_visit", "member": {"phone": "0170 1234567"}}
                """)
            #expect(custom.status == 201 && custom.json["effects"]?.array?.isEmpty == true && custom.json["enrolled"]?.bool == false)
            #expect(custom.json["notes"]?[0]?["code"]?.string == "no_rule")
            let cases: [(String, String)] = [
                (#"{"type": "action", "reference": "C-2", "name": "Store Visit", "member": {"email": "a@example.com"}}"#, "invalid_action"),
                (#"{"type": "action", "reference": "C-3", "member": {"email": "a@example.com"}}"#, "missing_field"),
                (#"{"type": "action", "reference": "C-4", "name": "review"}"#, "member_required"),
                (#"{"type": "action", "reference": "", "name": "review", "member": {"email": "a@example.com"}}"#, "invalid_reference"),
            ]
            for (body, code) in cases {
                let answer = try await api.call(.post, "/v1/events", json: body)
                #expect(answer.status == 422 && answer.code == code, "\(code): \(answer.status) \(answer.code ?? "")")
            }
        }
    }
}
