import Foundation
import TreuCore

/// Rewards redeemed into coupons, and coupons at checkout.
public protocol CouponStore: Sendable {
    /// Redeems a reward for `coupon.member`, all or nothing, in one transaction under the
    /// member's lock: `change` gets the member's ledger and how many coupons of the reward they
    /// were issued since `countingSince` (not cancelled), and debits the points or throws; the
    /// reward's stock is taken (`CouponRefusal.outOfStock` once `stock` coupons were issued,
    /// however many redeem at once); the coupon is stored. A coupon with an `origin` (a prize: a
    /// referral's side) is issued once: if one with that origin exists, it is returned and
    /// nothing changes.
    /// - Throws: `StoreError.notFound` for an unknown member, what `change` throws.
    func redeem(_ coupon: Coupon, origin: String?, stock: Int?, countingSince: Date?,
                _ change: @Sendable (inout MemberLedger, _ issuedSince: Int) throws -> Void) async throws -> Coupon
    func coupon(code: String) async throws -> Coupon?
    /// A member's coupons, newest first.
    func coupons(of member: UUID) async throws -> [Coupon]
    /// Coupons of these rewards with `status`, by code after `after` (a shop's list of gifts to hand over, or handed over).
    func coupons(ofRewards rewards: [String], status: CouponStatus, after: String?, limit: Int) async throws -> [Coupon]
    /// Per reward: its coupons not cancelled, their points and the members holding them (a cause's running total).
    func rewardTotals(_ rewards: [String]) async throws -> [String: RewardTotal]
    /// Donations members made to a cause they named (not a reward of the catalog), by the
    /// ledger entry's reason ("donation to Trees for Hanoi"): how many, their points, the members.
    func namedDonations() async throws -> [String: RewardTotal]
    /// Uses the coupon on `order` if `check` accepts it as stored: at most one order ever gets
    /// it, whatever the concurrency; the same order again gets the same answer.
    /// - Returns: the coupon as used, or why not (`couponNotFound` for an unknown code).
    /// `check` also sees the other codes used on the order so far (for the stacking rules),
    /// read under a lock of the order: two codes for one order are used one after the other.
    /// `notices` gets the coupon as used (the first time only) and what it returns is written with it.
    func useCoupon(code: String, order: String, at now: Date, notices: @Sendable (Coupon) -> [Notice],
                   _ check: @Sendable (Coupon, _ others: [CodeOnOrder]) -> CouponRefusal?) async throws -> Result<Coupon, CouponRefusal>
    /// The order a coupon was used on was cancelled: the coupon is usable again (once).
    /// - Returns: the coupon, or why not (`couponNotFound`, or `used` if used on another order).
    func voidCoupon(code: String, order: String) async throws -> Result<Coupon, CouponRefusal>
    /// Cancels a coupon in one transaction (its redemption undone): `check` may refuse it; else
    /// it becomes cancelled (with `order`, when an order's cancellation voided it), its reward's
    /// unit goes back to the stock, and `refund` gets the member's ledger and the points its
    /// redemption took, lot by lot with their expiry dates. A coupon already cancelled for the
    /// same non-nil `order` is returned as it is.
    func cancelCoupon(code: String, order: String?, at now: Date, _ check: @Sendable (Coupon) -> CouponRefusal?,
                      refund: @Sendable (inout MemberLedger, _ spent: [(points: Int, expiresAt: Date?)]) -> Void) async throws -> Result<Coupon, CouponRefusal>
    /// Marks the issued coupons that expire after `after` and by `through` and were not
    /// reminded of yet, up to `limit`, as reminded at `now`, writing the notices `notice` makes
    /// for each in the same transaction (so each coupon is told of once, whichever server runs).
    /// - Returns: the coupons marked.
    func remindExpiringCoupons(after: Date, through: Date, at now: Date, limit: Int,
                               notice: @Sendable (Coupon) -> [Notice]) async throws -> Int
}

extension CouponStore {
    /// Uses a coupon without notices.
    public func useCoupon(code: String, order: String, at now: Date,
                          _ check: @Sendable (Coupon, _ others: [CodeOnOrder]) -> CouponRefusal?) async throws -> Result<Coupon, CouponRefusal> {
        try await useCoupon(code: code, order: order, at: now, notices: { _ in [] }, check)
    }
}
