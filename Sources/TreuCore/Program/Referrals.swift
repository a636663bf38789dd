import Foundation

/// The program's referral terms: what the member who brings a friend (the referrer) and the
/// friend (the referred) each get, and when. Both are rewarded once the friend's first
/// qualifying order is past its return window; a return within the window that leaves the order
/// below the minimum cancels the reward.
public struct ReferralTerms: Equatable, Sendable {
    public var referrerPoints: Int
    public var referredPoints: Int
    /// A reward of the catalog each side gets as a coupon, free (nil: none).
    public var referrerReward: String?
    public var referredReward: String?
    /// The net of an order (minor units, after discounts, without shipping) that qualifies it.
    public var minimumOrder: Int
    /// Days after the qualifying order's day before the reward (nil: the program's `pending_days`,
    /// its return window).
    public var waitDays: Int?
    /// How many friends one member may bring per calendar period (nil: no limit).
    public var limit: ActionLimit?
    /// The shop's link for a code, with `{code}` where the code goes.
    public var link: String?

    public init(referrerPoints: Int, referredPoints: Int, referrerReward: String? = nil, referredReward: String? = nil,
                minimumOrder: Int = 1, waitDays: Int? = nil, limit: ActionLimit? = nil, link: String? = nil) {
        self.referrerPoints = referrerPoints
        self.referredPoints = referredPoints
        self.referrerReward = referrerReward
        self.referredReward = referredReward
        self.minimumOrder = minimumOrder
        self.waitDays = waitDays
        self.limit = limit
        self.link = link
    }

    public func link(for code: String) -> String? {
        link?.replacingOccurrences(of: "{code}", with: code)
    }
}

/// Short codes people read, type and say: letters and digits without those easily taken for
/// another (0/O, 1/I/L) — 31 symbols, about 4.95 bits each.
public enum ShortCode {
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    /// `length` symbols drawn from the bytes of `random` (an injected id: random in production).
    public static func make(from random: UUID, length: Int = 8) -> String {
        let bytes = withUnsafeBytes(of: random.uuid) { Array($0) }
        var value = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } ^ bytes.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var code = ""
        for _ in 0..<length {
            code.append(alphabet[Int(value % UInt64(alphabet.count))])
            value /= UInt64(alphabet.count)
        }
        return code
    }

    /// A code as someone typed it: capitals, without spaces and dashes.
    public static func normalize(_ raw: String) -> String {
        raw.uppercased().filter { $0 != " " && $0 != "-" }
    }
}

/// Why a referral is not accepted; recorded with it.
public enum ReferralRefusal: String, Sendable, Equatable, CaseIterable {
    /// The friend is the referrer: the same member, or an identity the same after looser
    /// normalisation (an email with a +tag or, at Gmail, dots; a card with leading zeros).
    case selfReferral = "self_referral"
    /// The referrer has brought as many friends as the program allows in the period.
    case limitReached = "limit_reached"
    /// The friend was referred before.
    case alreadyReferred = "already_referred"
    /// The friend has ordered before: a referral brings new customers.
    case existingCustomer = "existing_customer"
}

/// What the store knows, under the referrer's lock, when a referral is made.
public struct ReferralFacts: Sendable, Equatable {
    public var referrer: Member
    public var referred: Member
    /// The friend's recorded orders.
    public var referredOrders: Int
    /// The friend has a referral that was not refused.
    public var alreadyReferred: Bool
    /// When the referrer's referrals that were not refused or cancelled were made.
    public var referrerUses: [Date]

    public init(referrer: Member, referred: Member, referredOrders: Int, alreadyReferred: Bool, referrerUses: [Date]) {
        self.referrer = referrer
        self.referred = referred
        self.referredOrders = referredOrders
        self.alreadyReferred = alreadyReferred
        self.referrerUses = referrerUses
    }
}

/// Where a referral stands as the friend's orders and returns say.
public enum ReferralOutcome: Sendable, Equatable {
    /// No qualifying order yet.
    case waiting
    /// The first qualifying order is in its return window until `due`.
    case qualified(order: String, due: Date)
    /// The window is over and the order still qualifies: reward both.
    case rewarded(order: String, due: Date)
    /// A return within the window left the order below the minimum.
    case cancelled(order: String, due: Date)
}

/// One of the friend's orders with what its returns took, for a referral's outcome.
public struct ReferralOrder: Sendable, Equatable {
    public var reference: String
    public var at: Date
    /// Net of discounts, minor units.
    public var amount: Int
    /// Each return of it: when, and the net it took.
    public var returns: [(at: Date, amount: Int)]

    public init(reference: String, at: Date, amount: Int, returns: [(at: Date, amount: Int)] = []) {
        self.reference = reference
        self.at = at
        self.amount = amount
        self.returns = returns
    }

    public static func == (a: ReferralOrder, b: ReferralOrder) -> Bool {
        a.reference == b.reference && a.at == b.at && a.amount == b.amount
            && a.returns.map(\.at) == b.returns.map(\.at) && a.returns.map(\.amount) == b.returns.map(\.amount)
    }
}

