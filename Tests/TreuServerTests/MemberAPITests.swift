import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport
@testable import TreuServer

@Suite("Members over HTTP")
struct MemberAPITests {
    @Test func aMemberIsFoundByAnyIdentityInAnySpelling() async throws {
        try await API.run { api in
            let enrolled = try await api.call(.post, "/v1/members", json: """
                {"name": "Ana Example", "locale": "de", "birthday": "1990-04-02", "email": "Ana@Example.COM",
                 "phone": "+49 170 1234567", "card": "4000-0001", "consents": {"marketing_email": true},
                 "attributes": {"store": "Berlin", "visits": 3, "vip": true}}
                """)
            #expect(enrolled.status == 201)
            let id = try #require(enrolled.json["id"]?.string)
            #expect(enrolled.json["identities"]?.array?.compactMap { $0["value"]?.string } == ["ana@example.com", "+491701234567", "40000001"])
            for spelling in ["ANA@example.com", "0049 (170) 123-4567", "0170 1234567", "4000 0001"] {
                let query = spelling.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let found = try await api.call(.get, "/v1/members/lookup?identity=\(query)")
                #expect(found.status == 200, "\(spelling)")
                #expect(found.json["id"]?.string == id, "\(spelling)")
            }
            let typed = try await api.call(.get, "/v1/members/lookup?identity=ana%40example.com&kind=email")
            #expect(typed.json["id"]?.string == id)
            let missing = try await api.call(.get, "/v1/members/lookup?identity=nobody%40example.com")
            #expect(missing.status == 404 && missing.code == "member_not_found")
            let read = try await api.call(.get, "/v1/members/\(id)")
            #expect(read.json["birthday"]?.string == "1990-04-02")
            #expect(read.json["consents"]?["marketing_email"]?.bool == true)
        }
    }

