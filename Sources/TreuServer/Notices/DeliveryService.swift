import Foundation
import Logging
import ServiceLifecycle
import TreuCore
import TreuDelivery
import TreuStore

/// Sends what the outbox holds (deliveries written with the notices that cause them): claims the due ones (a
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
    /// Deliveries out at once.
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

    /// What the service's task group hears: an attempt's answer, or that it is time to look again.
    enum Step: Sendable {
        case answered(DueDelivery, DeliveryAttempt, DeliveryOutcome)
        case tick
    }

    /// Keeps up to `batch` deliveries out at once, claiming more as answers come: a receiver that
    /// is slow (up to the timeout) holds only its own deliveries, never a round of everyone's.
    /// Answers are recorded in batches (half a batch, or whatever came by the next tick).
    public func run() async throws {
        // The sender (its HTTP client) lives as long as the service, and is shut down with it.
        let sender = WebhookSender(timeout: .milliseconds(Int64(policy.timeout * 1000)), allowPrivate: allowPrivate,
                                   userAgent: "Treu-Webhooks/\(TreuVersion.current)", connectionsPerHost: Self.batch)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Step.self) { group in
                var out = 0
                var answered: [(DueDelivery, DeliveryAttempt, DeliveryOutcome)] = []
                var lastRefresh = ContinuousClock.now - .seconds(10)
                var ticking = true
                group.addTask { .tick }
                while let step = await group.next() {
                    switch step {
                    case .answered(let delivery, let attempt, let outcome):
                        answered.append((delivery, attempt, outcome))
                        out -= 1
                        if answered.count < Self.batch / 2 && out > 0 { continue }
                    case .tick:
                        ticking = false
                    }
                    await record(answered)
                    answered = []
                    if Task.isCancelled { continue }
                    var claimed = 0
                    do {
                        if ContinuousClock.now - lastRefresh >= .seconds(1) {
                            try await board.refresh()
                            lastRefresh = .now
                        }
                        // No enabled endpoint: nothing to claim (a change writes no delivery then).
                        if out < Self.batch && !board.interest.isEmpty {
                            let due = try await store.claimDeliveries(at: clock.now(), lease: policy.lease, limit: Self.batch - out)
                            for delivery in due {
                                group.addTask { await send(delivery, with: sender) }
                            }
                            claimed = due.count
                            out += claimed
                        }
                    } catch {
                        logger.warning("could not deliver notices", metadata: ["error": "\(error)"])
                    }
                    if !ticking {
                        // Soon while deliveries are out (their answers are recorded by then), later when idle.
                        let wait = out == 0 && claimed == 0 ? idle : .milliseconds(50)
                        ticking = true
                        group.addTask {
                            try? await Task.sleep(for: wait)
                            return .tick
                        }
                    }
                }
                await record(answered)
            }
        }
        try? await sender.shutdown()
    }

    /// One transaction for the answers that came together.
    private func record(_ answered: [(DueDelivery, DeliveryAttempt, DeliveryOutcome)]) async {
        guard !answered.isEmpty else { return }
        do {
            try await store.finishDeliveries(answered.map { ($0.1, $0.2) })
        } catch {
            // Not recorded: the leases run out and the deliveries go again (a receiver drops the twins by their ids).
            logger.warning("could not record deliveries", metadata: ["deliveries": "\(answered.count)", "error": "\(error)"])
        }
        for (delivery, attempt, outcome) in answered where outcome == .dead {
            logger.warning("webhook delivery dead", metadata: ["delivery": "\(delivery.id)", "endpoint": "\(delivery.endpoint)",
                                                               "error": "\(attempt.error ?? "")"])
        }
    }

    private func send(_ delivery: DueDelivery, with sender: WebhookSender) async -> Step {
        let at = clock.now()
        let answer = await sender.send(WebhookMessage(url: delivery.url, id: delivery.notice.id.uuidString.lowercased(), timestamp: at,
                                                      body: delivery.notice.body, secrets: delivery.secrets))
        let outcome = policy.outcome(of: delivery, delivered: answer.delivered, at: clock.now(), jitter: jitter())
        let attempt = DeliveryAttempt(delivery: delivery.id, number: delivery.attempt, at: at, milliseconds: answer.milliseconds,
                                      status: answer.status, error: answer.error, response: answer.body)
        return .answered(delivery, attempt, outcome)
    }
}
