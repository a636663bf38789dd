import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// Limits meant to give a bonus once hold however events arrive: at once, in batches at once,
/// with the same second, out of order. They are decided under the member's lock from what was
/// recorded for the member, on both engines.
@Suite("Limits under concurrency")
struct LimitsAPITests {
    /// The standard program with a first-order bonus of 100 and reviews limited to three a month.
    static let program: String = {
        let document = Program.standardDocument
            .replacingOccurrences(of: #"{"name": "1 point per whole unit spent", "type": "spend", "points": 1, "per": 100}"#,
                                  with: #"{"name": "1 point per whole unit spent", "type": "spend", "points": 1, "per": 100}, {"name": "first order", "type": "bonus", "points": 100, "when": {"first_order": true}}"#)
            .replacingOccurrences(of: #"{"name": "review", "action": "review", "points": 25, "limit": {"count": 1, "per": "day"}}"#,
                                  with: #"{"name": "review", "action": "review", "points": 25, "limit": {"count": 3, "per": "month"}}"#)
        return #"{"document": \#(document)}"#
    }()

    static func order(_ reference: String, email: String = "new@example.com", at: String? = nil) -> String {
        let time = at.map { #", "at": "\#($0)""# } ?? ""
        return #"{"type": "order", "reference": "\#(reference)", "member": {"email": "\#(email)"}, "currency": "EUR"\#(time), "lines": [{"sku": "TEE", "quantity": 1, "unit_price": 1000}]}"#
    }

    static func review(_ reference: String, email: String = "ana@example.com") -> String {
        #"{"type": "action", "reference": "\#(reference)", "name": "review", "member": {"email": "\#(email)"}}"#
    }

    func rules(_ api: API, _ email: String) async throws -> [String] {
        let id = try #require(try await api.call(.get, "/v1/members/lookup?identity=\(email)").json["id"]?.string)
        let items = try await api.call(.get, "/v1/members/\(id)/ledger?limit=200").json["items"]?.array ?? []
        return items.compactMap { $0["rule"]?.string }
    }

    @Test(arguments: TestStores.available)
    func twentyFirstOrdersAtOnceForANewEmailGiveOneBonusAndOneWelcome(backend: Backend) async throws {
        try await API.run(backend, transport: .live) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<20 { group.addTask { try await api.call(.post, "/v1/events", json: Self.order("N-\(n)")).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 201, count: 20))
            #expect(try await api.call(.get, "/v1/members").json["items"]?.array?.count == 1)
            let given = try await rules(api, "new@example.com")
            #expect(given.filter { $0 == "first order" }.count == 1)
            #expect(given.filter { $0 == "welcome gift" }.count == 1)
            #expect(given.filter { $0 == "1 point per whole unit spent" }.count == 20)
        }
    }

    @Test(arguments: TestStores.available)
    func twentyReviewsAtOnceWithALimitOfThreeGiveThree(backend: Backend) async throws {
        try await API.run(backend, transport: .live) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#)
            let answers = try await withThrowingTaskGroup(of: API.Answer.self) { group in
                for n in 0..<20 { group.addTask { try await api.call(.post, "/v1/events", json: Self.review("REV-\(n)")) } }
                return try await group.reduce(into: [API.Answer]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == 201 })
            #expect(answers.filter { $0.json["effects"]?.array?.isEmpty == false }.count == 3)
            #expect(answers.filter { $0.json["notes"]?[0]?["code"]?.string == "limit_reached" }.count == 17)
            #expect(try await rules(api, "ana@example.com").filter { $0 == "review" }.count == 3)
        }
    }

    @Test(arguments: TestStores.available)
    func overlappingBatchesOfReviewsGiveThree(backend: Backend) async throws {
        try await API.run(backend, transport: .live) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in 0..<4 {
                    let events = (0..<5).map { Self.review("B\(batch)-\($0)") }.joined(separator: ",")
                    group.addTask {
                        let status = try await api.call(.post, "/v1/events/batch", json: "{\"events\": [\(events)]}").status
                        #expect(status == 200)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await rules(api, "ana@example.com").filter { $0 == "review" }.count == 3)
        }
    }

    /// Tills whose clocks agree to the second, and an order sent late with an earlier time: the
    /// first order recorded is the first, once.
    @Test func ordersWithTheSameSecondOrOutOfOrderGiveOneFirstOrderBonus() async throws {
        let hands = Hands(Timestamp.parse("2026-03-01T00:00:00Z")!)
        try await API.run(.sqlite, clock: hands.clock) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            hands.set("2026-03-10T12:00:00Z")
            let times = ["2026-03-10T10:00:00Z", "2026-03-10T10:00:00Z", "2026-03-05T10:00:00Z"]
            for n in times.indices {
                let answer = try await api.call(.post, "/v1/events", json: Self.order("S-\(n)", at: times[n]))
                #expect(answer.status == 201)
            }
            #expect(try await rules(api, "new@example.com").filter { $0 == "first order" }.count == 1)
        }
    }
}
