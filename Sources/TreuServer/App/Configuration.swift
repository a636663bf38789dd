import Foundation
import Logging
import TreuStore

/// How Treu runs: from flags, then the environment (`TREU_…`), then defaults. Resolved by one
/// pure function so the precedence is tested, not hoped for.
public struct AppConfiguration: Sendable, Equatable {
    /// A SQLite file path, `:memory:`, or a `postgres://` URL.
    public var databaseURL: String
    public var host: String
    public var port: Int
    /// Request bodies above this many bytes get 413 `body_too_large`.
    public var maxBodyBytes: Int
    /// Digits of the calling code that national phone numbers (leading 0) get, such as "49".
    public var defaultCountryCode: String?
    public var sqliteDurability: SQLiteStore.Durability
    public var logLevel: Logger.Level
    /// Members' analytics (RFM segment, P(alive), predicted value) are recomputed when older than this.
    public var analyticsRefreshSeconds: Int
    /// Webhooks may go to loopback and private addresses (tests, a receiver in the same network).
    public var webhookAllowPrivate = false
    /// How webhook deliveries are timed out and retried.
    public var delivery = DeliveryPolicy()
    /// Email: none until `TREU_SMTP_URL` is set.
    public var mail: MailConfiguration?
    /// Where members reach this server (unsubscribe links); this server's address if not set.
    public var publicURL: String?

    public static let defaultDatabase = "treu-data/treu.sqlite"

    public init(databaseURL: String = defaultDatabase, host: String = "127.0.0.1", port: Int = 8080,
                maxBodyBytes: Int = 64 * 1024, defaultCountryCode: String? = nil,
                sqliteDurability: SQLiteStore.Durability = .normal, logLevel: Logger.Level = .info,
                analyticsRefreshSeconds: Int = 900) {
        self.databaseURL = databaseURL
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.defaultCountryCode = defaultCountryCode
        self.sqliteDurability = sqliteDurability
        self.logLevel = logLevel
        self.analyticsRefreshSeconds = analyticsRefreshSeconds
    }

    /// The names the environment may set, and what each holds.
    public static let environmentVariables: [(name: String, meaning: String)] = [
        ("TREU_DATABASE_URL", "SQLite file or postgres://user@host:port/db"),
        ("TREU_HOST", "address to listen on (127.0.0.1)"),
        ("TREU_PORT", "port to listen on (8080)"),
        ("TREU_MAX_BODY_BYTES", "largest request body accepted (65536)"),
        ("TREU_DEFAULT_COUNTRY_CODE", "calling code for national phones, e.g. 49"),
        ("TREU_SQLITE_SYNCHRONOUS", "normal (survives a crash) or full (+ power loss)"),
        ("TREU_LOG_LEVEL", "trace, debug, info, notice, warning, error"),
        ("TREU_ANALYTICS_REFRESH_SECONDS", "age at which members' RFM/CLV figures are recomputed (900)"),
        ("TREU_WEBHOOK_ALLOW_PRIVATE", "true lets webhooks go to loopback and private addresses (false)"),
        ("TREU_WEBHOOK_TIMEOUT_SECONDS", "time one webhook attempt may take (10)"),
        ("TREU_WEBHOOK_MAX_ATTEMPTS", "attempts before a delivery is dead (8)"),
        ("TREU_WEBHOOK_RETRY_SECONDS", "delay after the first failure, tripled after each (10)"),
    ] + mailVariables

