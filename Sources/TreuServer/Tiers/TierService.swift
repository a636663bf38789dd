import Foundation
import TreuCore
import TreuStore

/// A member's place in the tiers of the program in force, and levels set by hand (recorded as
/// the member's events, under their lock).
struct TierService: Sendable {
    let store: any Store
    let clock: TreuClock
    let programs: ProgramService
    let ids: IDGenerator
    var notices: NoticeBoard = .silent

    /// Records a level set or taken off as an event of the member (under their lock).
    func change(_ change: TierOverrideChange) async throws {
        let reason = change.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count), !reason.containsControlCharacter else {
            throw Problem(.unprocessableContent, code: "reason_required", detail: "a level set by hand says why, in 1 to 500 characters", field: "reason")
        }
        guard try await store.member(id: change.member) != nil else { throw Problem.memberNotFound }
        var change = change
        change.reason = reason
        change.reference = "tier-override:\(ids.next().uuidString.lowercased())"
        let events = EventService(store: store, clock: clock, ids: ids, programs: programs, enrolUnknown: false, notices: notices)
        let outcome = try await events.record([(.tierOverride(change), EventService.fingerprint(change.jsonData))])[0]
        if case .refused(let error) = outcome { throw Problem.from(error) }
    }

    func tier(of id: UUID) async throws -> TierResource {
        guard try await store.member(id: id) != nil else { throw Problem.memberNotFound }
        let now = clock.now()
        let version = try await programs.book().version(at: now)
        guard let tiers = version.program.tiers else {
            throw Problem(.notFound, code: "no_tiers", detail: "the program in force (version \(version.number)) has no tiers")
        }
        let activity = try await QualifyingHistory.activity(of: id, metric: tiers.metric, store: store)
        // A running membership of a higher paid level is the level in force.
        let counters = try await store.points(of: id, loadingLotsOf: nil).counters
        let status = tiers.holding(tiers.status(of: activity, at: now, timeZone: version.program.timeZone), counters: counters, at: now)
        let membership = Membership.until(counters).flatMap { until in
            counters[Membership.levelKey].flatMap(tiers.name(rank:))
                .map { TierResource.MembershipState(level: $0, until: until, running: until > now) }
        }
        let override = TierOverride.read(counters).flatMap { set in
            tiers.name(rank: set.rank).map { TierResource.OverrideState(level: $0, mode: set.mode.rawValue, until: set.until, running: set.runs(at: now)) }
        }
        return TierResource(tiers: tiers, status: status, version: version.number, membership: membership, override: override)
    }
}
