import Foundation
import Testing
import HTTPTypes
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// Extreme numbers in every field and parameter of every route that takes one, sent to a real
/// server: each is refused with a 4xx problem naming what is wrong, and the server stays up
/// (an overflow used to trap the process: one request took the whole server down).
@Suite("Extreme numbers")
struct ExtremeNumbersAPITests {
    /// Numbers past every documented maximum, below every minimum, or not whole.
    static let extremes = ["1e18", "1000000000000000000", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                           "18446744073709551616", "1e30", "-1", "1.5", "4611686018427387904"]

    static func order(_ field: String, _ value: String, reference: String) -> String {
        var line = ["\"sku\": \"A\"", "\"quantity\": 1", "\"unit_price\": 1000"]
        var fields = [String]()
        switch field {
        case "quantity": line[1] = "\"quantity\": \(value)"
        case "unit_price": line[2] = "\"unit_price\": \(value)"
        case "discount": line.append("\"discount\": \(value)")
        default: fields.append("\"\(field)\": \(value)")
        }
        fields += ["\"type\": \"order\"", "\"reference\": \"\(reference)\"", "\"member\": {\"email\": \"ana@example.com\"}",
                   "\"currency\": \"EUR\"", "\"lines\": [{\(line.joined(separator: ", "))}]"]
        return "{\(fields.joined(separator: ", "))}"
    }

