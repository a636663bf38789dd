import Foundation
import TreuCore

/// The answer to an event: what it did, and the balance after it.
struct EventResult: JSONWritable {
    var reference: String
    var type: String
    var memberID: UUID
    var enrolled: Bool
    var effects: [EffectResource]
    var balance: BalanceResource
    /// The program version that evaluated the event (0: the standard program).
    var programVersion: Int
    /// The member's tier before and after, when the event changed it.
    var tierChange: TierChange?
    /// Why the event earned nothing, or less than a rule gives.
    var notes: [EarningNote] = []
    /// Coupons the event cancelled or made usable again (a return of a whole order).
    var couponChanges: [(code: String, status: String)] = []

    func write(to w: inout JSONWriter) {
        w.object { w in
            w.key("balance")
            balance.write(to: &w)
            if !couponChanges.isEmpty {
                w.key("coupons")
                w.array(couponChanges) { w, change in w.object { w in w.field("code", change.code); w.field("status", change.status) } }
            }
            w.key("effects")
            w.array(effects) { w, effect in effect.write(to: &w) }
            w.field("enrolled", enrolled)
            w.field("member_id", memberID.uuidString.lowercased())
            w.key("notes")
            w.array(notes) { w, note in
                w.object { w in
                    w.field("code", note.code)
                    w.field("detail", note.detail)
                    if let rule = note.rule { w.field("rule", rule) }
                }
            }
            w.field("program_version", programVersion)
            w.field("reference", reference)
            if let tierChange {
                w.key("tier")
                w.object { w in
                    w.field("change", tierChange.isUpgrade ? "upgrade" : "downgrade")
                    w.field("from", tierChange.from)
                    w.field("to", tierChange.to)
                }
            }
            w.field("type", type)
        }
    }
}

struct EffectResource: JSONWritable {
    var effect: Effect
    /// The coupon a coupon effect issued.
    var coupon: Coupon?

    func write(to w: inout JSONWriter) {
        w.object { w in
            switch effect {
            case let .credit(points, rule, availableAt, expiresAt):
                w.field("available_at", availableAt)
                w.field("expires_at", expiresAt)
                w.field("points", points)
                w.field("rule", rule)
                w.field("type", "credit")
            case let .reverse(points, earnedBy):
                w.field("points", -points)
                w.field("reverses", earnedBy)
                w.field("type", "reversal")
            case let .coupon(reward, rule):
                w.field("code", coupon?.code)
                w.field("expires_at", coupon?.expiresAt)
                w.field("reward_id", reward)
                w.field("rule", rule)
                w.field("type", "coupon")
            }
        }
    }
}