    /// Flags win over the environment, the environment over defaults.
    /// - Throws: `ConfigurationError` naming the setting and the bad value.
    public static func resolve(flags: [String: String], environment: [String: String]) throws -> AppConfiguration {
        func value(_ flag: String, _ variable: String) -> String? {
            flags[flag] ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        var configuration = AppConfiguration()
        if let url = value("database", "TREU_DATABASE_URL") { configuration.databaseURL = try database(url) }
        if let host = value("host", "TREU_HOST") { configuration.host = host }
        if let text = value("port", "TREU_PORT") {
            guard let port = Int(text), (0...65535).contains(port) else { throw ConfigurationError(setting: "port", value: text, expected: "a number from 0 to 65535") }
            configuration.port = port
        }
        if let text = value("max-body-bytes", "TREU_MAX_BODY_BYTES") {
            guard let bytes = Int(text), bytes >= 1024 else { throw ConfigurationError(setting: "max-body-bytes", value: text, expected: "a number of bytes, at least 1024") }
            configuration.maxBodyBytes = bytes
        }
        if let text = value("default-country-code", "TREU_DEFAULT_COUNTRY_CODE") {
            let digits = text.hasPrefix("+") ? String(text.dropFirst()) : text
            guard (1...3).contains(digits.count), digits.allSatisfy(\.isNumber), !digits.hasPrefix("0") else {
                throw ConfigurationError(setting: "default-country-code", value: text, expected: "a calling code of 1 to 3 digits, such as 49")
            }
            configuration.defaultCountryCode = digits
        }
        if let text = value("sqlite-synchronous", "TREU_SQLITE_SYNCHRONOUS") {
            guard let durability = SQLiteStore.Durability(rawValue: text.lowercased()) else {
                throw ConfigurationError(setting: "sqlite-synchronous", value: text, expected: "normal or full")
            }
            configuration.sqliteDurability = durability
        }
        if let text = value("log-level", "TREU_LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError(setting: "log-level", value: text, expected: Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
            configuration.logLevel = level
        }
        if let text = value("analytics-refresh-seconds", "TREU_ANALYTICS_REFRESH_SECONDS") {
            guard let seconds = Int(text), (0...86_400 * 7).contains(seconds) else {
                throw ConfigurationError(setting: "analytics-refresh-seconds", value: text, expected: "a number of seconds from 0 to 604800")
            }
            configuration.analyticsRefreshSeconds = seconds
        }
        if let text = value("webhook-allow-private", "TREU_WEBHOOK_ALLOW_PRIVATE") {
            switch text.lowercased() {
            case "true", "1", "yes": configuration.webhookAllowPrivate = true
            case "false", "0", "no": configuration.webhookAllowPrivate = false
            default: throw ConfigurationError(setting: "webhook-allow-private", value: text, expected: "true or false")
            }
        }
        if let text = value("webhook-timeout-seconds", "TREU_WEBHOOK_TIMEOUT_SECONDS") {
            guard let seconds = Double(text), (0.1...120).contains(seconds) else {
                throw ConfigurationError(setting: "webhook-timeout-seconds", value: text, expected: "a number of seconds from 0.1 to 120")
            }
            configuration.delivery.timeout = seconds
        }
        if let text = value("webhook-max-attempts", "TREU_WEBHOOK_MAX_ATTEMPTS") {
            guard let attempts = Int(text), (1...30).contains(attempts) else {
                throw ConfigurationError(setting: "webhook-max-attempts", value: text, expected: "a number from 1 to 30")
            }
            configuration.delivery.maxAttempts = attempts
        }
        if let text = value("webhook-retry-seconds", "TREU_WEBHOOK_RETRY_SECONDS") {
            guard let seconds = Double(text), (0.01...3600).contains(seconds) else {
                throw ConfigurationError(setting: "webhook-retry-seconds", value: text, expected: "a number of seconds from 0.01 to 3600")
            }
            configuration.delivery.first = seconds
        }
        try readMail(&configuration, value)
        return configuration
    }

    /// A database setting as the store takes it: a `postgres://` URL as it is, a `sqlite:` URL as
    /// its path (`sqlite:///srv/treu/treu.sqlite` absolute, `sqlite:treu.sqlite` or
    /// `sqlite://data/treu.sqlite` relative, `sqlite::memory:`), a plain path as it is.
    /// - Throws: `ConfigurationError` for a URL of any other scheme (`mysql://…`), or an empty path.
    static func database(_ text: String) throws -> String {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") { return text }
        if lower.hasPrefix("sqlite:") {
            var path = Substring(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            guard !path.isEmpty else {
                throw ConfigurationError(setting: "database", value: text, expected: "a path after sqlite:, such as sqlite:///srv/treu/treu.sqlite")
            }
            return String(path)
        }
        if let scheme = text.range(of: "://"), text[..<scheme.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || "+.-".contains($0) }) {
            throw ConfigurationError(setting: "database", value: text,
                                     expected: "a SQLite file (a path or sqlite:///path) or a postgres:// URL; '\(text[..<scheme.lowerBound])' is no database Treu knows")
        }
        return text
    }

    public var usesPostgres: Bool {
        let lower = databaseURL.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// The database for humans: the path, or the URL without its password.
    public var databaseDescription: String {
        guard usesPostgres, var components = URLComponents(string: databaseURL) else { return "sqlite \(databaseURL)" }
        if components.password != nil { components.password = "***" }
        return "postgres \(components.string ?? "")"
    }

    /// Opens the configured store (without migrating it), for a server's requests or for bulk writes (an import).
    public func openStore(logger: Logger, load: SQLiteStore.WriteLoad = .requests) throws -> any Store {
        if usesPostgres { return try PostgresStore(url: databaseURL, logger: logger) }
        return try SQLiteStore(path: databaseURL == ":memory:" ? nil : databaseURL, durability: sqliteDurability, load: load)
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let setting: String
    public let value: String
    public let expected: String
    public var description: String { "\(setting): '\(value)' is not valid; expected \(expected)" }
}
