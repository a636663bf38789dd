import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// The outbox and webhooks, alike on every engine.
@Suite("Store conformance: the outbox, endpoints and deliveries")
struct WebhookConformanceTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func endpoint(_ types: [NoticeType], enabled: Bool = true, url: String = "https://crm.example.com/hooks") -> WebhookEndpoint {
        WebhookEndpoint(id: UUID(), url: url, description: nil, types: types, secret: "whsec_c2VjcmV0", enabled: enabled, createdAt: now,
                        updatedAt: now)
    }

    func notice(_ type: NoticeType, member: UUID? = nil) -> Notice {
        Notice(id: UUID(), type: type, occurredAt: now, member: member, data: #"{"points":5}"#)
    }

    @Test(arguments: TestStores.available)
    func noticesFanOutToTheEnabledEndpointsThatWantThemAndAreClaimedOnce(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let crm = endpoint([.pointsEarned, .tierChanged]), erp = endpoint([.pointsEarned]), off = endpoint([.pointsEarned], enabled: false)
            for e in [crm, erp, off] { try await store.addWebhookEndpoint(e) }
            #expect(try await store.noticeInterest() == NoticeInterest([.pointsEarned, .tierChanged]))
            let member = try sampleMember()
            let enrolled = notice(.memberEnrolled, member: member.id)
            try await store.enrol(member, notices: [enrolled])
            // A ledger's notices are its member's.
            try await store.changePoints(of: member.id, loadingLotsOf: nil) { ledger in
                try ledger.credit(5, at: now, expiresAt: nil, source: nil, cause: Cause(event: "A-1"))
                ledger.noteEntries(NoticeInterest([.pointsEarned]), at: now, ids: .sequential())
            }
            try await store.addNotices([notice(.tierChanged, member: member.id)])
            // Each notice's deliveries came with it: points.earned to crm and erp, tier.changed to crm;
            // member.enrolled to nobody; the disabled endpoint nothing.
            #expect(try await store.outboxCounts() == OutboxCounts(pending: 3, delivered: 0, dead: 0))

            let claimed = try await store.claimDeliveries(at: now, lease: 30, limit: 10)
            #expect(claimed.count == 3 && claimed.allSatisfy { $0.attempt == 1 && $0.notice.member == member.id })
            #expect(Set(claimed.map(\.endpoint)) == [crm.id, erp.id])
            let earned = try #require(claimed.first { $0.notice.type == .pointsEarned })
            #expect(earned.notice.body.hasPrefix(#"{"type":"points.earned","version":1,"timestamp":""#))
            #expect(earned.notice.body.contains(#""data":{"member_id":"\#(member.id.uuidString.lowercased())","balance""#))
            // Out with a sender: nobody else takes them until the lease ends.
            #expect(try await store.claimDeliveries(at: now.addingTimeInterval(29), lease: 30, limit: 10).isEmpty)
            let again = try await store.claimDeliveries(at: now.addingTimeInterval(31), lease: 30, limit: 10)
            #expect(again.count == 3 && again.allSatisfy { $0.attempt == 2 })
            // The first sender's late answer is not recorded over the second claim's.
            try await store.finishDelivery(DeliveryAttempt(delivery: earned.id, number: 1, at: now, milliseconds: 5, status: 200, error: nil,
                                                           response: "ok"), outcome: .delivered)
            #expect(try await store.delivery(id: earned.id)?.0.status == .pending)
            for delivery in again {
                try await store.finishDelivery(DeliveryAttempt(delivery: delivery.id, number: 2, at: now, milliseconds: 7, status: 200,
                                                               error: nil, response: "ok"), outcome: .delivered)
            }
            #expect(try await store.outboxCounts() == OutboxCounts(pending: 0, delivered: 3, dead: 0))
            let (record, attempts) = try #require(try await store.delivery(id: earned.id))
            #expect(record.status == .delivered && record.attempts == 2 && record.deliveredAt != nil)
            #expect(attempts.map(\.number) == [1, 2])
        }
    }

    @Test(arguments: TestStores.available)
    func aDeadDeliveryIsListedAndAReplayCountsItsAttemptsAfresh(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let crm = endpoint([.pointsAdjusted])
            try await store.addWebhookEndpoint(crm)
            let id = try await store.addDelivery(of: notice(.webhookPing), to: crm.id, at: now)
            await #expect(throws: StoreError.notFound) { try await store.addDelivery(of: notice(.webhookPing), to: UUID(), at: now) }
            let claimed = try #require(try await store.claimDeliveries(at: now, lease: 30, limit: 10).first)
            #expect(claimed.id == id && claimed.notice.type == .webhookPing && claimed.secrets == ["whsec_c2VjcmV0"])
            try await store.finishDelivery(DeliveryAttempt(delivery: id, number: 1, at: now, milliseconds: 3, status: 500,
                                                           error: "the receiver answered 500", response: "no"), outcome: .dead)
            let dead = try await store.deliveries(endpoint: nil, status: .dead, before: nil, limit: 10)
            #expect(dead.map(\.id) == [id] && dead[0].lastStatus == 500 && dead[0].lastError == "the receiver answered 500")
            #expect(try await store.claimDeliveries(at: now.addingTimeInterval(3600), lease: 30, limit: 10).isEmpty)
            #expect(try await store.replayDelivery(id: id, at: now.addingTimeInterval(60)))
            #expect(try await store.replayDelivery(id: 999_999, at: now) == false)
            let replayed = try #require(try await store.claimDeliveries(at: now.addingTimeInterval(60), lease: 30, limit: 10).first)
            #expect(replayed.attempt == 2 && replayed.replayedAfter == 1 && replayed.notice.id == claimed.notice.id)
            // Disabled, the endpoint's deliveries wait; removed, they go with it.
            try await store.finishDelivery(DeliveryAttempt(delivery: id, number: 2, at: now, milliseconds: 3, status: 503, error: "x", response: nil),
                                           outcome: .retry(at: now.addingTimeInterval(70)))
            _ = try await store.updateWebhookEndpoint(id: crm.id) { var e = $0; e.enabled = false; return e }
            #expect(try await store.claimDeliveries(at: now.addingTimeInterval(80), lease: 30, limit: 10).isEmpty)
            #expect(try await store.noticeInterest().isEmpty)
            #expect(try await store.removeWebhookEndpoint(id: crm.id))
            #expect(try await store.delivery(id: id) == nil)
            #expect(try await store.removeWebhookEndpoint(id: crm.id) == false)
        }
    }

    @Test(.enabled(if: TestStores.postgresEnabled, "needs PostgreSQL"))
    func twoClaimsAtOnceNeverTakeTheSameDelivery() async throws {
        try await TestStores.with(.postgres) { store in
            let crm = endpoint([.pointsEarned])
            try await store.addWebhookEndpoint(crm)
            try await store.addNotices((0..<400).map { _ in notice(.pointsEarned) })
            #expect(try await store.outboxCounts().pending == 400)
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<8 { group.addTask { try await store.claimDeliveries(at: now, lease: 30, limit: 60).map(\.id) } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claims.count == Set(claims).count, "no delivery claimed twice")
            #expect(claims.count == 400)
        }
    }
}
