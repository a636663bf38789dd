import Foundation
import Testing
import TreuCore
import TreuDelivery
import TreuStore
import TreuTestSupport
@testable import TreuServer

/// Messages end to end: events make notices, notices make messages in the member's language,
/// and a real SMTP server on loopback (aiosmtpd) receives them; Python's `email` package, not
/// Treu's code, decodes what arrived.
@Suite("Messages: localized email over SMTP, consent, unsubscribe, templates")
struct MessageAPITests {
    static func mail(_ receiver: SMTPReceiver, attempts: Int = 8, retry: Double = 10) -> @Sendable (inout AppConfiguration) -> Void {
        { configuration in
            configuration.mail = MailConfiguration(smtp: SMTPSettings(host: "127.0.0.1", port: receiver.port, security: .none, timeout: .seconds(5)),
                                                   from: MailAddress(name: "Café Linh", address: "loyalty@cafe-linh.example"), ratePerSecond: 500)
            configuration.publicURL = "https://loyalty.cafe-linh.example"
            configuration.delivery.maxAttempts = attempts
            configuration.delivery.first = retry
            configuration.webhookAllowPrivate = true
        }
    }

    static let program: String = {
        let document = Program.standardDocument.replacingOccurrences(of: #""name": "Treu standard program""#, with: #""name": "Café Linh""#)
        return #"{"document": \#(document)}"#
    }()

    static func enrol(_ api: API, name: String, email: String, locale: String, consent: Bool) async throws -> String {
        let made = try await api.call(.post, "/v1/members", json: """
            {"name": "\(name)", "locale": "\(locale)", "email": "\(email)", "consents": {"marketing_email": \(consent)}}
            """)
        #expect(made.status == 201, "\(made.text)")
        return try #require(made.json["id"]?.string)
    }

    /// The member's messages once `count` are no longer pending (waiting at most 20 s).
    static func settled(_ api: API, _ member: String, count: Int) async throws -> [JSON] {
        for _ in 0..<400 {
            let items = try await api.call(.get, "/v1/members/\(member)/messages").json["items"]?.array ?? []
            if items.count >= count, items.allSatisfy({ $0["status"]?.string != "pending" }) { return items }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await api.call(.get, "/v1/members/\(member)/messages").json["items"]?.array ?? []
    }

    @Test(arguments: TestStores.available)
    func aGermanAndAVietnameseMemberGetTheirMessagesInTheirLanguage(backend: Backend) async throws {
        let receiver = try SMTPReceiver()
        try await API.run(backend, configure: Self.mail(receiver)) { api in
            let published = try await api.call(.put, "/v1/program", json: Self.program)
            #expect(published.status == 201, "\(published.text)")
            // Points earned as a marketing message (only with consent, with an unsubscribe link).
            let set = try await api.call(.put, "/v1/message-settings/points_earned", json: #"{"audience": "consented"}"#)
            #expect(set.json["audience"]?.string == "consented")
            let anna = try await Self.enrol(api, name: "Anna Müller", email: "anna@example.de", locale: "de", consent: true)
            let linh = try await Self.enrol(api, name: "Nguyễn Thùy Linh", email: "linh@example.vn", locale: "vi", consent: true)
            // Each: a welcome (service) and the signup gift's points (marketing).
            let got = try await receiver.waitFor(4)
            #expect(got.count == 4)
            func message(to address: String, subject prefix: String) -> SMTPReceiver.Received? {
                got.first { $0.rcptTos == [address] && $0.subject.hasPrefix(prefix) }
            }
            let welcome = try #require(message(to: "anna@example.de", subject: "Willkommen"))
            #expect(welcome.subject == "Willkommen bei Café Linh")
            #expect(welcome.rawSubject.hasPrefix("=?UTF-8?B?"), "a subject that is not ASCII travels encoded: \(welcome.rawSubject)")
            #expect(welcome.contentType == "multipart/alternative")
            #expect(welcome.parts.map(\.contentType) == ["text/plain", "text/html"])
            #expect(welcome.parts.allSatisfy { $0.charset == "utf-8" })
            #expect(welcome.part("text/plain")?.content.contains("Hallo Anna Müller,") == true)
            #expect(welcome.part("text/html")?.content.contains("<p style=\"margin:0 0 16px\">Hallo Anna Müller,</p>") == true)
            #expect(welcome.from == "Café Linh <loyalty@cafe-linh.example>")
            #expect(welcome.listUnsubscribe == nil, "a service message has no unsubscribe header")
            #expect(welcome.mailFrom == "loyalty@cafe-linh.example")

            let points = try #require(message(to: "linh@example.vn", subject: "Bạn vừa"))
            #expect(points.subject == "Bạn vừa nhận được 50 điểm")
            #expect(points.part("text/plain")?.content.hasPrefix("Xin chào Nguyễn Thùy Linh,") == true)
            let vietWelcome = try #require(message(to: "linh@example.vn", subject: "Chào mừng"))
            #expect(vietWelcome.subject == "Chào mừng bạn đến với Café Linh")
            let unsubscribe = try #require(points.listUnsubscribe)
            #expect(unsubscribe.hasPrefix("<https://loyalty.cafe-linh.example/unsubscribe/") && unsubscribe.hasSuffix(">"))
            #expect(points.listUnsubscribePost == "List-Unsubscribe=One-Click")
            let gift = try #require(message(to: "anna@example.de", subject: "Sie haben 50 Punkte"))
            #expect(gift.listUnsubscribe != nil)
            #expect(gift.part("text/plain")?.content.contains("Bestellung") == false, "a sign-up is no order")
            #expect(points.part("text/plain")?.content.contains("Hủy đăng ký: https://loyalty.cafe-linh.example/unsubscribe/") == true,
                    "a marketing message says how to unsubscribe in its text too")
            #expect(welcome.part("text/plain")?.content.contains("unsubscribe") == false)

            // The member's record: both sent, the Message-ID is the message's id.
            let annas = try await Self.settled(api, anna, count: 2)
            #expect(annas.count == 2 && annas.allSatisfy { $0["status"]?.string == "sent" && $0["locale"]?.string == "de" })
            let welcomeID = try #require(annas.first { $0["kind"]?.string == "welcome" }?["id"]?.string)
            #expect(welcome.messageID == "<\(welcomeID)@cafe-linh.example>")
            #expect(annas.first { $0["kind"]?.string == "points_earned" }?["marketing"]?.bool == true)

            // The one-click unsubscribe (RFC 8058): a POST to the link turns her consent off, stamped.
            let path = String(unsubscribe.dropFirst("<https://loyalty.cafe-linh.example".count).dropLast())
            let page = try await api.call(.get, path, key: .some(nil))
            #expect(page.status == 200 && page.text.contains("Ngừng nhận email quảng cáo từ Café Linh gửi đến linh@example.vn?"))
            let before = try await api.call(.get, "/v1/members/\(linh)").json["consents"]
            #expect(before?["marketing_email"]?.bool == true)
            let done = try await api.call(.post, path, key: .some(nil), json: nil, headers: ["content-type": "application/x-www-form-urlencoded"])
            #expect(done.status == 200 && done.text.contains("Bạn đã hủy đăng ký"))
            let after = try await api.call(.get, "/v1/members/\(linh)").json["consents"]
            #expect(after?["marketing_email"]?.bool == false)
            #expect(after?["marketing_email_changed_at"] != before?["marketing_email_changed_at"])
            #expect(try await api.call(.get, "/unsubscribe/not-a-token-anyone-has-made", key: .some(nil)).status == 404)

            // Without consent now: her next points are skipped, and her record says why.
            try await api.call(.post, "/v1/events", json: """
                {"type": "order", "reference": "V-1", "at": "2026-11-20T10:00:00Z", "member": {"email": "linh@example.vn"},
                 "currency": "EUR", "lines": [{"sku": "TEA", "quantity": 1, "unit_price": 1250}]}
                """)
            let linhs = try await Self.settled(api, linh, count: 3)
            #expect(linhs.first?["status"]?.string == "skipped" && linhs.first?["reason"]?.string == "no_consent", "\(linhs)")
            #expect(try receiver.received().count == 4, "nothing more was sent")
        }
    }

    @Test func withoutSMTPAMessageIsKeptAsFailedWithWhyAndCanBeReplayed() async throws {
        try await API.run { api in
            let ben = try await Self.enrol(api, name: "Ben", email: "ben@example.com", locale: "en", consent: false)
            let items = try await Self.settled(api, ben, count: 1)
            #expect(items.count == 1)
            #expect(items.first?["kind"]?.string == "welcome" && items.first?["status"]?.string == "failed")
            #expect(items.first?["reason"]?.string == "smtp_not_configured")
            #expect(items.first?["last_error"]?.string?.contains("TREU_SMTP_URL") == true)
            #expect(items.first?["subject"]?.string == "Welcome to Treu standard program")
            let failed = try await api.call(.get, "/v1/messages?status=failed")
            #expect(failed.json["items"]?.array?.count == 1)
            let id = try #require(items.first?["id"]?.string)
            let replayed = try await api.call(.post, "/v1/messages/\(id)/replay")
            #expect(replayed.status == 202 && replayed.json["status"]?.string == "pending")
            #expect(try await api.call(.post, "/v1/messages/\(UUID())/replay").code == "message_not_found")
            // A member without an email address: skipped, with why.
            let card = try await api.call(.post, "/v1/members", json: #"{"card": "4000-1234"}"#)
            let cardID = try #require(card.json["id"]?.string)
            let skipped = try await Self.settled(api, cardID, count: 1)
            #expect(skipped.first?["status"]?.string == "skipped" && skipped.first?["reason"]?.string == "no_address")
            // Support staff read a member's messages; only admins the outbox.
            let support = try await api.key(.support)
            #expect(try await api.call(.get, "/v1/members/\(ben)/messages", key: .some(support)).status == 200)
            #expect(try await api.call(.get, "/v1/messages", key: .some(support)).status == 403)
        }
    }

    @Test func aTemplateIsReplacedPreviewedForAMemberAndRefusedWithWhereItIsWrong() async throws {
        try await API.run { api in
            let cem = try await Self.enrol(api, name: "Cem", email: "cem@example.com", locale: "de", consent: true)
            let standard = try await api.call(.get, "/v1/message-templates/points_expiring/de")
            #expect(standard.json["custom"]?.bool == false && standard.json["subject"]?.string == "{{points}} Punkte verfallen am {{expires_on}}")
            #expect(try await api.call(.get, "/v1/message-templates").json["items"]?.array?.count == 24)

            let wrong = try await api.call(.put, "/v1/message-templates/points_expiring/de", json: #"""
                {"subject": "Bald weg: {{points}} Punkte", "text": "Hallo {{member_name}},\nam {{expires_on}} verfallen {{punkte}} Punkte.", "html": "<p>{{points}}</p>"}
                """#)
            #expect(wrong.status == 422 && wrong.code == "unknown_variable" && wrong.json["field"]?.string == "text")
            #expect(wrong.json["errors"]?[0]?["line"] == .number(2) && wrong.json["errors"]?[0]?["column"] == .number(29), "\(wrong.text)")
            #expect(wrong.text.contains("'punkte'"))
            let unclosed = try await api.call(.put, "/v1/message-templates/points_expiring/de",
                                              json: #"{"subject": "{{#member_name}}Hallo", "text": "x", "html": "x"}"#)
            #expect(unclosed.status == 422 && unclosed.code == "template_invalid" && unclosed.json["field"]?.string == "subject")

            let draft = #"{"subject": "Bald weg: {{points}} Punkte", "text": "Hallo {{member_name}}, am {{expires_on}} verfallen {{points}} Punkte.", "html": "<p>{{member_name}}</p>"}"#
            let preview = try await api.call(.post, "/v1/message-templates/points_expiring/de/preview", json: #"{"member_id": "\#(cem)", "template": \#(draft)}"#)
            #expect(preview.status == 200 && preview.json["subject"]?.string == "Bald weg: 1.250 Punkte", "\(preview.text)")
            #expect(preview.json["text"]?.string?.hasPrefix("Hallo Cem, am ") == true)
            #expect(try await api.call(.get, "/v1/message-templates/points_expiring/de").json["custom"]?.bool == false, "a preview saves nothing")

            let saved = try await api.call(.put, "/v1/message-templates/points_expiring/de", json: draft)
            #expect(saved.status == 200 && saved.json["custom"]?.bool == true && saved.json["updated_at"]?.string != nil)
            #expect(try await api.call(.get, "/v1/message-templates/points_expiring/de").json["subject"]?.string == "Bald weg: {{points}} Punkte")
            #expect(try await api.call(.get, "/v1/message-templates/points_expiring/vi").json["custom"]?.bool == false)
            let reverted = try await api.call(.delete, "/v1/message-templates/points_expiring/de")
            #expect(reverted.json["custom"]?.bool == false && reverted.json["subject"]?.string == "{{points}} Punkte verfallen am {{expires_on}}")
            #expect(try await api.call(.get, "/v1/message-templates/points_lost/de").code == "message_kind_not_found")
            #expect(try await api.call(.get, "/v1/message-templates/welcome/fr").code == "locale_not_found")

            // A marketing kind cannot go to members who did not consent.
            let everyone = try await api.call(.put, "/v1/message-settings/coupon_expiring", json: #"{"audience": "everyone"}"#)
            #expect(everyone.status == 422 && everyone.code == "consent_required")
            let settings = try await api.call(.get, "/v1/message-settings").json["items"]?.array ?? []
            #expect(settings.first { $0["kind"]?.string == "coupon_expiring" }?["audience"]?.string == "consented")
            #expect(settings.first { $0["kind"]?.string == "welcome" }?["audience"]?.string == "everyone")
        }
    }

    @Test func aDeferredEmailIsRetriedThenGivenUpARefusedOneFailsAtOnceAndTheShopIsTold() async throws {
        let receiver = try SMTPReceiver()
        let hooks = try WebhookReceiver()
        try await API.run(configure: Self.mail(receiver, attempts: 3, retry: 0.05)) { api in
            _ = try await WebhookAPITests.subscribe(api, hooks, types: ["message.failed"])
            let deferred = try await Self.enrol(api, name: "Dana", email: "dana+defer@example.com", locale: "en", consent: false)
            let refused = try await Self.enrol(api, name: "Eli", email: "eli+reject@example.com", locale: "en", consent: false)
            let dana = try await Self.settled(api, deferred, count: 1)
            #expect(dana.first?["status"]?.string == "failed" && dana.first?["reason"]?.string == "gave_up")
            #expect(dana.first?["attempts"] == .number(3))
            #expect(dana.first?["last_error"]?.string?.hasPrefix("451") == true, "\(dana)")
            let eli = try await Self.settled(api, refused, count: 1)
            #expect(eli.first?["status"]?.string == "failed" && eli.first?["reason"]?.string == "refused" && eli.first?["attempts"] == .number(1))
            #expect(eli.first?["last_error"]?.string?.hasPrefix("550") == true)
            var told: [WebhookReceiver.Received] = []
            for _ in 0..<400 where told.count < 2 {
                told = try await hooks.received()
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(told.count == 2 && told.allSatisfy { $0.verified && $0.type == "message.failed" })
            #expect(told.contains { $0.body.contains("\"reason\":\"refused\"") && $0.body.contains(refused) })
            #expect(try receiver.received().isEmpty)
        }
    }
}
