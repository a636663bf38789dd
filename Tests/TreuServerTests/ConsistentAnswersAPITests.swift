import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// Two answers about one thing say the same: a member's level before any order and in the
/// first order's answer, an event and its replay written with another currency case, a lot's
/// expiry day in an event's answer and in a later balance.
@Suite("Answers that agree with each other")
struct ConsistentAnswersAPITests {
    static let now = Timestamp.parse("2026-12-01T10:00:00Z")!

    static func program(zone: String, extra: String = "") -> String {
        let document = Program.standardDocument.replacingOccurrences(of: #""time_zone": "UTC""#, with: #""time_zone": "\#(zone)""#)
            .replacingOccurrences(of: #""name": "Treu standard program","#, with: #""name": "zoned", \#(extra)"#)
        return #"{"effective_from": "2026-12-01T10:00:00Z", "document": \#(document)}"#
    }

    static func order(_ reference: String, euros: Int, at: String = "2026-12-01T10:00:00Z", currency: String = "EUR") -> String {
        #"""
        {"type": "order", "reference": "\#(reference)", "at": "\#(at)", "member": {"email": "ana@example.com"}, "currency": "\#(currency)",
         "lines": [{"sku": "COAT", "quantity": 1, "unit_price": \#(euros * 100)}]}
        """#
    }

    @Test(arguments: TestStores.available)
    func aMemberHoldsTheFirstLevelFromEnrolmentAndLeavesItByAnOrder(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            let tiers = #""tiers": {"metric": "spend", "window": "calendar_year", "levels": [{"name": "Bronze", "threshold": 0}, {"name": "Silver", "threshold": 20000}]},"#
            #expect(try await api.call(.put, "/v1/program", json: Self.program(zone: "Europe/Berlin", extra: tiers)).status == 201)
            let ana = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#).json["id"]?.string)
            #expect(try await api.call(.get, "/v1/members/\(ana)/tier").json["tier"]?["name"]?.string == "Bronze")
            // €50: still Bronze, which she held already; the answer names no change.
            let first = try await api.call(.post, "/v1/events", json: Self.order("A1", euros: 50)).json
            #expect(first["program_version"] == .number(1) && first["tier"] == nil, "\(first)")
            // €200 in all: from Bronze (not from nothing) to Silver.
            let second = try await api.call(.post, "/v1/events", json: Self.order("A2", euros: 150)).json
            #expect(second["tier"] == .object(["change": .string("upgrade"), "from": .string("Bronze"), "to": .string("Silver")]))
        }
    }

    @Test(arguments: TestStores.available)
    func aReplayWithTheCurrencyInSmallLettersIsTheSameEvent(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            let first = try await api.call(.post, "/v1/events", json: Self.order("A1", euros: 50, currency: "eur"))
            #expect(first.status == 201)
            let replay = try await api.call(.post, "/v1/events", json: Self.order("A1", euros: 50, currency: "EUR"))
            #expect(replay.status == 200 && replay.body == first.body)
        }
    }

    @Test(arguments: TestStores.available)
    func anExpiryDayIsTheSameInTheEventsAnswerAndInTheBalance(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            // From now the program is in Tokyo's zone; an order of yesterday is earned under the
            // standard program (UTC): its points expire as November 2027 ends in UTC, 1 December 09:00 in Tokyo.
            #expect(try await api.call(.put, "/v1/program", json: Self.program(zone: "Asia/Tokyo")).status == 201)
            let answer = try await api.call(.post, "/v1/events", json: Self.order("A1", euros: 50, at: "2026-11-30T10:00:00Z")).json
            #expect(answer["program_version"] == .number(0))
            #expect(answer["effects"]?[0]?["expires_at"]?.string == "2027-12-01T00:00:00.000Z")
            let member = try #require(answer["member_id"]?.string)
            let balance = try await api.call(.get, "/v1/members/\(member)/balance").json
            #expect(answer["balance"]?["next_expiries"] == balance["next_expiries"], "\(answer["balance"] ?? .null) vs \(balance)")
            #expect(balance["next_expiries"]?.array?.contains { $0["on"]?.string == "2027-12-01" } == true, "\(balance)")
        }
    }
}
