import Foundation
import HTTPTypes
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// What the API says of a request's shape: nulls, twice-sent keys, enumerations, unknown
/// members on every member route, methods, and bodies too large.
@Suite("Request shapes")
struct RequestShapeAPITests {
    @Test func nullsDuplicateKeysAndEnumerationsAreRefusedInPlainWords() async throws {
        try await API.run { api in
            let id = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com", "name": "Ana"}"#).json["id"]?.string)
            // An explicit null was read as "absent"; now only the fields that take one do.
            let null = try await api.call(.post, "/v1/members", json: #"{"email": "b@example.com", "locale": null}"#)
            #expect(null.status == 400 && null.code == "invalid_field" && null.json["field"]?.string == "locale")
            let order = #"{"type": "order", "reference": "A-1", "member_id": "\#(id)", "currency": "EUR", "shipping": null, "lines": [{"sku": "T", "quantity": 1, "unit_price": 100}]}"#
            #expect(try await api.call(.post, "/v1/events", json: order).json["field"]?.string == "shipping")
            let removed = try await api.call(.patch, "/v1/members/\(id)", json: #"{"name": null}"#)
            #expect(removed.status == 200 && removed.json["name"] == .null)
            // The same key twice was taken first-wins.
            let twice = try await api.call(.post, "/v1/members/\(id)/adjustments", json: #"{"points": 5, "points": 500, "reason": "x"}"#)
            #expect(twice.status == 400 && twice.code == "duplicate_field" && twice.json["field"]?.string == "points")
            let nested = try await api.call(.post, "/v1/events", json: #"{"type": "order", "reference": "A-2", "member": {"email": "a@example.com", "email": "b@example.com"}, "currency": "EUR", "lines": []}"#)
            #expect(nested.code == "duplicate_field")
            // The same key in two objects is no duplicate.
            let lines = #"{"type": "order", "reference": "A-3", "member_id": "\#(id)", "currency": "EUR", "lines": [{"sku": "A", "quantity": 1, "unit_price": 1}, {"sku": "B", "quantity": 1, "unit_price": 1}]}"#
            #expect(try await api.call(.post, "/v1/events", json: lines).status == 201)
            // Swift's own words ("Cannot initialize MemberStatus from invalid String value") no more.
            let status = try await api.call(.patch, "/v1/members/\(id)", json: #"{"status": "erased"}"#)
            #expect(status.status == 400 && status.json["detail"]?.string == "the field 'status' is one of active, suspended, not 'erased'")
            let type = try await api.call(.post, "/v1/members/\(id)/adjustments", json: #"{"points": "five", "reason": "x"}"#)
            #expect(type.json["detail"]?.string == "the field 'points' is a whole number")
            let role = try await api.call(.post, "/v1/keys", json: #"{"name": "x", "role": "root"}"#)
            #expect(role.json["detail"]?.string == "the field 'role' is one of admin, integration, support, analyst, not 'root'")
        }
    }

    @Test func everyRouteOfAMemberAnswersAnUnknownOrMalformedIdAlike() async throws {
        try await API.run { api in
            for suffix in ["", "/balance", "/ledger", "/coupons", "/referrals", "/early-access", "/tier"] {
                for id in [UUID().uuidString, "not-an-id"] {
                    let answer = try await api.call(.get, "/v1/members/\(id)\(suffix)")
                    #expect(answer.status == 404 && answer.code == "member_not_found", "\(suffix) \(id): \(answer.status) \(answer.code ?? "")")
                }
            }
            // A method the route does not take names the ones it does, of the route the path is
            // (sent past the document's check: these methods are not in it, by design).
            func send(_ method: HTTPRequest.Method, _ path: String) async throws -> (Int, JSON, String?) {
                let response = try await api.client.execute(uri: path, method: method, headers: [.authorization: "Bearer \(api.adminKey)"], body: nil)
                return (Int(response.status.code), JSON.parse(Data(response.body.readableBytesView)) ?? .null, response.headers[.allow])
            }
            let post = try await send(.post, "/v1/members/lookup")
            #expect(post.0 == 405 && post.1["detail"]?.string == "/v1/members/lookup takes GET" && post.2 == "GET")
            let delete = try await send(.delete, "/v1/members/\(UUID())")
            #expect(delete.0 == 405 && delete.1["detail"]?.string?.hasSuffix("takes GET, PATCH") == true)
        }
    }

    @Test func aBodyTooLargeIsAnsweredAndTheConnectionClosed() async throws {
        try await API.run(maxBodyBytes: 2_048, transport: .live) { api in
            let big = #"{"email": "a@example.com", "name": "\#(String(repeating: "x", count: 5_000))"}"#
            let response = try await api.client.execute(uri: "/v1/members", method: .post,
                                                        headers: [.authorization: "Bearer \(api.adminKey)", .contentType: "application/json"],
                                                        body: .init(string: big))
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.connection] == "close")
        }
    }
}
