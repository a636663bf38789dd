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
            try .json(try await tier(of: try MemberController.memberID(context)))
        }
        // A level set by hand: support's, with a reason, as a floor or a fixed level, until a date.
        endpoints.register(v1, .put, "members/:id/tier", .adjustPoints) { _, context, body in
            let request = try RequestBody.decode(TierOverrideBody.self, from: body)
            try await change(TierOverrideChange(reference: "", member: try MemberController.memberID(context), level: request.level,
                                                mode: request.mode, until: request.until, reason: request.reason,
                                                actor: context.principal.map { "\($0.name) (\($0.prefix)…)" }))
            return try .json(try await tier(of: try MemberController.memberID(context)))
        }
        endpoints.register(v1, .delete, "members/:id/tier", .adjustPoints) { request, context, _ in
            let reason = request.uri.queryParameters["reason"].map(String.init) ?? ""
            try await change(TierOverrideChange(reference: "", member: try MemberController.memberID(context), level: nil, mode: .floor,
                                                until: nil, reason: reason, actor: context.principal.map { "\($0.name) (\($0.prefix)…)" }))
            return try .json(try await tier(of: try MemberController.memberID(context)))
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

/// What moves a member's qualifying metric, read from their orders and returns (spend, orders)
/// or their ledger (points).
enum QualifyingHistory {
    static func activity(of member: UUID, metric: TierProgram.Metric, store: any Store) async throws -> [QualifyingActivity] {
        if metric == .points { return try await earnedPoints(of: member, store: store) }
        return movements(try await PurchaseLog.read(store, members: [member]), metric: metric)[member] ?? []
    }

    /// Points earned (credits) and taken back by returns (reversals, counted at their order's time).
    static func earnedPoints(of member: UUID, store: any Store) async throws -> [QualifyingActivity] {
        var entries: [LedgerEntry] = []
        while true {
            let page = try await store.ledgerEntries(of: member, after: entries.last?.sequence ?? 0, limit: 500)
            guard !page.isEmpty else { break }
            entries += page
        }
        return earned(entries.map { ($0.kind.rawValue, $0.points, $0.at, $0.cause.event, $0.reverses) })
    }

    /// Credits count when they were made; a reversal counts at the time of the credit it takes
    /// back (its order's), as a return does. Other entries do not qualify.
    static func earned(_ entries: [(kind: String, points: Int, at: Date, event: String?, reverses: String?)]) -> [QualifyingActivity] {
        var creditedAt: [String: Date] = [:]
        var activity: [QualifyingActivity] = []
        for entry in entries {
            if entry.kind == EntryKind.credit.rawValue {
                if let event = entry.event, creditedAt[event] == nil { creditedAt[event] = entry.at }
                activity.append(QualifyingActivity(at: entry.at, amount: entry.points))
            } else if entry.kind == EntryKind.reversal.rawValue {
                activity.append(QualifyingActivity(at: entry.at, orderAt: entry.reverses.flatMap { creditedAt[$0] } ?? entry.at, amount: entry.points))
            }
        }
        return activity
    }

    /// Every member's qualifying activity, for reports by tier: spend and orders from the
    /// purchase log, points from the ledger.
    static func everyone(_ log: PurchaseLog, metric: TierProgram.Metric, store: any Store) async throws -> [UUID: [QualifyingActivity]] {
        var activity: [UUID: [QualifyingActivity]] = [:]
        if metric == .points {
            var position: PointsPosition?
            var rows: [PointsMovement] = []
            func flush() {
                guard let member = rows.first?.member else { return }
                activity[member, default: []] += earned(rows.map { ($0.kind, $0.points, $0.at, $0.event, $0.reverses) })
                rows.removeAll()
            }
            while true {
                let page = try await store.pointsEarned(after: position, limit: 10_000)
                guard let last = page.last else { break }
                for row in page {
                    if let member = rows.first?.member, member != row.member { flush() }
                    rows.append(row)
                }
                position = last.position
            }
            flush()
            return activity
        }
        return movements(log, metric: metric)
    }

    /// The orders and returns of a purchase log as spend or orders activity, by member.
    static func movements(_ log: PurchaseLog, metric: TierProgram.Metric) -> [UUID: [QualifyingActivity]] {
        var activity: [UUID: [QualifyingActivity]] = [:]
        for movement in log.movements {
            let amount = metric == .orders ? movement.orders : movement.amount
            guard amount != 0 else { continue }
            activity[log.members[movement.member], default: []].append(QualifyingActivity(at: movement.at, orderAt: movement.orderAt, amount: amount))
        }
        return activity
    }
}

/// A member's place in the tiers, as the API shows it.
struct TierResource: Encodable {
    struct Level: Encodable {
        var name: String
        var threshold: Int
        @OrNull var multiplier: Double?
        var freeShipping: Bool
        var perks: [String: String]
        var paid: Bool
        enum CodingKeys: String, CodingKey { case name, threshold, multiplier, perks, paid, freeShipping = "free_shipping" }
        init(_ level: TierProgram.Level) {
            name = level.name
            threshold = level.threshold
            paid = level.paid
            multiplier = level.multiplier?.number
            freeShipping = level.freeShipping
            perks = level.perks
        }
    }

    /// The member's latest membership of a paid level, running or lapsed.
    struct MembershipState: Encodable {
        var level: String
        var until: Date
        var running: Bool
    }

    /// A level set by hand, running or ended.
    struct OverrideState: Encodable {
        var level: String
        var mode: String
        var until: Date?
        var running: Bool
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            try c.encode(level, forKey: AnyCodingKey(stringValue: "level"))
            try c.encode(mode, forKey: AnyCodingKey(stringValue: "mode"))
            try c.encode(until, forKey: AnyCodingKey(stringValue: "until"))
            try c.encode(running, forKey: AnyCodingKey(stringValue: "running"))
        }
    }

    var tiers: TierProgram
    var status: TierStatus
    var version: Int
    var membership: MembershipState?
    var override: OverrideState?

    enum CodingKeys: String, CodingKey {
        case metric, window, tier, earned, value, next, needed, membership, override
        case programVersion = "program_version", windowStart = "window_start", windowEnd = "window_end"
        case toKeep = "to_keep", keptUntil = "kept_until"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .programVersion)
        try c.encode(tiers.metric.rawValue, forKey: .metric)
        let window = switch tiers.window {
        case .calendarYear: "calendar_year"
        case .rolling(let months): "rolling_\(months)_months"
        case .lifetime: "lifetime"
        }
        try c.encode(window, forKey: .window)
        try c.encode(status.level.map { Level(tiers.levels[$0]) }, forKey: .tier)
        try c.encode(status.earned.map { tiers.levels[$0].name }, forKey: .earned)
        try c.encode(status.value, forKey: .value)
        try c.encode(status.windowStart, forKey: .windowStart)
        try c.encode(status.windowEnd, forKey: .windowEnd)
        try c.encode(status.next.map { Level(tiers.levels[$0]) }, forKey: .next)
        try c.encode(status.needed, forKey: .needed)
        try c.encode(status.toKeep, forKey: .toKeep)
        try c.encode(status.keptUntil, forKey: .keptUntil)
        try c.encode(membership, forKey: .membership)
        try c.encode(override, forKey: .override)
    }
}
