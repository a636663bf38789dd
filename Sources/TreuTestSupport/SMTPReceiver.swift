import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `scripts/smtp-receiver` (Python, aiosmtpd from PyPI) on a loopback port: it accepts mail,
/// parses each message with Python's `email` package (not with Treu's code) and writes what it
/// found, one JSON line per message.
public final class SMTPReceiver: @unchecked Sendable {
    public struct Part: Decodable, Sendable {
        public var contentType: String
        public var charset: String?
        public var transferEncoding: String?
        public var content: String
        enum CodingKeys: String, CodingKey {
            case content, charset
            case contentType = "content_type", transferEncoding = "transfer_encoding"
        }
    }

    public struct Received: Decodable, Sendable {
        public var mailFrom: String
        public var rcptTos: [String]
        /// Decoded by Python.
        public var subject: String
        /// As it travelled.
        public var rawSubject: String
        public var from: String
        public var to: String
        public var messageID: String
        public var date: String
        public var listUnsubscribe: String?
        public var listUnsubscribePost: String?
        public var contentType: String
        public var parts: [Part]
        public var tls: Bool
        public var authenticated: Bool
        public var at: Double
        enum CodingKeys: String, CodingKey {
            case subject, from, to, date, parts, tls, authenticated, at
            case mailFrom = "mail_from", rcptTos = "rcpt_tos", rawSubject = "raw_subject", messageID = "message_id",
                 listUnsubscribe = "list_unsubscribe", listUnsubscribePost = "list_unsubscribe_post", contentType = "content_type"
        }

        public func part(_ type: String) -> Part? { parts.first { $0.contentType == type } }
    }

    private let process: Process
    private let out: URL
    public let port: Int
    /// The certificate it offers when started with TLS (a CA for itself).
    public let certificate: String?

    public enum Security { case none, startTLS, implicitTLS }

    /// Starts a receiver; with TLS it makes a self-signed certificate for 127.0.0.1 first (openssl).
    public init(security: Security = .none, auth: (user: String, password: String)? = nil) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        out = folder.appendingPathComponent("received.jsonl")
        var arguments = ["--out", out.path]
        if security != .none {
            let cert = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                                 "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            // Polled, not waitUntilExit (which can wait forever on a run loop from a task on Linux).
            for _ in 0..<600 where openssl.isRunning { usleep(20_000) }
            arguments += ["--tls-cert", cert, "--tls-key", key]
            if security == .implicitTLS { arguments.append("--implicit-tls") }
            certificate = cert
        } else {
            certificate = nil
        }
        if let auth { arguments += ["--auth", "\(auth.user):\(auth.password)"] }
        HelperProcess.ensure(module: "aiosmtpd", package: "aiosmtpd")
        (process, port) = try HelperProcess.start("smtp-receiver", arguments,
                                                  missing: "the SMTP receiver did not start (is aiosmtpd installed? pip install aiosmtpd)")
    }

    deinit { stop() }

    public func stop() { HelperProcess.stop(process) }

    /// Every message so far, in arrival order.
    public func received() throws -> [Received] {
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { try decoder.decode(Received.self, from: Data($0.utf8)) }
    }

    /// Waits until `count` messages have come (or `seconds` pass). - Returns: what came.
    public func waitFor(_ count: Int, seconds: Double = 20) async throws -> [Received] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let got = try received()
            if got.count >= count || Date() > deadline { return got }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
