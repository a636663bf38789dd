import Foundation
import Logging
import PostgresNIO
import TreuCore

extension PostgresStore {
    public func createCampaign(_ campaign: CouponCampaign) async throws {
        try await client.run("""
            INSERT INTO coupon_campaigns (id, name, reward, pattern, expires_at, budget_uses, budget_money, used_uses, used_money, created_at)
            VALUES (\(campaign.id), \(campaign.name), \(campaign.reward.campaignDocument), \(campaign.pattern),
                    \(campaign.expiresAt.map(Millis.from)), \(campaign.budget.uses), \(campaign.budget.money), 0, 0, \(Millis.from(campaign.createdAt)))
            """, logger)
    }

    public func campaign(id: UUID) async throws -> CouponCampaign? {
        try await client.withConnection { try await Self.campaign(id, $0, self.logger) }
    }

    public func addCampaignCodes(_ codes: [String], to campaign: UUID) async throws -> Int {
        let rows = try await client.run("""
            INSERT INTO campaign_codes (code, campaign_id, status)
            SELECT c, \(campaign), 'issued' FROM unnest(\(codes)::text[]) AS c ON CONFLICT DO NOTHING RETURNING code
            """, logger).decode(String.self).all()
        return rows.count
    }

    public func campaignCodes(of campaign: UUID, after: String?, limit: Int) async throws -> [CampaignCode] {
        try await Self.campaignCodes(client.run("""
            SELECT \(unescaped: Self.campaignCodeColumns) FROM campaign_codes WHERE campaign_id = \(campaign) AND code > \(after ?? "")
            ORDER BY code LIMIT \(limit)
            """, logger))
    }

    public func campaignCode(_ code: String) async throws -> CampaignCode? {
        try await Self.campaignCodes(client.run(
            "SELECT \(unescaped: Self.campaignCodeColumns) FROM campaign_codes WHERE code = \(code)", logger)).first
    }

    public func useCampaignCode(_ code: String, order: String, discount: Int, at now: Date,
                                _ check: @Sendable (CouponCampaign, [CodeOnOrder]) -> CouponRefusal?) async throws -> Result<CampaignCode, CouponRefusal> {
        let logger = self.logger
        return try await transaction { connection in
            guard let stored = try await Self.campaignCodes(connection.run(
                "SELECT \(unescaped: Self.campaignCodeColumns) FROM campaign_codes WHERE code = \(code) FOR UPDATE", logger)).first,
                  let campaign = try await Self.campaign(stored.campaign, connection, logger) else { return .failure(.couponNotFound) }
            if stored.status == .used { return stored.order == order ? .success(stored) : .failure(.used) }
            let others = try await Self.codes(onOrder: order, except: code, connection, logger, lock: true)
            if let refusal = check(campaign, others) { return .failure(refusal) }
            // The campaign's row lock: uses of its codes take from the budget one at a time.
            let taken = try await connection.run("""
                UPDATE coupon_campaigns SET used_uses = used_uses + 1, used_money = used_money + \(discount)
                WHERE id = \(campaign.id) AND (budget_uses IS NULL OR used_uses < budget_uses)
                  AND (budget_money IS NULL OR used_money + \(discount) <= budget_money)
                RETURNING id
                """, logger).decode(UUID.self).all()
            guard !taken.isEmpty else { return .failure(.budgetSpent) }
            try await connection.run("""
                UPDATE campaign_codes SET status = 'used', used_at = \(Millis.from(now)), order_reference = \(order), discount = \(discount)
                WHERE code = \(code)
                """, logger)
            var used = stored
            used.status = .used
            used.usedAt = Millis.date(Millis.from(now))
            used.order = order
            used.discount = discount
            return .success(used)
        }
    }

    public func voidCampaignCode(_ code: String, order: String) async throws -> Result<CampaignCode, CouponRefusal> {
        let logger = self.logger
        return try await transaction { connection in
            guard let stored = try await Self.campaignCodes(connection.run(
                "SELECT \(unescaped: Self.campaignCodeColumns) FROM campaign_codes WHERE code = \(code) FOR UPDATE", logger)).first else {
                return .failure(.couponNotFound)
            }
            if stored.status == .issued { return .success(stored) }
            guard stored.order == order else { return .failure(.used) }
            try await connection.run("""
                UPDATE coupon_campaigns SET used_uses = used_uses - 1, used_money = used_money - \(stored.discount ?? 0) WHERE id = \(stored.campaign)
                """, logger)
            try await connection.run("""
                UPDATE campaign_codes SET status = 'issued', used_at = NULL, order_reference = NULL, discount = NULL WHERE code = \(code)
                """, logger)
            return .success(CampaignCode(code: stored.code, campaign: stored.campaign))
        }
    }

    static let campaignCodeColumns = "code, campaign_id, status, used_at, order_reference, discount"

    static func campaignCodes(_ rows: PostgresRowSequence) async throws -> [CampaignCode] {
        var found: [CampaignCode] = []
        for try await row in rows {
            let c = row.makeRandomAccess()
            guard let status = CouponStatus(rawValue: try c[2].decode(String.self)) else { continue }
            found.append(CampaignCode(code: try c[0].decode(String.self), campaign: try c[1].decode(UUID.self), status: status,
                                      usedAt: try c[3].decode(Int64?.self).map(Millis.date), order: try c[4].decode(String?.self),
                                      discount: try c[5].decode(Int?.self)))
        }
        return found
    }

    static func campaign(_ id: UUID, _ connection: PostgresConnection, _ logger: Logger) async throws -> CouponCampaign? {
        let rows = try await connection.run("""
            SELECT name, reward, pattern, expires_at, budget_uses, budget_money, used_uses, used_money, created_at
            FROM coupon_campaigns WHERE id = \(id)
            """, logger)
        for try await row in rows {
            let c = row.makeRandomAccess()
            guard let reward = Reward(campaign: id.uuidString.lowercased(), document: try c[1].decode(String.self)) else { return nil }
            return CouponCampaign(id: id, name: try c[0].decode(String.self), reward: reward, pattern: try c[2].decode(String.self),
                                  expiresAt: try c[3].decode(Int64?.self).map(Millis.date),
                                  budget: .init(uses: try c[4].decode(Int?.self), money: try c[5].decode(Int?.self)),
                                  usedUses: try c[6].decode(Int.self), usedMoney: try c[7].decode(Int.self),
                                  createdAt: Millis.date(try c[8].decode(Int64.self)))
        }
        return nil
    }
}
