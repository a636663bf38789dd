import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TreuCore
import TreuStore

/// points.expiring: at the program's midnight, each member whose points stop being usable in
/// `expiry.remind_days_before` days is told once per such day. The day told of is kept in the
/// member's counters, written with the notice under the member's lock, so a second run, a
/// second server or a restart tells nobody twice; a run missed (a server down over midnight)
/// tells of the days it missed when it comes.
public struct ExpiryReminders: Service {
    let store: any PointsStore
    let programs: ProgramService
    let board: NoticeBoard
    let clock: TreuClock
    let logger: Logger
    let interval: Duration
    /// The program day this server last went through, so it looks once a day, not every minute.
    private let lastDay = DayMark()

    public init(store: any PointsStore, programs: ProgramService, board: NoticeBoard, clock: TreuClock, logger: Logger,
                interval: Duration = .seconds(60)) {
        self.store = store
        self.programs = programs
        self.board = board
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    /// Tells of every expiry due to be told of at `now`. - Returns: the notices made.
    @discardableResult
    public func runOnce(at now: Date) async throws -> Int {
        let program = try await programs.book().version(at: now).program
        let interest = board.interest
        guard let days = program.expiryReminderDays, interest.wants(.pointsExpiring) else { return 0 }
        let zone = program.timeZone, today = CalendarDate(now, in: zone)
        let (start, end) = (today.adding(days: 1).start(in: zone), today.adding(days: days + 1).start(in: zone))
        let board = self.board
        var made = 0, after: UUID?
        while true {
            let members = try await store.members(withPointsExpiringAfter: start, through: end, after: after, limit: 500)
            for member in members {
                made += try await store.changePoints(of: member, loadingLotsOf: nil) { ledger in
                    ledger.noteExpiring(today: today, days: days, timeZone: zone, interest: interest, at: now, ids: board.ids)
                }
            }
            guard members.count == 500 else { break }
            after = members.last
        }
        return made
    }

    public func run() async throws {
        await repeatOncePerProgramDay(every: interval, programs: programs, clock: clock, mark: lastDay, logger: logger,
                                      failure: "could not tell of expiring points", wanted: { board.interest.wants(.pointsExpiring) }) { now in
            let made = try await runOnce(at: now)
            if made > 0 { logger.info("told of expiring points", metadata: ["notices": "\(made)"]) }
        }
    }
}

/// A day remembered across the rounds of a service (a class: a struct cannot hold a Mutex).
final class DayMark: Sendable {
    let day = Mutex<Int?>(nil)
}
