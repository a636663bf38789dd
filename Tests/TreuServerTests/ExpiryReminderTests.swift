import Foundation
import Logging
import Synchronization
import Testing
import TreuCore
import TreuStore
import TreuTestSupport
@testable import TreuServer

/// points.expiring: N days before points' last day, at the program's midnight, once.
@Suite("Points about to expire are told of once, N days ahead")
struct ExpiryReminderTests {
    /// Berlin, 30 days ahead; points earned in December 2026 are last usable on 31 December 2027.
    static let program: String = {
        let document = Program.standardDocument
            .replacingOccurrences(of: #""time_zone": "UTC""#, with: #""time_zone": "Europe/Berlin""#)
            .replacingOccurrences(of: #""expiry": {"policy": "end_of_month", "after": 12}"#,
                                  with: #""expiry": {"policy": "end_of_month", "after": 12, "remind_days_before": 30}"#)
        return #"{"effective_from": "2026-12-01T10:00:00Z", "document": \#(document)}"#
    }()

    @Test(arguments: TestStores.available)
    func toldAtTheProgramsMidnightThirtyDaysBeforeOnceAndNotAgain(backend: Backend) async throws {
        let now = Mutex(Timestamp.parse("2026-12-01T09:00:00Z")!)
        let clock = TreuClock { now.withLock { $0 } }
        try await API.run(backend, clock: clock, configure: { $0.webhookAllowPrivate = true }) { api in
            #expect(Program.standardDocument.contains(#""expiry": {"policy": "end_of_month", "after": 12}"#))
            let put = try await api.call(.put, "/v1/program", json: Self.program)
            #expect(put.status == 201, "\(put.text)")
            now.withLock { $0 = Timestamp.parse("2026-12-01T12:00:00Z")! }
            // Nobody listens to an unreachable address; what matters is what the outbox holds.
            try await api.call(.post, "/v1/webhooks", json: #"{"url": "http://127.0.0.1:9/none", "types": ["points.expiring"]}"#)
            let order = """
                {"type": "order", "reference": "A-1", "at": "2026-12-01T11:00:00Z", "member": {"email": "ana@example.com"},
                 "currency": "EUR", "lines": [{"sku": "COAT", "quantity": 1, "unit_price": 5000}]}
                """
            #expect(try await api.call(.post, "/v1/events", json: order).status == 201)
            let reminders = ExpiryReminders(store: api.environment.store, programs: api.environment.programs, board: api.environment.notices,
                                            clock: clock, logger: Logger(label: "test"))
            try await api.environment.notices.refresh()
            // 23:59:59 in Berlin on 30 November 2027: 31 days before; nothing yet.
            #expect(try await reminders.runOnce(at: Timestamp.parse("2027-11-30T22:59:59Z")!) == 0)
            // Midnight in Berlin starting 1 December: the 50 of the order and the 50 welcome gift, told once.
            let midnight = Timestamp.parse("2027-11-30T23:00:00Z")!
            async let first = reminders.runOnce(at: midnight)
            async let second = reminders.runOnce(at: midnight)
            #expect(try await first + second == 1)
            #expect(try await reminders.runOnce(at: midnight.addingTimeInterval(3600)) == 0)
            #expect(try await reminders.runOnce(at: midnight.addingTimeInterval(86_400)) == 0)
            now.withLock { $0 = midnight.addingTimeInterval(60) }
            // The delivery service fans the notice out within a round; a loaded machine may take a while.
            var deliveries: [JSON] = []
            for _ in 0..<200 where deliveries.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                deliveries = try await api.call(.get, "/v1/deliveries").json["items"]?.array ?? []
            }
            try await Task.sleep(for: .milliseconds(300))
            deliveries = try await api.call(.get, "/v1/deliveries").json["items"]?.array ?? []
            #expect(deliveries.count == 1 && deliveries.first?["type"]?.string == "points.expiring", "\(deliveries)")
        }
    }
}

@Suite("points.expiring, by hand")
struct ExpiringNoticeTests {
    @Test func aReminderSaysHowManyPointsOnWhichDayAndComesOncePerDay() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        var ledger = MemberLedger()
        let earned = Timestamp.parse("2026-12-01T11:00:00Z")!
        try ledger.credit(120, at: earned, expiresAt: CalendarDate(year: 2028, month: 1, day: 1).start(in: berlin), source: "A-1", cause: Cause(event: "A-1"))
        try ledger.credit(30, at: earned, expiresAt: CalendarDate(year: 2028, month: 1, day: 3).start(in: berlin), source: "A-2", cause: Cause(event: "A-2"))
        let interest = NoticeInterest([.pointsExpiring]), ids = IDGenerator.sequential()
        let today = CalendarDate(year: 2027, month: 12, day: 1)
        #expect(ledger.noteExpiring(today: today, days: 30, timeZone: berlin, interest: .none, at: earned, ids: ids) == 0)
        #expect(ledger.noteExpiring(today: today, days: 30, timeZone: berlin, interest: interest, at: earned, ids: ids) == 1)
        #expect(ledger.notices.count == 1)
        #expect(ledger.notices[0].data == #"{"balance":{"available":150,"pending":0},"days_ahead":30,"expires_on":"2027-12-31","points":120}"#)
        #expect(ledger.noteExpiring(today: today, days: 30, timeZone: berlin, interest: interest, at: earned, ids: ids) == 0)
        // Two days missed (a server down): the 30 of 2 January are told of, late, once.
        #expect(ledger.noteExpiring(today: today.adding(days: 3), days: 30, timeZone: berlin, interest: interest, at: earned, ids: ids) == 1)
        #expect(ledger.notices.last?.data.contains(#""days_ahead":29,"expires_on":"2028-01-02","points":30"#) == true)
    }
}
