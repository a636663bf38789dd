import Foundation

/// One reward of the program's catalog: what a member gets for points, as a single-use coupon.
public struct Reward: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// `percent` off the goods (after their own discounts).
        case percentDiscount(percent: Int)
        /// `amount` (minor units) off the goods, at most their value.
        case fixedDiscount(amount: Int)
        case freeShipping
        /// Units of `sku` free (the reward's `freeQuantity`, one by default), when the cart holds it.
        case freeProduct(sku: String)
        /// The cheapest units among the lines it applies to free (`freeQuantity`, one by default).
        case cheapestFree
        /// Fulfilled by the shop (a workshop, a gift), the coupon marks it done.
        case gift
        /// A flag the shop's site reads while the coupon is valid.
        case earlyAccess
        /// Points given to a cause (the reward's title names it): spent at once, the coupon its
        /// receipt, and counted in the cause's running total.
        case donation

        public var name: String {
            switch self {
            case .percentDiscount: "percent_discount"
            case .fixedDiscount: "fixed_discount"
            case .freeShipping: "free_shipping"
            case .freeProduct: "free_product"
            case .cheapestFree: "cheapest_free"
            case .gift: "gift"
            case .earlyAccess: "early_access"
            case .donation: "donation"
            }
        }

        /// A discount that may be limited to some products (`applies_to`).
        public var takesProductScope: Bool {
            switch self { case .percentDiscount, .fixedDiscount, .cheapestFree: true; default: false }
        }
        /// A discount that grows with the cart and may be capped (`max_discount`).
        public var takesCap: Bool {
            switch self { case .percentDiscount, .freeProduct, .cheapestFree: true; default: false }
        }
        /// Units free (`quantity`).
        public var takesQuantity: Bool {
            switch self { case .freeProduct, .cheapestFree: true; default: false }
        }

        /// One of each kind, for the names a problem lists.
        static let each: [Kind] = [.percentDiscount(percent: 1), .fixedDiscount(amount: 1), .freeShipping, .freeProduct(sku: ""),
                                   .cheapestFree, .gift, .earlyAccess, .donation]
        /// The names of the kinds that have `property`, for a problem: "percent_discount, fixed_discount, cheapest_free".
        public static func names(_ property: KeyPath<Kind, Bool>) -> String {
            each.filter { $0[keyPath: property] }.map(\.name).joined(separator: ", ")
        }
    }

    public var id: String
    public var kind: Kind
    /// Points it costs.
    public var cost: Int
    /// Title and description by language (en, de, vi).
    public var title: [String: String]
    public var description: [String: String]
    /// It can be redeemed from `validFrom` until `validUntil` (nil: no bound).
    public var validFrom: Date?
    public var validUntil: Date?
    /// How many coupons may ever be issued (nil: no limit).
    public var stock: Int?
    /// How many one member may redeem per calendar period.
    public var limit: ActionLimit?
    /// Only members holding one of these levels (empty: everyone).
    public var tiers: Set<String>
    /// The goods' value (minor units, after their discounts) a cart needs for the coupon.
    public var minimumOrder: Int
    /// Days a coupon is valid from its redemption.
    public var couponDays: Int
    /// Days after its redemption an unused coupon may be cancelled for its points back
    /// (0: it cannot be).
    public var cancelDays: Int
    /// What voiding its coupon at checkout (the order was cancelled) does.
    public var onVoid: VoidPolicy
    /// What a return of the whole order the coupon paid does to it.
    public var onReturn: ReturnPolicy
    /// The lines a percent or fixed discount, or the cheapest item free, applies to.
    public var appliesTo: ProductScope
    /// The most a coupon takes off (minor units; nil: no cap).
    public var maxDiscount: Int?
    /// Units free for `free_product` and `cheapest_free` (nil: every unit the cart holds).
    public var freeQuantity: Int?
    /// Days after its issue before a coupon can be used (0: at once): usable from the midnight
    /// that ends the last of them, program's zone.
    public var usableAfterDays: Int
    /// Its coupon is the only code on an order: it refuses to join one already used there, and
    /// another code refuses to join it.
    public var exclusive: Bool

    public static let defaultCancelDays = 14

    public enum VoidPolicy: String, Sendable, Equatable, CaseIterable {
        /// The coupon works again.
        case reissue
        /// The coupon is cancelled and its points come back.
        case refund
    }

    public enum ReturnPolicy: String, Sendable, Equatable, CaseIterable {
        /// The coupon stays used: the member had its benefit.
        case keep
        /// The coupon works again, as if the order had been cancelled.
        case reissue
    }

    public init(id: String, kind: Kind, cost: Int, title: [String: String], description: [String: String] = [:],
                validFrom: Date? = nil, validUntil: Date? = nil, stock: Int? = nil, limit: ActionLimit? = nil,
                tiers: Set<String> = [], minimumOrder: Int = 0, couponDays: Int = 90, cancelDays: Int = defaultCancelDays,
                onVoid: VoidPolicy = .reissue, onReturn: ReturnPolicy = .keep, appliesTo: ProductScope = .everything,
                maxDiscount: Int? = nil, freeQuantity: Int? = 1, usableAfterDays: Int = 0, exclusive: Bool = false) {
        self.id = id
        self.kind = kind
        self.cost = cost
        self.title = title
        self.description = description
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.stock = stock
        self.limit = limit
        self.tiers = tiers
        self.minimumOrder = minimumOrder
        self.couponDays = couponDays
        self.cancelDays = cancelDays
        self.onVoid = onVoid
        self.onReturn = onReturn
        self.appliesTo = appliesTo
        self.maxDiscount = maxDiscount
        self.freeQuantity = freeQuantity
        self.usableAfterDays = usableAfterDays
        self.exclusive = exclusive
    }
}

