import Dispatch

/// Work that computes for long (a model fit over the whole shop, a report's tables) runs on
/// Dispatch's threads, not on the few cooperative threads every request needs: a refit never
/// keeps another request waiting for a thread.
enum ComputeThreads {
    static func run<T: Sendable>(_ work: @Sendable @escaping () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
