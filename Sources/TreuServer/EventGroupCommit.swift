import Foundation
import TreuStore

/// Group commit for single events: requests that arrive while a transaction is being written
/// wait for the next one and are written together, up to `limit` at a time, each with its own
/// outcome. A database has one writer (SQLite) or pays a flush per commit (PostgreSQL), so under
/// load many small transactions cost more than a few larger ones; alone, an event is written at
/// once. Events of one group are recorded in arrival order, as a batch is.
actor EventGroupCommit {
    private let service: EventService
    private let limit: Int
    private var waiting: [(event: IncomingEvent, fingerprint: String, reply: CheckedContinuation<EventOutcome, any Error>)] = []
    private var writing = false

    init(service: EventService, limit: Int = 256) {
        self.service = service
        self.limit = limit
    }

    func record(_ event: IncomingEvent, fingerprint: String) async throws -> EventOutcome {
        try await withCheckedThrowingContinuation { reply in
            waiting.append((event, fingerprint, reply))
            if !writing {
                writing = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let group = Array(waiting.prefix(limit))
            waiting.removeFirst(group.count)
            do {
                let outcomes = try await service.record(group.map { ($0.event, $0.fingerprint) })
                for (member, outcome) in zip(group, outcomes) { member.reply.resume(returning: outcome) }
            } catch {
                // A storage failure fails the transaction, and so every event in it: none was written.
                for member in group { member.reply.resume(throwing: error) }
            }
        }
        writing = false
    }
}
