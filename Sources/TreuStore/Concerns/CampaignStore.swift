import Foundation
import TreuCore

/// Coupon campaigns: codes for everyone, within a budget.
public protocol CampaignStore: Sendable {
    /// Stores a new campaign (without codes).
    func createCampaign(_ campaign: CouponCampaign) async throws
    func campaign(id: UUID) async throws -> CouponCampaign?
    /// Adds codes to a campaign in one transaction; a code stored before (in any campaign) is
    /// skipped. - Returns: how many were added.
    func addCampaignCodes(_ codes: [String], to campaign: UUID) async throws -> Int
    /// A campaign's codes in code order after `after`, at most `limit` (for an export).
    func campaignCodes(of campaign: UUID, after: String?, limit: Int) async throws -> [CampaignCode]
    func campaignCode(_ code: String) async throws -> CampaignCode?
    /// Uses a campaign code on `order`, taking `discount` (minor units) from the campaign's
    /// budget, all at once: at most one order gets a code and the budget is never exceeded,
    /// whatever the concurrency; the same order again gets the same answer. `check` sees the
    /// campaign as stored (its expiry).
    func useCampaignCode(_ code: String, order: String, discount: Int, at now: Date,
                         _ check: @Sendable (CouponCampaign, _ others: [CodeOnOrder]) -> CouponRefusal?) async throws -> Result<CampaignCode, CouponRefusal>
    /// The order was cancelled: the code is usable again and its use goes back to the budget.
    func voidCampaignCode(_ code: String, order: String) async throws -> Result<CampaignCode, CouponRefusal>
    /// The member coupons and campaign codes used on `order`, but `code`, by code.
    func codes(onOrder order: String, except code: String) async throws -> [CodeOnOrder]
}
