import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TreuCore
import TreuDelivery
import TreuMessages
import TreuStore

/// Turns the outbox's notices into messages and sends them: decides each waiting notice once
/// (`MessageComposer`), then sends the pending messages over SMTP on a few connections at the
/// configured rate, retrying transient failures like webhooks (growing delays, a limit) and
/// recording every outcome; a failed message tells `message.failed` to the endpoints that want it.
/// Without SMTP configured, messages fail at once with `smtp_not_configured`, kept for a replay.
public struct MessageService: Service {
    let store: any Store
    let programs: ProgramService
    let board: NoticeBoard
    let composer: MessageComposer
    let mail: MailConfiguration?
    let clock: TreuClock
    let policy: DeliveryPolicy
    let logger: Logger
    let idle: Duration
    let jitter: @Sendable () -> Double
    /// Messages claimed per connection and round.
    static let batch = 32

    public init(environment: TreuEnvironment, idle: Duration = .milliseconds(500),
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        store = environment.store
        programs = environment.programs
        board = environment.notices
        composer = environment.composer
        mail = environment.configuration.mail
        clock = environment.clock
        policy = environment.configuration.delivery
        logger = environment.logger
        self.idle = idle
        self.jitter = jitter
    }

    public func run() async throws {
        let rate = RateLimiter(perSecond: mail?.ratePerSecond ?? 1000)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await loop("could not decide on messages") { try await decideOnce() } }
                if let mail {
                    for _ in 0..<mail.connections {
                        group.addTask { await loop("could not send email") { try await sendOnce(mail, rate: rate) } }
                    }
                } else {
                    group.addTask { await loop("could not record undeliverable email") { try await failUnconfigured() } }
                }
            }
        }
    }

    /// Runs `work` until cancelled, resting `idle` after a round that found nothing.
    private func loop(_ failure: String, _ work: () async throws -> Int) async {
        while !Task.isCancelled {
            var done = 0
            do { done = try await work() } catch {
                logger.warning("\(failure)", metadata: ["error": "\(error)"])
            }
            if done == 0 {
                do { try await Task.sleep(for: idle) } catch { return }
            }
        }
    }

    /// Decides up to a batch of waiting notices. - Returns: the notices decided.
    @discardableResult
    func decideOnce() async throws -> Int {
        let waiting = try await store.noticesForMessages(limit: 200)
        guard !waiting.isEmpty else { return 0 }
        let now = clock.now()
        let program = try await programs.book().version(at: now).program
        let messages = waiting.compactMap { composer.compose($0, program: program, at: now) }
        try await store.addMessages(messages, deciding: waiting.map(\.seq))
        return waiting.count
    }

    /// Claims due messages and sends them on one connection while there are more. - Returns: the messages attempted.
    @discardableResult
    func sendOnce(_ mail: MailConfiguration, rate: RateLimiter) async throws -> Int {
        var due = try await store.claimMessages(at: clock.now(), lease: lease(mail), limit: Self.batch)
        guard !due.isEmpty else { return 0 }
        var attempted = 0
        do {
            try await SMTPConnection.with(mail.smtp) { connection in
                while !due.isEmpty {
                    var results: [(id: UUID, attempt: Int, outcome: MessageOutcome)] = []
                    var failures: [Notice] = []
                    defer { attempted += results.count }
                    for (index, message) in due.enumerated() {
                        try await rate.wait()
                        do {
                            try await connection.send(mailMessage(message, mail: mail))
                            results.append((message.id, message.attempt, .sent))
                        } catch let error as SMTPError where error.code != nil {
                            // Refused (4xx or 5xx): the session goes on with the next one.
                            results.append(record(message, error, failures: &failures))
                        } catch {
                            // The connection is gone: this one and the rest of the batch go again later.
                            let broken = error as? SMTPError ?? SMTPError("\(error)", transient: true)
                            for rest in due[index...] { results.append(record(rest, broken, failures: &failures)) }
                            try await store.finishMessages(results, at: clock.now(), notices: failures)
                            throw broken
                        }
                    }
                    try await store.finishMessages(results, at: clock.now(), notices: failures)
                    due = try await store.claimMessages(at: clock.now(), lease: lease(mail), limit: Self.batch)
                }
            }
        } catch let error as SMTPError where error.code == nil && attempted == 0 {
            // Could not connect or greet: the whole batch goes again later.
            var failures: [Notice] = []
            let results = due.map { record($0, error, failures: &failures) }
            try await store.finishMessages(results, at: clock.now(), notices: failures)
            logger.warning("could not reach the SMTP server", metadata: ["smtp": "\(mail.smtp.redacted)", "error": "\(error)"])
            return results.count
        }
        return attempted
    }

    /// Without SMTP: every pending message fails at once, with why (a replay sends it once SMTP is set).
    func failUnconfigured() async throws -> Int {
        let due = try await store.claimMessages(at: clock.now(), lease: 60, limit: 200)
        guard !due.isEmpty else { return 0 }
        let error = "no SMTP server is configured (set TREU_SMTP_URL and TREU_SMTP_FROM)"
        var failures: [Notice] = []
        let results = due.map { message in
            failures += failed(message, reason: MessageComposer.Reason.smtpNotConfigured, error: error)
            return (id: message.id, attempt: message.attempt, outcome: MessageOutcome.failed(reason: MessageComposer.Reason.smtpNotConfigured, error: error))
        }
        try await store.finishMessages(results, at: clock.now(), notices: failures)
        return due.count
    }

    /// What follows a failed attempt: a retry later, or failed for good (refused, or tried as often as allowed).
    private func record(_ message: DueMessage, _ error: SMTPError, failures: inout [Notice]) -> (id: UUID, attempt: Int, outcome: MessageOutcome) {
        let tries = message.attempt - message.replayedAfter
        if error.transient, tries < policy.maxAttempts {
            let next = clock.now().addingTimeInterval(policy.delay(afterFailures: tries, jitter: jitter()))
            return (message.id, message.attempt, .retry(at: next, error: error.description))
        }
        let reason = error.transient ? MessageComposer.Reason.gaveUp : MessageComposer.Reason.refused
        failures += failed(message, reason: reason, error: error.description)
        logger.warning("email failed", metadata: ["message": "\(message.id)", "reason": "\(reason)", "error": "\(error)"])
        return (message.id, message.attempt, .failed(reason: reason, error: error.description))
    }

    /// message.failed, if an endpoint wants it.
    private func failed(_ message: DueMessage, reason: String, error: String) -> [Notice] {
        guard board.webhookInterest.wants(.messageFailed) else { return [] }
        return [Notice(id: board.ids.next(), type: .messageFailed, occurredAt: clock.now(), member: message.member,
                       fields: MessageFailedFields(message, reason: reason, error: error))]
    }

    func mailMessage(_ message: DueMessage, mail: MailConfiguration) -> MailMessage {
        let unsubscribe = message.marketing ? message.unsubscribeToken.map(composer.unsubscribeURL) : nil
        return MailMessage(from: mail.from, to: MailAddress(address: message.recipient), subject: message.subject, text: message.text,
                           html: message.html, messageID: "\(message.id.uuidString.lowercased())@\(mail.from.domain)", date: clock.now(),
                           unsubscribeURL: unsubscribe)
    }

    /// A batch at the configured rate, each reply within the timeout, and the writes after.
    private func lease(_ mail: MailConfiguration) -> TimeInterval {
        Double(Self.batch) / mail.ratePerSecond + Double(mail.smtp.timeout.components.seconds) * 3 + 5
    }
}

/// The fields of message.failed.
struct MessageFailedFields: Encodable {
    var messageID: String
    var kind: String
    var channel: String
    var recipient: String
    var reason: String
    var error: String
    enum CodingKeys: String, CodingKey {
        case kind, channel, recipient, reason, error
        case messageID = "message_id"
    }
    init(_ message: DueMessage, reason: String, error: String) {
        messageID = message.id.uuidString.lowercased()
        kind = message.kind.rawValue
        channel = MessageChannel.email.rawValue
        recipient = message.recipient
        self.reason = reason
        self.error = error
    }
}

/// At most `perSecond` sends, spread evenly, shared by a server's connections.
final class RateLimiter: Sendable {
    private let interval: Duration
    private let next = Mutex(ContinuousClock.now)

    init(perSecond: Double) {
        interval = .nanoseconds(Int64(1_000_000_000 / max(perSecond, 0.001)))
    }

    func wait() async throws {
        let slot = next.withLock { next in
            let now = ContinuousClock.now
            let slot = max(next, now)
            next = slot + interval
            return slot
        }
        if slot > .now { try await Task.sleep(until: slot, clock: .continuous) }
    }
}
