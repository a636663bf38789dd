import Foundation
import TreuCore

/// The values a message's template is rendered with, formatted in the member's language. Made
/// from the notice that causes the message (its payload), the member and the program. A value
/// that is not there (a member without a name) is left out, so `{{#member_name}}…{{/member_name}}`
/// renders only when it is.
public enum MessageVariables {
    /// The kind a notice makes, if any (a tier change is up or down by its direction).
    public static func kind(of type: NoticeType, data: String) -> MessageKind? {
        switch type {
        case .memberEnrolled: .welcome
        case .pointsEarned: .pointsEarned
        case .pointsExpiring: .pointsExpiring
        case .tierChanged: fields(data)["direction"] as? String == "down" ? .tierDown : .tierUp
        case .rewardRedeemed: .rewardRedeemed
        case .couponExpiring: .couponExpiring
        case .referralRewarded: .referralRewarded
        default: nil
        }
    }

    /// The variables of `kind` for `member`, from the notice's `data`. `links` are the URLs made
    /// for this message (`unsubscribe_url`).
    public static func values(kind: MessageKind, data: String, member: Member, program: Program,
                              links: [String: String] = [:]) -> [String: String] {
        let format = LocaleFormat(member.locale, timeZone: program.timeZone)
        let data = fields(data)
        var values: [String: String] = ["shop_name": program.name]
        if let name = member.name, !name.isEmpty { values["member_name"] = name }
        func number(_ key: String, from object: [String: Any] = data) -> String? {
            (object[key] as? NSNumber).map { format.number($0.intValue) }
        }
        if kind.variables.contains("points") { values["points"] = number("points") }
        if kind.variables.contains("balance"), let balance = data["balance"] as? [String: Any] {
            values["balance"] = number("available", from: balance)
        }
        switch kind {
        case .welcome: break
        case .pointsEarned:
            // An order's number; an action's reference (a sign-up's) is nothing a member knows.
            if data["event_type"] as? String == "order" { values["order"] = data["event"] as? String }
        case .pointsExpiring:
            if let text = data["expires_on"] as? String, let day = try? CalendarDate(text) { values["expires_on"] = format.day(day) }
            values["days"] = number("days_ahead")
        case .tierUp, .tierDown:
            values["tier"] = data["to"] as? String
            values["previous_tier"] = data["from"] as? String
        case .rewardRedeemed:
            values["coupon_code"] = data["coupon"] as? String
            values["reward"] = title(data["title"] as? [String: String], locale: member.locale)
                ?? (data["reward_id"] as? String).flatMap { rewardTitle($0, program: program, locale: member.locale) }
        case .couponExpiring:
            values["coupon_code"] = data["code"] as? String
            values["reward"] = (data["reward_id"] as? String).flatMap { rewardTitle($0, program: program, locale: member.locale) }
            // Its last day: a coupon expires at the midnight that ends it.
            if let text = data["expires_at"] as? String, let at = Timestamp.parse(text) { values["expires_on"] = format.date(at.addingTimeInterval(-0.001)) }
            values["days"] = number("days_ahead")
        case .referralRewarded:
            values["side"] = data["side"] as? String
        }
        for (name, url) in links where kind.allVariables.contains(name) { values[name] = url }
        return values
    }

    /// Values for every variable of `kind`, as a preview without a notice shows them.
    public static func sample(kind: MessageKind, member: Member, program: Program, now: Date) -> [String: String] {
        let format = LocaleFormat(member.locale, timeZone: program.timeZone)
        var values = values(kind: kind, data: "{}", member: member, program: program)
        let samples: [String: String] = [
            "points": format.number(1250), "balance": format.number(4800), "order": "1001",
            "expires_on": format.date(now.addingTimeInterval(14 * 86_400)), "days": format.number(14),
            "tier": program.tiers?.levels.last?.name ?? "Gold", "previous_tier": program.tiers?.levels.first?.name ?? "Silver",
            "reward": program.rewards.first.flatMap { title($0.title, locale: member.locale) } ?? "Reward",
            "coupon_code": "TREU-SAMPLE", "side": "referrer",
        ]
        for name in kind.variables where values[name] == nil { values[name] = samples[name] }
        if kind.isMarketing { values["unsubscribe_url"] = "https://example.com/unsubscribe" }
        return values
    }

    static func fields(_ data: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
    }

    /// A reward's title in `locale`, else in English, else in any language it has.
    static func title(_ titles: [String: String]?, locale: MemberLocale) -> String? {
        guard let titles, !titles.isEmpty else { return nil }
        return titles[locale.rawValue] ?? titles["en"] ?? titles.sorted { $0.key < $1.key }.first?.value
    }

    static func rewardTitle(_ id: String, program: Program, locale: MemberLocale) -> String? {
        program.rewards.first { $0.id == id }.flatMap { title($0.title, locale: locale) } ?? id
    }
}
