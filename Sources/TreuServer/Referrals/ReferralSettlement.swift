import Foundation
import Logging
import ServiceLifecycle
import TreuCore
import TreuStore

/// The timed work on referrals, every minute (see `ReferralService.settle`).
public struct ReferralSettlement: Service {
    let service: ReferralService
    let clock: TreuClock
    let logger: Logger
    var interval: Duration = .seconds(60)

    public init(service: ReferralService, clock: TreuClock, logger: Logger, interval: Duration = .seconds(60)) {
        self.service = service
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "could not settle referrals") {
            let done = try await service.settle(at: clock.now())
            if done != ReferralService.Settled() {
                logger.info("settled referrals", metadata: ["qualified": "\(done.qualified)", "rewarded": "\(done.rewarded)",
                                                            "cancelled": "\(done.cancelled)"])
            }
        }
    }
}
