import Foundation
import TreuDelivery

/// How email goes out: the SMTP server, the sender, and how fast.
public struct MailConfiguration: Sendable, Equatable {
    public var smtp: SMTPSettings
    public var from: MailAddress
    /// Messages sent per second at most, by this server.
    public var ratePerSecond: Double
    /// SMTP connections this server keeps open while it has messages to send.
    public var connections: Int

    public init(smtp: SMTPSettings, from: MailAddress, ratePerSecond: Double = 20, connections: Int = 2) {
        self.smtp = smtp
        self.from = from
        self.ratePerSecond = ratePerSecond
        self.connections = connections
    }
}

extension AppConfiguration {
    static let mailVariables: [(name: String, meaning: String)] = [
        ("TREU_SMTP_URL", "smtp://user:pass@host:587 (STARTTLS), smtps://host:465, smtp://127.0.0.1:25?tls=none"),
        ("TREU_SMTP_FROM", "the sender, e.g. Café Treu <loyalty@shop.example> (needed with TREU_SMTP_URL)"),
        ("TREU_SMTP_RATE", "emails per second at most (20)"),
        ("TREU_SMTP_CONNECTIONS", "SMTP connections kept open while sending (2)"),
        ("TREU_PUBLIC_URL", "where members reach this server, for unsubscribe links (http://HOST:PORT)"),
    ]

    /// Reads the mail settings: none without `TREU_SMTP_URL` (then emails are kept, failed, with why).
    static func readMail(_ configuration: inout AppConfiguration, _ value: (String, String) -> String?) throws {
        if let text = value("public-url", "TREU_PUBLIC_URL") {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()), url.host != nil else {
                throw ConfigurationError(setting: "public-url", value: text, expected: "an http(s) URL such as https://loyalty.shop.example")
            }
            configuration.publicURL = text.hasSuffix("/") ? String(text.dropLast()) : text
        }
        guard let url = value("smtp-url", "TREU_SMTP_URL") else {
            if let from = value("smtp-from", "TREU_SMTP_FROM") {
                throw ConfigurationError(setting: "smtp-from", value: from, expected: "TREU_SMTP_URL as well (where to send from \(from))")
            }
            return
        }
        let smtp: SMTPSettings
        do { smtp = try SMTPSettings(url: url) } catch {
            throw ConfigurationError(setting: "smtp-url", value: redacted(url), expected: error.description)
        }
        guard let fromText = value("smtp-from", "TREU_SMTP_FROM") else {
            throw ConfigurationError(setting: "smtp-from", value: "", expected: "the sender's address, e.g. Café Treu <loyalty@shop.example>")
        }
        guard let from = MailAddress(parsing: fromText) else {
            throw ConfigurationError(setting: "smtp-from", value: fromText, expected: "an address such as Café Treu <loyalty@shop.example>")
        }
        var mail = MailConfiguration(smtp: smtp, from: from)
        if let text = value("smtp-rate", "TREU_SMTP_RATE") {
            guard let rate = Double(text), (0.1...10_000).contains(rate) else {
                throw ConfigurationError(setting: "smtp-rate", value: text, expected: "emails per second, from 0.1 to 10000")
            }
            mail.ratePerSecond = rate
        }
        if let text = value("smtp-connections", "TREU_SMTP_CONNECTIONS") {
            guard let count = Int(text), (1...32).contains(count) else {
                throw ConfigurationError(setting: "smtp-connections", value: text, expected: "a number from 1 to 32")
            }
            mail.connections = count
        }
        configuration.mail = mail
    }

    /// The URL with its password replaced, for an error message.
    private static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "smtp://***"
    }

    /// Where links in messages point: `TREU_PUBLIC_URL`, else this server's own address.
    public var linkBase: String { publicURL ?? "http://\(host):\(port)" }
}
