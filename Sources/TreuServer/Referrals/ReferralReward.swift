import Crypto
import Foundation
import TreuCore
import TreuStore

/// What one side of a referral gets, recorded as an event of kind `referral` under a reference
/// made of the referral's id and the side: a second server, or a second run, recording it again
/// gets the first answer and credits nothing.
public struct ReferralReward: Sendable, JSONWritable {
    public enum Side: String, Sendable { case referrer, referred }
    public var referral: UUID
    public var side: Side
    public var member: UUID
    /// The other member of the referral.
    public var other: UUID
    public var points: Int
    /// The end of the qualifying order's return window.
    public var at: Date

    public var reference: String { "referral:\(referral.uuidString.lowercased()):\(side.rawValue)" }
    /// The name on the ledger entry.
    public var rule: String { side == .referrer ? "referral: a friend joined" : "referral: welcome from a friend" }

    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("at", at)
            w.field("member_id", member.uuidString.lowercased())
            w.field("other_member_id", other.uuidString.lowercased())
            w.field("points", points)
            w.field("referral_id", referral.uuidString.lowercased())
            w.field("side", side.rawValue)
        }
    }
}
