import Foundation

/// A loyalty program: how members earn, when points become available and when they expire, in
/// the shop's currency and time zone. One document, stored in versions; each version is in force
/// from its effective date, and an event is evaluated by the version in force at its time.
/// Tiers, referral terms and the rewards catalog are read with the rest.
public struct Program: Equatable, Sendable {
    public var name: String
    public var currency: String
    /// Calendar boundaries (release at midnight, expiry at a month's or year's end) are in this zone.
    public var timeZone: TimeZone
    /// The zone's name for people: Foundation calls UTC "GMT" on Linux; the two are one zone and
    /// Treu says UTC, as the document does.
    public var timeZoneName: String { timeZone.identifier == "GMT" ? "UTC" : timeZone.identifier }
    /// Days of the return window: points of an order are pending until the end of its last day.
    public var pendingDays: Int
    public var expiry: ExpiryPolicy
    /// Members are told (points.expiring) this many days before points' last day (nil: not told).
    public var expiryReminderDays: Int?
    public var earning: Earning
    public var actions: [ActionRule]
    /// The tiers (nil without any).
    public var tiers: TierProgram?
    /// What bringing a friend earns (nil: the program has no referrals).
    public var referrals: ReferralTerms?
    /// What points buy.
    public var rewards: [Reward]

    public init(name: String, currency: String, timeZone: TimeZone, pendingDays: Int, expiry: ExpiryPolicy,
                earning: Earning, actions: [ActionRule], tiers: TierProgram? = nil,
                referrals: ReferralTerms? = nil, rewards: [Reward] = [], expiryReminderDays: Int? = nil) {
        self.name = name
        self.expiryReminderDays = expiryReminderDays
        self.currency = currency
        self.timeZone = timeZone
        self.pendingDays = pendingDays
        self.expiry = expiry
        self.earning = earning
        self.actions = actions
        self.tiers = tiers
        self.referrals = referrals
        self.rewards = rewards
    }

    /// Treu's program until a shop writes its own (version 0): 1 point per whole euro spent (net
    /// of discounts, without shipping), pending for a 14-day return window, expiring at the end
    /// of the 12th month after the month earned; sign-up 50 once, birthday 100 once a year,
    /// review 25 and social share 10 once a day.
    public static let standardDocument = """
        {
          "name": "Treu standard program",
          "currency": "EUR",
          "time_zone": "UTC",
          "pending_days": 14,
          "expiry": {"policy": "end_of_month", "after": 12},
          "earning": {
            "rules": [{"name": "1 point per whole unit spent", "type": "spend", "points": 1, "per": 100}]
          },
          "actions": [
            {"name": "welcome gift", "action": "signup", "points": 50, "limit": {"count": 1, "per": "ever"}},
            {"name": "birthday gift", "action": "birthday", "points": 100, "limit": {"count": 1, "per": "year"}},
            {"name": "review", "action": "review", "points": 25, "limit": {"count": 1, "per": "day"}},
            {"name": "social share", "action": "social_share", "points": 10, "limit": {"count": 1, "per": "day"}}
          ]
        }
        """

    // The document is Treu's own and tested: it parses.
    public static let standard = try! Program.parse(Data(standardDocument.utf8))
}

/// When points expire, measured from the day they were earned, in the program's time zone.
public enum ExpiryPolicy: Equatable, Sendable {
    /// At the end of the same day `months` months later (the 31st becomes the month's last day).
    case afterMonths(Int)
    /// At the midnight that ends the `days`-th day after the day earned.
    case afterDays(Int)
    /// At the end of the month `after` months after the month earned (0: the same month).
    case endOfMonth(after: Int)
    /// At the end of the year `after` years after the year earned (0: the same year).
    case endOfYear(after: Int)
    case never
}

public struct Earning: Equatable, Sendable {
    public var rules: [EarningRule]
    /// Orders whose eligible net is below this (minor units) earn nothing from spend rules.
    public var minimumOrder: Int
    /// Lines that never earn (gift cards, deposits): by sku or by category.
    public var excludedSKUs: Set<String>
    public var excludedCategories: Set<String>
    /// Shipping counts towards spend (it does not by default).
    public var includeShipping: Bool
    /// The most a member earns from orders in a period, all earning rules together.
    public var caps: [Cap]

