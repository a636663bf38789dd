import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

@Suite("Points over HTTP: balance, ledger, adjustments")
struct PointsAPITests {
    @Test func supportAdjustsWithAReasonAndTheLedgerSaysWhy() async throws {
        try await API.run(clock: .fixed(Timestamp.parse("2026-11-20T10:00:00Z")!)) { api in
            // Enrolled: the standard program's welcome gift, 50.
            let member = try await api.call(.post, "/v1/members", json: #"{"email":"ana@example.com"}"#)
            let id = try #require(member.json["id"]?.string)
            let support = try await api.key(.support)
            let added = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support,
                                           json: #"{"points": 120, "reason": "parcel lost, goodwill"}"#)
            #expect(added.status == 201)
            #expect(added.json["balance"]?["available"] == .number(170))
            #expect(added.json["entry"]?["kind"]?.string == "adjustment")
            #expect(added.json["entry"]?["actor"]?.string?.hasPrefix("support test") == true)
            // Points given by hand expire as earned ones do: the standard program's end of the
            // 12th month after November 2026, with the welcome gift.
            #expect(added.json["balance"]?["next_expiries"] == .array([.object(["on": .string("2027-11-30"), "points": .number(170)])]))
            let taken = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support, json: #"{"points": -20, "reason": "double booking"}"#)
            #expect(taken.json["balance"]?["available"] == .number(150))
            let tooMuch = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support, json: #"{"points": -151, "reason": "x"}"#)
            #expect(tooMuch.status == 409 && tooMuch.code == "insufficient_points")
            let noReason = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support, json: #"{"points": 5, "reason": "  "}"#)
            #expect(noReason.status == 422 && noReason.code == "reason_required")
            // The lowest number there is, and one past the limit: refused, not a crash.
            for points in ["-9223372036854775808", "10000001", "-10000001"] {
                let refused = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support, json: #"{"points": \#(points), "reason": "x"}"#)
                #expect(refused.status == 422 && refused.code == "invalid_points", "\(points)")
            }
            // An adjustment may name its own expiry: these 30 are last usable on 30 January.
            let short = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support,
                                           json: #"{"points": 30, "reason": "winter voucher", "expires_at": "2027-01-31T00:00:00Z"}"#)
            #expect(short.json["balance"]?["next_expiries"]?[0] == .object(["on": .string("2027-01-30"), "points": .number(30)]))
            let past = try await api.call(.post, "/v1/members/\(id)/adjustments", key: support,
                                          json: #"{"points": 30, "reason": "x", "expires_at": "2026-01-31T00:00:00Z"}"#)
            #expect(past.status == 422 && past.code == "invalid_time")

            let balance = try await api.call(.get, "/v1/members/\(id)/balance")
            #expect(balance.json["available"] == .number(180))
            #expect(balance.json["lifetime_earned"] == .number(200) && balance.json["lifetime_spent"] == .number(20))
            // Entry 1 is the welcome gift; the adjustment is the second, the booking the third.
            let ledger = try await api.call(.get, "/v1/members/\(id)/ledger?limit=1&cursor=1")
            #expect(ledger.json["items"]?[0]?["reason"]?.string == "parcel lost, goodwill")
            let cursor = try #require(ledger.json["next_cursor"]?.string)
            let next = try await api.call(.get, "/v1/members/\(id)/ledger?limit=1&cursor=\(cursor)")
            #expect(next.json["items"]?[0]?["points"] == .number(-20))
            #expect(try await api.call(.get, "/v1/members/\(id)/ledger?cursor=3").json["next_cursor"] == .null)
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
            // The welcome gift's 50 and the adjustment's 50, once.
            #expect(try await api.call(.get, "/v1/members/\(id)/balance").json["available"] == .number(100))
            let unknown = try await api.call(.get, "/v1/members/\(UUID())/balance")
            #expect(unknown.status == 404 && unknown.code == "member_not_found")
        }
    }
}