    @Test func everyRouteThatTakesANumberRefusesExtremesAndTheServerStaysUp() async throws {
        try await API.run { api in
            let member = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#).json["id"]?.string)
            let other = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ben@example.com"}"#).json["id"]?.string)
            // Each request, and whether a 2xx is a right answer too (-1 points is a debit of one;
            // a cursor past the end is an empty page; a point may be worth 1.5 minor units).
            var requests: [(method: HTTPMethodName, path: String, body: String?, mayAccept: Bool)] = []
            func add(_ method: HTTPMethodName, _ path: String, _ body: String?, mayAccept: Bool = false) {
                requests.append((method, path, body, mayAccept))
            }
            for (n, value) in Self.extremes.enumerated() {
                for field in ["quantity", "unit_price", "discount", "order_discount", "shipping"] {
                    let body = Self.order(field, value, reference: "X-\(field)-\(n)")
                    add(.post, "/v1/events", body)
                    add(.post, "/v1/events?dry_run=true", body)
                    add(.post, "/v1/events/batch", "{\"events\": [\(body)]}")
                    guard ["quantity", "unit_price", "shipping"].contains(field) else { continue }
                    let cart = #"{"lines": [{"sku": "A", "quantity": \#(field == "quantity" ? value : "1"), "unit_price": \#(field == "unit_price" ? value : "1000")}], "shipping": \#(field == "shipping" ? value : "0")}"#
                    add(.post, "/v1/coupons/NOPE-NOPE/validate", cart)
                    add(.post, "/v1/coupons/NOPE-NOPE/redeem", cart.dropLast() + #", "order_reference": "O-1"}"#)
                }
                add(.post, "/v1/events", #"{"type": "membership", "reference": "M-\#(n)", "level": "Club", "months": \#(value), "member": {"email": "ana@example.com"}}"#)
                add(.post, "/v1/members/\(member)/adjustments", #"{"points": \#(value), "reason": "x"}"#, mayAccept: value == "-1")
                add(.post, "/v1/members/\(member)/transfers", #"{"points": \#(value), "to_member_id": "\#(other)"}"#)
                add(.post, "/v1/members/\(member)/donations", #"{"points": \#(value), "cause": "Trees"}"#)
                add(.post, "/v1/coupon-campaigns", #"{"name": "c", "reward": {"type": "fixed_discount", "amount": \#(value)}, "count": 1}"#)
                add(.post, "/v1/coupon-campaigns", #"{"name": "c", "reward": {"type": "percent_discount", "percent": 10}, "count": \#(value)}"#)
                add(.post, "/v1/coupon-campaigns", #"{"name": "c", "reward": {"type": "percent_discount", "percent": 10}, "count": 1, "budget": {"money": \#(value)}}"#)
                let program = Program.standardDocument.replacingOccurrences(of: #""points": 1, "per": 100"#, with: #""points": \#(value), "per": 100"#)
                add(.put, "/v1/program", #"{"document": \#(program)}"#)
                for query in ["limit", "cursor"] {
                    add(.get, "/v1/members?\(query)=\(value)", nil, mayAccept: false)
                    add(.get, "/v1/members/\(member)/ledger?\(query)=\(value)", nil, mayAccept: query == "cursor" && !value.hasPrefix("-"))
                }
                add(.get, "/v1/analytics/rfm?limit=\(value)", nil)
                add(.get, "/v1/analytics/clv?limit=\(value)", nil)
                add(.get, "/v1/analytics/clv?holdout_weeks=\(value)", nil)
                add(.get, "/v1/analytics/retention?active_days=\(value)", nil)
                add(.get, "/v1/analytics/program?point_value=\(value)", nil, mayAccept: value == "1.5")
            }
            for request in requests {
                let answer = try await api.call(request.method.method, request.path, json: request.body)
                let what = "\(request.method) \(request.path) \(request.body ?? "")"
                #expect(answer.status < 500, "\(what): \(answer.status)")
                guard !request.mayAccept else { continue }
                // A batch answers 200 with each event's own status and problem.
                let item = request.path.hasSuffix("/batch") ? answer.json["results"]?[0] : nil
                let status = item?["status"]?.double.map(Int.init) ?? answer.status
                let code = item?["problem"]?["code"]?.string ?? answer.code
                #expect((400..<500).contains(status) && code != nil, "\(what): \(status) \(code ?? "")")
            }
            // Still up, and nothing of that moved a point: the welcome gift alone.
            #expect(try await api.call(.get, "/v1/members/\(member)/balance").json["lifetime_earned"] == .number(50))
            #expect(try await api.call(.get, "/v1/analytics/retention").status == 200)
        }
    }

    /// The largest orders that are accepted, over and over, and the reports over them.
    @Test func theLargestAcceptedOrdersSumWithoutOverflow() async throws {
        try await API.run { api in
            for n in 0..<20 {
                let body = #"{"type": "order", "reference": "BIG-\#(n)", "member": {"email": "ana@example.com"}, "currency": "EUR", "at": "2026-01-0\#(n % 9 + 1)T10:00:00Z", "lines": [{"sku": "A", "quantity": 1000000, "unit_price": 1000000}]}"#
                #expect(try await api.call(.post, "/v1/events", json: body).status == 201)
            }
            let over = #"{"type": "order", "reference": "BIG-X", "member": {"email": "ana@example.com"}, "currency": "EUR", "lines": [{"sku": "A", "quantity": 1000000, "unit_price": 1000001}]}"#
            let refused = try await api.call(.post, "/v1/events", json: over)
            #expect(refused.status == 422 && refused.code == "invalid_line" && refused.json["field"]?.string == "lines.0")
            let id = try #require(try await api.call(.get, "/v1/members/lookup?identity=ana%40example.com").json["id"]?.string)
            // 20 × 10^12 minor units at 1 point per euro: 2 × 10^11 points, and the welcome gift.
            #expect(try await api.call(.get, "/v1/members/\(id)/balance").json["lifetime_earned"] == .number(200_000_000_050))
            for report in ["retention", "cohorts", "rfm", "program", "senders"] {
                #expect(try await api.call(.get, "/v1/analytics/\(report)?from=2026-01-01&to=2026-12-31").status == 200, "\(report)")
            }
            let tier = try await api.call(.get, "/v1/members/\(id)/tier")
            #expect(tier.status == 200 || tier.status == 404)
        }
    }
}

/// The request methods these tests send.
enum HTTPMethodName: String, CustomStringConvertible {
    case get = "GET", post = "POST", put = "PUT"
    var description: String { rawValue }
    var method: HTTPRequest.Method {
        switch self {
        case .get: .get
        case .post: .post
        case .put: .put
        }
    }
}
