import Foundation
import GRDB
import TreuCore

extension SQLiteStore {
    public func createCampaign(_ campaign: CouponCampaign) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO coupon_campaigns (id, name, reward, pattern, expires_at, budget_uses, budget_money, used_uses, used_money, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?)
                """, arguments: [Self.key(campaign.id), campaign.name, campaign.reward.campaignDocument, campaign.pattern,
                                 campaign.expiresAt.map(Millis.from), campaign.budget.uses, campaign.budget.money, Millis.from(campaign.createdAt)])
        }
    }

    public func campaign(id: UUID) async throws -> CouponCampaign? {
        try read { db in try Self.campaign(id, db) }
    }

    public func addCampaignCodes(_ codes: [String], to campaign: UUID) async throws -> Int {
        try await writer.write { db in
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO campaign_codes (code, campaign_id, status) VALUES (?, ?, 'issued')")
            let key = Self.key(campaign)
            var added = 0
            for code in codes {
                try insert.execute(arguments: [code, key])
                added += db.changesCount
            }
            return added
        }
    }

    public func campaignCodes(of campaign: UUID, after: String?, limit: Int) async throws -> [CampaignCode] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.campaignCodeColumns) FROM campaign_codes WHERE campaign_id = ? AND code > ? ORDER BY code LIMIT ?
                """), arguments: [Self.key(campaign), after ?? "", limit]).compactMap(Self.campaignCode)
        }
    }

    public func campaignCode(_ code: String) async throws -> CampaignCode? {
        try read { db in try Self.campaignCode(code, db) }
    }

    public func useCampaignCode(_ code: String, order: String, discount: Int, at now: Date,
                                _ check: @Sendable (CouponCampaign, [CodeOnOrder]) -> CouponRefusal?) async throws -> Result<CampaignCode, CouponRefusal> {
        try await writer.write { db in
            guard let stored = try Self.campaignCode(code, db), let campaign = try Self.campaign(stored.campaign, db) else {
                return .failure(.couponNotFound)
            }
            if stored.status == .used { return stored.order == order ? .success(stored) : .failure(.used) }
            if let refusal = check(campaign, try Self.codes(onOrder: order, except: code, db)) { return .failure(refusal) }
            try db.execute(sql: """
                UPDATE coupon_campaigns SET used_uses = used_uses + 1, used_money = used_money + ?
                WHERE id = ? AND (budget_uses IS NULL OR used_uses < budget_uses) AND (budget_money IS NULL OR used_money + ? <= budget_money)
                """, arguments: [discount, Self.key(campaign.id), discount])
            guard db.changesCount == 1 else { return .failure(.budgetSpent) }
            try db.execute(sql: "UPDATE campaign_codes SET status = 'used', used_at = ?, order_reference = ?, discount = ? WHERE code = ?",
                           arguments: [Millis.from(now), order, discount, code])
            return .success(try Self.campaignCode(code, db) ?? stored)
        }
    }

    public func voidCampaignCode(_ code: String, order: String) async throws -> Result<CampaignCode, CouponRefusal> {
        try await writer.write { db in
            guard let stored = try Self.campaignCode(code, db) else { return .failure(.couponNotFound) }
            if stored.status == .issued { return .success(stored) }
            guard stored.order == order else { return .failure(.used) }
            try db.execute(sql: "UPDATE coupon_campaigns SET used_uses = used_uses - 1, used_money = used_money - ? WHERE id = ?",
                           arguments: [stored.discount ?? 0, Self.key(stored.campaign)])
            try db.execute(sql: "UPDATE campaign_codes SET status = 'issued', used_at = NULL, order_reference = NULL, discount = NULL WHERE code = ?",
                           arguments: [code])
            return .success(try Self.campaignCode(code, db) ?? stored)
        }
    }

    static let campaignCodeColumns = "code, campaign_id, status, used_at, order_reference, discount"

    static func campaignCode(_ code: String, _ db: Database) throws -> CampaignCode? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(campaignCodeColumns) FROM campaign_codes WHERE code = ?"), arguments: [code])
            .flatMap(campaignCode)
    }

    static func campaignCode(_ row: Row) -> CampaignCode? {
        guard let campaign = UUID(uuidString: row[1]), let status = CouponStatus(rawValue: row[2]) else { return nil }
        return CampaignCode(code: row[0], campaign: campaign, status: status, usedAt: (row[3] as Int64?).map(Millis.date), order: row[4], discount: row[5])
    }

    static func campaign(_ id: UUID, _ db: Database) throws -> CouponCampaign? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, name, reward, pattern, expires_at, budget_uses, budget_money, used_uses, used_money, created_at
            FROM coupon_campaigns WHERE id = ?
            """), arguments: [key(id)]), let reward = Reward(campaign: key(id), document: row[2]) else { return nil }
        return CouponCampaign(id: id, name: row[1], reward: reward, pattern: row[3], expiresAt: (row[4] as Int64?).map(Millis.date),
                              budget: .init(uses: row[5], money: row[6]), usedUses: row[7], usedMoney: row[8], createdAt: Millis.date(row[9]))
    }
}
