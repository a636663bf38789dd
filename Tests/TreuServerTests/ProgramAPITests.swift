import Foundation
import Logging
import Testing
import TreuCore
import TreuStore
import TreuTestSupport
@testable import TreuServer

@Suite("The program over HTTP: versions, refusals, time zones")
struct ProgramAPITests {
    /// A Berlin shop: 2 points per euro, pending 3 days, expiring at the end of the month earned.
    static let berlin = """
        {"name": "Berlin shop", "currency": "EUR", "time_zone": "Europe/Berlin", "pending_days": 3,
         "expiry": {"policy": "end_of_month", "after": 0},
         "earning": {"rules": [{"name": "2 points per euro", "type": "spend", "points": 2, "per": 100}]}}
        """

    static func order(_ reference: String, at: String, price: Int = 1_000) -> String {
        #"{"type": "order", "reference": "\#(reference)", "at": "\#(at)", "member": {"email": "ana@example.com"}, "currency": "EUR", "lines": [{"sku": "TEE", "quantity": 1, "unit_price": \#(price)}]}"#
    }

    @Test(arguments: TestStores.available)
    func aLaterVersionNeverChangesEarlierEventsEvenImportedAfterIt(backend: Backend) async throws {
        let hands = Hands(Timestamp.parse("2026-03-01T00:00:00Z")!)
        try await API.run(backend, clock: hands.clock) { api in
            #expect(try await api.call(.get, "/v1/program").json["version"] == .number(0))
            // Version 1 from 2099: two points per euro.
            let draft = #"{"effective_from": "2099-01-01T00:00:00Z", "document": \#(Self.berlin.replacingOccurrences(of: "Europe/Berlin", with: "UTC"))}"#
            let put = try await api.call(.put, "/v1/program", json: draft)
            #expect(put.status == 201 && put.json["version"] == .number(1) && put.json["in_force"]?.bool == false)
            #expect(try await api.call(.put, "/v1/program", json: draft).status == 200)
            #expect(try await api.call(.get, "/v1/program").json["version"] == .number(0))

            // Orders are sent once they happened (the server refuses times ahead of its clock).
            hands.set("2099-01-01T00:00:01Z")
            let before = try await api.call(.post, "/v1/events", json: Self.order("B-1", at: "2098-12-31T23:59:59Z"))
            let after = try await api.call(.post, "/v1/events", json: Self.order("B-2", at: "2099-01-01T00:00:00Z"))
            #expect(before.json["program_version"] == .number(0) && before.json["effects"]?[0]?["points"] == .number(10))
            #expect(after.json["program_version"] == .number(1) && after.json["effects"]?[0]?["points"] == .number(20))
            // History from 2026 imported now, after version 1 was stored: the rules of its day.
            let history = try await api.call(.post, "/v1/events/batch", json: "{\"events\": [\(Self.order("H-1", at: "2026-03-01T10:00:00Z"))]}")
            #expect(history.json["results"]?[0]?["result"]?["program_version"] == .number(0))
            #expect(history.json["results"]?[0]?["result"]?["effects"]?[0]?["points"] == .number(10))

            let versions = try await api.call(.get, "/v1/program/versions").json["items"]?.array
            #expect(versions?.map { $0["version"] } == [.number(0), .number(1)])
            let diff = try await api.call(.get, "/v1/program/diff?from=0&to=1").json["changes"]?.array ?? []
            #expect(diff.contains { $0["path"]?.string == "earning.rules[0].points" && $0["before"] == .number(1) && $0["after"] == .number(2) })
            #expect(try await api.call(.get, "/v1/program/versions/7").code == "version_not_found")
            let analyst = try await api.key(.analyst)
            #expect(try await api.call(.put, "/v1/program", key: analyst, json: draft).status == 403)
            #expect(try await api.call(.get, "/v1/program/versions/1", key: analyst).status == 200)
        }
    }

