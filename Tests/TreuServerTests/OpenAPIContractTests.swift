import Foundation
import Testing
@testable import TreuServer

/// The contract checker itself: it must fail what the document refuses, or it holds nothing.
@Suite("The OpenAPI contract checker")
struct OpenAPIContractTests {
    let contract = OpenAPIContract.shared
    let problem = Data(#"{"type":"t","title":"Not Found","status":404,"detail":"d","code":"member_not_found"}"#.utf8)

    @Test func aDocumentedAnswerPasses() {
        #expect(contract.violations(method: "GET", path: "/v1/members/x", status: 404,
                                    contentType: "application/problem+json", body: problem).isEmpty)
    }

    @Test func anUndocumentedStatusTypeOrFieldIsCaught() {
        #expect(!contract.violations(method: "GET", path: "/v1/members/x", status: 418, contentType: "application/problem+json", body: problem).isEmpty)
        #expect(!contract.violations(method: "GET", path: "/v1/members/x", status: 404, contentType: "application/json", body: problem).isEmpty)
        let extra = Data(#"{"type":"t","title":"T","status":404,"detail":"d","code":"c","secret":1}"#.utf8)
        #expect(!contract.violations(method: "GET", path: "/v1/members/x", status: 404, contentType: "application/problem+json", body: extra).isEmpty)
        let missing = Data(#"{"items":[]}"#.utf8)
        #expect(!contract.violations(method: "GET", path: "/v1/members", status: 200, contentType: "application/json", body: missing).isEmpty)
        #expect(!contract.violations(method: "PUT", path: "/v1/members", status: 200, contentType: "application/json", body: Data()).isEmpty)
    }


    func problems(_ json: String, _ schema: [String: Any]) -> [String] {
        contract.check(JSON.parse(Data(json.utf8))!, against: schema, at: "$")
    }

    @Test func aBrokenOneOfPatternOrEnumIsAViolation() {
        let oneOf: [String: Any] = ["oneOf": [["type": "integer", "minimum": 1], ["const": "all"]]]
        #expect(problems("3", oneOf).isEmpty && problems(#""all""#, oneOf).isEmpty)
        #expect(problems(#""some""#, oneOf).count == 1 && problems("0", oneOf).count == 1)
        let pattern: [String: Any] = ["type": "string", "pattern": "^[A-Za-z]{3}$"]
        #expect(problems(#""EUR""#, pattern).isEmpty && problems(#""EURO""#, pattern) == [#"$: 'EURO' does not match ^[A-Za-z]{3}$"#])
        let allowed: [String: Any] = ["enum": ["floor", "fixed", NSNull()]]
        #expect(problems(#""fixed""#, allowed).isEmpty && problems("null", allowed).isEmpty && problems(#""sometimes""#, allowed).count == 1)
        #expect(problems(#""2026-13-01""#, ["type": "string", "format": "date"]).count == 1)
        #expect(problems(#""not-a-uuid""#, ["type": "string", "format": "uuid"]).count == 1)
        #expect(problems("1000001", ["type": "integer", "maximum": 1_000_000]).count == 1)
    }

    /// The served document's own schemas: a tier set by hand takes floor or fixed; a currency is
    /// three letters; a reward's quantity is a number or "all".
    @Test func theDocumentsSchemasRefuseWhatTheServerRefuses() {
        let override = ["$ref": "#/components/schemas/TierOverride"]
        #expect(problems(#"{"level": "Gold", "mode": "fixed", "reason": "staff"}"#, override).isEmpty)
        #expect(!problems(#"{"level": "Gold", "mode": "sometimes", "reason": "staff"}"#, override).isEmpty)
        let event = ["$ref": "#/components/schemas/Event"]
        #expect(!problems(#"{"type": "order", "reference": "A", "currency": "EURO", "lines": []}"#, event).isEmpty)
        let reward = ["$ref": "#/components/schemas/Reward"]
        let violations = problems(#"{"quantity": "some"}"#, reward)
        #expect(violations.contains { $0.contains("oneOf") }, "\(violations)")
        #expect(contract.requestViolations(method: "PUT", path: "/v1/members/x/tier", body: Data(#"{"level": "Gold"}"#.utf8)) == ["request: 'reason' is required"])
    }
}
