import Foundation

/// An email as it goes out: one text and one HTML part of the same message
/// (multipart/alternative), UTF-8 throughout.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var text: String
    public var html: String
    /// Without the angle brackets: `<uuid>@<sender's domain>` is usual.
    public var messageID: String
    public var date: Date
    /// For marketing messages: the URL that unsubscribes with one click (RFC 8058).
    public var unsubscribeURL: String?

    public init(from: MailAddress, to: MailAddress, subject: String, text: String, html: String, messageID: String,
                date: Date, unsubscribeURL: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
        self.unsubscribeURL = unsubscribeURL
    }

    /// The message in RFC 5322 form with CRLF line ends: headers that are not ASCII encoded by
    /// RFC 2047, both parts in base64 (safe through any relay).
    public func formatted(boundary: String) -> String {
        var headers = [
            "Date: \(Self.dateText(date))",
            "From: \(from.header)",
            "To: \(to.header)",
            "Subject: \(Self.encodedWords(subject.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: " ")))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        if let unsubscribeURL {
            headers.append("List-Unsubscribe: <\(unsubscribeURL)>")
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        var lines = headers + [""]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += ["--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            lines += Self.base64Lines(body)
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func base64Lines(_ text: String) -> [String] {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(normalized.utf8).base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// `text` as it may stand in a header: itself when it is printable ASCII, else RFC 2047
    /// encoded words (UTF-8, base64) of at most 75 characters each, never splitting a character.
    public static func encodedWords(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && text.utf8.count <= 900 { return text }
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// RFC 5322's date: `Mon, 07 Dec 2026 14:05:00 +0000`.
    static func dateText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

/// An address with an optional display name: `Anna Müller <anna@example.com>`.
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// Reads `Name <address>` or a bare address. - Returns: nil if there is no plausible address.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            self.init(name: name.isEmpty ? nil : name, address: String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]))
        } else {
            self.init(address: trimmed)
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\r" || $0 == "\n" }) else { return nil }
    }

    /// The part after `@`.
    public var domain: String { String(address.split(separator: "@").last ?? "localhost") }

    var header: String {
        guard let name, !name.isEmpty else { return "<\(address)>" }
        let plain = name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        return (plain ? "\"\(name)\"" : Self.encodedName(name)) + " <\(address)>"
    }

    private static func encodedName(_ name: String) -> String { MailMessage.encodedWords(name) }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address }
}
