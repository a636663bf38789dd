import Foundation
import HTTPTypes
import Hummingbird
import Logging
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import TreuCore
import TreuServer
import TreuStore
import TreuTestSupport

/// A real Treu on a real port, with a fresh store and a first admin key; every answer it gives
/// in a test is also held to the OpenAPI document.
struct API: Sendable {
    let client: any TestClientProtocol
    let adminKey: String
    let environment: TreuEnvironment

    struct Answer {
        let status: Int
        let contentType: String?
        let body: Data
        var json: JSON { JSON.parse(body) ?? .null }
        var code: String? { json["code"]?.string }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// How requests reach the application: in process through its router (most tests: what the
    /// wire adds is not what they test), or over a real socket (body limits, streaming,
    /// connections, concurrency).
    enum Transport { case router, live }

    static func run(_ backend: Backend = .sqlite, maxBodyBytes: Int = 64 * 1024, clock: TreuClock = .system, transport: Transport = .router,
                    configure: @Sendable (inout AppConfiguration) -> Void = { _ in },
                    _ test: @Sendable @escaping (API) async throws -> Void) async throws {
        try await TestStores.with(backend) { store in
            var configuration = AppConfiguration(port: 0, maxBodyBytes: maxBodyBytes, defaultCountryCode: "49")
            configuration.logLevel = .error
            configuration.analyticsRefreshSeconds = 0
            configure(&configuration)
            var logger = Logger(label: "treu.test")
            logger.logLevel = .error
            let environment = TreuEnvironment(configuration: configuration, store: store, clock: clock, logger: logger)
            let adminKey = try #require(try await environment.keys.bootstrapAdminKey())
            try await buildApplication(environment).test(transport == .live ? .ahc(.http) : .router) { client in
                try await test(API(client: client, adminKey: adminKey, environment: environment))
            }
        }
    }

    /// Sends a request (with the admin key unless another or none is given) and checks the answer against the document.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, key: String?? = .none, json: String? = nil,
              headers extra: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Answer {
        var headers = HTTPFields()
        if let key = key ?? adminKey { headers[.authorization] = "Bearer \(key)" }
        if json != nil { headers[.contentType] = "application/json" }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let response = try await client.execute(uri: path, method: method, headers: headers,
                                                body: json.map { ByteBuffer(string: $0) })
        let answer = Answer(status: Int(response.status.code), contentType: response.headers[.contentType],
                            body: Data(response.body.readableBytesView))
        let violations = OpenAPIContract.shared.violations(method: method.rawValue, path: path, status: answer.status,
                                                           contentType: answer.contentType, body: answer.body)
        #expect(violations.isEmpty, "\(violations)", sourceLocation: sourceLocation)
        // A request the server took must be one the document allows (dry runs and replays too).
        if (200..<300).contains(answer.status), let json {
            let wrong = OpenAPIContract.shared.requestViolations(method: method.rawValue, path: path, body: Data(json.utf8))
            #expect(wrong.isEmpty, "the server took a request the document refuses: \(wrong)", sourceLocation: sourceLocation)
        }
        return answer
    }

    /// Makes a key with `role` over the API and returns its secret.
    func key(_ role: Role) async throws -> String {
        let answer = try await call(.post, "/v1/keys", json: #"{"name":"\#(role.rawValue) test","role":"\#(role.rawValue)"}"#)
        return try #require(answer.json["key"]?.string)
    }
}

/// A clock the test moves by hand.
final class Hands: Sendable {
    let now: Mutex<Date>
    init(_ start: Date) { now = Mutex(start) }
    var clock: TreuClock { TreuClock { self.now.withLock { $0 } } }
    func set(_ text: String) { now.withLock { $0 = Timestamp.parse(text)! } }
}
