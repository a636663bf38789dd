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

    /// The script, found from this file up to the package's folder.
    static var script: URL {
        var folder = URL(fileURLWithPath: #filePath)
        while folder.path != "/" {
            folder.deleteLastPathComponent()
            let candidate = folder.appendingPathComponent("scripts/webhook-receiver")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: "scripts/webhook-receiver")
    }

    /// Starts a receiver answering `status`, on `port` (0: any free one), slowed by `delayMilliseconds` per delivery.
    public init(port requested: Int = 0, status: Int = 200, delayMilliseconds: Int = 0) throws {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-\(UUID()).port")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--port", "\(requested)", "--port-file", portFile.path, "--status", "\(status)",
                             "--delay-ms", "\(delayMilliseconds)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            found = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if found == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let found else {
            process.terminate()
            throw ReceiverError(message: "the webhook receiver did not start (is the standardwebhooks package installed? pip install standardwebhooks)")
        }
        port = found
        try? FileManager.default.removeItem(at: portFile)
    }

    deinit { stop() }

    /// Stops it (the receiver is then down: connections are refused).
    public func stop() {
        guard process.isRunning else { return }
        // Not waitUntilExit: from a task or a deinit on Linux it can wait forever on a run loop.
        kill(process.processIdentifier, SIGKILL)
        for _ in 0..<200 where process.isRunning { usleep(10_000) }
    }

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
