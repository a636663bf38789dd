import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// /v1/members/{id}/balance, /ledger and /adjustments: a member's points, why they are what
/// they are, and manual corrections by service staff.
struct PointsController: Sendable {
    let store: any Store
    let clock: TreuClock
    let programs: ProgramService

    /// The zone of the program in force now, for the days points expire on.
    func timeZone() async throws -> TimeZone { try await programs.book().version(at: clock.now()).program.timeZone }

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
            let id = try context.memberID()
            guard try await store.member(id: id) != nil else { throw Problem.memberNotFound }
            return try .json(BalanceResource(try await store.points(of: id, loadingLotsOf: nil), timeZone: try await timeZone()))
        }
        endpoints.register(v1, .get, "members/:id/ledger", .readPoints) { request, context, _ in
            let id = try context.memberID()
            guard try await store.member(id: id) != nil else { throw Problem.memberNotFound }
            let parameters = request.uri.queryParameters
            let limit = try QueryNumber.read(parameters["limit"], name: "limit", default: 50, range: 1...200)
            let after = try QueryNumber.read(parameters["cursor"], name: "cursor", default: 0, range: 0...Int.max)
            let entries = try await store.ledgerEntries(of: id, after: after, limit: limit + 1)
            let page = Array(entries.prefix(limit))
            return try .json(PageResource(items: page.map(EntryResource.init),
                                          nextCursor: entries.count > limit ? page.last.map { String($0.sequence) } : nil))
        }
        endpoints.register(v1, .post, "members/:id/adjustments", .adjustPoints) { _, context, body in
            let id = try context.memberID()
            let request = try RequestBody.decode(AdjustmentBody.self, from: body)
            let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...500).contains(reason.count) else {
                throw Problem(.unprocessableContent, code: "reason_required", detail: "an adjustment says why, in 1 to 500 characters", field: "reason")
            }
            guard request.points != 0, (-Self.maxAdjustment...Self.maxAdjustment).contains(request.points) else {
                throw Problem(.unprocessableContent, code: "invalid_points",
                              detail: "an adjustment is a whole number of points other than 0, from -\(Self.maxAdjustment.grouped) to \(Self.maxAdjustment.grouped)",
                              field: "points")
            }
            let actor = context.principal.map { "\($0.name) (\($0.prefix)…)" }
            let now = clock.now()
            if let expiresAt = request.expiresAt {
                guard request.points > 0 else {
                    throw Problem(.unprocessableContent, code: "invalid_field", detail: "expires_at is for points credited (a positive adjustment)", field: "expires_at")
                }
                guard expiresAt > now else {
                    throw Problem(.unprocessableContent, code: "invalid_time", detail: "expires_at is in the future", field: "expires_at")
                }
            }
            // Points given by hand expire as earned points do, unless the adjustment says when.
            let policyExpiry = try await programs.book().version(at: now).program.expiryDate(earnedAt: now)
            let expiresAt = request.expiresAt ?? policyExpiry
            let cause = Cause(actor: actor, reason: reason)
            let ledger = try await store.changePoints(of: id, loadingLotsOf: nil) { ledger in
                if request.points > 0 {
                    try ledger.credit(request.points, at: now, expiresAt: expiresAt, source: nil, cause: cause, kind: .adjustment)
                } else {
                    try ledger.debit(-request.points, at: now, cause: cause, kind: .adjustment)
                }
                return ledger
            }
            return try .json(AdjustmentResource(entry: EntryResource(ledger.entries[0]), balance: BalanceResource(ledger, timeZone: try await timeZone())), status: .created)
        }
    }

    /// The most points one adjustment moves, either way.
    static let maxAdjustment = 10_000_000
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
