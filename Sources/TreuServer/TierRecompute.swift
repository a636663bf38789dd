import Foundation
import Synchronization
import TreuCore
import TreuStore

/// `treu tiers recompute`: every member's level recorded anew under the tiers of the program in
/// force (after a change of definitions), and with `recount` their qualifying counters rebuilt
/// from their history first (history recorded before Treu kept counters, or a rolling window
/// added to a running program, which needs monthly counters). Members are changed 2,000 a
/// transaction, each under its lock, so events may keep coming meanwhile.
public struct TierRecompute: Sendable {
    let store: any Store
    let programs: ProgramService

    public init(store: any Store, programs: ProgramService) {
        self.store = store
        self.programs = programs
    }

    public struct Summary: Sendable, Equatable {
        /// Members looked at, and those whose counters changed.
        public var members = 0
        public var changed = 0
        public var upgrades = 0
        public var downgrades = 0
        /// Members per level after the run (`none` below the first).
        public var levels: [String: Int] = [:]
        public var recounted = false
    }

    /// - Throws: `Problem` `no_tiers` when the program in force has no tiers.
    public func run(at now: Date, recount: Bool, progress: @Sendable (Int) -> Void = { _ in }) async throws -> Summary {
        let version = try await programs.book().version(at: now)
        let program = version.program
        guard let tiers = program.tiers else {
            throw Problem(.notFound, code: "no_tiers", detail: "the program in force (version \(version.number)) has no tiers")
        }
        let counted = recount ? try await count(program) : [:]
        // Each member's change and level in the transaction at hand, by member: one tried again
        // (PostgreSQL, after a deadlock with an event) writes over what its first try said
        // instead of counting twice. Added to the summary after each transaction.
        let outcomes = Outcomes()
        let apply: @Sendable (UUID, [String: Int]) -> [String: Int]? = { member, current in
            var next = current
            if recount {
                next = next.filter { !$0.key.hasPrefix(QualifyingCounters.prefix) }
                next.merge(counted[member] ?? [:]) { $1 }
            }
            let change = program.recordTier(at: now, counters: &next)
            outcomes.record(member, change, rank: next[Program.recordedTierKey] ?? 0)
            return next
        }
        var summary = Summary()
        summary.recounted = recount
        func write(_ members: [UUID]) async throws {
            summary.changed += try await store.changeCounters(of: members, apply)
            for outcome in outcomes.take() {
                summary.members += 1
                if let tier = outcome.change { if tier.isUpgrade { summary.upgrades += 1 } else { summary.downgrades += 1 } }
                summary.levels[tiers.name(rank: outcome.rank) ?? "none", default: 0] += 1
            }
            progress(summary.members)
        }
        var seen = Set<UUID>()
        var after: UUID?
        while true {
            // Only the ids: the counters are read where they change, under the members' locks.
            let members = try await store.pointAccounts(after: after, limit: 2_000).map(\.member)
            guard let last = members.last else { break }
            if recount { seen.formUnion(members) }
            try await write(members)
            after = last
        }
        // Members with history but no points account yet (their orders earned nothing).
        let rest = counted.keys.filter { !seen.contains($0) }.sorted { $0.uuidString < $1.uuidString }
        for start in stride(from: 0, to: rest.count, by: 2_000) {
            try await write(Array(rest[start..<min(start + 2_000, rest.count)]))
        }
        return summary
    }

    /// Every member's qualifying counters from their orders and returns (spend, orders) and
    /// their ledger (points), as the events would have kept them.
    func count(_ program: Program) async throws -> [UUID: [String: Int]] {
        let log = try await PurchaseLog.read(store)
        let monthly = program.tiers?.monthly ?? false
        var counters: [UUID: [String: Int]] = [:]
        for metric in TierProgram.Metric.allCases {
            for (member, activity) in try await QualifyingHistory.everyone(log, metric: metric, store: store) {
                for a in activity {
                    QualifyingCounters.add(spend: metric == .spend ? a.amount : 0, orders: metric == .orders ? a.amount : 0,
                                           points: metric == .points ? a.amount : 0, at: a.at, orderAt: a.orderAt,
                                           timeZone: program.timeZone, monthly: monthly, to: &counters[member, default: [:]])
                }
            }
        }
        return counters
    }
}

/// Each member's tier change and level in the transaction at hand.
private final class Outcomes: Sendable {
    private let byMember = Mutex<[UUID: (change: TierChange?, rank: Int)]>([:])

    func record(_ member: UUID, _ change: TierChange?, rank: Int) { byMember.withLock { $0[member] = (change, rank) } }

    /// What was recorded since the last take, emptied.
    func take() -> [(change: TierChange?, rank: Int)] {
        byMember.withLock { page in
            defer { page.removeAll() }
            return Array(page.values)
        }
    }
}
