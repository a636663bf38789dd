import ArgumentParser
import Foundation
import TreuCore
import TreuServer
import TreuStore

/// `treu messages`: what the outbox holds and what became of it: webhook deliveries, and with
/// `--emails` the messages to members; the dead or failed ones, and a replay.
struct Messages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the outbox's webhook deliveries (pending, delivered, dead) or emails (--emails), show and replay one.",
        subcommands: [List.self, Show.self, Replay.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts, then the newest deliveries or emails (all, or of one status).")
        @OptionGroup var common: CommonOptions
        @Option(name: .long, help: "Deliveries: pending, delivered or dead. Emails: pending, sent, failed or skipped.")
        var status: String?
        @Option(name: .long, help: "How many to list (1 to 1000).")
        var limit: Int = 50
        @Flag(name: .long, help: "List the emails to members instead of the webhook deliveries.")
        var emails = false

        func run() async throws {
            if emails { return try await listEmails() }
            let wanted = try status.map { text in
                guard let value = DeliveryStatus(rawValue: text) else { throw ValidationError(message: "--status is pending, delivered or dead, not '\(text)'") }
                return value
            }
            guard (1...1_000).contains(limit) else { throw ValidationError(message: "--limit is from 1 to 1000") }
            try await withEnvironment(common) { environment in
                let counts = try await environment.store.outboxCounts()
                print("outbox: \(counts.pending) pending, \(counts.delivered) delivered, \(counts.dead) dead")
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
        static let configuration = CommandConfiguration(abstract: "One delivery with every attempt, or one email.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "A delivery's number or an email's id (see 'treu messages list [--emails]').")
        var id: String

        func run() async throws {
            let target = try Target(id)
            try await withEnvironment(common) { environment in
                guard case .delivery(let id) = target else {
                    guard case .email(let id) = target, let m = try await environment.store.message(id: id) else {
                        throw ValidationError(message: "no email has the id \(self.id)")
                    }
                    print("email \(m.id.uuidString.lowercased()): \(m.kind.rawValue) to \(m.recipient ?? "nobody") (\(m.locale.rawValue)\(m.marketing ? ", marketing" : "")), \(m.status.rawValue) after \(m.attempts) attempts")
                    if let subject = m.subject { print("  subject: \(subject.escapingControlCharacters)") }
                    if let reason = m.reason { print("  reason: \(reason)") }
                    if let error = m.lastError { print("  last error: \(error.escapingControlCharacters)") }
                    if let sent = m.sentAt { print("  sent at \(Timestamp.format(sent))") }
                    return
                }
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
        static let configuration = CommandConfiguration(abstract: "Send a delivery (same webhook-id) or a failed email again, with a fresh count of attempts.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "A delivery's number or an email's id (see 'treu messages list --status dead', 'treu messages list --emails --status failed').")
        var id: String

        func run() async throws {
            let target = try Target(id)
            try await withEnvironment(common) { environment in
                guard case .delivery(let id) = target else {
                    guard case .email(let id) = target, try await environment.store.replayMessage(id: id, at: environment.clock.now()) else {
                        throw ValidationError(message: "no email has the id \(self.id)")
                    }
                    print("email \(id.uuidString.lowercased()) is due again; a running server sends it within a second")
                    return
                }
                guard try await environment.store.replayDelivery(id: id, at: environment.clock.now()) else {
                    throw ValidationError(message: "no delivery has the id \(id)")
                }
                print("delivery \(id) is due again; a running server sends it within a second")
            }
        }
    }

    /// What `show` and `replay` name: a delivery by its number, an email by its id.
    enum Target {
        case delivery(Int64)
        case email(UUID)

        init(_ text: String) throws {
            if let number = Int64(text), number > 0 { self = .delivery(number) }
            else if let id = UUID(uuidString: text) { self = .email(id) }
            else { throw ValidationError(message: "'\(text)' is neither a delivery's number nor an email's id") }
        }
    }
}

extension Messages.List {
    func listEmails() async throws {
        let wanted = try status.map { text in
            guard let value = MessageStatus(rawValue: text) else {
                throw ValidationError(message: "--status is pending, sent, failed or skipped for emails, not '\(text)'")
            }
            return value
        }
        guard (1...1_000).contains(limit) else { throw ValidationError(message: "--limit is from 1 to 1000") }
        try await withEnvironment(common) { environment in
            let rows = try await environment.store.messages(member: nil, status: wanted, before: nil, limit: limit)
            print("emails: \(rows.count) listed\(wanted.map { " (\($0.rawValue))" } ?? "")")
            guard !rows.isEmpty else { return }
            print("id                                    status   kind               to                              why")
            for m in rows {
                let why = [m.reason, m.lastError].compactMap { $0 }.joined(separator: ": ")
                print("\(m.id.uuidString.lowercased())  \(m.status.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(m.kind.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0))  \((m.recipient ?? "-").padding(toLength: 30, withPad: " ", startingAt: 0))  \(why.escapingControlCharacters)")
            }
        }
    }
}
