import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// Messages, alike on every engine: decided once per notice, claimed under a lease, finished
/// only by the attempt that holds them, replayed, found by their unsubscribe link.
@Suite("Store conformance: messages, their templates and audiences")
struct MessageConformanceTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func message(for waiting: WaitingNotice, status: MessageStatus = .pending, token: String? = nil) -> NewMessage {
        NewMessage(id: UUID(), noticeSeq: waiting.seq, member: waiting.notice.member!, kind: .welcome, channel: .email,
                   recipient: "ana@example.com", locale: .de, marketing: token != nil, subject: "Willkommen", text: "Hallo", html: "<p>Hallo</p>",
                   status: status, reason: status == .skipped ? "no_consent" : nil, unsubscribeToken: token, createdAt: now)
    }

    @Test(arguments: TestStores.available)
    func aNoticeIsDecidedOnceAndItsMessageClaimedOnceFinishedAndReplayed(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            // A shop's system listens for failed messages: their notices' deliveries show they were written.
            try await store.addWebhookEndpoint(WebhookEndpoint(id: UUID(), url: "https://crm.example.com/hooks", description: nil,
                                                               types: [.messageFailed], secret: "whsec_c2VjcmV0", enabled: true,
                                                               createdAt: now, updatedAt: now))
            let member = try sampleMember()
            try await store.enrol(member, notices: [Notice(id: UUID(), type: .memberEnrolled, occurredAt: now, data: "{}", awaitsMessage: true),
                                                    Notice(id: UUID(), type: .memberUpdated, occurredAt: now, data: "{}")])
            // Only a notice a kind of message waits for is read by the message service.
            let waiting = try await store.noticesForMessages(limit: 10)
            #expect(waiting.count == 1 && waiting[0].notice.type == .memberEnrolled && waiting[0].member?.id == member.id)
            #expect(waiting[0].member?.identities.first?.value == "ana@example.com")

            let first = message(for: waiting[0], token: "tok-\(UUID().uuidString)")
            try await store.addMessages([first], deciding: [waiting[0].seq])
            #expect(try await store.noticesForMessages(limit: 10).isEmpty)
            // A second server deciding the same notice writes nothing more.
            try await store.addMessages([message(for: waiting[0])], deciding: [waiting[0].seq])
            let listed = try await store.messages(member: member.id, status: nil, before: nil, limit: 10)
            #expect(listed.map(\.id) == [first.id])
            #expect(listed[0].status == .pending && listed[0].marketing && listed[0].subject == "Willkommen")
            #expect(try await store.message(unsubscribeToken: first.unsubscribeToken!)?.id == first.id)
            #expect(try await store.message(unsubscribeToken: "tok-nobody") == nil)

            let claimed = try await store.claimMessages(at: now, lease: 30, limit: 10)
            #expect(claimed.count == 1 && claimed[0].attempt == 1 && claimed[0].html == "<p>Hallo</p>" && claimed[0].member == member.id)
            #expect(try await store.claimMessages(at: now.addingTimeInterval(29), lease: 30, limit: 10).isEmpty, "out under a lease")
            // The lease ran out and another sender took it: the first attempt's answer changes nothing.
            let second = try await store.claimMessages(at: now.addingTimeInterval(31), lease: 30, limit: 10)
            #expect(second.first?.attempt == 2)
            try await store.finishMessages([(first.id, 1, .sent)], at: now.addingTimeInterval(32), notices: [])
            #expect(try await store.message(id: first.id)?.status == .pending)
            let failed = Notice(id: UUID(), type: .messageFailed, occurredAt: now, member: member.id, data: #"{"reason":"refused"}"#)
            try await store.finishMessages([(first.id, 2, .failed(reason: "refused", error: "550 no"))], at: now.addingTimeInterval(33),
                                           notices: [failed])
            let dead = try #require(try await store.message(id: first.id))
            #expect(dead.status == .failed && dead.reason == "refused" && dead.lastError == "550 no" && dead.attempts == 2)
            #expect(try await store.outboxCounts().pending == 1, "message.failed went into the outbox with the answer")
            #expect(try await store.messages(member: nil, status: .failed, before: nil, limit: 10).map(\.id) == [first.id])

            #expect(try await store.replayMessage(id: first.id, at: now.addingTimeInterval(40)))
            #expect(try await store.replayMessage(id: UUID(), at: now) == false)
            let replayed = try await store.claimMessages(at: now.addingTimeInterval(40), lease: 30, limit: 10)
            #expect(replayed.first?.attempt == 3 && replayed.first?.replayedAfter == 2)
            try await store.finishMessages([(first.id, 3, .sent)], at: now.addingTimeInterval(41), notices: [])
            let sent = try #require(try await store.message(id: first.id))
            #expect(sent.status == .sent && sent.sentAt == now.addingTimeInterval(41) && sent.reason == nil)
        }
    }

    @Test(arguments: TestStores.available)
    func skippedMessagesAreNotClaimedAndListsPageNewestFirst(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember()
            try await store.enrol(member, notices: (0..<3).map { _ in
                Notice(id: UUID(), type: .memberEnrolled, occurredAt: now, data: "{}", awaitsMessage: true)
            })
            let waiting = try await store.noticesForMessages(limit: 10)
            #expect(waiting.count == 3)
            let made = waiting.map { message(for: $0, status: .skipped) }
            try await store.addMessages(made, deciding: waiting.map(\.seq))
            #expect(try await store.claimMessages(at: now, lease: 30, limit: 10).isEmpty)
            let page = try await store.messages(member: member.id, status: .skipped, before: nil, limit: 2)
            #expect(page.map(\.id) == [made[2].id, made[1].id])
            let rest = try await store.messages(member: member.id, status: nil, before: page.last?.seq, limit: 2)
            #expect(rest.map(\.id) == [made[0].id] && rest[0].reason == "no_consent")
            #expect(try await store.messages(member: UUID(), status: nil, before: nil, limit: 10).isEmpty)
        }
    }

    @Test(arguments: TestStores.available)
    func templatesAndAudiencesAreSavedReplacedAndRemoved(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            #expect(try await store.messageAudiences().isEmpty)
            #expect(try await store.messageTemplates().isEmpty)
            try await store.setMessageAudience(.off, for: .welcome, at: now)
            try await store.setMessageAudience(.consented, for: .welcome, at: now)
            try await store.setMessageAudience(.everyone, for: .pointsEarned, at: now)
            #expect(try await store.messageAudiences() == [.welcome: .consented, .pointsEarned: .everyone])
            let template = MessageTemplate(subject: "Grüße", text: "Hallo {{member_name}}", html: "<p>Hallo</p>", sms: "")
            try await store.saveMessageTemplate(StoredTemplate(kind: .welcome, locale: .de, template: template, updatedAt: now))
            var changed = template
            changed.subject = "Hallo!"
            try await store.saveMessageTemplate(StoredTemplate(kind: .welcome, locale: .de, template: changed, updatedAt: now.addingTimeInterval(1)))
            try await store.saveMessageTemplate(StoredTemplate(kind: .welcome, locale: .vi, template: template, updatedAt: now))
            let stored = try await store.messageTemplates()
            #expect(stored.map { "\($0.kind.rawValue)/\($0.locale.rawValue)" } == ["welcome/de", "welcome/vi"])
            #expect(stored[0].template == changed && stored[0].updatedAt == now.addingTimeInterval(1))
            #expect(try await store.removeMessageTemplate(kind: .welcome, locale: .de))
            #expect(try await store.removeMessageTemplate(kind: .welcome, locale: .de) == false)
            #expect(try await store.messageTemplates().count == 1)
        }
    }
}
