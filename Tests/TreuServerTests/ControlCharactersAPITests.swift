import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// NUL and other control characters: a NUL was a 500 on PostgreSQL (its text cannot hold one)
/// and stored on SQLite. Both engines now refuse them alike, with a problem.
@Suite("Control characters")
struct ControlCharactersAPITests {
    @Test(arguments: TestStores.available)
    func aNulIsRefusedEverywhereAndControlCharactersInIdentifiers(backend: Backend) async throws {
        try await API.run(backend) { api in
            let ana = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#).json["id"]?.string)
            let cases: [(HTTPMethodName, String, String?, Int, String)] = [
                (.post, "/v1/members", #"{"email": "a\u0000@example.com"}"#, 400, "invalid_character"),
                (.post, "/v1/members", #"{"customer_id": "C-1\u0000"}"#, 400, "invalid_character"),
                (.post, "/v1/members", #"{"email": "b@example.com", "name": "Ana\u0000"}"#, 400, "invalid_character"),
                (.post, "/v1/members", #"{"customer_id": "C-\u0001"}"#, 422, "invalid_customer_id"),
                (.get, "/v1/members/lookup?identity=ana%00", nil, 400, "invalid_character"),
                (.get, "/v1/members?q=an%00a", nil, 400, "invalid_character"),
                (.post, "/v1/events", #"{"type": "order", "reference": "A\u0000", "member_id": "\#(ana)", "currency": "EUR", "lines": [{"sku": "T", "quantity": 1, "unit_price": 100}]}"#, 400, "invalid_character"),
                (.post, "/v1/events", #"{"type": "order", "reference": "A\n1", "member_id": "\#(ana)", "currency": "EUR", "lines": [{"sku": "T", "quantity": 1, "unit_price": 100}]}"#, 422, "invalid_reference"),
                (.post, "/v1/events", #"{"type": "order", "reference": "A-2", "member_id": "\#(ana)", "currency": "EUR", "lines": [{"sku": "T\u0007", "quantity": 1, "unit_price": 100}]}"#, 422, "invalid_line"),
                (.post, "/v1/events", #"{"type": "return", "reference": "R-1", "order_reference": "A\u0003"}"#, 422, "invalid_reference"),
                (.post, "/v1/keys", #"{"name": "shop\u001b[2J", "role": "integration"}"#, 422, "invalid_name"),
            ]
            for (method, path, body, status, code) in cases {
                let answer = try await api.call(method.method, path, json: body)
                #expect(answer.status == status && answer.code == code, "\(path) \(body ?? ""): \(answer.status) \(answer.code ?? "")")
            }
            // A backslash written as text before u0000 is no NUL.
            #expect(try await api.call(.post, "/v1/members", json: #"{"email": "c@example.com", "name": "C:\\u0000"}"#).status == 201)
            #expect(try await api.call(.get, "/v1/members").json["items"]?.array?.count == 2)
        }
    }
}