    @Test func anInvalidDraftIsRefusedWithEveryProblemAndTheProgramStays() async throws {
        try await API.run { api in
            let bad = #"{"document": {"name": "x", "currency": "EUR", "time_zone": "Mars/Base", "expiry": {"policy": "never"}, "earning": {"rules": [{"name": "a", "type": "spend", "points": 0}]}}}"#
            let answer = try await api.call(.put, "/v1/program", json: bad)
            #expect(answer.status == 422 && answer.code == "invalid_program")
            #expect(answer.json["errors"]?.array?.compactMap { $0["path"]?.string } == ["time_zone", "earning.rules[0].points"])
            #expect(try await api.call(.get, "/v1/program/versions").json["items"]?.array?.count == 1)
            let past = try await api.call(.put, "/v1/program", json: #"{"effective_from": "2020-01-01T00:00:00Z", "document": \#(Self.berlin)}"#)
            #expect(past.status == 422 && past.code == "effective_in_past")
            #expect(try await api.call(.put, "/v1/program", json: #"{"document": 5}"#).code == "missing_field")
        }
    }

    /// Stamps are kept with the member's points: two orders of two coffees fill a card of three.
    @Test(arguments: TestStores.available)
    func punchCardStampsCarryOverBetweenOrders(backend: Backend) async throws {
        try await API.run(backend) { api in
            let card = """
                {"document": {"name": "café", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"},
                 "earning": {"rules": [{"name": "coffee card", "type": "punch_card", "stamps": 3, "points": 100, "when": {"categories": ["coffee"]}}]}}}
                """
            #expect(try await api.call(.put, "/v1/program", json: card).status == 201)
            func coffees(_ reference: String) -> String {
                #"{"type": "order", "reference": "\#(reference)", "member": {"email": "ana@example.com"}, "currency": "EUR", "lines": [{"sku": "LATTE", "category": "coffee", "quantity": 2, "unit_price": 380}]}"#
            }
            #expect(try await api.call(.post, "/v1/events", json: coffees("C-1")).json["effects"]?.array?.isEmpty == true)
            let second = try await api.call(.post, "/v1/events", json: coffees("C-2"))
            #expect(second.json["effects"]?[0]?["points"] == .number(100) && second.json["effects"]?[0]?["rule"]?.string == "coffee card")
            // One stamp left over: the next two coffees fill the next card.
            #expect(try await api.call(.post, "/v1/events", json: coffees("C-3")).json["effects"]?[0]?["points"] == .number(100))
        }
    }

    /// The program's time zone at a month's end: an order at 23:30 UTC on 31 January is on
    /// 1 February in Berlin, so its points are pending until the midnight ending 4 February and
    /// expire at the midnight ending February, Berlin time — to the millisecond.
    @Test(arguments: TestStores.available)
    func releaseAndExpiryHappenAtMidnightInTheProgramsZone(backend: Backend) async throws {
        let start = Timestamp.parse("2026-01-01T00:00:00Z")!
        let hands = Hands(start)
        try await API.run(backend, clock: hands.clock) { api in
            #expect(try await api.call(.put, "/v1/program", json: #"{"document": \#(Self.berlin)}"#).status == 201)
            hands.set("2026-01-31T23:30:00Z")
            let order = try await api.call(.post, "/v1/events", json: Self.order("A-1", at: "2026-01-31T23:30:00Z"))
            #expect(order.json["effects"]?[0]?["available_at"]?.string == "2026-02-04T23:00:00.000Z")
            #expect(order.json["effects"]?[0]?["expires_at"]?.string == "2026-02-28T23:00:00.000Z")
            #expect(order.json["balance"]?["next_expiries"]?[0]?["on"]?.string == "2026-02-28")
            let id = try #require(order.json["member_id"]?.string)

            let clock = PointsRelease(store: api.environment.store, clock: .fixed(start), logger: Logger(label: "test"))
            let t = { (text: String) in Timestamp.parse(text)! }
            #expect(try await clock.runOnce(at: t("2026-02-04T22:59:59.999Z")) == 0)
            #expect(try await clock.runOnce(at: t("2026-02-04T23:00:00Z")) == 1)
            #expect(try await api.call(.get, "/v1/members/\(id)/balance").json["available"] == .number(20))
            #expect(try await clock.runOnce(at: t("2026-02-28T22:59:59.999Z")) == 0)
            #expect(try await clock.runOnce(at: t("2026-02-28T23:00:00Z")) == 1)
            let balance = try await api.call(.get, "/v1/members/\(id)/balance").json
            #expect(balance["available"] == .number(0) && balance["lifetime_expired"] == .number(20))
        }
    }
}

/// A version this server stores is in force here at once, even while other reads of the
/// versions (the background services', other requests') are under way: a read that began before
/// it must not put the older versions back in the cache (a version seen to vanish for a second
/// under load in the referral tests). The store holds the first read until the version is stored.
@Suite("Program versions as this server caches them")
struct ProgramCacheTests {
    /// Program versions in memory; the first read waits until `release` is called.
    final class SlowVersions: ProgramStore, @unchecked Sendable {
        let lock = NSLock()
        var stored: [StoredProgram] = []
        var held: CheckedContinuation<Void, Never>?
        var holdNext = true
        func release() { lock.withLock { let h = held; held = nil; return h }?.resume() }
        func programVersions() async throws -> [StoredProgram] {
            let snapshot = lock.withLock { stored }
            let hold = lock.withLock { () -> Bool in let h = holdNext; holdNext = false; return h }
            if hold { await withCheckedContinuation { continuation in lock.withLock { held = continuation } } }
            return snapshot
        }
        func addProgramVersion(document: String, effectiveFrom: Date, createdAt: Date, createdBy: String?) async throws -> StoredProgram {
            lock.withLock {
                let version = StoredProgram(version: stored.count + 1, effectiveFrom: effectiveFrom, document: document, createdAt: createdAt, createdBy: createdBy)
                stored.append(version)
                return version
            }
        }
    }

    @Test func aReadThatBeganBeforeAVersionWasStoredDoesNotHideIt() async throws {
        let store = SlowVersions()
        let programs = ProgramService(store: store)
        let now = Date()
        // A background read begins (and is held by the store) before the version is stored.
        let early = Task { try await programs.book() }
        while store.lock.withLock({ store.held == nil }) { await Task.yield() }
        _ = try await programs.publish(Data(Program.standardDocument.utf8), effectiveFrom: now, now: now, by: nil)
        store.release()
        #expect(try await early.value.versions.isEmpty)  // it read before the version was there
        #expect(try await programs.book().versions.count == 1)
    }
}
