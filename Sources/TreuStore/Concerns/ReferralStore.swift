import Foundation
import TreuCore

/// Referral codes and referrals.
public protocol ReferralStore: Sendable {
    /// The member's referral code: the one stored or, on the first ask, one of `propose` (asked
    /// again while its proposal belongs to another member).
    /// - Throws: `StoreError.notFound` if there is no such member.
    func referralCode(of member: UUID, at now: Date, propose: @Sendable () -> String) async throws -> String
    /// The member a code belongs to.
    func member(referralCode code: String) async throws -> UUID?
    /// Records that the holder of `code` brought `referred`: under the referrer's lock (two
    /// referrals with one code at once see each other) the facts are read and `decide` refuses or
    /// accepts; the referral is stored either way, a refused one with its reason.
    /// - Throws: `StoreError.notFound` if the code or the friend is unknown.
    func refer(id: UUID, code: String, referred: UUID, at now: Date,
               _ decide: @Sendable (ReferralFacts) -> ReferralRefusal?) async throws -> Referral
    /// The referrals a member made (as referrer), oldest first.
    func referrals(by referrer: UUID) async throws -> [Referral]
    /// The referral that brought a member (not a refused one).
    func referral(of referred: UUID) async throws -> Referral?
    /// Every referral in id order after `id`, at most `limit`.
    func referrals(after id: UUID?, limit: Int) async throws -> [Referral]
    /// Referrals with something to decide, at most `limit`: pending ones whose friend has more
    /// orders than when they were last looked at, qualified ones whose window has ended.
    func referralsToSettle(at now: Date, limit: Int) async throws -> [(referral: Referral, ordersSeen: Int)]
    /// Writes `referral`'s status, reason, order and dates, and how many of the friend's orders
    /// were looked at, if it is still in `expected`'s status (another server may have moved it).
    /// - Returns: whether it was written.
    func updateReferral(_ referral: Referral, expected: ReferralStatus, ordersSeen: Int) async throws -> Bool
}
