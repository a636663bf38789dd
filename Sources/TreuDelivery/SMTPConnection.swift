import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Why a message did not go: `transient` (a 4xx reply, a dropped connection, a timeout: try
/// again later) or not (a 5xx reply: the same message would be refused again).
public struct SMTPError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public var transient: Bool
    /// The server's reply code, if it answered (then the session can go on); nil when the
    /// connection failed, broke or timed out.
    public var code: Int?
    public init(_ description: String, transient: Bool, code: Int? = nil) {
        self.description = description
        self.transient = transient
        self.code = code
    }
}

/// One reply of the server: its code and its lines' texts.
struct SMTPReply: Equatable {
    var code: Int
    var lines: [String]
    var text: String { lines.joined(separator: " ") }
}

/// Reads replies out of the bytes that arrive: a reply is lines `250-…` ending with `250 …`.
struct SMTPReplyReader {
    private var buffer: [UInt8] = []
    private var lines: [String] = []

    mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next whole reply, if it has arrived. - Throws: for a line that is not a reply.
    mutating func next() throws(SMTPError) -> SMTPReply? {
        while let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            var line = buffer[..<end]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            buffer.removeSubrange(...end)
            let text = String(decoding: line, as: UTF8.self)
            guard text.count >= 3, let code = Int(text.prefix(3)) else {
                throw SMTPError("the server sent something that is not an SMTP reply: \(text.prefix(80))", transient: true)
            }
            let rest = text.dropFirst(3)
            lines.append(String(rest.dropFirst()))
            if rest.first != "-" {
                defer { lines = [] }
                return SMTPReply(code: code, lines: lines)
            }
        }
        return nil
    }
}

/// An SMTP session on one connection: greeting, EHLO, STARTTLS (or TLS from the start),
/// AUTH PLAIN or LOGIN, then any number of messages, then QUIT. Every reply is awaited at most
/// the settings' timeout; past it the connection is closed and the error is transient.
public struct SMTPConnection {
    let settings: SMTPSettings
    let channel: any Channel
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var reader = SMTPReplyReader()
    var extensions: Set<String> = []

