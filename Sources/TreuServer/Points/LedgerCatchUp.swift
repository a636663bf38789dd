import Foundation
import Logging
import ServiceLifecycle
import TreuCore
import TreuStore

/// After history is written in bulk (an import, the demo shop), the timed work it missed, done
/// at once: pending points past their return window released, lots past their date expired,
/// levels whose window ended dropped. The ledger then reads as of now without a server having run.
public enum LedgerCatchUp {
    public struct Summary: Sendable {
        /// Release and expiry entries made.
        public var entries: Int
        /// Members who dropped a level.
        public var downgraded: Int
    }

    public static func run(_ environment: TreuEnvironment) async throws -> Summary {
        let now = environment.clock.now()
        let entries = try await PointsRelease(store: environment.store, clock: environment.clock, logger: environment.logger).runOnce(at: now)
        let downgraded = try await TierDowngrades(store: environment.store, clock: environment.clock, ids: environment.ids,
                                                  programs: environment.programs).run(at: now)
        return Summary(entries: entries, downgraded: downgraded)
    }
}