    public init(rules: [EarningRule], minimumOrder: Int = 0, excludedSKUs: Set<String> = [], excludedCategories: Set<String> = [],
                includeShipping: Bool = false, caps: [Cap] = []) {
        self.rules = rules
        self.minimumOrder = minimumOrder
        self.excludedSKUs = excludedSKUs
        self.excludedCategories = excludedCategories
        self.includeShipping = includeShipping
        self.caps = caps
    }
}

/// At most `points` in each calendar `per` period (program time zone; weeks start on Monday).
public struct Cap: Equatable, Sendable {
    public var points: Int
    public var per: ActionLimit.Period
    public init(points: Int, per: ActionLimit.Period) {
        self.points = points
        self.per = per
    }
}

/// One earning rule; its name is written on every ledger entry it causes.
public struct EarningRule: Equatable, Sendable {
    public var name: String
    public var kind: Kind
    public var when: Condition
    /// The most this rule gives a member in a period.
    public var cap: Cap?
    /// When the rule holds for an order, the rules after it in the document are not evaluated.
    public var stop: Bool

    public init(name: String, kind: Kind, when: Condition = Condition(), cap: Cap? = nil, stop: Bool = false) {
        self.name = name
        self.kind = kind
        self.when = when
        self.cap = cap
        self.stop = stop
    }

    public enum Kind: Equatable, Sendable {
        /// `points` for every `per` minor units of eligible spend, rounded per order or per line.
        case spend(points: Int, per: Int, rounding: Rounding, scope: Scope)
        /// The spend points of the lines that match, times `factor` (exact: 1.25 is 125/100):
        /// the extra is credited under this rule.
        case multiplier(factor: Factor)
        /// A fixed number of points for an order that matches.
        case bonus(points: Int)
        /// A punch card: each unit bought of the lines that match is a stamp; every `stamps`
        /// stamps fill the card, which gives `points` (the value of the free item) and starts again.
        case punchCard(stamps: Int, points: Int)
        /// A coupon of the catalog's `reward` for a later order (never usable on this one), for
        /// an order that matches: "10 % off your next order".
        case coupon(reward: String)
    }

    public enum Rounding: String, Equatable, Sendable, CaseIterable { case down, nearest, up }
    public enum Scope: String, Equatable, Sendable, CaseIterable { case order, line }
}

/// When a rule applies. Empty lists and nil values do not restrict; all given parts must hold.
public struct Condition: Equatable, Sendable {
    /// Line conditions: a line matches if its sku or category is listed (when either list is given).
    public var skus: Set<String> = []
    public var categories: Set<String> = []
    /// Order conditions.
    public var channels: Set<String> = []
    /// 1 = Monday … 7 = Sunday, in the program's time zone.
    public var daysOfWeek: Set<Int> = []
    /// The order's time is in [from, until).
    public var from: Date?
    public var until: Date?
    /// The member's first order.
    public var firstOrder: Bool?
    /// The member's tier at the order's time (by level name).
    public var tiers: Set<String> = []
    /// The rule's own minimums over the lines it matches (all eligible lines without a line
    /// condition): units bought, and their net in minor units.
    public var minQuantity: Int?
    public var minAmount: Int?

    public init(skus: Set<String> = [], categories: Set<String> = [], channels: Set<String> = [], daysOfWeek: Set<Int> = [],
                from: Date? = nil, until: Date? = nil, firstOrder: Bool? = nil) {
        self.skus = skus
        self.categories = categories
        self.channels = channels
        self.daysOfWeek = daysOfWeek
        self.from = from
        self.until = until
        self.firstOrder = firstOrder
    }

    var isLineCondition: Bool { !skus.isEmpty || !categories.isEmpty }

    func matches(_ line: OrderLine) -> Bool { ProductScope.contains(line, skus: skus, categories: categories) }
}

/// Points for a named action, at most `limit.count` times per period.
public struct ActionRule: Equatable, Sendable {
    public var name: String
    public var action: String
    public var points: Int
    public var limit: ActionLimit?

    public init(name: String, action: String, points: Int, limit: ActionLimit? = nil) {
        self.name = name
        self.action = action
        self.points = points
        self.limit = limit
    }
}

public struct ActionLimit: Equatable, Sendable {
    public var count: Int
    public var per: Period
    public init(count: Int, per: Period) {
        self.count = count
        self.per = per
    }

    /// Calendar periods in the program's time zone.
    public enum Period: String, Equatable, Sendable, CaseIterable { case day, week, month, year, ever }
}
