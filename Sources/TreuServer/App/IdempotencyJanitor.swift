import Foundation
import Logging
import ServiceLifecycle
import TreuCore
import TreuStore

/// Forgets idempotency keys after `retention` (24 hours, as payment APIs do), once an hour, so
/// the table does not grow without end. Several servers on one PostgreSQL may all run it: a
/// delete of what is already gone does nothing.
struct IdempotencyJanitor: Service {
    let store: any IdempotencyStore
    let clock: TreuClock
    let logger: Logger
    var retention: TimeInterval = 24 * 3600
    var interval: Duration = .seconds(3600)

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "could not purge idempotency keys") {
            let purged = try await store.purgeIdempotencyKeys(claimedBefore: clock.now().addingTimeInterval(-retention))
            if purged > 0 { logger.info("forgot old idempotency keys", metadata: ["count": "\(purged)"]) }
        }
    }
}
