import Foundation
import Logging
import ServiceLifecycle
import TreuCore
import TreuStore

/// The timed work on points: releases pending points when their date comes and expires lots on
/// theirs. Each member is changed under its lock and only what is due is done, so a second run,
/// or a second server sharing the database, finds nothing left: each release and expiry happens
/// once. Servers sharing PostgreSQL skip the members another is changing instead of waiting.
public struct PointsClock: Service {
    let store: any Store
    let clock: TreuClock
    let logger: Logger
    var interval: Duration = .seconds(60)

    public init(store: any Store, clock: TreuClock, logger: Logger, interval: Duration = .seconds(60)) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    /// Releases and expires everything due at `now`, 500 members a transaction; returns how many entries that made.
    @discardableResult
    public func runOnce(at now: Date) async throws -> Int {
        var made = 0
        while true {
            let done = try await store.changeDuePoints(at: now, limit: 500) { ledger in
                ledger.releasePending(at: now).count + ledger.expire(at: now).count
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

/// `treu verify`: every member's points recomputed from their entries and compared with the
/// lots, debt, totals and cached figures the store holds.
public enum PointsVerification {
    public struct Difference: Sendable, CustomStringConvertible {
        public var member: UUID
        public var detail: String
        public var description: String { "member \(member.uuidString.lowercased()): \(detail)" }
    }

    public static func run(_ store: any Store, progress: @Sendable (Int) -> Void = { _ in }) async throws -> (checked: Int, differences: [Difference]) {
        var differences: [Difference] = []
        var after: UUID?
        var checked = 0
        while true {
            let accounts = try await store.pointAccounts(after: after, limit: 500)
            guard let last = accounts.last else { return (checked, differences) }
            for account in accounts {
                let ledger = try await store.points(of: account.member, loadingLotsOf: nil)
                let entries = try await store.ledgerEntries(of: account.member, after: 0, limit: Int.max)
                let lots = try await store.allLots(of: account.member)
                var found = MemberLedger.verify(entries: entries, lots: lots, debt: ledger.debt, totals: ledger.totals)
                let balance = ledger.balance
                if balance.available != account.available || balance.pending != account.pending {
                    found.append("cached balance \(account.available) available, \(account.pending) pending; the lots say \(balance.available), \(balance.pending)")
                }
                differences += found.map { Difference(member: account.member, detail: $0) }
                checked += 1
            }
            progress(checked)
            after = last.member
        }
    }
}

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
        let entries = try await PointsClock(store: environment.store, clock: environment.clock, logger: environment.logger).runOnce(at: now)
        let downgraded = try await TierDowngrades(store: environment.store, clock: environment.clock, ids: environment.ids,
                                                  programs: environment.programs).run(at: now)
        return Summary(entries: entries, downgraded: downgraded)
    }
}
