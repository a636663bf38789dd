import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// /v1/members/{id}/balance, /ledger and /adjustments: a member's points, why they are what
/// they are, and manual corrections by service staff.
struct PointsController: Sendable {
    let points: PointsService

    struct AdjustmentBody: Decodable {
        var points: Int
        var reason: String
        /// When credited points expire (nil: as the program's expiry policy says).
        var expiresAt: Date?
        enum CodingKeys: String, CodingKey, CaseIterable { case points, reason, expiresAt = "expires_at" }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            points = try c.decode(Int.self, forKey: .points)
            reason = try c.decode(String.self, forKey: .reason)
            if let text = try c.decodeIfPresent(String.self, forKey: .expiresAt) {
                guard let date = Timestamp.parse(text) else {
                    throw ValidationError(code: "invalid_time", field: "expires_at", message: "'\(text)' is not a time like 2027-03-31T22:00:00Z")
                }
                expiresAt = date
            }
        }
    }

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .get, "members/:id/balance", .readPoints) { _, context, _ in
            let ledger = try await points.points(of: try context.memberID())
            return try .json(BalanceResource(ledger, timeZone: try await points.timeZone()))
        }
        endpoints.register(v1, .get, "members/:id/ledger", .readPoints) { request, context, _ in
            let parameters = request.uri.queryParameters
            let limit = try QueryNumber.read(parameters["limit"], name: "limit", default: 50, range: 1...200)
            let after = try QueryNumber.read(parameters["cursor"], name: "cursor", default: 0, range: 0...Int.max)
            let entries = try await points.entries(of: try context.memberID(), after: after, limit: limit + 1)
            let page = Array(entries.prefix(limit))
            return try .json(PageResource(items: page.map(EntryResource.init),
                                          nextCursor: entries.count > limit ? page.last.map { String($0.sequence) } : nil))
        }
        endpoints.register(v1, .post, "members/:id/adjustments", .adjustPoints) { _, context, body in
            let request = try RequestBody.decode(AdjustmentBody.self, from: body)
            let ledger = try await points.adjust(try context.memberID(), points: request.points, reason: request.reason, expiresAt: request.expiresAt,
                                                 actor: context.principal.map { "\($0.name) (\($0.prefix)…)" })
            return try .json(AdjustmentResource(entry: EntryResource(ledger.entries[0]), balance: BalanceResource(ledger, timeZone: try await points.timeZone())),
                             status: .created)
        }
    }
}


/// A member's points as the API shows them; expiry days in the zone of the program in force.
struct BalanceResource: Encodable, JSONWritable {
    var ledger: MemberLedger
    /// The program's zone, for the days points expire on.
    var timeZone: TimeZone
    init(_ ledger: MemberLedger, timeZone: TimeZone) {
        self.ledger = ledger
        self.timeZone = timeZone
    }

    /// The figures in key order, named once for both ways of writing them.
    var figures: [(key: String, value: Int)] {
        let b = ledger.balance
        return [("available", b.available), ("debt", ledger.debt), ("lifetime_earned", b.lifetimeEarned),
                ("lifetime_expired", b.lifetimeExpired), ("lifetime_reversed", b.lifetimeReversed),
                ("lifetime_spent", b.lifetimeSpent), ("pending", b.pending)]
    }

    var expiries: [(on: String, points: Int)] {
        ledger.upcomingExpiries(timeZone: timeZone).map { ($0.day.description, $0.points) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, value) in figures { try c.encode(value, forKey: AnyCodingKey(stringValue: key)) }
        try c.encode(expiries.map { ExpiryResource(points: $0.points, on: $0.on) }, forKey: AnyCodingKey(stringValue: "next_expiries"))
    }

    func write(to w: inout JSONWriter) {
        w.object { w in
            for (key, value) in figures where key < "next_expiries" { w.field(key, value) }
            w.key("next_expiries")
            w.array(expiries) { w, expiry in w.object { w in w.field("on", expiry.on); w.field("points", expiry.points) } }
            for (key, value) in figures where key > "next_expiries" { w.field(key, value) }
        }
    }

    struct ExpiryResource: Encodable {
        var points: Int
        var on: String
    }
}

/// One ledger entry as the API shows it: what changed, when, and why.
struct EntryResource: Encodable {
    var entry: LedgerEntry
    init(_ entry: LedgerEntry) { self.entry = entry }

    enum CodingKeys: String, CodingKey { case sequence, kind, points, at, event, rule, actor, reason, reverses }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entry.sequence, forKey: .sequence)
        try c.encode(entry.kind.rawValue, forKey: .kind)
        try c.encode(entry.points, forKey: .points)
        try c.encode(entry.at, forKey: .at)
        try c.encode(entry.cause.event, forKey: .event)
        try c.encode(entry.cause.rule, forKey: .rule)
        try c.encode(entry.cause.actor, forKey: .actor)
        try c.encode(entry.cause.reason, forKey: .reason)
        try c.encode(entry.reverses, forKey: .reverses)
    }
}

struct AdjustmentResource: Encodable {
    var entry: EntryResource
    var balance: BalanceResource
}