/// Why a reward is not redeemed or a coupon not accepted: each refusal has its code.
public enum CouponRefusal: String, Error, Sendable, Equatable, CaseIterable {
    case rewardNotFound = "reward_not_found"
    case rewardNotAvailable = "reward_not_available"
    case tierNotReached = "tier_not_reached"
    case outOfStock = "out_of_stock"
    case limitReached = "limit_reached"
    case couponNotFound = "coupon_not_found"
    case expired = "coupon_expired"
    case used = "coupon_used"
    case cancelled = "coupon_cancelled"
    case belowMinimum = "below_minimum"
    case anotherMembers = "another_members_coupon"
    case currencyMismatch = "currency_mismatch"
    case productNotInCart = "product_not_in_cart"
    case budgetSpent = "budget_spent"
    case cancelWindowClosed = "cancel_window_closed"
    case earnedByThisOrder = "earned_by_this_order"
    case cartRequired = "cart_required"
    case notYetValid = "coupon_not_yet_valid"
    case notCombinable = "coupon_not_combinable"

    public var explanation: String {
        switch self {
        case .rewardNotFound: "the program in force has no reward with this id"
        case .rewardNotAvailable: "the reward cannot be redeemed at this time"
        case .tierNotReached: "the reward is for members of other tiers"
        case .outOfStock: "the reward's stock is spent"
        case .limitReached: "the member has redeemed this reward as often as the program allows in this period"
        case .couponNotFound: "no coupon has this code"
        case .expired: "the coupon has expired"
        case .used: "the coupon was used on another order"
        case .cancelled: "the coupon was cancelled"
        case .belowMinimum: "the cart's goods are below the coupon's minimum order"
        case .anotherMembers: "the coupon belongs to another member"
        case .currencyMismatch: "the cart is in another currency than the program"
        case .productNotInCart: "the cart holds none of the products the coupon is for"
        case .budgetSpent: "the coupon campaign's budget is spent"
        case .cancelWindowClosed: "the time to cancel this redemption has passed"
        case .earnedByThisOrder: "the coupon was earned by this order: it is for a later one"
        case .cartRequired: "what this code takes off is known from the cart: send the cart's lines"
        case .notYetValid: "the coupon cannot be used yet"
        case .notCombinable: "the coupon cannot be combined with another code on the same order"
        }
    }
}

/// What a coupon would take off a cart.
public struct CouponBenefit: Equatable, Sendable {
    /// Minor units off the goods.
    public var discount: Int
    public var freeShipping: Bool
    /// The sku units of which are free (their price is in `discount`).
    public var freeSKU: String?
    /// The discount line by line, adding up to `discount` (empty without a cart, or for no discount).
    public var lines: [LineDiscount]

    public init(discount: Int, freeShipping: Bool, freeSKU: String? = nil, lines: [LineDiscount] = []) {
        self.discount = discount
        self.freeShipping = freeShipping
        self.freeSKU = freeSKU
        self.lines = lines
    }
}

/// A cart at checkout, in the program's currency.
public struct Cart: Equatable, Sendable {
    public var currency: String
    public var lines: [OrderLine]
    public var shipping: Int

    public init(currency: String, lines: [OrderLine], shipping: Int = 0) {
        self.currency = currency
        self.lines = lines
        self.shipping = shipping
    }

    /// The goods after their own discounts.
    public var goods: Int { lines.reduce(0) { $0 + $1.net } }
}

extension Program {
    /// The catalog's reward with this id.
    public func reward(_ id: String) -> Reward? { rewards.first { $0.id == id } }

    /// The reward a coupon is for. A reward taken out of a later catalog still honours the
    /// coupons issued for it: as a gift (with the default cancel window and void policy).
    public func reward(of coupon: Coupon) -> Reward {
        reward(coupon.rewardID) ?? Reward(id: coupon.rewardID, kind: .gift, cost: coupon.points, title: [:])
    }
}

extension Reward {
    /// Whether the reward can be redeemed at `now` by a member holding `level` (a name, nil for
    /// none), and nil if so. Stock and the per-member limit are the store's to count.
    public func refusal(at now: Date, level: String?) -> CouponRefusal? {
        if let validFrom, now < validFrom { return .rewardNotAvailable }
        if let validUntil, now >= validUntil { return .rewardNotAvailable }
        if !tiers.isEmpty, !(level.map(tiers.contains) ?? false) { return .tierNotReached }
        return nil
    }

