import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// GET /v1/members/{id}/tier: where a member stands in the tiers of the program in force — the
/// level, the next one and what reaches it, what keeps the level, when the window ends.
struct TierController: Sendable {
    let store: any Store
    let clock: TreuClock
    let programs: ProgramService
    let ids: IDGenerator

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .get, "members/:id/tier", .readPoints) { _, context, _ in
            try .json(try await tier(of: try context.memberID()))
        }
        // A level set by hand: support's, with a reason, as a floor or a fixed level, until a date.
        endpoints.register(v1, .put, "members/:id/tier", .adjustPoints) { _, context, body in
            let request = try RequestBody.decode(TierOverrideBody.self, from: body)
            try await change(TierOverrideChange(reference: "", member: try context.memberID(), level: request.level,
                                                mode: request.mode, until: request.until, reason: request.reason,
                                                actor: context.principal.map { "\($0.name) (\($0.prefix)…)" }))
            return try .json(try await tier(of: try context.memberID()))
        }
        endpoints.register(v1, .delete, "members/:id/tier", .adjustPoints) { request, context, _ in
            let reason = request.uri.queryParameters["reason"].map(String.init) ?? ""
            try await change(TierOverrideChange(reference: "", member: try context.memberID(), level: nil, mode: .floor,
                                                until: nil, reason: reason, actor: context.principal.map { "\($0.name) (\($0.prefix)…)" }))
            return try .json(try await tier(of: try context.memberID()))
        }
    }

    /// Records a level set or taken off as an event of the member (under their lock).
    private func change(_ change: TierOverrideChange) async throws {
        let reason = change.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count), !reason.containsControlCharacter else {
            throw Problem(.unprocessableContent, code: "reason_required", detail: "a level set by hand says why, in 1 to 500 characters", field: "reason")
        }
        guard try await store.member(id: change.member) != nil else { throw Problem.memberNotFound }
        var change = change
        change.reason = reason
        change.reference = "tier-override:\(ids.next().uuidString.lowercased())"
        let events = EventService(store: store, clock: clock, ids: ids, programs: programs, enrolUnknown: false)
        let outcome = try await events.record([(.tierOverride(change), EventService.fingerprint(change.jsonData))])[0]
        if case .refused(let error) = outcome { throw Problem.from(error) }
    }

    private func tier(of id: UUID) async throws -> TierResource {
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

/// `{"level": "Gold", "mode": "floor", "until": "2027-06-30T22:00:00Z", "reason": "…"}`.
struct TierOverrideBody: Decodable {
    var level: String
    var mode: TierOverride.Mode
    var until: Date?
    var reason: String
    enum CodingKeys: String, CodingKey, CaseIterable { case level, mode, until, reason }
    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        level = try c.decode(String.self, forKey: .level)
        let text = try c.decodeIfPresent(String.self, forKey: .mode) ?? "floor"
        guard let mode = TierOverride.Mode(rawValue: text) else {
            throw ValidationError(code: "invalid_field", field: "mode", message: "mode is floor (at least this level) or fixed (this level), not '\(text)'")
        }
        self.mode = mode
        if let text = try c.decodeIfPresent(String.self, forKey: .until) {
            guard let date = Timestamp.parse(text) else {
                throw ValidationError(code: "invalid_time", field: "until", message: "'\(text)' is not a time like 2027-06-30T22:00:00Z")
            }
            until = date
        }
        reason = try c.decode(String.self, forKey: .reason)
    }
}
