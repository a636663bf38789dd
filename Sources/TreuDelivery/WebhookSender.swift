import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One signed delivery to send.
public struct WebhookMessage: Sendable, Equatable {
    public var url: String
    /// `webhook-id`: the same for every attempt of one notice.
    public var id: String
    public var timestamp: Date
    public var body: String
    public var secrets: [String]

    public init(url: String, id: String, timestamp: Date, body: String, secrets: [String]) {
        self.url = url
        self.id = id
        self.timestamp = timestamp
        self.body = body
        self.secrets = secrets
    }
}

/// What an attempt got.
public struct WebhookAnswer: Sendable, Equatable {
    public var status: Int?
    /// Why it counts as failed, or nil for a 2xx.
    public var error: String?
    /// The first bytes of the answer's body.
    public var body: String?
    public var milliseconds: Int

    public var delivered: Bool { error == nil }
}

/// Sends webhooks over HTTP(S) with async-http-client: a POST of the JSON body with the Standard
/// Webhooks headers, a timeout for the whole exchange, redirects not followed (a receiver
/// answers where it was registered), and with private addresses refused unless allowed.
public final class WebhookSender: Sendable {
    public static let answerBytesKept = 512
    let client: HTTPClient
    let timeout: TimeAmount
    let allowPrivate: Bool
    let userAgent: String

    public init(timeout: Duration, allowPrivate: Bool, userAgent: String, connectionsPerHost: Int = 64) {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
        configuration.decompression = .disabled
        // As many connections to one receiver as a round sends at once (a round's deliveries
        // would otherwise queue behind 8 and spend their timeout waiting).
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        // A receiver that refuses the connection fails the attempt at once (retried by the
        // delivery policy's backoff) instead of being dialled again until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let (seconds, attoseconds) = timeout.components
        self.timeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.allowPrivate = allowPrivate
        self.userAgent = userAgent
    }

    public func shutdown() async throws { try await client.shutdown() }

    public func send(_ message: WebhookMessage) async -> WebhookAnswer {
        let started = ContinuousClock.now
        func elapsed() -> Int {
            let (s, a) = (ContinuousClock.now - started).components
            return Int(s * 1000 + a / 1_000_000_000_000_000)
        }
        if let problem = AddressPolicy.problem(with: message.url, allowPrivate: allowPrivate) {
            return WebhookAnswer(status: nil, error: problem, body: nil, milliseconds: elapsed())
        }
        if !allowPrivate, let host = URLComponents(string: message.url)?.host, let problem = await Self.privateResolution(of: host) {
            return WebhookAnswer(status: nil, error: problem, body: nil, milliseconds: elapsed())
        }
        let timestamp = Int64(message.timestamp.timeIntervalSince1970.rounded(.down))
        var request = HTTPClientRequest(url: message.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: userAgent)
        request.headers.add(name: "webhook-id", value: message.id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(name: "webhook-signature",
                            value: WebhookSignature.header(id: message.id, timestamp: timestamp, body: message.body, secrets: message.secrets))
        request.body = .bytes(ByteBuffer(string: message.body))
        do {
            let response = try await client.execute(request, timeout: timeout)
            var collected = try await response.body.collect(upTo: 64 * 1024)
            let kept = collected.readString(length: min(collected.readableBytes, Self.answerBytesKept)) ?? ""
            let status = Int(response.status.code)
            let error = (200..<300).contains(status) ? nil : "the receiver answered \(status)"
            return WebhookAnswer(status: status, error: error, body: kept, milliseconds: elapsed())
        } catch {
            return WebhookAnswer(status: nil, error: Self.words(for: error), body: nil, milliseconds: elapsed())
        }
    }

    /// A failure in words a shop can act on.
    static func words(for error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return "no answer within the timeout"
            case .connectTimeout: return "the connection timed out"
            case .remoteConnectionClosed: return "the receiver closed the connection"
            default: return "HTTP: \(error)"
            }
        }
        if let error = error as? NIOConnectionError { return "could not connect: \(error.connectionErrors.first.map { "\($0.error)" } ?? "\(error)")" }
        return "\(error)"
    }

    /// A host name that resolves to a private address (checked before each send, so a name
    /// registered as public and later pointed inside is caught), or nil.
    static func privateResolution(of host: String) async -> String? {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        guard IPAddress.parse(bare) == nil else { return nil }
        let addresses: [[UInt8]] = (try? await NIOThreadPool.singleton.runIfActive { resolve(bare) }) ?? []
        guard !addresses.isEmpty else { return nil }
        if addresses.contains(where: { !IPAddress.isPublic($0) }) {
            return "'\(host)' resolves to a private, loopback or reserved address; webhooks go to public addresses"
        }
        return nil
    }

    static func resolve(_ host: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var found: [[UInt8]] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let address = current.pointee.ai_addr {
                if current.pointee.ai_family == AF_INET {
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                        var a = v4.pointee.sin_addr
                        found.append(withUnsafeBytes(of: &a) { Array($0) })
                    }
                } else if current.pointee.ai_family == AF_INET6 {
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                        var a = v6.pointee.sin6_addr
                        found.append(withUnsafeBytes(of: &a) { Array($0) })
                    }
                }
            }
            node = current.pointee.ai_next
        }
        return found
    }
}