    /// Connects, greets and signs in, runs `body` with the session, and says goodbye.
    public static func with<T>(_ settings: SMTPSettings, _ body: (inout SMTPConnection) async throws -> T) async throws -> T {
        let tls = try settings.security == .none ? nil : NIOSSLContext(configuration: tlsConfiguration(settings))
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.nanoseconds(Int64(settings.timeout.components.seconds) * 1_000_000_000))
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if settings.security == .implicitTLS, let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: serverHostname(settings.host)))
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError("could not connect to \(settings.host):\(settings.port): \(error)", transient: true)
        }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = SMTPConnection(settings: settings, channel: channel.channel, inbound: inbound.makeAsyncIterator(),
                                            outbound: outbound)
            try await connection.open(tls: tls)
            let result = try await body(&connection)
            _ = try? await connection.command("QUIT")
            return result
        }
    }

    static func tlsConfiguration(_ settings: SMTPSettings) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        }
        return configuration
    }

    /// SNI takes a name, not an address (an address is checked against the certificate as it is).
    static func serverHostname(_ host: String) -> String? {
        host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" || $0 == "[" || $0 == "]" }) ? nil : host
    }

    private mutating func open(tls: NIOSSLContext?) async throws {
        try expect(await reply(), 220, "greeting")
        try await hello()
        if settings.security == .startTLS, let tls {
            guard extensions.contains("STARTTLS") else {
                throw SMTPError("\(settings.host) does not offer STARTTLS (use ?tls=none only for a relay on this machine)", transient: false)
            }
            try expect(await command("STARTTLS"), 220, "STARTTLS")
            let host = Self.serverHostname(settings.host)
            try await channel.eventLoop.submit { [channel] in
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: host), position: .first)
            }.get()
            try await hello()
        }
        if let username = settings.username {
            try await authenticate(username, settings.password ?? "")
        }
    }

    private mutating func hello() async throws {
        let answer = try await command("EHLO \(settings.helo)")
        try expect(answer, 250, "EHLO")
        extensions = Set(answer.lines.dropFirst().map { $0.uppercased() })
        for line in answer.lines.dropFirst() where line.uppercased().hasPrefix("AUTH ") {
            extensions.formUnion(line.uppercased().split(separator: " ").dropFirst().map { "AUTH=\($0)" })
        }
    }

    private mutating func authenticate(_ username: String, _ password: String) async throws {
        if extensions.contains("AUTH=PLAIN") {
            let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try expect(await command("AUTH PLAIN \(token)", secret: true), 235, "AUTH PLAIN")
        } else if extensions.contains("AUTH=LOGIN") {
            try expect(await command("AUTH LOGIN"), 334, "AUTH LOGIN")
            try expect(await command(Data(username.utf8).base64EncodedString(), secret: true), 334, "AUTH LOGIN")
            try expect(await command(Data(password.utf8).base64EncodedString(), secret: true), 235, "AUTH LOGIN")
        } else {
            throw SMTPError("\(settings.host) offers neither AUTH PLAIN nor AUTH LOGIN", transient: false)
        }
    }

    /// Sends one message. - Throws: `SMTPError`; after a refused message the session can go on.
    public mutating func send(_ message: MailMessage) async throws {
        let boundary = "=_treu_\(UUID().uuidString.lowercased())"
        do {
            try expect(await command("MAIL FROM:<\(message.from.address)>"), 250, "MAIL FROM")
            try expect(await command("RCPT TO:<\(message.to.address)>"), 250, "RCPT TO")
            try expect(await command("DATA"), 354, "DATA")
        } catch {
            // Refused: the session goes on with the next message.
            _ = try? await command("RSET")
            throw error
        }
        // Dot-stuffing: a line that starts with "." gets one more.
        let data = message.formatted(boundary: boundary).replacingOccurrences(of: "\r\n.", with: "\r\n..")
        try await write(data + ".\r\n")
        try expect(await reply(), 250, "message")
    }

    mutating func command(_ line: String, secret: Bool = false) async throws -> SMTPReply {
        try await write(line + "\r\n")
        return try await reply()
    }

    private func write(_ text: String) async throws {
        do {
            try await outbound.write(ByteBuffer(string: text))
        } catch {
            throw SMTPError("the connection to \(settings.host) broke: \(error)", transient: true)
        }
    }

    /// The next reply, or a transient error if none comes in time (the connection is closed then).
    mutating func reply() async throws -> SMTPReply {
        if let reply = try reader.next() { return reply }
        let expired = Flag()
        let timer = Task { [channel, timeout = settings.timeout] in
            try await Task.sleep(for: timeout)
            expired.value.store(true, ordering: .relaxed)
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        while true {
            let buffer: ByteBuffer?
            do {
                buffer = try await inbound.next()
            } catch {
                throw SMTPError(expired.value.load(ordering: .relaxed) ? "\(settings.host) did not answer within \(settings.timeout)"
                                                                   : "the connection to \(settings.host) broke: \(error)", transient: true)
            }
            guard let buffer else {
                throw SMTPError(expired.value.load(ordering: .relaxed) ? "\(settings.host) did not answer within \(settings.timeout)"
                                                                   : "\(settings.host) closed the connection", transient: true)
            }
            reader.append(buffer.readableBytesView)
            if let reply = try reader.next() { return reply }
        }
    }

    private func expect(_ reply: SMTPReply, _ code: Int, _ step: String) throws(SMTPError) {
        guard reply.code == code || (code == 250 && reply.code == 251) else {
            throw SMTPError("\(reply.code) \(reply.text) (after \(step))", transient: reply.code < 500, code: reply.code)
        }
    }
}

/// Whether a reply's time ran out (set by the timer, read by the reader).
private final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}
