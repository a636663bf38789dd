import ArgumentParser
import Foundation
import Logging
import TreuCore
import TreuServer
import TreuStore

@main
struct Treu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "treu",
        abstract: "Treu, the open-source loyalty and retention platform.",
        discussion: """
            Start with 'treu serve': it creates \(AppConfiguration.defaultDatabase) (SQLite), \
            prints a first admin key and where to go next. Give --database a postgres:// URL \
            to use PostgreSQL. Flags win over these environment variables:

            \(environmentTable)
            """,
        version: "treu \(TreuVersion.current)",
        subcommands: [Serve.self, Migrate.self, Keys.self, Members.self, Import.self, Demo.self, ProgramCommand.self, Simulate.self, Report.self, Tiers.self, Verify.self, Messages.self, Bench.self],
        defaultSubcommand: nil)
}

/// The environment variables, one a line, the meanings in one column after the longest name.
private let environmentTable: String = {
    let width = (AppConfiguration.environmentVariables.map(\.name.count).max() ?? 0) + 2
    return AppConfiguration.environmentVariables
        .map { $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + $0.meaning }
        .joined(separator: "\n")
}()

/// The settings every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite file or postgres:// URL (env TREU_DATABASE_URL).")
    var database: String?

    @Option(name: .long, help: "Calling code for national phone numbers, such as 49 (env TREU_DEFAULT_COUNTRY_CODE).")
    var defaultCountryCode: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error, critical (env TREU_LOG_LEVEL).")
    var logLevel: String?

    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["database"] = database
        flags["default-country-code"] = defaultCountryCode
        flags["log-level"] = logLevel
        return flags
    }
}

/// Opens the configured store, migrated, for one command; closes it afterwards. `load` is
/// `.bulk` for commands that write many events (an import, a demo).
func withEnvironment<T>(_ options: CommonOptions, extraFlags: [String: String] = [:], migrate: Bool = true,
                        load: SQLiteStore.WriteLoad = .requests,
                        _ body: (TreuEnvironment) async throws -> T) async throws -> T {
    let configuration = try cliResult {
        try AppConfiguration.resolve(flags: options.flags.merging(extraFlags) { a, _ in a },
                                     environment: ProcessInfo.processInfo.environment)
    }
    LogSetup.bootstrapOnce(level: configuration.logLevel)
    let logger = Logger(label: "treu")
    let store = try cliResult { try configuration.openStore(logger: logger, load: load) }
    do {
        if migrate { try await store.migrate(to: nil) }
        let result = try await body(TreuEnvironment(configuration: configuration, store: store, logger: logger))
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}

/// Turns our errors into one-line messages and a non-zero exit.
func cliResult<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw ValidationError(message: "\(error)") }
}

struct ValidationError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

enum LogSetup {
    nonisolated(unsafe) static var bootstrapped = false
    static func bootstrapOnce(level: Logger.Level) {
        guard !bootstrapped else { return }
        bootstrapped = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
