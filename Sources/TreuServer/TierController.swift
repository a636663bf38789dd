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

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .get, "members/:id/tier", .readPoints) { _, context, _ in
            let id = try MemberController.memberID(context)
            guard try await store.member(id: id) != nil else { throw Problem.memberNotFound }
            let now = clock.now()
            let version = try await programs.book().version(at: now)
            guard let tiers = version.program.tiers else {
                throw Problem(.notFound, code: "no_tiers", detail: "the program in force (version \(version.number)) has no tiers")
            }
            let activity = try await QualifyingHistory.activity(of: id, metric: tiers.metric, store: store)
            let status = tiers.status(of: activity, at: now, timeZone: version.program.timeZone)
            return try .json(TierResource(tiers: tiers, status: status, version: version.number))
        }
    }
}

/// What moves a member's qualifying metric, read from their orders and returns (spend, orders)
/// or their ledger (points).
enum QualifyingHistory {
    static func activity(of member: UUID, metric: TierProgram.Metric, store: any Store) async throws -> [QualifyingActivity] {
        if metric == .points { return try await earnedPoints(of: member, store: store) }
        let decoder = JSONDecoder.treu
        let rows = try await store.purchases(of: member)
        var orders: [String: (at: Date, amount: Int)] = [:]
        var returns: [Return] = []
        for row in rows {
            if row.kind == "return" {
                if let payload = row.payload { returns.append(try decoder.decode(StoredReturn.self, from: Data(payload.utf8)).value) }
            } else {
                let amount = try row.amount
                    ?? decoder.decode(StoredOrder.self, from: Data((row.payload ?? "").utf8)).order.netOfDiscounts.minorUnits
                orders[row.reference] = (row.occurredAt, amount)
            }
        }
        var activity = orders.values.map { QualifyingActivity(at: $0.at, amount: metric == .orders ? 1 : $0.amount) }
        // Returns in the order they came: each takes what it added to its order's returned net;
        // the one that completes it takes the order away for the orders metric.
        let returnedOrders = Set(returns.filter { $0.lines != nil }.map(\.orderReference))
        let documents = try await store.payloads(of: Array(returnedOrders))
        var earlier: [String: (returns: [Return], returned: Int)] = [:]
        for ret in returns.sorted(by: { ($0.at, $0.reference) < ($1.at, $1.reference) }) {
            guard let order = orders[ret.orderReference] else { continue }
            let before = earlier[ret.orderReference] ?? ([], 0)
            let now: (returned: Int, of: Int)
            if let document = documents[ret.orderReference] {
                let full = try decoder.decode(StoredOrder.self, from: Data(document.utf8)).order
                guard let counted = try? ret.returnedNet(of: full, after: before.returns) else { continue }
                now = counted
            } else {
                now = (order.amount, order.amount)
            }
            earlier[ret.orderReference] = (before.returns + [ret], now.returned)
            let amount = metric == .orders ? (now.returned >= now.of && before.returned < now.of ? -1 : 0) : -(now.returned - before.returned)
            if amount != 0 { activity.append(QualifyingActivity(at: ret.at, orderAt: order.at, amount: amount)) }
        }
        return activity
    }

    /// Points earned (credits) and taken back by returns (reversals, counted at their order's time).
    static func earnedPoints(of member: UUID, store: any Store) async throws -> [QualifyingActivity] {
        var activity: [QualifyingActivity] = []
        var creditedAt: [String: Date] = [:]
        var after = 0
        while true {
            let entries = try await store.ledgerEntries(of: member, after: after, limit: 500)
            guard let last = entries.last else { return activity }
            for entry in entries {
                switch entry.kind {
                case .credit:
                    if let event = entry.cause.event, creditedAt[event] == nil { creditedAt[event] = entry.at }
                    activity.append(QualifyingActivity(at: entry.at, amount: entry.points))
                case .reversal:
                    activity.append(QualifyingActivity(at: entry.at, orderAt: entry.reverses.flatMap { creditedAt[$0] } ?? entry.at, amount: entry.points))
                default:
                    continue
                }
            }
            after = last.sequence
        }
    }
}

/// A member's place in the tiers, as the API shows it.
struct TierResource: Encodable {
    struct Level: Encodable {
        var name: String
        var threshold: Int
        var multiplier: Double?
        var freeShipping: Bool
        var perks: [String: String]
        enum CodingKeys: String, CodingKey { case name, threshold, multiplier, perks, freeShipping = "free_shipping" }
        init(_ level: TierProgram.Level) {
            name = level.name
            threshold = level.threshold
            multiplier = level.multiplier
            freeShipping = level.freeShipping
            perks = level.perks
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(threshold, forKey: .threshold)
            try c.encode(multiplier, forKey: .multiplier)
            try c.encode(freeShipping, forKey: .freeShipping)
            try c.encode(perks, forKey: .perks)
        }
    }

    var tiers: TierProgram
    var status: TierStatus
    var version: Int

    enum CodingKeys: String, CodingKey {
        case metric, window, tier, earned, value, next, needed
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
    }
}
