import TreuCore

/// The texts Treu sends until a shop writes its own: every kind in English, German and
/// Vietnamese. Each is a template like a shop's (checked and rendered the same way); the text
/// and HTML bodies are made from the same paragraphs.
public enum StandardTemplates {
    /// What a language writes around a message: the greeting, the farewell, the unsubscribe line.
    struct Frame {
        var greeting: String
        var farewell: String
        var unsubscribe: String
        var unsubscribeLink: String
    }

    /// A kind's words in one language: the subject, the paragraphs between greeting and farewell, the SMS.
    struct Words {
        var subject: String
        var paragraphs: [String]
        var sms: String
    }

    public static func template(_ kind: MessageKind, _ locale: MemberLocale) -> MessageTemplate {
        let (frame, words): (Frame, Words) = switch locale {
        case .en: (english, englishWords(kind))
        case .de: (german, germanWords(kind))
        case .vi: (vietnamese, vietnameseWords(kind))
        }
        return assemble(words, frame: frame)
    }

    /// Every kind gets the unsubscribe line, shown when the message is marketing (then
    /// `unsubscribe_url` has a value): a kind a shop sends as marketing has it too.
    static func assemble(_ words: Words, frame: Frame) -> MessageTemplate {
        let text = [frame.greeting] + words.paragraphs + [frame.farewell]
        var html = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>\(words.subject)</title></head>
        <body style="margin:0;padding:24px;background:#f4f4f1;font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f2328">
        <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:28px 32px;line-height:1.5;font-size:16px">
        <p style="margin:0 0 16px;font-size:13px;letter-spacing:.04em;text-transform:uppercase;color:#6b6f76">{{shop_name}}</p>

        """
        for paragraph in [frame.greeting] + words.paragraphs {
            html += "<p style=\"margin:0 0 16px\">\(paragraph)</p>\n"
        }
        html += "<p style=\"margin:24px 0 0\">\(frame.farewell.replacingOccurrences(of: "\n", with: "<br>"))</p>\n</div>\n"
        html += "{{#unsubscribe_url}}<p style=\"max-width:560px;margin:16px auto 0;font-size:13px;color:#6b6f76\">\(frame.unsubscribe) <a href=\"{{unsubscribe_url}}\" style=\"color:#6b6f76\">\(frame.unsubscribeLink)</a></p>{{/unsubscribe_url}}\n"
        html += "</body></html>\n"
        let footer = "{{#unsubscribe_url}}\n\n\(frame.unsubscribe) {{unsubscribe_url}}\n{{/unsubscribe_url}}\n"
        return MessageTemplate(subject: words.subject, text: text.joined(separator: "\n\n") + "\n" + footer, html: html, sms: words.sms)
    }
}
