import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// GET /v1/members/{id}/referrals (the member's code and link, whom they brought, who brought
/// them) and POST /v1/members/{id}/referral (a member who enrolled without a code gives it).
struct ReferralController: Sendable {
    let referrals: ReferralService
    let currency: @Sendable () async throws -> String

    struct ReferBody: Decodable {
        var referralCode: String
        enum CodingKeys: String, CodingKey, CaseIterable { case referralCode = "referral_code" }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            referralCode = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .referralCode)
        }
    }

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .get, "members/:id/referrals", .readMembers) { _, context, _ in
            let summary = try await referrals.summary(of: try context.memberID())
            return try .json(ReferralSummaryResource(summary, currency: try await currency()))
        }
        endpoints.register(v1, .post, "members/:id/referral", .writeMembers) { _, context, body in
            let request = try RequestBody.decode(ReferBody.self, from: body)
            let referral = try await referrals.refer(code: request.referralCode, member: try context.memberID())
            if referral.status == .refused, let reason = referral.reason {
                throw Problem(.unprocessableContent, code: reason, detail: ReferralResource.explain(reason), field: "referral_code")
            }
            return try .json(ReferralResource(referral), status: .created)
        }
    }
}

/// One referral as the API shows it.
struct ReferralResource: Encodable, Sendable {
    var referral: Referral
    init(_ referral: Referral) { self.referral = referral }

    enum CodingKeys: String, CodingKey {
        case id, code, status, reason, explanation
        case referrerID = "referrer_id", referredID = "referred_id", createdAt = "created_at", orderReference = "order_reference"
        case dueAt = "due_at", settledAt = "settled_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(referral.id.uuidString.lowercased(), forKey: .id)
        try c.encode(referral.code, forKey: .code)
        try c.encode(referral.referrer.uuidString.lowercased(), forKey: .referrerID)
        try c.encode(referral.referred.uuidString.lowercased(), forKey: .referredID)
        try c.encode(referral.status.rawValue, forKey: .status)
        try c.encode(referral.reason, forKey: .reason)
        try c.encode(referral.reason.map(Self.explain), forKey: .explanation)
        try c.encode(referral.createdAt, forKey: .createdAt)
        try c.encode(referral.order, forKey: .orderReference)
        try c.encode(referral.dueAt, forKey: .dueAt)
        try c.encode(referral.settledAt, forKey: .settledAt)
    }

    static func explain(_ reason: String) -> String {
        switch ReferralRefusal(rawValue: reason) {
        case .selfReferral: "the friend is the member who holds the code (the same person by an identity)"
        case .limitReached: "the member who holds the code has brought as many friends as the program allows in this period"
        case .alreadyReferred: "the friend was referred before"
        case .existingCustomer: "the friend had ordered before: referrals bring new customers"
        case nil: reason == "returned" ? "the friend's qualifying order came back within its return window" : reason
        }
    }
}

struct ReferralSummaryResource: Encodable, Sendable {
    var summary: ReferralSummary
    var currency: String
    init(_ summary: ReferralSummary, currency: String) {
        self.summary = summary
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey {
        case code, link, counts, referrals, currency
        case referredBy = "referred_by", friendsSpend = "friends_spend"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(summary.code, forKey: .code)
        try c.encode(summary.link, forKey: .link)
        try c.encode(summary.referredBy.map(ReferralResource.init), forKey: .referredBy)
        var counts = Dictionary(uniqueKeysWithValues: ReferralStatus.allCases.map { ($0.rawValue, 0) })
        for referral in summary.referrals { counts[referral.status.rawValue, default: 0] += 1 }
        counts["brought"] = summary.referrals.count { $0.status != .refused }
        try c.encode(counts, forKey: .counts)
        try c.encode(summary.friendsSpend, forKey: .friendsSpend)
        try c.encode(currency, forKey: .currency)
        try c.encode(summary.referrals.map(ReferralResource.init), forKey: .referrals)
    }
}