    @Test(arguments: TestStores.available)
    func concurrentEnrolmentsWithOneEmailMakeOneMemberAndOneConflict(backend: Backend) async throws {
        try await API.run(backend, transport: .live) { api in
            let answers = try await withThrowingTaskGroup(of: API.Answer.self) { group in
                for i in 0..<2 {
                    group.addTask { try await api.call(.post, "/v1/members", json: #"{"name":"Racer \#(i)","email":"race@example.com"}"#) }
                }
                return try await group.reduce(into: [API.Answer]()) { $0.append($1) }
            }
            #expect(answers.map(\.status).sorted() == [201, 409])
            let conflict = try #require(answers.first { $0.status == 409 })
            #expect(conflict.code == "identity_taken")
            #expect(conflict.contentType == "application/problem+json")
            let list = try await api.call(.get, "/v1/members")
            #expect(list.json["items"]?.array?.count == 1)
        }
    }

    @Test func keysAndRolesGuardEveryRoute() async throws {
        try await API.run { api in
            let none = try await api.call(.get, "/v1/members", key: .some(nil))
            #expect(none.status == 401 && none.code == "unauthorized" && none.contentType == "application/problem+json")
            let wrong = try await api.call(.get, "/v1/members", key: "treu_not-a-real-key")
            #expect(wrong.status == 401 && wrong.code == "invalid_api_key")

            let analyst = try await api.key(.analyst)
            let write = try await api.call(.post, "/v1/members", key: analyst, json: #"{"email":"a@b.de"}"#)
            #expect(write.status == 403 && write.code == "forbidden" && write.contentType == "application/problem+json")
            #expect(try await api.call(.get, "/v1/members", key: analyst).status == 200)
            #expect(try await api.call(.get, "/v1/keys", key: analyst).status == 403)

            let integration = try await api.key(.integration)
            #expect(try await api.call(.post, "/v1/members", key: integration, json: #"{"email":"a@b.de"}"#).status == 201)
            #expect(try await api.call(.post, "/v1/keys", key: integration, json: #"{"name":"x","role":"admin"}"#).status == 403)

            let keys = try await api.call(.get, "/v1/keys")
            let listed = keys.json["items"]?.array ?? []
            #expect(listed.count == 3)
            #expect(listed.allSatisfy { $0["key"] == nil })
            let analystID = try #require(listed.first { $0["role"]?.string == "analyst" }?["id"]?.string)
            #expect(try await api.call(.delete, "/v1/keys/\(analystID)").status == 204)
            #expect(try await api.call(.delete, "/v1/keys/\(analystID)").status == 404)
            // The last live admin key cannot be revoked: nobody could make keys after it.
            let admin = try #require(try await api.call(.get, "/v1/keys").json["items"]?.array?.first { $0["role"]?.string == "admin" }?["id"]?.string)
            let last = try await api.call(.delete, "/v1/keys/\(admin)")
            #expect(last.status == 409 && last.code == "last_admin_key")
            #expect(try await api.call(.get, "/v1/members", key: analyst).code == "invalid_api_key")
        }
    }

    @Test func badInputGetsACodeAndTheServerKeepsServing() async throws {
        try await API.run(maxBodyBytes: 4096, transport: .live) { api in
            let cases: [(String, Int, String)] = [
                (#"{"email": "ana@example.com""#, 400, "malformed_json"),
                (#"{"email": "ana@example.com", "emial": "x"}"#, 400, "unknown_field"),
                (#"{"email": "ana@example.com", "consents": {"sms": true}}"#, 400, "unknown_field"),
                (#"{"email": 42}"#, 400, "invalid_field"),
                (#"{"email": "not an email"}"#, 422, "invalid_email"),
                (#"{"phone": "12345"}"#, 422, "invalid_phone"),
                (#"{"email": "ana@example.com", "birthday": "1990-02-30"}"#, 422, "invalid_date"),
                (#"{"email": "ana@example.com", "locale": "fr"}"#, 400, "invalid_field"),
                (#"{"name": "Ana"}"#, 422, "identity_required"),
                (#"{"email": "ana@example.com", "name": "\#(String(repeating: "x", count: 5000))"}"#, 413, "body_too_large"),
            ]
            for (body, status, code) in cases {
                let answer = try await api.call(.post, "/v1/members", json: body)
                #expect(answer.status == status, "\(code)")
                #expect(answer.code == code)
                #expect(answer.contentType == "application/problem+json")
            }
            let unknown = try await api.call(.patch, "/v1/members/not-a-uuid", json: "{}")
            #expect(unknown.status == 404 && unknown.code == "member_not_found")
            let limit = try await api.call(.get, "/v1/members?limit=0")
            #expect(limit.status == 400 && limit.code == "invalid_parameter")
            #expect(try await api.call(.get, "/v1/members?cursor=").status == 200)
            let cursor = try await api.call(.get, "/v1/members?cursor=forged")
            #expect(cursor.status == 422 && cursor.code == "invalid_cursor")
            #expect(try await api.call(.get, "/health").status == 200)
            #expect(try await api.call(.post, "/v1/members", json: #"{"email":"ana@example.com"}"#).status == 201)
            let wrongMethod = try await api.client.execute(uri: "/v1/members/\(UUID())", method: .put)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET, PATCH")
            #expect(try await api.client.execute(uri: "/v1/nothing-here", method: .get).status == .notFound)
        }
    }

    @Test func aRetryWithTheSameIdempotencyKeyReturnsTheFirstAnswer() async throws {
        try await API.run { api in
            let body = #"{"name":"Ana","email":"ana@example.com"}"#
            let first = try await api.call(.post, "/v1/members", json: body, headers: ["Idempotency-Key": "enrol-ana-1"])
            let retry = try await api.call(.post, "/v1/members", json: body, headers: ["Idempotency-Key": "enrol-ana-1"])
            #expect(first.status == 201 && retry.status == 201)
            #expect(first.body == retry.body)
            let other = try await api.call(.post, "/v1/members", json: #"{"email":"ben@example.com"}"#, headers: ["Idempotency-Key": "enrol-ana-1"])
            #expect(other.status == 409 && other.code == "idempotency_key_reused")
            let refused = try await api.call(.post, "/v1/members", json: #"{"email":"bad"}"#, headers: ["Idempotency-Key": "enrol-bad"])
            let refusedAgain = try await api.call(.post, "/v1/members", json: #"{"email":"bad"}"#, headers: ["Idempotency-Key": "enrol-bad"])
            #expect(refused.code == "invalid_email" && refusedAgain.body == refused.body)
            #expect(try await api.call(.get, "/v1/members").json["items"]?.array?.count == 1)
        }
    }

    @Test func profilesChangeAndIdentitiesComeAndGo() async throws {
        try await API.run { api in
            let enrolled = try await api.call(.post, "/v1/members", json: #"{"name":"Ana","email":"ana@example.com","birthday":"1990-04-02","attributes":{"store":"Berlin","vip":true}}"#)
            let id = try #require(enrolled.json["id"]?.string)
            let patched = try await api.call(.patch, "/v1/members/\(id)", json: """
                {"name": "Ana Neu", "birthday": null, "attributes": {"vip": null, "size": "M"},
                 "consents": {"marketing_sms": true}, "status": "suspended"}
                """)
            #expect(patched.status == 200)
            #expect(patched.json["name"]?.string == "Ana Neu")
            #expect(patched.json["birthday"] == .null)
            #expect(patched.json["attributes"] == .object(["store": .string("Berlin"), "size": .string("M")]))
            #expect(patched.json["consents"]?["marketing_sms"]?.bool == true)
            #expect(patched.json["status"]?.string == "suspended")

            let added = try await api.call(.post, "/v1/members/\(id)/identities", json: #"{"kind":"phone","value":"0170 1234567"}"#)
            #expect(added.status == 201)
            #expect(try await api.call(.get, "/v1/members/lookup?identity=%2B491701234567").json["id"]?.string == id)
            let other = try await api.call(.post, "/v1/members", json: #"{"email":"ben@example.com"}"#)
            let otherID = try #require(other.json["id"]?.string)
            let taken = try await api.call(.post, "/v1/members/\(otherID)/identities", json: #"{"kind":"phone","value":"+491701234567"}"#)
            #expect(taken.status == 409 && taken.code == "identity_taken")

            let removed = try await api.call(.delete, "/v1/members/\(id)/identities/email/ana%40example.com")
            #expect(removed.status == 200)
            #expect(removed.json["identities"]?.array?.count == 1)
            let last = try await api.call(.delete, "/v1/members/\(id)/identities/phone/%2B491701234567")
            #expect(last.status == 409 && last.code == "last_identity")
        }
    }

    @Test func listsPageWithCursorsAndSearch() async throws {
        try await API.run { api in
            for name in ["Anna", "Bernd", "Chi", "Dora", "Emil"] {
                try await api.call(.post, "/v1/members", json: #"{"name":"\#(name)","email":"\#(name.lowercased())@example.com"}"#)
            }
            var names: [String] = []
            var path = "/v1/members?limit=2"
            while true {
                let page = try await api.call(.get, path)
                names += page.json["items"]?.array?.compactMap { $0["name"]?.string } ?? []
                guard let cursor = page.json["next_cursor"]?.string else { break }
                path = "/v1/members?limit=2&cursor=\(cursor)"
            }
            #expect(names == ["Anna", "Bernd", "Chi", "Dora", "Emil"])
            let search = try await api.call(.get, "/v1/members?q=DORA")
            #expect(search.json["items"]?.array?.compactMap { $0["name"]?.string } == ["Dora"])
        }
    }

    @Test func healthReadinessMetricsAndTheDocumentAreServed() async throws {
        try await API.run { api in
            #expect(try await api.call(.get, "/health").json["status"]?.string == "ok")
            let ready = try await api.call(.get, "/ready")
            #expect(ready.json["schema_version"] == .number(18))
            try await api.call(.post, "/v1/members", json: #"{"email":"a@b.de"}"#)
            let metrics = try await api.call(.get, "/metrics")
            let text = String(decoding: metrics.body, as: UTF8.self)
            // Hummingbird's request metrics through swift-metrics (one system for the process:
            // other tests' requests are counted too).
            let enrolments = text.split(separator: "\n").first { $0.hasPrefix("hb_requests{") && $0.contains(#"http_route="/v1/members""#)
                && $0.contains(#"http_request_method="POST""#) && $0.contains(#"http_response_status_code="201""#) }
            #expect((enrolments?.split(separator: " ").last.flatMap { Int($0) } ?? 0) >= 1, "\(text.prefix(2_000))")
            #expect(text.contains("http_server_request_duration_bucket"), "\(text.prefix(2_000))")
            let document = try await api.call(.get, "/openapi.json")
            #expect(document.json["openapi"]?.string == "3.1.0")
        }
    }
}

@Suite("The OpenAPI document matches the router")
struct OpenAPIRouteTests {
    @Test func everyRouteIsDocumentedAndEveryOperationRouted() throws {
        let store = try SQLiteStore(path: nil)
        let router = buildRouter(TreuEnvironment(configuration: AppConfiguration(), store: store))
        let routed = Set(router.routes.map { route -> String in
            let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            return "\(route.method.rawValue) /" + path.joined(separator: "/")
        })
        #expect(routed == OpenAPIContract.shared.operations)
        #expect(routed.count == 75)
    }
}
