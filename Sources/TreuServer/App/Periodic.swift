import Foundation
import Logging
import TreuCore
import ServiceLifecycle

/// The loop of Treu's timed services: `work` now, then again every `interval`, until the
/// application shuts down (the sleep is cancelled: that is the way out, not an error). An error
/// is logged as a warning with `failure`, and the next round tries again.
func repeatUntilShutdown(every interval: Duration, logger: Logger, failure: String,
                         _ work: @escaping @Sendable () async throws -> Void) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await work()
            } catch {
                logger.warning("\(failure)", metadata: ["error": "\(error)"])
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}

/// The loop of the services that work once a program day (reminders): every `interval` it
/// asks whether the program's day has turned since the last round that went through, and if
/// so runs `work` at that moment. A round counts as done when `wanted` says nobody wanted it
/// or it went through; one that failed is tried again next `interval`.
func repeatOncePerProgramDay(every interval: Duration, programs: ProgramService, clock: TreuClock, mark: DayMark, logger: Logger,
                             failure: String, wanted: @escaping @Sendable () -> Bool,
                             _ work: @escaping @Sendable (Date) async throws -> Void) async {
    await repeatUntilShutdown(every: interval, logger: logger, failure: failure) {
        let now = clock.now()
        let zone = try await programs.book().version(at: now).program.timeZone
        let day = CalendarDate(now, in: zone).daysSince1970
        guard mark.day.withLock({ $0 }) != day else { return }
        try await work(now)
        mark.day.withLock { $0 = wanted() ? day : nil }
    }
}
