import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TreuCore
import TreuStore

/// Runs `TierDowngrades` when a window may have ended since its last run (see
/// `TierProgram.downgradeMayBeDue`): at start, then looking every `interval`.
public struct TierDowngradeWatch: Service {
    let downgrades: TierDowngrades
    let programs: ProgramService
    let clock: TreuClock
    let logger: Logger
    var interval: Duration = .seconds(600)

    public init(downgrades: TierDowngrades, programs: ProgramService, clock: TreuClock, logger: Logger, interval: Duration = .seconds(600)) {
        self.downgrades = downgrades
        self.programs = programs
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        // When it last looked through (nil: not yet since start).
        let last = Mutex<Date?>(nil)
        await repeatUntilShutdown(every: interval, logger: logger, failure: "could not look at tiers") {
            let now = clock.now()
            let program = try await programs.book().version(at: now).program
            let since = last.withLock { $0 }
            // A level set by hand until a date ends on some day: look each new day while one is set.
            let newDay = since.map { CalendarDate.dayNumber($0, in: program.timeZone) != CalendarDate.dayNumber(now, in: program.timeZone) } ?? true
            let overridesMayEnd = newDay ? try await downgrades.hasTimedOverrides() : false
            if let tiers = program.tiers, tiers.downgradeMayBeDue(since: since, at: now, timeZone: program.timeZone) || overridesMayEnd {
                let dropped = try await downgrades.run(at: now)
                if dropped > 0 { logger.info("tiers dropped at a window's end", metadata: ["members": "\(dropped)"]) }
            }
            last.withLock { $0 = now }
        }
    }
}
