import Foundation
import TreuCore
import TreuStore

/// What an event tells the outbox, decided after its evaluation inside the store's transaction:
/// the enrolment it made, the points it moved, the coupons it issued, the tier it changed.
enum EventNotices {
    /// - Parameter tierBefore: the recorded tier (`Program.recordedTierKey`) before the evaluation.
    static func note(_ ledger: inout MemberLedger, draft: EventDraft, context: EventContext, answer: EventAnswer,
                     tierBefore: Int?, program: Program, interest: NoticeInterest, ids: IDGenerator, at now: Date) {
        if context.enrolled, interest.wants(.memberEnrolled), let member = enrolled(draft.member, id: context.member, at: now) {
            ledger.note(.memberEnrolled, MemberNoticeFields(member), interest: interest, at: now, ids: ids)
        }
        ledger.noteEntries(interest, at: now, ids: ids, eventType: draft.kind)
        for coupon in answer.coupons {
            ledger.note(.couponIssued, CouponNoticeFields(coupon), interest: interest, at: now, ids: ids)
        }
        if interest.wants(.tierChanged),
           let change = program.recordedTierChange(from: tierBefore, to: ledger.counters[Program.recordedTierKey]) {
            ledger.note(.tierChanged, TierNoticeFields(change, event: draft.reference), interest: interest, at: now, ids: ids)
        }
    }

    /// The member as an event enrolled them (the same function made them from the same identities).
    private static func enrolled(_ member: EventMember, id: UUID, at now: Date) -> Member? {
        switch member {
        case .new(let member): member
        case .holder(let identities, _): try? Enrolment(identities: identities).makeMember(id: id, now: now)
        default: nil
        }
    }
}

/// The fields of referral.rewarded: which referral, which side, and the points it gave.
struct ReferralNoticeFields: Encodable, Sendable {
    var referralID: String
    var side: String
    var otherMemberID: String
    var points: Int
    enum CodingKeys: String, CodingKey {
        case side, points
        case referralID = "referral_id", otherMemberID = "other_member_id"
    }
    init(_ reward: ReferralReward, credited: Int) {
        referralID = reward.referral.uuidString.lowercased()
        side = reward.side.rawValue
        otherMemberID = reward.other.uuidString.lowercased()
        points = credited
    }
}
