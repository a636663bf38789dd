import Foundation
import Logging
import Synchronization
import Testing
import TreuCore
import TreuStore
import TreuTestSupport
@testable import TreuServer

/// coupon.expiring: a coupon about to expire is told of once, at the program's midnight, and
/// becomes a marketing email for the members who agreed to them.
@Suite("Coupons about to expire are told of once, and mailed with consent")
struct CouponReminderTests {
    static let program: String = {
        let document = Program.standardDocument
            .replacingOccurrences(of: #""time_zone": "UTC""#, with: #""time_zone": "Europe/Berlin""#)
            .replacingOccurrences(of: #""pending_days": 14"#, with: #""pending_days": 0"#)
            .replacingOccurrences(of: #""name": "Treu standard program","#, with: #"""
                "name": "Café Linh", "rewards": [{"id": "coffee", "type": "fixed_discount", "amount": 350, "cost": 50, "coupon_days": 10,
                 "title": {"en": "a free coffee", "de": "einen Gratis-Kaffee", "vi": "một ly cà phê miễn phí"}}],
                """#)
        return #"{"effective_from": "2026-12-01T09:00:00Z", "document": \#(document)}"#
    }()

    @Test(arguments: TestStores.available)
    func aCouponIsToldOfSevenDaysAheadOnceAndMailedOnlyWithConsent(backend: Backend) async throws {
        let receiver = try SMTPReceiver()
        let now = Mutex(Timestamp.parse("2026-12-01T09:00:00Z")!)
        let clock = TreuClock { now.withLock { $0 } }
        try await API.run(backend, clock: clock, configure: MessageAPITests.mail(receiver)) { api in
            let put = try await api.call(.put, "/v1/program", json: Self.program)
            #expect(put.status == 201, "\(put.text)")
            let anna = try await MessageAPITests.enrol(api, name: "Anna", email: "anna@example.de", locale: "de", consent: true)
            let ben = try await MessageAPITests.enrol(api, name: "Ben", email: "ben@example.com", locale: "en", consent: false)
            for member in [anna, ben] {
                let redeemed = try await api.call(.post, "/v1/members/\(member)/redemptions", json: #"{"reward_id": "coffee"}"#)
                #expect(redeemed.status == 201, "\(redeemed.text)")
            }
            let code = try #require(try await api.call(.get, "/v1/members/\(anna)/coupons").json["items"]?[0]?["code"]?.string)
            // The welcomes and the rewards go out before the clock moves on (a jump of days would end
            // the leases of emails still being sent, and send them twice: at least once).
            #expect(try await MessageAPITests.settled(api, anna, count: 2).count == 2)
            #expect(try await MessageAPITests.settled(api, ben, count: 2).count == 2)
            let reminders = CouponReminders(store: api.environment.store, programs: api.environment.programs, board: api.environment.notices,
                                            clock: clock, logger: Logger(label: "test"))
            // The coupons expire on 11 December at 10:00 in Berlin. Midnight starting 3 December: 8 days ahead, not yet.
            #expect(try await reminders.runOnce(at: Timestamp.parse("2026-12-02T23:00:00Z")!) == 0)
            // Midnight starting 4 December: 7 days ahead; told once, however many run at once.
            let midnight = Timestamp.parse("2026-12-03T23:00:00Z")!
            now.withLock { $0 = midnight }
            async let first = reminders.runOnce(at: midnight)
            async let second = reminders.runOnce(at: midnight)
            #expect(try await first + second == 2)
            #expect(try await reminders.runOnce(at: midnight.addingTimeInterval(86_400)) == 0)

            // Anna: a welcome, her reward and the reminder; Ben no reminder (he did not agree to marketing).
            let annas = try await MessageAPITests.settled(api, anna, count: 3)
            #expect(annas.map { $0["kind"]?.string ?? "" } == ["coupon_expiring", "reward_redeemed", "welcome"], "\(annas)")
            let bens = try await MessageAPITests.settled(api, ben, count: 3)
            #expect(bens.first?["kind"]?.string == "coupon_expiring" && bens.first?["status"]?.string == "skipped"
                    && bens.first?["reason"]?.string == "no_consent", "\(bens)")
            let mail = try await receiver.waitFor(5)
            let reminder = try #require(mail.first { $0.subject.hasPrefix("Ihr Code") })
            #expect(reminder.subject == "Ihr Code \(code) läuft am 11. Dezember 2026 ab")
            #expect(reminder.part("text/plain")?.content.contains("Ihr Code \(code) für einen Gratis-Kaffee gilt bis zum 11. Dezember 2026.") == true)
            #expect(reminder.listUnsubscribe?.contains("/unsubscribe/") == true)
            #expect(reminder.part("text/html")?.content.contains(">abmelden</a>") == true)
            let redeemedMail = try #require(mail.first { $0.subject == "Ihre Prämie: einen Gratis-Kaffee" })
            #expect(redeemedMail.listUnsubscribe == nil)
            #expect(mail.count == 5)
        }
    }
}
