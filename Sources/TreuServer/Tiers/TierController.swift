import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// GET /v1/members/{id}/tier: where a member stands in the tiers of the program in force — the
/// level, the next one and what reaches it, what keeps the level, when the window ends.
struct TierController: Sendable {
    let tiers: TierService

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .get, "members/:id/tier", .readPoints) { _, context, _ in
            try .json(try await tiers.tier(of: try context.memberID()))
        }
        // A level set by hand: support's, with a reason, as a floor or a fixed level, until a date.
        endpoints.register(v1, .put, "members/:id/tier", .adjustPoints) { _, context, body in
            let request = try RequestBody.decode(TierOverrideBody.self, from: body)
            try await tiers.change(TierOverrideChange(reference: "", member: try context.memberID(), level: request.level,
                                                mode: request.mode, until: request.until, reason: request.reason,
                                                actor: context.principal.map { "\($0.name) (\($0.prefix)…)" }))
            return try .json(try await tiers.tier(of: try context.memberID()))
        }
        endpoints.register(v1, .delete, "members/:id/tier", .adjustPoints) { request, context, _ in
            let reason = request.uri.queryParameters["reason"].map(String.init) ?? ""
            try await tiers.change(TierOverrideChange(reference: "", member: try context.memberID(), level: nil, mode: .floor,
                                                until: nil, reason: reason, actor: context.principal.map { "\($0.name) (\($0.prefix)…)" }))
            return try .json(try await tiers.tier(of: try context.memberID()))
        }
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
