import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TreuCore
import TreuStore

/// The downgrade at a window's end: once a window (or its grace) has ended, every member whose
/// recorded level is above what their qualifying counters now give drops to that level. Each
/// drop is an event of kind `tier` recorded under the member and the day, after the member's
/// counters are read under their lock: a second run, or a second server, finds nothing left to
/// do and records nothing. The upgrade needs no service: the event that earns it records it.
public struct TierDowngrades: Sendable {
    let store: any Store
    let programs: ProgramService
    let events: EventService

    public init(store: any Store, clock: TreuClock, ids: IDGenerator, programs: ProgramService, notices: NoticeBoard = .silent) {
        self.store = store
        self.programs = programs
        events = EventService(store: store, clock: clock, ids: ids, programs: programs, enrolUnknown: false, notices: notices)
    }

    /// Whether some member has a level set by hand until a date (its end is a drop to record).
    public func hasTimedOverrides() async throws -> Bool {
        try await !store.members(withCounter: TierOverride.untilKey, after: nil, limit: 1).isEmpty
    }

    /// Records every downgrade due at `now`, 500 members a transaction.
    /// - Returns: how many members dropped a level.
    @discardableResult
    public func run(at now: Date) async throws -> Int {
        let program = try await programs.book().version(at: now).program
        guard program.tiers != nil else { return 0 }
        let day = CalendarDate(now, in: program.timeZone)
        var downgraded = 0
        var after: UUID?
        while true {
            let members = try await store.members(withCounter: Program.recordedTierKey, after: after, limit: 500)
            guard let last = members.last else { return downgraded }
            let batch = members.map { member in
                let downgrade = TierDowngrade(member: member, at: now, day: day)
                return (IncomingEvent.tierDowngrade(downgrade), EventService.fingerprint(downgrade.jsonData))
            }
            for outcome in try await events.record(batch) {
                if case .recorded = outcome { downgraded += 1 }
            }
            after = last
        }
    }
}
