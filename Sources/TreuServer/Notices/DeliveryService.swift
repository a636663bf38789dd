import Foundation
import Logging
import ServiceLifecycle
import TreuCore
import TreuDelivery
import TreuStore

/// Sends what the outbox holds: fans new notices out into deliveries, claims the due ones (a
/// lease: PostgreSQL's `SKIP LOCKED` keeps two servers off one row), sends each signed, and
/// records every attempt with what follows (delivered, a retry later, dead). At least once: a
/// server killed mid-send leaves its claimed rows due again when their lease ends, under the
/// same `webhook-id`.
public struct DeliveryService: Service {
    let store: any WebhookStore
    let board: NoticeBoard
    let clock: TreuClock
    let policy: DeliveryPolicy
    let allowPrivate: Bool
    let logger: Logger
    /// Between rounds that found nothing to do.
    let idle: Duration
    let jitter: @Sendable () -> Double
    /// Deliveries claimed (and sent at once) per round.
    static let batch = 64

    public init(store: any WebhookStore, board: NoticeBoard, clock: TreuClock, policy: DeliveryPolicy, allowPrivate: Bool, logger: Logger,
                idle: Duration = .milliseconds(250), jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.store = store
        self.board = board
        self.clock = clock
        self.policy = policy
        self.allowPrivate = allowPrivate
        self.logger = logger
        self.idle = idle
        self.jitter = jitter
    }

    public func run() async throws {
        // The sender (its HTTP client) lives as long as the service, and is shut down with it.
        let sender = WebhookSender(timeout: .milliseconds(Int64(policy.timeout * 1000)), allowPrivate: allowPrivate,
                                   userAgent: "Treu-Webhooks/\(TreuVersion.current)", connectionsPerHost: Self.batch)
        await cancelWhenGracefulShutdown {
            var lastRefresh = ContinuousClock.now - .seconds(10)
            while !Task.isCancelled {
                var sent = 0
                do {
                    if ContinuousClock.now - lastRefresh >= .seconds(1) {
                        try await board.refresh()
                        lastRefresh = .now
                    }
                    // No enabled endpoint: nothing to fan out or claim (a change writes no notice then).
                    if !board.interest.isEmpty { sent = try await runOnce(sender: sender) }
                } catch {
                    logger.warning("could not deliver notices", metadata: ["error": "\(error)"])
                }
                if sent == 0 {
                    do { try await Task.sleep(for: idle) } catch { break }
                }
            }
        }
        try? await sender.shutdown()
    }

    /// One round: fans out what is new, then sends one batch of what is due. - Returns: the deliveries attempted.
    @discardableResult
    func runOnce(sender: WebhookSender) async throws -> Int {
        while try await store.fanOutNotices(at: clock.now(), limit: 500) == 500 {}
        let due = try await store.claimDeliveries(at: clock.now(), lease: policy.lease, limit: Self.batch)
        guard !due.isEmpty else { return 0 }
        let results = await withTaskGroup(of: (DueDelivery, DeliveryAttempt, DeliveryOutcome).self) { group in
            for delivery in due {
                group.addTask { await send(delivery, with: sender) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        do {
            // One transaction for the round's answers.
            try await store.finishDeliveries(results.map { ($0.1, $0.2) })
        } catch {
            // Not recorded: the leases run out and the deliveries go again (a receiver drops the twins by their ids).
            logger.warning("could not record deliveries", metadata: ["deliveries": "\(results.count)", "error": "\(error)"])
        }
        for (delivery, attempt, outcome) in results where outcome == .dead {
            logger.warning("webhook delivery dead", metadata: ["delivery": "\(delivery.id)", "endpoint": "\(delivery.endpoint)",
                                                               "error": "\(attempt.error ?? "")"])
        }
        return due.count
    }

    private func send(_ delivery: DueDelivery, with sender: WebhookSender) async -> (DueDelivery, DeliveryAttempt, DeliveryOutcome) {
        let at = clock.now()
        let answer = await sender.send(WebhookMessage(url: delivery.url, id: delivery.notice.id.uuidString.lowercased(), timestamp: at,
                                                      body: delivery.notice.body, secrets: delivery.secrets))
        let outcome = policy.outcome(of: delivery, delivered: answer.delivered, at: clock.now(), jitter: jitter())
        let attempt = DeliveryAttempt(delivery: delivery.id, number: delivery.attempt, at: at, milliseconds: answer.milliseconds,
                                      status: answer.status, error: answer.error, response: answer.body)
        return (delivery, attempt, outcome)
    }
}
