import Foundation
import TreuStore

/// How deliveries are retried: after the n-th failed attempt the next comes `first × 3^(n-1)`
/// later (10 s, 30 s, 90 s, … by default), at most `longest` (6 hours), each delay moved by up to
/// a fifth either way (jitter, so that a receiver coming back is not hit by every retry at
/// once); after `maxAttempts` failures the delivery is dead until an admin replays it.
public struct DeliveryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var first: TimeInterval
    public var longest: TimeInterval
    /// How long one attempt may take (connect, send, answer).
    public var timeout: TimeInterval

    public init(maxAttempts: Int = 8, first: TimeInterval = 10, longest: TimeInterval = 6 * 3600, timeout: TimeInterval = 10) {
        self.maxAttempts = maxAttempts
        self.first = first
        self.longest = longest
        self.timeout = timeout
    }

    /// How long a claimed delivery stays with its sender: a batch of attempts, each within the
    /// timeout, and the write of what they got. A sender that dies leaves its rows due after it.
    public var lease: TimeInterval { timeout * 2 + 5 }

    /// The delay after the `failures`-th failure since the last replay, with `jitter` in [0, 1).
    public func delay(afterFailures failures: Int, jitter: Double) -> TimeInterval {
        let exponent = Double(max(0, failures - 1))
        let base = min(first * pow(3, exponent), longest)
        return base * (0.8 + 0.4 * min(max(jitter, 0), 1))
    }

    /// What follows an attempt that got `answer`.
    public func outcome(of delivery: DueDelivery, delivered: Bool, at now: Date, jitter: Double) -> DeliveryOutcome {
        if delivered { return .delivered }
        let failures = delivery.attempt - delivery.replayedAfter
        guard failures < maxAttempts else { return .dead }
        return .retry(at: now.addingTimeInterval(delay(afterFailures: failures, jitter: jitter)))
    }
}
