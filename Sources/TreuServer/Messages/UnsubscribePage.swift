import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TreuCore
import TreuStore

/// `/unsubscribe/{token}`: the link in a marketing email. GET shows what it does and a button;
/// POST (the button, or a mail client's one-click unsubscribe, RFC 8058) turns the member's
/// email marketing consent off and stamps when. The token is the link's only key (a secret of
/// 256 bits, one per message); the page is in the member's language, with no script and a
/// Content-Security-Policy that allows only its own style.
struct UnsubscribePage: Sendable {
    let store: any Store
    let members: MemberService
    let programs: ProgramService
    let clock: TreuClock

    func register(_ router: Router<TreuContext>) {
        router.get("unsubscribe/:token") { request, context in
            try await page(request, context, confirm: false)
        }
        router.post("unsubscribe/:token") { request, context in
            try await page(request, context, confirm: true)
        }
    }

    private func page(_ request: Request, _ context: TreuContext, confirm: Bool) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard token.count >= 20, let message = try await store.message(unsubscribeToken: token),
              let member = try await store.member(id: message.member) else {
            let words = UnsubscribeWords.for(Self.language(request.headers[.acceptLanguage]))
            return Self.html(status: .notFound, words: words, title: words.title, body: "<p>\(Self.escape(words.invalid))</p>")
        }
        let words = UnsubscribeWords.for(member.locale)
        let shop = try await programs.book().version(at: clock.now()).program.name
        let address = message.recipient ?? ""
        if confirm {
            if member.consents.marketingEmail {
                _ = try await members.update(id: member.id, with: MemberChange(marketingEmail: false))
            }
            return Self.html(status: .ok, words: words, title: words.title, body: "<p>\(Self.escape(words.done(shop)))</p>")
        }
        if !member.consents.marketingEmail {
            return Self.html(status: .ok, words: words, title: words.title, body: "<p>\(Self.escape(words.done(shop)))</p>")
        }
        let form = """
            <p>\(Self.escape(words.question(shop, address)))</p>
            <form method="post" action="/unsubscribe/\(Self.escape(token))"><button type="submit">\(Self.escape(words.button))</button></form>
            """
        return Self.html(status: .ok, words: words, title: words.title, body: form)
    }

    static let style = """
        body{margin:0;padding:48px 16px;background:#f4f4f1;font:16px/1.5 -apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328}\
        main{max-width:480px;margin:0 auto;background:#fff;border-radius:8px;padding:28px 32px}\
        h1{font-size:22px;margin:0 0 12px}button{font:inherit;padding:10px 20px;border:0;border-radius:6px;background:#1f2328;color:#fff;cursor:pointer}
        """
    /// The policy that lets only `style` in (by its hash).
    static let policy: String = {
        let hash = Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'sha256-\(hash)'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }()

    static func html(status: HTTPResponse.Status, words: UnsubscribeWords, title: String, body: String) -> Response {
        let page = """
            <!DOCTYPE html>
            <html lang="\(words.language)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>\(escape(title))</title><style>\(style)</style></head>
            <body><main><h1>\(escape(title))</h1>\(body)</main></body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = policy
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// The first of Treu's languages an Accept-Language header names, else English.
    static func language(_ header: String?) -> MemberLocale {
        for part in (header ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased().prefix(2) ?? ""
            if let locale = MemberLocale(rawValue: String(tag)) { return locale }
        }
        return .en
    }
}

/// The unsubscribe page's words in each language.
struct UnsubscribeWords {
    var language: String
    var title: String
    var button: String
    var invalid: String
    var question: (String, String) -> String
    var done: (String) -> String

    static func `for`(_ locale: MemberLocale) -> UnsubscribeWords {
        switch locale {
        case .en:
            UnsubscribeWords(language: "en", title: "Unsubscribe", button: "Unsubscribe", invalid: "This unsubscribe link is not valid.",
                             question: { "Stop marketing emails from \($0) to \($1)?" },
                             done: { "You are unsubscribed: \($0) will send you no more marketing emails. Messages about your points and rewards may still arrive." })
        case .de:
            UnsubscribeWords(language: "de", title: "Abmelden", button: "Abmelden", invalid: "Dieser Abmeldelink ist ungültig.",
                             question: { "Keine Werbe-E-Mails mehr von \($0) an \($1)?" },
                             done: { "Sie sind abgemeldet: \($0) sendet Ihnen keine Werbe-E-Mails mehr. Nachrichten zu Ihren Punkten und Prämien können weiterhin kommen." })
        case .vi:
            UnsubscribeWords(language: "vi", title: "Hủy đăng ký", button: "Hủy đăng ký", invalid: "Liên kết hủy đăng ký này không hợp lệ.",
                             question: { "Ngừng nhận email quảng cáo từ \($0) gửi đến \($1)?" },
                             done: { "Bạn đã hủy đăng ký: \($0) sẽ không gửi email quảng cáo cho bạn nữa. Bạn vẫn có thể nhận thông báo về điểm và phần thưởng của mình." })
        }
    }
}