extension Program {
    /// Whether a referral is refused, and why; nil accepts it.
    public func referralRefusal(_ facts: ReferralFacts, at now: Date) -> ReferralRefusal? {
        if facts.referrer.id == facts.referred.id || Referrals.sameHolder(facts.referrer, facts.referred) { return .selfReferral }
        if facts.alreadyReferred { return .alreadyReferred }
        if facts.referredOrders > 0 { return .existingCustomer }
        if let limit = referrals?.limit {
            let period = period(limit.per, containing: now)
            if facts.referrerUses.filter(period.contains).count >= limit.count { return .limitReached }
        }
        return nil
    }

    /// The end of the return window of an order at `at`: the midnight (program's zone) ending the
    /// `waitDays`-th day after its day (the program's pending days when not set).
    public func referralDue(after at: Date) -> Date {
        let days = referrals?.waitDays ?? pendingDays
        return days > 0 ? midnight(ending: days, after: at) : at
    }

    /// A referral's outcome at `now`, from the friend's orders: the first (by time) whose net
    /// reaches the minimum qualifies; once its window ends, what its returns within the window
    /// left decides — at least the minimum rewards, less cancels. Returns after the window do
    /// not count: the reward was earned.
    public func referralOutcome(orders: [ReferralOrder], at now: Date) -> ReferralOutcome {
        let minimum = max(referrals?.minimumOrder ?? 1, 1)
        guard let first = orders.sorted(by: { ($0.at, $0.reference) < ($1.at, $1.reference) }).first(where: { $0.amount >= minimum })
        else { return .waiting }
        let due = referralDue(after: first.at)
        let left = first.amount - first.returns.filter { $0.at < due }.reduce(0) { $0 + $1.amount }
        if left < minimum { return .cancelled(order: first.reference, due: due) }
        return now >= due ? .rewarded(order: first.reference, due: due) : .qualified(order: first.reference, due: due)
    }
}

public enum Referrals {
    /// Two members hold what is one identity to a person: the same email once a `+tag` (and at
    /// Gmail, dots) is dropped, the same phone, the same card once leading zeros are.
    public static func sameHolder(_ a: Member, _ b: Member) -> Bool {
        !Set(a.identities.map(looseKey)).isDisjoint(with: b.identities.map(looseKey))
    }

    static func looseKey(_ identity: Identity) -> String {
        switch identity.kind {
        case .email:
            guard let at = identity.value.lastIndex(of: "@") else { return "email:" + identity.value }
            var local = String(identity.value[..<at])
            var domain = String(identity.value[identity.value.index(after: at)...])
            if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
            if domain == "googlemail.com" { domain = "gmail.com" }
            if domain == "gmail.com" { local.removeAll { $0 == "." } }
            return "email:\(local)@\(domain)"
        case .card:
            let trimmed = identity.value.drop { $0 == "0" }
            return "card:" + (trimmed.isEmpty ? "0" : trimmed)
        case .phone, .customerID:
            return "\(identity.kind.rawValue):\(identity.value)"
        }
    }
}

/// Where a referral stands.
public enum ReferralStatus: String, Sendable, Equatable, CaseIterable {
    /// Accepted; the friend has no qualifying order yet.
    case pending
    /// The friend's first qualifying order is in its return window.
    case qualified
    /// Both were rewarded.
    case rewarded
    /// A return within the window cancelled the reward.
    case cancelled
    /// Not accepted; the reason is kept.
    case refused
}

/// One member bringing another, as stored.
public struct Referral: Sendable, Equatable {
    public var id: UUID
    /// The referrer's code, as the friend gave it.
    public var code: String
    public var referrer: UUID
    public var referred: UUID
    public var status: ReferralStatus
    /// A refusal's `ReferralRefusal`, or `returned` for a cancellation.
    public var reason: String?
    public var createdAt: Date
    /// The friend's first qualifying order, once there is one.
    public var order: String?
    /// When that order's return window ends.
    public var dueAt: Date?
    /// When it was rewarded or cancelled.
    public var settledAt: Date?

    public init(id: UUID, code: String, referrer: UUID, referred: UUID, status: ReferralStatus, reason: String? = nil,
                createdAt: Date, order: String? = nil, dueAt: Date? = nil, settledAt: Date? = nil) {
        self.id = id
        self.code = code
        self.referrer = referrer
        self.referred = referred
        self.status = status
        self.reason = reason
        self.createdAt = createdAt
        self.order = order
        self.dueAt = dueAt
        self.settledAt = settledAt
    }

    /// Moved on by an outcome (nil: nothing changes).
    public func settled(by outcome: ReferralOutcome, at now: Date) -> Referral? {
        var next = self
        switch outcome {
        case .waiting:
            return nil
        case let .qualified(order, due):
            guard status == .pending || order != self.order || due != dueAt else { return nil }
            (next.status, next.order, next.dueAt) = (.qualified, order, due)
        case let .rewarded(order, due):
            (next.status, next.order, next.dueAt, next.settledAt) = (.rewarded, order, due, now)
        case let .cancelled(order, due):
            (next.status, next.reason, next.order, next.dueAt, next.settledAt) = (.cancelled, "returned", order, due, now)
        }
        return next
    }
}
