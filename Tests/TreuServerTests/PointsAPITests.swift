import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

@Suite("Points over HTTP: balance, ledger, adjustments")
struct PointsAPITests {
    @Test func supportAdjustsWithAReasonAndTheLedgerSaysWhy() async throws {
        try await API.run { api in
            let member = try await api.call(.post, "/v1/members", json: #"{"email":"ana@example.com"}"#)
            let id = try #require(member.json["id"]?.string)
            let support = try await api.key(.support)
            let added = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support,
                                           json: #"{"points": 120, "reason": "parcel lost, goodwill"}"#)
            #expect(added.status == 201)
            #expect(added.json["balance"]?["available"] == .number(120))
            #expect(added.json["entry"]?["kind"]?.string == "adjustment")
            #expect(added.json["entry"]?["actor"]?.string?.hasPrefix("support test") == true)
            let taken = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support, json: #"{"points": -20, "reason": "double booking"}"#)
            #expect(taken.json["balance"]?["available"] == .number(100))
            let tooMuch = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support, json: #"{"points": -101, "reason": "x"}"#)
            #expect(tooMuch.status == 409 && tooMuch.code == "insufficient_points")
            let noReason = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support, json: #"{"points": 5, "reason": "  "}"#)
            #expect(noReason.status == 422 && noReason.code == "reason_required")

            let balance = try await api.call(.get, "/v1/members/\(id)/balance")
            #expect(balance.json["available"] == .number(100))
            #expect(balance.json["lifetime_earned"] == .number(120) && balance.json["lifetime_spent"] == .number(20))
            let ledger = try await api.call(.get, "/v1/members/\(id)/ledger?limit=1")
            #expect(ledger.json["items"]?[0]?["reason"]?.string == "parcel lost, goodwill")
            let cursor = try #require(ledger.json["next_cursor"]?.string)
            let next = try await api.call(.get, "/v1/members/\(id)/ledger?limit=1&cursor=\(cursor)")
            #expect(next.json["items"]?[0]?["points"] == .number(-20))
            #expect(next.json["next_cursor"] == .null)
        }
    }

    @Test func onlySupportAndAdminsAdjustAndARetryAdjustsOnce() async throws {
        try await API.run { api in
            let member = try await api.call(.post, "/v1/members", json: #"{"email":"ana@example.com"}"#)
            let id = try #require(member.json["id"]?.string)
            for role in [Role.integration, .analyst] {
                let key = try await api.key(role)
                let refused = try await api.call(.post, "/v1/members/\(id)/adjustments", key: key, json: #"{"points": 5, "reason": "x"}"#)
                #expect(refused.status == 403, "\(role)")
                #expect(try await api.call(.get, "/v1/members/\(id)/balance", key: key).status == 200)
            }
            let body = #"{"points": 50, "reason": "welcome back"}"#
            let first = try await api.call(.post, "/v1/members/\(id)/adjustments", json: body, headers: ["Idempotency-Key": "goodwill-1"])
            let retry = try await api.call(.post, "/v1/members/\(id)/adjustments", json: body, headers: ["Idempotency-Key": "goodwill-1"])
            #expect(first.body == retry.body)
            #expect(try await api.call(.get, "/v1/members/\(id)/balance").json["available"] == .number(50))
            let unknown = try await api.call(.get, "/v1/members/\(UUID())/balance")
            #expect(unknown.status == 404 && unknown.code == "member_not_found")
        }
    }
}
