import Foundation
import TreuStore

/// Group commit for single events: requests that arrive while a transaction is being written
/// wait for the next one and are written together, up to `limit` at a time, each with its own
/// outcome. A database has one writer (SQLite) or pays a flush per commit (PostgreSQL), so under
/// load many small transactions cost more than a few larger ones; alone, an event is written at
/// once. Events of one group are recorded in arrival order, as a batch is.
///
/// Two groups are in flight at a time: while one is written, the next is prepared (the program
/// looked up, the events turned into drafts) and queued behind it on the store's writer, so the
/// writer does not wait for the preparation. Events in different groups came concurrently; the
/// store writes them one transaction after the other, in either order.
actor EventGroupCommit {
    private let service: EventService
    private let limit: Int
    private let groupsInFlight: Int
    private var waiting: [(event: IncomingEvent, fingerprint: String, reply: CheckedContinuation<EventOutcome, any Error>)] = []
    private var inFlight = 0

    init(service: EventService, limit: Int = 256, groupsInFlight: Int = 2) {
        self.service = service
        self.limit = limit
        self.groupsInFlight = groupsInFlight
    }

    func record(_ event: IncomingEvent, fingerprint: String) async throws -> EventOutcome {
        try await withCheckedThrowingContinuation { reply in
            waiting.append((event, fingerprint, reply))
            startGroups()
        }
    }

    private func startGroups() {
        while inFlight < groupsInFlight, !waiting.isEmpty {
            let group = Array(waiting.prefix(limit))
            waiting.removeFirst(group.count)
            inFlight += 1
            Task { await write(group) }
        }
    }

    private func write(_ group: [(event: IncomingEvent, fingerprint: String, reply: CheckedContinuation<EventOutcome, any Error>)]) async {
        do {
            let outcomes = try await service.record(group.map { ($0.event, $0.fingerprint) })
            for (member, outcome) in zip(group, outcomes) { member.reply.resume(returning: outcome) }
        } catch {
            // A storage failure fails the transaction, and so every event in it: none was written.
            for member in group { member.reply.resume(throwing: error) }
        }
        inFlight -= 1
        startGroups()
    }
}
