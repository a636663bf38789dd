import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

@Suite("A member's tier over HTTP")
struct TierAPITests {
    static let now = Timestamp.parse("2026-07-01T10:00:00Z")!

    /// The standard program with Silver from €500 and Gold from €1,500 a calendar year in Berlin.
    static let program: String = {
        let tiers = #"""
            "tiers": {"metric": "spend", "window": "calendar_year", "levels": [
              {"name": "Silver", "threshold": 50000, "perks": {"en": "Birthday gift", "de": "Geburtstagsgeschenk", "vi": "Quà sinh nhật"}},
              {"name": "Gold", "threshold": 150000, "multiplier": 1.5, "free_shipping": true}]}
            """#
        let document = Program.standardDocument.replacingOccurrences(of: #""time_zone": "UTC""#, with: #""time_zone": "Europe/Berlin""#)
            .replacingOccurrences(of: #""name": "Treu standard program","#, with: #""name": "with tiers", \#(tiers),"#)
        return #"{"effective_from": "2026-07-01T10:00:00Z", "document": \#(document)}"#
    }()

    static func order(_ reference: String, _ email: String, _ at: String, _ lines: [(String, Int)]) -> String {
        let items = lines.map { #"{"sku": "\#($0.0)", "quantity": 1, "unit_price": \#($0.1)}"# }.joined(separator: ", ")
        return #"{"type": "order", "reference": "\#(reference)", "at": "\#(at)", "member": {"email": "\#(email)@example.com"}, "currency": "EUR", "lines": [\#(items)]}"#
    }

    @Test(arguments: TestStores.available)
    func progressCurrentLevelAndWhatKeepsIt(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            let batch = """
                {"events": [
                  \(Self.order("A1", "ana", "2026-03-01T12:00:00Z", [("COAT", 30000)])),
                  \(Self.order("A2", "ana", "2026-06-15T12:00:00Z", [("BAG", 15000), ("BELT", 10000)])),
                  \(Self.order("B1", "ben", "2025-05-01T12:00:00Z", [("SUIT", 160000)]))
                ]}
                """
            #expect(try await api.call(.post, "/v1/events/batch", json: batch).json["results"]?.array?.allSatisfy { $0["status"] == .number(201) } == true)
            let ana = try #require(try await api.call(.get, "/v1/members/lookup?identity=ana@example.com").json["id"]?.string)
            let ben = try #require(try await api.call(.get, "/v1/members/lookup?identity=ben@example.com").json["id"]?.string)

            let none = try await api.call(.get, "/v1/members/\(ana)/tier")
            #expect(none.status == 404 && none.code == "no_tiers")
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)

            // ana: €300 + €250 this year = €550: Silver, €950 short of Gold; earned this year, so
            // kept through 2027, until 2028 begins in Berlin.
            let silver = try await api.call(.get, "/v1/members/\(ana)/tier").json
            #expect(silver["tier"]?["name"]?.string == "Silver" && silver["earned"]?.string == "Silver")
            #expect(silver["tier"]?["perks"]?["vi"]?.string == "Quà sinh nhật")
            #expect(silver["value"] == .number(55_000) && silver["next"]?["name"]?.string == "Gold" && silver["needed"] == .number(95_000))
            #expect(silver["window_start"]?.string == "2025-12-31T23:00:00.000Z" && silver["window_end"]?.string == "2026-12-31T23:00:00.000Z")
            #expect(silver["to_keep"] == .number(0) && silver["kept_until"]?.string == "2027-12-31T23:00:00.000Z")

            // The belt comes back: €450, below Silver.
            let ret = #"{"type": "return", "reference": "A2-R", "order_reference": "A2", "at": "2026-06-30T12:00:00Z", "lines": [{"sku": "BELT", "quantity": 1}]}"#
            #expect(try await api.call(.post, "/v1/events", json: ret).status == 201)
            let below = try await api.call(.get, "/v1/members/\(ana)/tier").json
            #expect(below["tier"] == .null && below["value"] == .number(45_000))
            #expect(below["next"]?["name"]?.string == "Silver" && below["needed"] == .number(5_000))

            // ben: Gold from 2025, carried through 2026 without an order this year.
            let gold = try await api.call(.get, "/v1/members/\(ben)/tier").json
            #expect(gold["tier"]?["name"]?.string == "Gold" && gold["tier"]?["free_shipping"]?.bool == true)
            #expect(gold["earned"] == .null && gold["value"] == .number(0) && gold["next"] == .null)
            #expect(gold["to_keep"] == .number(150_000) && gold["kept_until"]?.string == "2026-12-31T23:00:00.000Z")
            #expect(gold["program_version"] == .number(1))

            #expect(try await api.call(.get, "/v1/members/\(UUID().uuidString.lowercased())/tier").code == "member_not_found")

            // ben orders as Gold, under the version with tiers: the base and Gold's × 1.5.
            let order = try await api.call(.post, "/v1/events", json: Self.order("B2", "ben", "2026-07-01T10:00:00Z", [("TIE", 10000)]))
            let effects = try #require(order.json["effects"]?.array)
            #expect(effects.map { $0["rule"]?.string ?? "" } == ["1 point per whole unit spent", "Gold tier"])
            #expect(effects.map { $0["points"] } == [.number(100), .number(50)] && order.json["program_version"] == .number(1))
            // ana, back below Silver, earns the base only.
            let plain = try await api.call(.post, "/v1/events", json: Self.order("A3", "ana", "2026-07-01T10:00:00Z", [("CAP", 1000)]))
            #expect(plain.json["effects"]?.array?.count == 1 && plain.json["tier"] == nil)
            // €50 more takes her to €510 this year: the answer says she went up; its return, down.
            let up = try await api.call(.post, "/v1/events", json: Self.order("A4", "ana", "2026-07-01T10:00:00Z", [("SCARF", 5000)])).json
            #expect(up["tier"] == .object(["change": .string("upgrade"), "from": .null, "to": .string("Silver")]))
            let back = #"{"type": "return", "reference": "A4-R", "order_reference": "A4", "at": "2026-07-01T10:00:00Z"}"#
            let down = try await api.call(.post, "/v1/events", json: back).json
            #expect(down["tier"] == .object(["change": .string("downgrade"), "from": .string("Silver"), "to": .null]))
            #expect(try await api.call(.get, "/v1/members/\(ana)/tier").json["tier"] == .null)
        }
    }

    @Test(arguments: TestStores.available)
    func aLevelNotEarnedAgainDropsAtTheWindowsEndOnce(backend: Backend) async throws {
        let hands = Hands(Self.now)
        try await API.run(backend, clock: hands.clock) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            let up = try await api.call(.post, "/v1/events", json: Self.order("A1", "ana", "2026-07-01T10:00:00Z", [("COAT", 60000)])).json
            #expect(up["tier"] == .object(["change": .string("upgrade"), "from": .null, "to": .string("Silver")]))
            let ana = try #require(up["member_id"]?.string)
            let downgrades = api.environment.tierDowngrades

            // Silver earned in 2026 is kept through 2027: nothing drops before 2028 begins in Berlin.
            hands.set("2027-12-31T22:59:59.999Z")
            #expect(try await downgrades.run(at: hands.clock.now()) == 0)
            #expect(try await api.call(.get, "/v1/members/\(ana)/tier").json["tier"]?["name"]?.string == "Silver")

            // At midnight it drops, once, however many servers look at the same moment and after.
            hands.set("2027-12-31T23:00:00Z")
            let second = TierDowngrades(store: api.environment.store, clock: hands.clock, ids: api.environment.ids,
                                        programs: api.environment.programs)
            async let a = downgrades.run(at: hands.clock.now())
            async let b = second.run(at: hands.clock.now())
            #expect(try await a + b == 1)
            #expect(try await downgrades.run(at: hands.clock.now().addingTimeInterval(3_600)) == 0)
            let recorded = try await api.environment.store.events(after: nil, limit: 100).filter { $0.kind == "tier" }
            #expect(recorded.map(\.reference) == ["tier:\(ana):2028-01-01"])
            #expect(try await api.call(.get, "/v1/members/\(ana)/tier").json["tier"] == .null)

            // Her next order finds no level to lose, and earns none: its answer names no change.
            hands.set("2028-01-05T10:00:00Z")
            let next = try await api.call(.post, "/v1/events", json: Self.order("A2", "ana", "2028-01-05T10:00:00Z", [("CAP", 2000)])).json
            #expect(next["tier"] == nil)
        }
    }

    @Test(arguments: TestStores.available)
    func recomputeRecordsLevelsUnderNewDefinitionsAndRecountsLostCounters(backend: Backend) async throws {
        try await API.run(backend, clock: .fixed(Self.now)) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program).status == 201)
            let batch = """
                {"events": [
                  \(Self.order("A1", "ana", "2026-07-01T10:00:00Z", [("COAT", 60000)])),
                  \(Self.order("B1", "ben", "2026-07-01T10:00:00Z", [("SUIT", 160000)])),
                  \(Self.order("C1", "cem", "2026-07-01T10:00:00Z", [("CAP", 10000)]))
                ]}
                """
            #expect(try await api.call(.post, "/v1/events/batch", json: batch).status == 200)
            let ana = try #require(try await api.call(.get, "/v1/members/lookup?identity=ana@example.com").json["id"]?.string)
            let ben = try #require(try await api.call(.get, "/v1/members/lookup?identity=ben@example.com").json["id"]?.string)
            // The shop's CRM hears of tier changes: a recompute's too, written with the levels.
            let hook = try await api.call(.post, "/v1/webhooks", json: #"{"url": "https://crm.example.com/treu", "types": ["tier.changed"]}"#)
            #expect(hook.status == 201)
            try await api.environment.notices.refresh()
            let recompute = TierRecompute(store: api.environment.store, programs: api.environment.programs, notices: api.environment.notices)
            let told = { () async throws -> [(String?, String?)] in
                (try await api.call(.get, "/v1/deliveries?limit=10").json["items"]?.array ?? [])
                    .filter { $0["type"]?.string == "tier.changed" }.map { ($0["member_id"]?.string, $0["webhook_id"]?.string) }
            }

            // Nothing to change under the same definitions.
            var summary = try await recompute.run(at: Self.now, recount: false)
            #expect(summary.members == 3 && summary.changed == 0 && summary.levels == ["Silver": 1, "Gold": 1, "none": 1])

            // Silver from €700: ana's €600 no longer holds it.
            let higher = Self.program.replacingOccurrences(of: #""threshold": 50000"#, with: #""threshold": 70000"#)
            #expect(try await api.call(.put, "/v1/program", json: higher).status == 201)
            summary = try await recompute.run(at: Self.now, recount: false)
            #expect(summary.downgrades == 1 && summary.upgrades == 0 && summary.changed == 1)
            #expect(summary.levels == ["Gold": 1, "none": 2])
            #expect(try await told().map(\.0) == [ana], "ana's step down is told, once")

            // Counters lost (as in a database from before Treu kept them): a recount restores them.
            let everyone = try await api.environment.store.counters(after: nil, limit: 10).map(\.member)
            #expect(try await api.environment.store.changeCounters(of: everyone) { _, _ in [:] } == 3)
            summary = try await recompute.run(at: Self.now, recount: true)
            #expect(summary.recounted && summary.changed == 3 && summary.levels == ["Gold": 1, "none": 2] && summary.upgrades == 1)
            // Ben back to Gold after his counters were lost: told too (the lost level was no change told).
            #expect(try await told().map(\.0).sorted { ($0 ?? "") < ($1 ?? "") } == [ana, ben].sorted())
            // Ben's points: 1,600 for the suit and 50 for the welcome gift of his enrolment.
            let counters = Dictionary(uniqueKeysWithValues: try await api.environment.store.counters(after: nil, limit: 10)
                .map { ($0.member.uuidString.lowercased(), $0.counters) })
            #expect(counters[ben]?["q:spend:2026"] == 160_000 && counters[ben]?["q:orders:2026"] == 1 && counters[ben]?["q:points:2026"] == 1_650)
            #expect(counters[ben]?[Program.recordedTierKey] == 2 && counters[ana]?[Program.recordedTierKey] == nil)
            #expect(counters[ana]?["q:spend:2026"] == 60_000)
        }
    }

    @Test(arguments: TestStores.available)
    func aMembershipHoldsItsPaidLevelUntilItLapses(backend: Backend) async throws {
        let hands = Hands(Self.now)
        try await API.run(backend, clock: hands.clock) { api in
            let club = Self.program.replacingOccurrences(of: #""free_shipping": true}]}"#,
                                                         with: #""free_shipping": true}, {"name": "Club", "paid": true, "multiplier": 2}]}"#)
            #expect(try await api.call(.put, "/v1/program", json: club).status == 201)
            let ana = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "ana@example.com"}"#).json["id"]?.string)
            func membership(_ reference: String, _ level: String, months: Int) -> String {
                #"{"type": "membership", "reference": "\#(reference)", "member_id": "\#(ana)", "level": "\#(level)", "months": \#(months)}"#
            }
            let unknown = try await api.call(.post, "/v1/events", json: membership("M0", "Gold", months: 12))
            #expect(unknown.status == 422 && unknown.code == "not_a_paid_level")

            // Joined on 1 July 2026 for a month: the Club, at once, until 1 August ends in Berlin.
            let joined = try await api.call(.post, "/v1/events", json: membership("M1", "Club", months: 1))
            #expect(joined.status == 201 && joined.json["tier"] == .object(["change": .string("upgrade"), "from": .null, "to": .string("Club")]))
            var tier = try await api.call(.get, "/v1/members/\(ana)/tier").json
            #expect(tier["tier"]?["name"]?.string == "Club" && tier["tier"]?["paid"]?.bool == true && tier["earned"] == .null)
            #expect(tier["membership"]?["until"]?.string == "2026-08-01T22:00:00.000Z" && tier["membership"]?["running"]?.bool == true)
            // A Club member's order earns twice.
            let order = try await api.call(.post, "/v1/events", json: Self.order("A1", "ana", "2026-07-01T10:00:00Z", [("TEE", 3000)])).json
            #expect(order["effects"]?.array?.map { $0["points"] } == [.number(30), .number(30)])

            // Not renewed: it lapses, and the tier service records the drop once.
            hands.set("2026-08-01T22:00:00Z")
            #expect(try await api.environment.tierDowngrades.run(at: hands.clock.now()) == 1)
            #expect(try await api.environment.tierDowngrades.run(at: hands.clock.now()) == 0)
            tier = try await api.call(.get, "/v1/members/\(ana)/tier").json
            #expect(tier["tier"] == .null && tier["membership"]?["running"]?.bool == false)

            // Bought again: from the new day, for three months.
            hands.set("2026-08-05T09:00:00Z")
            #expect(try await api.call(.post, "/v1/events", json: membership("M2", "Club", months: 3)).json["tier"]?["to"]?.string == "Club")
            tier = try await api.call(.get, "/v1/members/\(ana)/tier").json
            #expect(tier["membership"]?["until"]?.string == "2026-11-05T23:00:00.000Z")
        }
    }
}
