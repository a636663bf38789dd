import Foundation
import TreuCore
import TreuMessages
import TreuStore

/// Decides what a notice says to its member: which kind, whether it may be sent (the kind's
/// audience, the member's consent, an address), and the rendered message in the member's
/// language. Every decision but "the shop does not send this kind" is written down, so a
/// member's record shows what was sent and what was skipped, and why.
struct MessageComposer: Sendable {
    let book: MessageBook
    /// Where unsubscribe links point (`…/unsubscribe/<token>`).
    let linkBase: String
    let ids: IDGenerator
    let token: @Sendable () -> String

    /// Reasons, as stable codes.
    enum Reason {
        static let noConsent = "no_consent"
        static let noAddress = "no_address"
        static let smtpNotConfigured = "smtp_not_configured"
        static let refused = "refused"
        static let gaveUp = "gave_up"
    }

    /// The message a waiting notice makes, or nil (no kind, not sent by this shop, no such member).
    func compose(_ waiting: WaitingNotice, program: Program, at now: Date) -> NewMessage? {
        let notice = waiting.notice
        guard let member = waiting.member, let kind = MessageVariables.kind(of: notice.type, data: notice.data) else { return nil }
        let audience = book.audience(kind)
        guard audience != .off else { return nil }
        let marketing = kind.isMarketing || audience == .consented
        let address = member.identities.first { $0.kind == .email }?.value
        var message = NewMessage(id: ids.next(), noticeSeq: waiting.seq, member: member.id, kind: kind, channel: .email, recipient: address,
                                 locale: member.locale, marketing: marketing, status: .pending, createdAt: now)
        if marketing, !member.consents.marketingEmail {
            message.status = .skipped
            message.reason = Reason.noConsent
            return message
        }
        guard address != nil else {
            message.status = .skipped
            message.reason = Reason.noAddress
            return message
        }
        var links: [String: String] = [:]
        if marketing {
            let token = token()
            message.unsubscribeToken = token
            links["unsubscribe_url"] = unsubscribeURL(token)
        }
        guard let template = book.template(kind, member.locale) else { return nil }
        let rendered = template.render(MessageVariables.values(kind: kind, data: notice.data, member: member, program: program, links: links))
        message.subject = rendered.subject
        message.text = rendered.text
        message.html = rendered.html
        return message
    }

    /// The link that unsubscribes the member a message with `token` went to.
    func unsubscribeURL(_ token: String) -> String { "\(linkBase)/unsubscribe/\(token)" }

    /// The secret of an unsubscribe link: 256 random bits, as an API key's.
    static func randomToken() -> String { RandomSecret.base62(43) }
}