    /// What the coupon is worth without a cart (a redemption the till sends without its lines):
    /// a fixed discount its amount, free shipping itself; nil where only a cart tells (a percent
    /// off, a free product).
    public var faceValue: CouponBenefit? {
        switch kind {
        case .fixedDiscount(let amount): CouponBenefit(discount: amount, freeShipping: false)
        case .freeShipping: CouponBenefit(discount: 0, freeShipping: true)
        case .gift, .earlyAccess, .donation: CouponBenefit(discount: 0, freeShipping: false)
        case .percentDiscount, .freeProduct, .cheapestFree: nil
        }
    }
}

/// A code already used on an order, as the stacking rules see it: a member's coupon (its
/// reward's id, the program tells whether it is exclusive) or a campaign's code (its reward).
public struct CodeOnOrder: Equatable, Sendable {
    public var code: String
    public var rewardID: String?
    public var campaignReward: Reward?

    public init(code: String, rewardID: String? = nil, campaignReward: Reward? = nil) {
        self.code = code
        self.rewardID = rewardID
        self.campaignReward = campaignReward
    }
}

extension Program {
    /// Whether a code of `reward` may join the codes already used on its order: an exclusive
    /// one goes alone, and none joins an exclusive one.
    public func stackingRefusal(_ reward: Reward, with others: [CodeOnOrder]) -> CouponRefusal? {
        guard !others.isEmpty else { return nil }
        if reward.exclusive { return .notCombinable }
        let exclusive = others.contains { other in
            other.campaignReward?.exclusive ?? other.rewardID.flatMap { self.reward($0) }?.exclusive ?? false
        }
        return exclusive ? .notCombinable : nil
    }
}

/// Where a coupon stands.
public enum CouponStatus: String, Sendable, Equatable, CaseIterable {
    /// Issued and usable until it expires.
    case issued
    /// Used on an order (or, for a gift, fulfilled).
    case used
    /// Cancelled: the points went back.
    case cancelled
}

/// A single-use code for a redeemed reward.
public struct Coupon: Equatable, Sendable {
    public var code: String
    public var rewardID: String
    public var member: UUID
    /// Points paid for it.
    public var points: Int
    public var status: CouponStatus
    public var issuedAt: Date
    public var expiresAt: Date
    public var usedAt: Date?
    /// The order it was used on.
    public var order: String?
    /// The order that earned it (a next-order coupon), on which it cannot be used.
    public var earnedBy: String?

    public init(code: String, rewardID: String, member: UUID, points: Int, status: CouponStatus = .issued, issuedAt: Date,
                expiresAt: Date, usedAt: Date? = nil, order: String? = nil, earnedBy: String? = nil) {
        self.code = code
        self.rewardID = rewardID
        self.member = member
        self.points = points
        self.status = status
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.order = order
        self.earnedBy = earnedBy
    }

    /// The event its redemption's debit names (`coupon:<code>`), where a cancellation finds the
    /// points to give back.
    public static func redemptionEvent(_ code: String) -> String { "coupon:\(code)" }

    /// Why the member cannot cancel the coupon at `now` for its points back (`cancelDays` after
    /// its issue, program's days: until the midnight that ends the last), nil if they can.
    public func cancelRefusal(at now: Date, cancelDays: Int, program: Program) -> CouponRefusal? {
        switch status {
        case .used: return .used
        case .cancelled: return .cancelled
        case .issued: return cancelDays > 0 && now < program.midnight(ending: cancelDays, after: issuedAt) ? nil : .cancelWindowClosed
        }
    }

    /// When the coupon can first be used: `usableAfterDays` midnights after its issue (program's zone).
    public func usableFrom(_ reward: Reward, program: Program) -> Date {
        reward.usableAfterDays > 0 ? program.midnight(ending: reward.usableAfterDays - 1, after: issuedAt) : issuedAt
    }

    /// Why the coupon cannot be used at `now` by `member` (nil: anybody presenting it) on
    /// `order` (nil: not named), nil if it can.
    public func refusal(at now: Date, member: UUID?, order: String? = nil) -> CouponRefusal? {
        if let member, member != self.member { return .anotherMembers }
        if let order, order == earnedBy { return .earnedByThisOrder }
        switch status {
        case .used: return .used
        case .cancelled: return .cancelled
        case .issued: return now >= expiresAt ? .expired : nil
        }
    }
}

extension ShortCode {
    /// A coupon code: 12 symbols of the 31 (about 59 bits), written in groups of four
    /// (`K7QX-2M9P-H4TW`), drawn from an injected id (in production 74 of its bits are random).
    /// Guessing one of a million issued codes takes about 5.8 × 10^11 tries on average.
    public static func coupon(from random: UUID) -> String { fill(CouponCampaign.defaultPattern, from: random) }
}
