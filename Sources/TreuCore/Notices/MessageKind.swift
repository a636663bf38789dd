import Foundation

/// What a message to a member is about. Each kind has one template per language, rendered for
/// every channel from the same variables. The raw values are the public names.
public enum MessageKind: String, CaseIterable, Codable, Sendable, Comparable {
    case welcome
    case pointsEarned = "points_earned"
    case pointsExpiring = "points_expiring"
    case tierUp = "tier_up"
    case tierDown = "tier_down"
    case rewardRedeemed = "reward_redeemed"
    case couponExpiring = "coupon_expiring"
    case referralRewarded = "referral_rewarded"

    public static func < (a: MessageKind, b: MessageKind) -> Bool { a.rawValue < b.rawValue }

    /// Marketing messages go only to members who consented to marketing by that channel, and
    /// carry an unsubscribe link; service messages follow the shop's setting for the kind.
    public var isMarketing: Bool { self == .couponExpiring }

    /// Who gets it unless the shop says otherwise. Points earned is off (an email per order is
    /// too many for most shops), and so is tier down (a shop decides how to tell a member that).
    public var defaultAudience: MessageAudience {
        switch self {
        case .pointsEarned, .tierDown: .off
        case .couponExpiring: .consented
        default: .everyone
        }
    }

    /// The notice that causes it.
    public var noticeType: NoticeType {
        switch self {
        case .welcome: .memberEnrolled
        case .pointsEarned: .pointsEarned
        case .pointsExpiring: .pointsExpiring
        case .tierUp, .tierDown: .tierChanged
        case .rewardRedeemed: .rewardRedeemed
        case .couponExpiring: .couponExpiring
        case .referralRewarded: .referralRewarded
        }
    }

    /// The variables its template may use, besides the common ones (`shop_name`, `member_name`,
    /// and `unsubscribe_url`, which has a value only in a marketing message).
    public var variables: [String] {
        switch self {
        case .welcome: []
        case .pointsEarned: ["points", "order", "balance"]
        case .pointsExpiring: ["points", "expires_on", "days", "balance"]
        case .tierUp, .tierDown: ["tier", "previous_tier"]
        case .rewardRedeemed: ["reward", "coupon_code", "points", "balance"]
        case .couponExpiring: ["reward", "coupon_code", "expires_on", "days"]
        case .referralRewarded: ["points", "side"]
        }
    }

    /// Every name a template of this kind may use.
    public var allVariables: Set<String> { Set(Self.commonVariables + variables) }

    /// The names every kind knows.
    public static let commonVariables = ["shop_name", "member_name", "unsubscribe_url"]
}

/// Who a kind of message goes to.
public enum MessageAudience: String, CaseIterable, Codable, Sendable {
    /// Every member with an address (service messages only).
    case everyone
    /// Only members who consented to marketing by the channel.
    case consented
    /// Nobody: the kind is not sent.
    case off
}

/// The channels a message goes by.
public enum MessageChannel: String, CaseIterable, Codable, Sendable {
    case email
}

/// Whether a message went.
public enum MessageStatus: String, CaseIterable, Codable, Sendable {
    /// Waiting to be sent (or being sent).
    case pending
    case sent
    /// Not sent, with the reason: refused, failed as often as allowed, or nowhere to send it.
    /// An admin can replay it.
    case failed
    /// Not sent on purpose, with the reason (no consent, no address).
    case skipped
}

/// The four parts of a message: a subject and a text and HTML body for email, and a short text
/// for SMS or push. A template is one (Mustache, all rendered from the same variables), and so
/// is what it renders.
public typealias MessageTemplate = MessageParts

public struct MessageParts: Sendable, Equatable, Codable {
    public var subject: String
    public var text: String
    public var html: String
    public var sms: String

    public init(subject: String, text: String, html: String, sms: String) {
        self.subject = subject
        self.text = text
        self.html = html
        self.sms = sms
    }

    /// The parts by their public names, in the order they are checked.
    public var parts: [(name: String, source: String)] {
        [("subject", subject), ("text", text), ("html", html), ("sms", sms)]
    }
}
