import ArgumentParser
import Foundation
import TreuCore
import TreuServer
import TreuStore

/// `treu messages`: what the outbox holds and what became of it (webhook deliveries for now;
/// email joins them), the dead ones, and a replay.
struct Messages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the outbox's deliveries (pending, delivered, dead) and replay one.",
        subcommands: [List.self, Show.self, Replay.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts, then the newest deliveries (all, or of one status).")
        @OptionGroup var common: CommonOptions
        @Option(name: .long, help: "pending, delivered or dead.")
        var status: String?
        @Option(name: .long, help: "How many to list (1 to 1000).")
        var limit: Int = 50

        func run() async throws {
            let wanted = try status.map { text in
                guard let value = DeliveryStatus(rawValue: text) else { throw ValidationError(message: "--status is pending, delivered or dead, not '\(text)'") }
                return value
            }
            guard (1...1_000).contains(limit) else { throw ValidationError(message: "--limit is from 1 to 1000") }
            try await withEnvironment(common) { environment in
                let counts = try await environment.store.outboxCounts()
                print("outbox: \(counts.noticesWaiting) notices to fan out, \(counts.pending) pending, \(counts.delivered) delivered, \(counts.dead) dead")
                let rows = try await environment.store.deliveries(endpoint: nil, status: wanted, before: nil, limit: limit)
                guard !rows.isEmpty else { return }
                print("id        status     attempts  type                 endpoint                              last")
                for row in rows {
                    let last = row.lastError ?? row.lastStatus.map { "answered \($0)" } ?? ""
                    print("\(String(row.id).padding(toLength: 8, withPad: " ", startingAt: 0))  \(row.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(String(row.attempts).padding(toLength: 8, withPad: " ", startingAt: 0))  \(row.type.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0))  \(row.endpoint.uuidString.lowercased())  \(last.escapingControlCharacters)")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One delivery with every attempt.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The delivery's id (see 'treu messages list').")
        var id: Int64

        func run() async throws {
            try await withEnvironment(common) { environment in
                guard let (row, attempts) = try await environment.store.delivery(id: id) else {
                    throw ValidationError(message: "no delivery has the id \(id)")
                }
                print("delivery \(row.id): \(row.type.rawValue) to \(row.endpoint.uuidString.lowercased()), \(row.status.rawValue) after \(row.attempts) attempts; webhook-id \(row.notice.uuidString.lowercased())")
                for attempt in attempts {
                    let answer = attempt.status.map { "answered \($0)" } ?? "no answer"
                    print("  \(attempt.number). \(Timestamp.format(attempt.at))  \(attempt.milliseconds) ms  \(answer)\(attempt.error.map { ": \($0)" } ?? "")")
                }
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a delivery again (same webhook-id), with a fresh count of attempts.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The delivery's id (see 'treu messages list --status dead').")
        var id: Int64

        func run() async throws {
            try await withEnvironment(common) { environment in
                guard try await environment.store.replayDelivery(id: id, at: environment.clock.now()) else {
                    throw ValidationError(message: "no delivery has the id \(id)")
                }
                print("delivery \(id) is due again; a running server sends it within a second")
            }
        }
    }
}
