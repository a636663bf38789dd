import Foundation
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `scripts/webhook-receiver` (Python, the `standardwebhooks` library from PyPI) on a loopback
/// port: it checks every delivery's signature with that library, not with Treu's code, and
/// remembers what it got.
public final class WebhookReceiver: @unchecked Sendable {
    public struct Received: Decodable, Sendable {
        public var id: String?
        public var timestamp: String?
        public var type: String?
        public var verified: Bool
        public var error: String?
        /// Seconds since 1970 when it arrived.
        public var at: Double
        public var answered: Int
        /// The whole body came (as many bytes as content-length said): a sender killed mid-request sends less.
        public var complete: Bool
        public var body: String
    }

    private let process: Process
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)/hooks" }

    /// Starts a receiver answering `status`, on `port` (0: any free one), slowed by `delayMilliseconds` per delivery.
    public init(port requested: Int = 0, status: Int = 200, delayMilliseconds: Int = 0) throws {
        HelperProcess.ensure(module: "standardwebhooks", package: "standardwebhooks")
        (process, port) = try HelperProcess.start("webhook-receiver", ["--port", "\(requested)", "--status", "\(status)",
                                                                       "--delay-ms", "\(delayMilliseconds)"],
                                                  missing: "the webhook receiver did not start (is the standardwebhooks package installed? pip install standardwebhooks)")
    }

    deinit { stop() }

    /// Stops it (the receiver is then down: connections are refused).
    public func stop() { HelperProcess.stop(process) }

    struct ReceiverError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// Sets the secrets it verifies with and the status it answers.
    public func control(secrets: [String]? = nil, status: Int? = nil) async throws {
        var change: [String: Any] = [:]
        if let secrets { change["secrets"] = secrets }
        if let status { change["status"] = status }
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/_control")!)
        request.httpMethod = "PUT"
        request.httpBody = try JSONSerialization.data(withJSONObject: change)
        _ = try await URLSession.shared.data(for: request)
    }

    public func received() async throws -> [Received] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/_received")!)
        return try JSONDecoder().decode([Received].self, from: data)
    }

    /// Waits until `condition` holds of what arrived (at most `seconds`), and returns it.
    @discardableResult
    public func wait(seconds: Double = 20, until condition: ([Received]) -> Bool) async throws -> [Received] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let got = try await received()
            if condition(got) || Date() > deadline { return got }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
