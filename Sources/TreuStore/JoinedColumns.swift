/// Column lists both engines read rows by: tables name members by their compact key, answers
/// by their id, so each list comes with the join that finds the id.
enum JoinedColumns {
    /// A coupon's columns from `coupons`: its member's id in place of the key.
    static let coupon = "c.code, c.reward_id, m.id, c.points, c.status, c.issued_at, c.expires_at, c.used_at, c.order_reference, c.earned_by"
    static let coupons = "coupons c JOIN members m ON m.key = c.member_key"

    /// A referral's columns from `referrals`: the two members' ids in place of their keys.
    static let referral = "r.id, r.code, a.id, b.id, r.status, r.reason, r.created_at, r.order_reference, r.due_at, r.settled_at"
    static let referrals = "referrals r JOIN members a ON a.key = r.referrer_key JOIN members b ON b.key = r.referred_key"

    /// An order's or return's columns from `events e` joined with its member `m`: the payload only
    /// where the amount is not enough (a return's lines, or an order recorded before amounts were kept).
    static let purchase = """
        e.reference, e.kind, m.id, e.occurred_at, e.amount, CASE WHEN e.kind = 'return' OR e.amount IS NULL THEN e.payload END
        """

    /// A stored event's columns (`StoredEvent`) from `events`.
    static let event = "e.reference, e.kind, m.id, e.payload"
    /// Events with their members, for `purchase` and `event`.
    static let events = "events e JOIN members m ON m.key = e.member_key"
}
