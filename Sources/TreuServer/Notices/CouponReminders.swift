import Foundation
import Logging
import ServiceLifecycle
import TreuCore
import TreuStore

/// coupon.expiring: at the program's midnight, every issued coupon that expires within the
/// reminder days (`expiry.remind_days_before`, 7 when the program sets none) and was not told
/// of is told of once, marked in the same transaction as its notice, so a second run, a second
/// server or a restart tells nobody twice. A coupon issued with less time left is told of at
/// the next midnight.
public struct CouponReminders: Service {
    let store: any CouponStore
    let programs: ProgramService
    let board: NoticeBoard
    let clock: TreuClock
    let logger: Logger
    let interval: Duration
    private let lastDay = DayMark()

    /// Days ahead when the program names none.
    public static let defaultDays = 7

    public init(store: any CouponStore, programs: ProgramService, board: NoticeBoard, clock: TreuClock, logger: Logger,
                interval: Duration = .seconds(60)) {
        self.store = store
        self.programs = programs
        self.board = board
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    /// Tells of every coupon due to be told of at `now`. - Returns: the coupons told of.
    @discardableResult
    public func runOnce(at now: Date) async throws -> Int {
        guard board.interest.wants(.couponExpiring) else { return 0 }
        let program = try await programs.book().version(at: now).program
        let days = program.expiryReminderDays ?? Self.defaultDays
        let zone = program.timeZone, today = CalendarDate(now, in: zone)
        let through = today.adding(days: days + 1).start(in: zone)
        let board = self.board, interest = board.interest
        var told = 0
        while true {
            let marked = try await store.remindExpiringCoupons(after: now, through: through, at: now, limit: 500) { coupon in
                // A coupon expires at a midnight: its last day is the one before.
                let ahead = CalendarDate(coupon.expiresAt.addingTimeInterval(-0.001), in: zone).daysSince1970 - today.daysSince1970
                return [Notice(id: board.ids.next(), type: .couponExpiring, occurredAt: now, member: coupon.member,
                               fields: CouponNoticeFields(coupon, daysAhead: ahead), interest: interest)]
            }
            told += marked
            guard marked == 500 else { return told }
        }
    }

    public func run() async throws {
        await repeatOncePerProgramDay(every: interval, programs: programs, clock: clock, mark: lastDay, logger: logger,
                                      failure: "could not tell of expiring coupons", wanted: { board.interest.wants(.couponExpiring) }) { now in
            let told = try await runOnce(at: now)
            if told > 0 { logger.info("told of expiring coupons", metadata: ["coupons": "\(told)"]) }
        }
    }
}
