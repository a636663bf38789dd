import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// Levels set by hand and the drop "below the level", over HTTP on every engine: a Berlin
/// shop with Silver from €200 and Gold from €1,000 of spend in a calendar year.
@Suite("Tiers set by hand and dropped below the level")
struct TierOverrideAPITests {
    static let now = Timestamp.parse("2026-12-01T10:00:00Z")!

    static func program(downgrade: String = "to_earned") -> String {
        let tiers = #"""
            "tiers": {"metric": "spend", "window": "calendar_year", "downgrade": "\#(downgrade)", "levels": [
              {"name": "Silver", "threshold": 20000}, {"name": "Gold", "threshold": 100000, "multiplier": 2}]},
            """#
        let document = Program.standardDocument.replacingOccurrences(of: #""time_zone": "UTC""#, with: #""time_zone": "Europe/Berlin""#)
            .replacingOccurrences(of: #""name": "Treu standard program","#, with: #""name": "tiers", \#(tiers)"#)
        return #"{"effective_from": "2026-12-01T10:00:00Z", "document": \#(document)}"#
    }

    static func order(_ reference: String, euros: Int, at: String = "2026-12-01T10:00:00Z") -> String {
        #"""
        {"type": "order", "reference": "\#(reference)", "at": "\#(at)", "member": {"email": "ana@example.com"}, "currency": "EUR",
         "lines": [{"sku": "COAT", "quantity": 1, "unit_price": \#(euros * 100)}]}
        """#
    }

    @Test(arguments: TestStores.available)
    func supportSetsAFloorOrAFixedLevelUntilADateWithAReason(backend: Backend) async throws {
        let hands = Hands(Self.now)
        try await API.run(backend, clock: hands.clock) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program()).status == 201)
            let first = try await api.call(.post, "/v1/events", json: Self.order("A1", euros: 250)).json
            let ana = try #require(first["member_id"]?.string)
            #expect(try await api.call(.get, "/v1/members/\(ana)/tier").json["tier"]?["name"]?.string == "Silver")

            // Gold as a floor until the end of January (a complaint made good): her orders earn Gold's × 2.
            let gold = try await api.call(.put, "/v1/members/\(ana)/tier", json: #"""
                {"level": "Gold", "mode": "floor", "until": "2027-01-31T23:00:00Z", "reason": "late delivery, ticket 4711"}
                """#)
            #expect(gold.status == 200, "\(gold.json)")
            #expect(gold.json["tier"]?["name"]?.string == "Gold" && gold.json["earned"]?.string == "Silver")
            #expect(gold.json["override"] == .object(["level": .string("Gold"), "mode": .string("floor"),
                                                      "until": .string("2027-01-31T23:00:00.000Z"), "running": .bool(true)]))
            #expect(gold.json["kept_until"]?.string == "2027-01-31T23:00:00.000Z")
            let doubled = try await api.call(.post, "/v1/events", json: Self.order("A2", euros: 50)).json
            #expect(doubled["effects"]?.array?.map { $0["points"] } == [.number(50), .number(50)], "\(doubled)")
            // The member's history holds who set it and why.
            let recorded = try await api.environment.store.events(after: nil, limit: 100).filter { $0.kind == "tier_override" }
            #expect(recorded.count == 1 && recorded[0].payload.contains("late delivery, ticket 4711") && recorded[0].payload.contains("\"actor\""))

            // On 1 February the floor is over: Silver again, and her orders earn the base only.
            hands.set("2027-02-01T09:00:00Z")
            let after = try await api.call(.get, "/v1/members/\(ana)/tier").json
            #expect(after["tier"]?["name"]?.string == "Silver" && after["override"]?["running"]?.bool == false, "\(after)")

            // Fixed at Silver whatever she spends; taken off again, the metric's level holds.
            let fixed = try await api.call(.put, "/v1/members/\(ana)/tier", json: #"{"level": "Silver", "mode": "fixed", "reason": "staff account"}"#)
            #expect(fixed.status == 200 && fixed.json["override"]?["until"] == .null)
            _ = try await api.call(.post, "/v1/events", json: Self.order("A3", euros: 1_200, at: "2027-02-01T09:00:00Z"))
            #expect(try await api.call(.get, "/v1/members/\(ana)/tier").json["tier"]?["name"]?.string == "Silver")
            let cleared = try await api.call(.delete, "/v1/members/\(ana)/tier?reason=left%20the%20staff")
            #expect(cleared.status == 200 && cleared.json["tier"]?["name"]?.string == "Gold" && cleared.json["override"] == .null)

            // Refusals: no reason, a level the program does not have, a date in the past, the wrong role.
            let noReason = try await api.call(.put, "/v1/members/\(ana)/tier", json: #"{"level": "Gold", "reason": "  "}"#)
            #expect(noReason.status == 422 && noReason.code == "reason_required")
            let unknown = try await api.call(.put, "/v1/members/\(ana)/tier", json: #"{"level": "Platinum", "reason": "x"}"#)
            #expect(unknown.status == 422 && unknown.code == "unknown_level")
            let past = try await api.call(.put, "/v1/members/\(ana)/tier", json: #"{"level": "Gold", "until": "2026-01-01T00:00:00Z", "reason": "x"}"#)
            #expect(past.status == 422 && past.code == "invalid_time")
            let badMode = try await api.call(.put, "/v1/members/\(ana)/tier", json: #"{"level": "Gold", "mode": "sometimes", "reason": "x"}"#)
            #expect(badMode.status == 422 && badMode.code == "invalid_field" && badMode.json["field"]?.string == "mode")
            let analyst = try await api.key(.analyst)
            #expect(try await api.call(.put, "/v1/members/\(ana)/tier", key: analyst, json: #"{"level": "Gold", "reason": "x"}"#).status == 403)
            #expect(try await api.call(.delete, "/v1/members/\(UUID().uuidString.lowercased())/tier?reason=x").code == "member_not_found")
        }
    }

    /// €250 in 2025 reached Silver. The default policy carries it through 2026; "below_level"
    /// holds a level only while the window's spend reaches it: none in 2026, and a return that
    /// takes this year's spend under €200 drops the level at once.
    @Test(arguments: TestStores.available)
    func belowTheLevelDropsAtOnce(backend: Backend) async throws {
        for policy in ["to_earned", "below_level"] {
            try await API.run(backend, clock: .fixed(Self.now)) { api in
                #expect(try await api.call(.put, "/v1/program", json: Self.program(downgrade: policy)).status == 201)
                let last = try await api.call(.post, "/v1/events", json: Self.order("A0", euros: 250, at: "2025-06-01T10:00:00Z")).json
                let ana = try #require(last["member_id"]?.string)
                let now = try await api.call(.get, "/v1/members/\(ana)/tier").json
                #expect(now["tier"]?["name"]?.string == (policy == "to_earned" ? "Silver" : nil), "\(policy): \(now)")
                if policy == "below_level" {
                    let up = try await api.call(.post, "/v1/events", json: Self.order("A1", euros: 250)).json
                    #expect(up["tier"]?["to"]?.string == "Silver")
                    let ret = #"{"type": "return", "reference": "A1-R", "order_reference": "A1", "at": "2026-12-01T10:00:00Z"}"#
                    let down = try await api.call(.post, "/v1/events", json: ret).json
                    #expect(down["tier"] == .object(["change": .string("downgrade"), "from": .string("Silver"), "to": .null]), "\(down)")
                    let bad = try await api.call(.put, "/v1/program", json: Self.program(downgrade: "below_level").replacingOccurrences(of: #""downgrade": "below_level""#, with: #""downgrade": "below_level", "grace_days": 30"#))
                    #expect(bad.status == 422 && bad.json["errors"]?.array?.contains { $0["path"]?.string == "tiers.grace_days" } == true, "\(bad.json)")
                }
            }
        }
    }
}
