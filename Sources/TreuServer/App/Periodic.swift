import Logging
import ServiceLifecycle

/// The loop of Treu's timed services: `work` now, then again every `interval`, until the
/// application shuts down (the sleep is cancelled: that is the way out, not an error). An error
/// is logged as a warning with `failure`, and the next round tries again.
func repeatUntilShutdown(every interval: Duration, logger: Logger, failure: String,
                         _ work: @escaping @Sendable () async throws -> Void) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await work()
            } catch {
                logger.warning("\(failure)", metadata: ["error": "\(error)"])
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
