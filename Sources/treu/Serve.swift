import ArgumentParser
import Foundation
import Hummingbird
import NIOCore
import TreuDemo
import TreuServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Treu server (migrates the database first; on a new database, prints a first admin key once).")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Address to listen on (env TREU_HOST, default 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to listen on; 0 picks a free one (env TREU_PORT, default 8080).")
    var port: Int?

    @Option(name: .long, help: "Largest request body in bytes (env TREU_MAX_BODY_BYTES, default 65536).")
    var maxBodyBytes: Int?

    @Option(name: .long, help: "SQLite durability: normal (survives a crash) or full (also power loss) (env TREU_SQLITE_SYNCHRONOUS).")
    var sqliteSynchronous: String?

    @Option(name: .long, help: "Seconds members' RFM segment, P(alive) and predicted value are kept before recomputing (env TREU_ANALYTICS_REFRESH_SECONDS, default 900).")
    var analyticsRefreshSeconds: Int?

    @Flag(name: .long, help: "On an empty database, first fill it with a made-up shop (see 'treu demo').")
    var demo = false

    @Option(name: .long, help: "Members of the --demo shop.")
    var demoMembers = 2_000

    func run() async throws {
        var flags: [String: String] = [:]
        flags["host"] = host
        flags["port"] = port.map(String.init)
        flags["max-body-bytes"] = maxBodyBytes.map(String.init)
        flags["sqlite-synchronous"] = sqliteSynchronous
        flags["analytics-refresh-seconds"] = analyticsRefreshSeconds.map(String.init)
        try await withEnvironment(common, extraFlags: flags) { environment in
            if demo, try await environment.store.memberCount() == 0 {
                try await Demo.load(DemoShop(members: demoMembers, end: environment.clock.now()), into: environment)
            }
            let app = buildApplication(environment) { port in
                // The first admin key is made once the server listens: a server that cannot bind
                // its port makes none, so the next start still shows one.
                let firstKey: String?
                do { firstKey = try await environment.keys.bootstrapAdminKey() } catch {
                    FileHandle.standardError.write(Data("Error: the first admin key could not be made: \(error)\n".utf8))
                    firstKey = nil
                }
                let base = "http://\(environment.configuration.host):\(port)"
                var lines = [
                    "Treu is ready at \(base)",
                    "  database:  \(environment.configuration.databaseDescription)",
                    "  API:       \(base)/openapi.json",
                    "  health:    \(base)/health   metrics: \(base)/metrics",
                    "  email:     " + (environment.configuration.mail.map { "\($0.smtp.redacted) as \($0.from)" }
                                       ?? "not configured: emails are kept as failed until TREU_SMTP_URL and TREU_SMTP_FROM are set"),
                ]
                if let firstKey {
                    lines += [
                        "  first admin key (shown once, keep it safe): \(firstKey)",
                        "  try:       curl -H 'Authorization: Bearer \(firstKey)' \(base)/v1/members",
                    ]
                }
                // Written straight to the file descriptor so that a pipe sees it at once.
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            }
            do {
                try await app.runService()
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                let address = "\(environment.configuration.host):\(environment.configuration.port)"
                throw ValidationError(message: "\(address) is taken by another program: stop it, or choose another port with --port or TREU_PORT")
            }
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the database migrations (or revert to an earlier version with --to).")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "The schema version to reach (default: the newest).")
    var to: Int?

    func run() async throws {
        try await withEnvironment(common, migrate: false) { environment in
            let before = try await environment.store.schemaVersion()
            let steps = try await cliResult { () async throws -> [Int] in try await environment.store.migrate(to: to) }
            let after = try await environment.store.schemaVersion()
            print(steps.isEmpty ? "schema is at version \(after); nothing to do"
                                : "schema version \(before) → \(after) (\(steps.map(String.init).joined(separator: ", ")))")
        }
    }
}

/// `cliResult` for async bodies.
func cliResult<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch { throw ValidationError(message: "\(error)") }
}
