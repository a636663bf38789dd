import ArgumentParser
import Foundation
import TreuCore
import TreuServer

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make, list and revoke API keys.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a key and print its secret (shown this once).")
        @OptionGroup var common: CommonOptions
        @Option(name: .long, help: "admin, integration, support or analyst.")
        var role: String
        @Option(name: .long, help: "A name to tell the key apart, such as 'shop checkout'.")
        var name: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError(message: "--role is one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")), not '\(self.role)'")
            }
            try await withEnvironment(common) { environment in
                let (key, secret) = try await cliResult { () async throws -> (APIKey, String) in
                    try await environment.keys.create(name: name ?? "\(role.rawValue) key", role: role)
                }
                print(secret)
                FileHandle.standardError.write(Data("made \(role.rawValue) key \(key.id.uuidString.lowercased()) ('\(key.name)'); the secret above is not stored anywhere\n".utf8))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            try await withEnvironment(common) { environment in
                let keys = try await environment.keys.list()
                print("id                                    role         prefix        state     name")
                for key in keys {
                    let state = key.revokedAt == nil ? "live" : "revoked"
                    print("\(key.id.uuidString.lowercased())  \(key.role.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))  \(key.prefix)  \(state.padding(toLength: 8, withPad: " ", startingAt: 0))  \(key.name.escapingControlCharacters)")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key at once.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The key's id (see 'treu keys list').")
        var id: String

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError(message: "'\(id)' is not a key id") }
            try await withEnvironment(common) { environment in
                switch try await environment.keys.revoke(id: uuid) {
                case .revoked: print("revoked \(id)")
                case .notFound: throw ValidationError(message: "no live key has the id \(id)")
                case .lastAdmin: throw ValidationError(message: "\(id) is the last live admin key: make another with 'treu keys create --role admin' first")
                }
            }
        }
    }
}
