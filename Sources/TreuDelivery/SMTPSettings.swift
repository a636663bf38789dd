import Foundation

/// Where and how email is sent, read from one URL (`TREU_SMTP_URL`):
/// - `smtp://user:password@host:587` — STARTTLS, required (the default: nothing travels in clear);
/// - `smtps://user:password@host:465` — TLS from the first byte;
/// - `smtp://host:25?tls=none` — plain, for a relay on the same machine (credentials refused
///   then, unless the host is a loopback address).
/// Query options: `ca=/path/ca.pem` (trust a private CA), `helo=name`, `timeout=seconds`.
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, Equatable {
        case startTLS = "starttls"
        case implicitTLS = "tls"
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var caFile: String?
    public var helo: String
    /// For connecting and for each reply.
    public var timeout: Duration

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
                caFile: String? = nil, helo: String = "localhost", timeout: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.helo = helo
        self.timeout = timeout
    }

    /// - Throws: `SMTPSettingsError` with the reason in words.
    public init(url text: String) throws(SMTPSettingsError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "smtp" || scheme == "smtps",
              let host = url.host, !host.isEmpty else {
            throw SMTPSettingsError("TREU_SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465")
        }
        var security: Security = scheme == "smtps" ? .implicitTLS : .startTLS
        var caFile: String?, helo = "localhost", timeout = Duration.seconds(30)
        for item in url.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "tls":
                guard let chosen = Security(rawValue: value.lowercased()) else {
                    throw SMTPSettingsError("TREU_SMTP_URL: tls must be starttls, tls or none, not '\(value)'")
                }
                security = chosen
            case "ca": caFile = value
            case "helo": helo = value
            case "timeout":
                guard let seconds = Int(value), (1...600).contains(seconds) else {
                    throw SMTPSettingsError("TREU_SMTP_URL: timeout must be 1 to 600 seconds, not '\(value)'")
                }
                timeout = .seconds(seconds)
            default: throw SMTPSettingsError("TREU_SMTP_URL: unknown option '\(item.name)' (known: tls, ca, helo, timeout)")
            }
        }
        let username = url.user.map { $0.removingPercentEncoding ?? $0 }
        let password = url.password.map { $0.removingPercentEncoding ?? $0 }
        if security == .none, username != nil, !Self.isLoopback(host) {
            throw SMTPSettingsError("TREU_SMTP_URL: a password is sent only over TLS (tls=none is for a relay on this machine)")
        }
        self.init(host: host, port: url.port ?? (security == .implicitTLS ? 465 : security == .startTLS ? 587 : 25),
                  security: security, username: username, password: password, caFile: caFile, helo: helo, timeout: timeout)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// The URL without its password, for logs and the server's banner.
    public var redacted: String {
        let user = username.map { "\($0)@" } ?? ""
        return "\(security == .implicitTLS ? "smtps" : "smtp")://\(user)\(host):\(port)" + (security == .none ? "?tls=none" : "")
    }
}

public struct SMTPSettingsError: Error, CustomStringConvertible, Equatable {
    public var description: String
    init(_ description: String) { self.description = description }
}
