import Foundation
import Testing
import TreuServer
import TreuTestSupport

/// One receiver that is slow, or down, holds up nobody else's deliveries.
@Suite("Webhooks: a slow or refusing receiver holds up no other")
struct WebhookSlowReceiverTests {
    @Test(arguments: TestStores.available)
    func theFastReceiverGetsEverythingWhileTheSlowOneStillHoldsItsFirstAndTheRefusingOneHasFailed(backend: Backend) async throws {
        let slow = try WebhookReceiver(delayMilliseconds: 15_000)
        let fast = try WebhookReceiver()
        defer { slow.stop(); fast.stop() }
        try await API.run(backend, configure: { configuration in
            configuration.webhookAllowPrivate = true
            configuration.delivery.timeout = 30
        }) { api in
            let slowID = try await WebhookAPITests.subscribe(api, slow, types: ["points.earned"]).id
            _ = try await WebhookAPITests.subscribe(api, fast, types: ["points.earned"])
            // Nothing listens on port 9: the connection is refused.
            let refusing = try await api.call(.post, "/v1/webhooks", json: #"{"url": "http://127.0.0.1:9/hooks", "types": ["points.earned"]}"#)
            let refusingID = try #require(refusing.json["id"]?.string)
            let orders = (1...40).map { WebhookAPITests.order("S-\($0)", email: "m\($0)@example.com") }.joined(separator: ",")
            #expect(try await api.call(.post, "/v1/events/batch", json: #"{"events": [\#(orders)]}"#).status == 200)

            let got = try await fast.wait { Set($0.compactMap(\.id)).count >= 40 }
            #expect(Set(got.compactMap(\.id)).count == 40 && got.allSatisfy(\.verified))
            // The slow receiver has its first requests, and has answered none of them yet.
            #expect(try await slow.received().count >= 1)
            let answered = try await api.call(.get, "/v1/webhooks/\(slowID)/deliveries?status=delivered").json["items"]?.array
            #expect(answered?.isEmpty == true, "\(answered ?? [])")
            // The refused ones failed at once (not after the 30 s timeout), each waiting for its retry.
            var failed: [JSON] = []
            for _ in 0..<100 {
                failed = try await api.call(.get, "/v1/webhooks/\(refusingID)/deliveries?limit=100").json["items"]?.array ?? []
                if failed.count == 40 && failed.allSatisfy({ $0["last_error"]?.string != nil }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(failed.count == 40 && failed.allSatisfy { $0["status"]?.string == "pending" && $0["last_error"]?.string != nil },
                    "\(failed.prefix(2))")
        }
    }
}
