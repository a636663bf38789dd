import Crypto
import Foundation
import TreuCore
import TreuStore

/// An event as the API and the importer hand it over, checked and in the domain's terms.
public enum IncomingEvent: Sendable {
    case order(Order, member: MemberReference)
    case `return`(Return)
    case action(Action, member: MemberReference)
    /// Points for one side of a referral, once its friend's first order is past its window.
    case referralReward(ReferralReward)
    /// A member's level dropping at a window's end (the tier service).
    case tierDowngrade(TierDowngrade)
    /// A member joining or renewing a paid level.
    case membership(Membership, member: MemberReference)
    /// A new member's enrolment, with the program's sign-up rule (`POST /v1/members`).
    case signup(Member, at: Date)
    /// A level set by hand, or taken off (`PUT`/`DELETE /v1/members/{id}/tier`).
    case tierOverride(TierOverrideChange)

    public var reference: String {
        switch self {
        case .order(let order, _): order.reference
        case .return(let ret): ret.reference
        case .action(let action, _): action.reference
        case .referralReward(let reward): reward.reference
        case .tierDowngrade(let downgrade): downgrade.reference
        case .membership(let membership, _): membership.reference
        case .signup(let member, _): EventService.signupReference(member.id)
        case .tierOverride(let change): change.reference
        }
    }
}
