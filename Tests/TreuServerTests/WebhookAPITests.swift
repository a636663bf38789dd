import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport
@testable import TreuServer

/// Webhooks end to end: endpoints made over the API, deliveries to a real receiver on loopback
/// that checks each signature with the `standardwebhooks` library from PyPI.
@Suite("Webhooks: endpoints, signed deliveries, retries, dead rows and replays")
struct WebhookAPITests {
    static func allowingLoopback(retry: Double = 10, attempts: Int = 8) -> @Sendable (inout AppConfiguration) -> Void {
        { configuration in
            configuration.webhookAllowPrivate = true
            configuration.delivery.first = retry
            configuration.delivery.maxAttempts = attempts
            configuration.delivery.timeout = 2
        }
    }

    static func order(_ reference: String, email: String = "ana@example.com", cents: Int = 5000) -> String {
        """
        {"type": "order", "reference": "\(reference)", "at": "2026-11-20T10:00:00Z", "member": {"email": "\(email)"},
         "currency": "EUR", "lines": [{"sku": "SHIRT", "quantity": 1, "unit_price": \(cents)}]}
        """
    }

    /// Makes an endpoint for `types` at the receiver and tells the receiver its secret.
    static func subscribe(_ api: API, _ receiver: WebhookReceiver, types: [String]?) async throws -> (id: String, secret: String) {
        let list = types.map { ", \"types\": [" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" } ?? ""
        let made = try await api.call(.post, "/v1/webhooks", json: #"{"url": "\#(receiver.url)", "description": "the shop's CRM"\#(list)}"#)
        #expect(made.status == 201, "\(made.text)")
        let secret = try #require(made.json["secret"]?.string)
        try await receiver.control(secrets: [secret])
        return (try #require(made.json["id"]?.string), secret)
    }

    @Test func endpointsAreMadeWithASecretShownOnceChangedAndRemoved() async throws {
        try await API.run { api in
            let made = try await api.call(.post, "/v1/webhooks", json: #"{"url": "https://crm.example.com/treu", "types": ["tier.changed", "points.earned"]}"#)
            #expect(made.status == 201)
            #expect(made.json["secret"]?.string?.hasPrefix("whsec_") == true)
            #expect(made.json["types"] == .array([.string("points.earned"), .string("tier.changed")]))
            let id = try #require(made.json["id"]?.string)
            let listed = try await api.call(.get, "/v1/webhooks")
            #expect(listed.json["items"]?[0]?["id"]?.string == id)
            #expect(listed.json["items"]?[0]?["secret"] == nil, "the secret is shown once")
            #expect(try await api.call(.get, "/v1/webhooks/\(id)").json["secret"] == nil)
            // Every type when none are named.
            let all = try await api.call(.post, "/v1/webhooks", json: #"{"url": "https://erp.example.com/hooks"}"#)
            #expect(all.json["types"]?.array?.count == NoticeType.subscribable.count)

            let changed = try await api.call(.patch, "/v1/webhooks/\(id)", json: #"{"enabled": false, "description": "paused for the migration"}"#)
            #expect(changed.json["enabled"]?.bool == false && changed.json["description"]?.string == "paused for the migration")
            #expect(changed.json["types"]?.array?.count == 2)

            let unknown = try await api.call(.post, "/v1/webhooks", json: #"{"url": "https://crm.example.com", "types": ["points.stolen"]}"#)
            #expect(unknown.status == 422 && unknown.code == "unknown_event_type" && unknown.text.contains("points.earned"))
            let empty = try await api.call(.post, "/v1/webhooks", json: #"{"url": "https://crm.example.com", "types": []}"#)
            #expect(empty.status == 422 && empty.code == "types_required")
            // This machine and private networks are refused by default.
            for url in ["http://127.0.0.1:9000/x", "http://localhost/x", "http://10.1.2.3/x", "http://[::1]/x", "http://192.168.0.10/x",
                        "ftp://crm.example.com/x", "not a url"] {
                let refused = try await api.call(.post, "/v1/webhooks", json: #"{"url": "\#(url)"}"#)
                #expect(refused.status == 422 && refused.code == "invalid_url", "\(url): \(refused.text)")
            }
            let support = try await api.key(.support)
            #expect(try await api.call(.get, "/v1/webhooks", key: support).status == 403)
            #expect(try await api.call(.delete, "/v1/webhooks/\(id)").status == 204)
            #expect(try await api.call(.delete, "/v1/webhooks/\(id)").code == "webhook_not_found")
            #expect(try await api.call(.get, "/v1/deliveries/12345").code == "delivery_not_found")
        }
    }

    @Test(arguments: TestStores.available)
    func anOrderIsToldToTheReceiverSignedAndEveryDeliveryVerifies(backend: Backend) async throws {
        let receiver = try WebhookReceiver()
        try await API.run(backend, configure: Self.allowingLoopback()) { api in
            let endpoint = try await Self.subscribe(api, receiver, types: ["member.enrolled", "points.earned", "member.updated"])
            let recorded = try await api.call(.post, "/v1/events", json: Self.order("A-1", cents: 4990))
            #expect(recorded.status == 201)
            let member = try #require(recorded.json["member_id"]?.string)
            try await api.call(.patch, "/v1/members/\(member)", json: #"{"name": "Ana Lima", "locale": "de"}"#)
            let got = try await receiver.wait { $0.count >= 3 }
            #expect(got.count == 3, "\(got.map(\.type))")
            #expect(got.allSatisfy { $0.verified }, "\(got.map { $0.error })")
            let byType = Dictionary(got.map { ($0.type ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            let earned = try #require(byType["points.earned"])
            let payload = JSON.parse(Data(earned.body.utf8))
            #expect(payload?["data"]?["member_id"]?.string == member)
            #expect(payload?["data"]?["event"]?.string == "A-1")
            // The standard program: 1 point per euro, 49; the welcome gift is its own entry of the same notice.
            #expect(payload?["data"]?["points"] == .number(99), "\(earned.body)")
            #expect(payload?["version"] == .number(1))
            #expect(byType["member.enrolled"].map { JSON.parse(Data($0.body.utf8))?["data"]?["identities"]?[0]?["value"]?.string } == "ana@example.com")
            let updated = try #require(byType["member.updated"])
            #expect(JSON.parse(Data(updated.body.utf8))?["data"]?["changed"] == .array([.string("name"), .string("locale")]))
            // Each delivery is listed with its attempt, delivered.
            // The receiver answers before Treu records the answer: wait for the record.
            var listed = try await api.call(.get, "/v1/webhooks/\(endpoint.id)/deliveries")
            for _ in 0..<400 where listed.json["items"]?.array?.contains(where: { $0["status"]?.string != "delivered" }) != false {
                try await Task.sleep(for: .milliseconds(50))
                listed = try await api.call(.get, "/v1/webhooks/\(endpoint.id)/deliveries")
            }
            #expect(listed.json["items"]?.array?.count == 3)
            #expect(listed.json["items"]?.array?.allSatisfy { $0["status"]?.string == "delivered" && $0["attempts"] == .number(1) } == true)
            let first = try #require(listed.json["items"]?[0]?["id"]?.string)
            let one = try await api.call(.get, "/v1/deliveries/\(first)")
            #expect(one.json["history"]?[0]?["status"] == .number(200))
            #expect(one.json["history"]?[0]?["response"]?.string == #"{"received": true}"#)
        }
    }

    @Test(arguments: TestStores.available)
    func nothingIsWrittenToTheOutboxWhenNobodyListensOrTheChangeFails(backend: Backend) async throws {
        let receiver = try WebhookReceiver()
        try await API.run(backend, configure: Self.allowingLoopback()) { api in
            let store = api.environment.store
            // Nobody listens: no endpoint, and every kind of message off (a welcome is sent by default).
            for kind in MessageKind.allCases {
                try await api.call(.put, "/v1/message-settings/\(kind.rawValue)", json: #"{"audience": "off"}"#)
            }
            try await api.call(.post, "/v1/events", json: Self.order("A-1"))
            let nothing = try await store.outboxCounts()
            #expect(nothing.pending + nothing.delivered + nothing.dead == 0)
            // Subscribed to tiers only: an order that changes no tier writes nothing either.
            _ = try await Self.subscribe(api, receiver, types: ["tier.changed"])
            try await api.call(.post, "/v1/events", json: Self.order("A-2"))
            // A refused adjustment (more than she has) and a dry run write nothing.
            let member = try #require(try await api.call(.get, "/v1/members/lookup?identity=ana@example.com").json["id"]?.string)
            try await api.call(.patch, "/v1/webhooks/\(try #require(try await api.call(.get, "/v1/webhooks").json["items"]?[0]?["id"]?.string))",
                               json: #"{"types": ["points.adjusted", "points.earned"]}"#)
            let refused = try await api.call(.post, "/v1/members/\(member)/adjustments", json: #"{"points": -100000, "reason": "typo"}"#)
            #expect(refused.code == "insufficient_points")
            let dry = try await api.call(.post, "/v1/events?dry_run=true", json: Self.order("A-3"))
            #expect(dry.status == 200 || dry.status == 201, "\(dry.text)")
            try await Task.sleep(for: .milliseconds(600))
            let counts = try await store.outboxCounts()
            #expect(counts.pending == 0 && counts.delivered == 0, "\(counts)")
            #expect(try await receiver.received().isEmpty)
            // Then one that is taken: told once.
            try await api.call(.post, "/v1/members/\(member)/adjustments", json: #"{"points": -10, "reason": "typo"}"#)
            let got = try await receiver.wait { !$0.isEmpty }
            #expect(got.map(\.type) == ["points.adjusted"])
        }
    }

    @Test(arguments: TestStores.available)
    func aReceiverDownIsRetriedWithGrowingDelaysUntilItComesBack(backend: Backend) async throws {
        let receiver = try WebhookReceiver(status: 503)
        try await API.run(backend, configure: Self.allowingLoopback(retry: 0.3, attempts: 10)) { api in
            _ = try await Self.subscribe(api, receiver, types: ["points.earned"])
            try await api.call(.post, "/v1/events", json: Self.order("A-1"))
            // 0.3 s, 0.9 s, 2.7 s apart (each ±20 %): three failures, then it answers again.
            let failures = try await receiver.wait { $0.count >= 3 }
            try await receiver.control(status: 200)
            let all = try await receiver.wait { $0.contains { $0.answered == 200 } }
            #expect(all.allSatisfy { $0.verified })
            #expect(Set(all.map(\.id)).count == 1, "every attempt carries the same webhook-id")
            // Each retry waits at least its scheduled delay, 0.3 s × 3^(n-1) less a fifth (a busy
            // machine may add to it, never take away): 0.24 s, 0.72 s, 2.16 s.
            let gaps = zip(all.dropFirst(), all).map { $0.at - $1.at }
            #expect(gaps.count >= 3)
            for (n, gap) in gaps.prefix(3).enumerated() {
                #expect(gap >= 0.8 * 0.3 * pow(3, Double(n)) - 0.01, "retry \(n + 1) came after \(gap) s: \(gaps)")
            }
            var delivery = try #require(try await api.call(.get, "/v1/deliveries").json["items"]?[0])
            for _ in 0..<400 where delivery["status"]?.string != "delivered" {
                try await Task.sleep(for: .milliseconds(50))
                delivery = try #require(try await api.call(.get, "/v1/deliveries").json["items"]?[0])
            }
            #expect(delivery["status"]?.string == "delivered" && delivery["attempts"] == .number(Double(all.count)))
            #expect(failures.count >= 3)
        }
    }

    @Test(arguments: TestStores.available)
    func alwaysFailingIsDeadAfterTheLimitAndAReplayDeliversItOnceMoreUnderTheSameID(backend: Backend) async throws {
        let receiver = try WebhookReceiver(status: 500)
        try await API.run(backend, configure: Self.allowingLoopback(retry: 0.05, attempts: 3)) { api in
            let endpoint = try await Self.subscribe(api, receiver, types: ["points.adjusted"])
            let member = try #require(try await api.call(.post, "/v1/members", json: #"{"email":"bo@example.com"}"#).json["id"]?.string)
            try await api.call(.post, "/v1/members/\(member)/adjustments", json: #"{"points": 25, "reason": "parcel late"}"#)
            try await receiver.wait { $0.count >= 3 }
            var dead: JSON?
            for _ in 0..<400 {
                dead = try await api.call(.get, "/v1/deliveries?status=dead").json["items"]?[0]
                if dead != nil { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let row = try #require(dead)
            #expect(row["attempts"] == .number(3) && row["last_status"] == .number(500) && row["last_error"]?.string == "the receiver answered 500")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await receiver.received().count == 3, "dead: no fourth attempt")
            let history = try await api.call(.get, "/v1/deliveries/\(try #require(row["id"]?.string))").json["history"]?.array
            #expect(history?.count == 3)

            try await receiver.control(status: 200)
            let replay = try await api.call(.post, "/v1/deliveries/\(try #require(row["id"]?.string))/replay")
            #expect(replay.status == 202 && replay.json["status"]?.string == "pending")
            let got = try await receiver.wait { $0.count >= 4 }
            #expect(got.count == 4 && got[3].answered == 200 && got[3].verified)
            #expect(got[3].id == row["webhook_id"]?.string && Set(got.map(\.id)).count == 1)
            // The receiver answers before Treu records the answer: wait for the record.
            var after = try await api.call(.get, "/v1/webhooks/\(endpoint.id)/deliveries?status=delivered")
            for _ in 0..<400 where after.json["items"]?.array?.isEmpty != false {
                try await Task.sleep(for: .milliseconds(50))
                after = try await api.call(.get, "/v1/webhooks/\(endpoint.id)/deliveries?status=delivered")
            }
            #expect(after.json["items"]?[0]?["attempts"] == .number(4))
        }
    }

    @Test(arguments: TestStores.available)
    func anOrderThatReachesALevelIsToldAsATierChangeFromTheLevelHeldBefore(backend: Backend) async throws {
        let receiver = try WebhookReceiver()
        // The program's clock is fixed in the past, so the receiver's check of the time fails:
        // what counts here is what the body says.
        try await API.run(backend, clock: .fixed(ConsistentAnswersAPITests.now), configure: Self.allowingLoopback()) { api in
            let tiers = #""tiers": {"metric": "spend", "window": "calendar_year", "levels": [{"name": "Bronze", "threshold": 0}, {"name": "Silver", "threshold": 20000}]},"#
            #expect(try await api.call(.put, "/v1/program", json: ConsistentAnswersAPITests.program(zone: "Europe/Berlin", extra: tiers)).status == 201)
            _ = try await Self.subscribe(api, receiver, types: ["tier.changed"])
            try await api.call(.post, "/v1/events", json: ConsistentAnswersAPITests.order("A1", euros: 50))
            try await api.call(.post, "/v1/events", json: ConsistentAnswersAPITests.order("A2", euros: 150))
            let got = try await receiver.wait { !$0.isEmpty }
            #expect(got.count == 1, "only the order that changed the level: \(got.map(\.body))")
            let data = JSON.parse(Data((got.first?.body ?? "").utf8))?["data"]
            #expect(data?["from"]?.string == "Bronze" && data?["to"]?.string == "Silver" && data?["direction"]?.string == "up")
            #expect(data?["event"]?.string == "A2")
        }
    }

    @Test func aPingArrivesAndARotatedSecretSignsBesideTheOldOneForAWhile() async throws {
        let receiver = try WebhookReceiver()
        try await API.run(configure: Self.allowingLoopback()) { api in
            let endpoint = try await Self.subscribe(api, receiver, types: ["points.adjusted"])
            let ping = try await api.call(.post, "/v1/webhooks/\(endpoint.id)/ping")
            #expect(ping.status == 202 && ping.json["type"]?.string == "webhook.ping")
            let first = try await receiver.wait { !$0.isEmpty }
            #expect(first.first?.type == "webhook.ping" && first.first?.verified == true)

            let rotated = try await api.call(.post, "/v1/webhooks/\(endpoint.id)/rotate-secret", json: #"{"keep_previous_seconds": 3600}"#)
            let secret = try #require(rotated.json["secret"]?.string)
            #expect(secret != endpoint.secret && rotated.json["previous_secret_valid_until"]?.string != nil)
            // A receiver that knows only the old secret, and then one that knows only the new: both verify.
            try await api.call(.post, "/v1/webhooks/\(endpoint.id)/ping")
            #expect(try await receiver.wait { $0.count >= 2 }.last?.verified == true)
            try await receiver.control(secrets: [secret])
            try await api.call(.post, "/v1/webhooks/\(endpoint.id)/ping")
            #expect(try await receiver.wait { $0.count >= 3 }.last?.verified == true)
            // Rotated again with no overlap: the first secret no longer signs.
            try await receiver.control(secrets: [endpoint.secret])
            try await api.call(.post, "/v1/webhooks/\(endpoint.id)/rotate-secret", json: #"{"keep_previous_seconds": 0}"#)
            try await api.call(.post, "/v1/webhooks/\(endpoint.id)/ping")
            let last = try await receiver.wait { $0.count >= 4 }
            #expect(last.count == 4 && last[3].verified == false)
            let tooLong = try await api.call(.post, "/v1/webhooks/\(endpoint.id)/rotate-secret", json: #"{"keep_previous_seconds": 9999999}"#)
            #expect(tooLong.status == 422)
        }
    }
}

@Suite("Delivery retries, by hand")
struct DeliveryPolicyTests {
    @Test func delaysTripleUpToSixHoursWithAFifthOfJitterAndTheLimitMakesADeadRow() {
        let policy = DeliveryPolicy()
        #expect((1...6).map { policy.delay(afterFailures: $0, jitter: 0.5) } == [10, 30, 90, 270, 810, 2_430])
        #expect(policy.delay(afterFailures: 20, jitter: 0.5) == 6 * 3600)
        #expect(abs(policy.delay(afterFailures: 1, jitter: 0) - 8) < 1e-9 && abs(policy.delay(afterFailures: 1, jitter: 1) - 12) < 1e-9)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        func due(attempt: Int, replayedAfter: Int = 0) -> DueDelivery {
            DueDelivery(id: 1, attempt: attempt, replayedAfter: replayedAfter, endpoint: UUID(), url: "https://x.example", secrets: [],
                        notice: Notice(id: UUID(), type: .webhookPing, occurredAt: now, data: "{}"))
        }
        #expect(policy.outcome(of: due(attempt: 1), delivered: true, at: now, jitter: 0.5) == .delivered)
        #expect(policy.outcome(of: due(attempt: 2), delivered: false, at: now, jitter: 0.5) == .retry(at: now.addingTimeInterval(30)))
        #expect(policy.outcome(of: due(attempt: 8), delivered: false, at: now, jitter: 0.5) == .dead)
        // After a replay the count starts again: the 9th attempt is the first of the new round.
        #expect(policy.outcome(of: due(attempt: 9, replayedAfter: 8), delivered: false, at: now, jitter: 0.5) == .retry(at: now.addingTimeInterval(10)))
        #expect(policy.lease == 25)
    }
}
