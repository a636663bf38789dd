import Foundation
import Logging
import ServiceLifecycle
import TreuCore
import TreuStore

/// The timed work on points: releases pending points when their date comes and expires lots on
/// theirs. Each member is changed under its lock and only what is due is done, so a second run,
/// or a second server sharing the database, finds nothing left: each release and expiry happens
/// once. Servers sharing PostgreSQL skip the members another is changing instead of waiting.
public struct PointsRelease: Service {
    let store: any PointsStore
    let clock: TreuClock
    let logger: Logger
    var interval: Duration = .seconds(60)
    let notices: NoticeBoard

    public init(store: any PointsStore, clock: TreuClock, logger: Logger, interval: Duration = .seconds(60), notices: NoticeBoard = .silent) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.interval = interval
        self.notices = notices
    }

    /// Releases and expires everything due at `now`, 500 members a transaction; returns how many entries that made.
    @discardableResult
    public func runOnce(at now: Date) async throws -> Int {
        var made = 0
        let board = notices
        while true {
            let done = try await store.changeDuePoints(at: now, limit: 500) { ledger in
                let entries = ledger.releasePending(at: now).count + ledger.expire(at: now).count
                ledger.noteEntries(board.interest, at: now, ids: board.ids)
                return entries
            }
            made += done.entries
            if done.members == 0 { return made }
        }
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "could not release or expire points") {
            let made = try await runOnce(at: clock.now())
            if made > 0 { logger.info("released and expired points", metadata: ["entries": "\(made)"]) }
        }
    }
}
