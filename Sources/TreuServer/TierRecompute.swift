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
        let summary = Mutex(Summary())
        summary.withLock { $0.recounted = recount }
        let apply: @Sendable (UUID, [String: Int]) -> [String: Int]? = { member, current in
            var next = current
            if recount {
                next = next.filter { !$0.key.hasPrefix(QualifyingCounters.prefix) }
                next.merge(counted[member] ?? [:]) { $1 }
            }
            let change = program.recordTier(at: now, counters: &next)
            let rank = next[Program.recordedTierKey] ?? 0
            summary.withLock { s in
                s.members += 1
                if let change { if change.isUpgrade { s.upgrades += 1 } else { s.downgrades += 1 } }
                s.levels[rank > 0 && rank <= tiers.levels.count ? tiers.levels[rank - 1].name : "none", default: 0] += 1
            }
            return next
        }
        var seen = Set<UUID>()
        var after: UUID?
        var changed = 0
        while true {
            let page = try await store.counters(after: after, limit: 2_000)
            guard let last = page.last else { break }
            let members = page.map(\.member)
            if recount { seen.formUnion(members) }
            changed += try await store.changeCounters(of: members, apply)
            progress(summary.withLock { $0.members })
            after = last.member
        }
        // Members with history but no points account yet (their orders earned nothing).
        let rest = counted.keys.filter { !seen.contains($0) }.sorted { $0.uuidString < $1.uuidString }
        for start in stride(from: 0, to: rest.count, by: 2_000) {
            changed += try await store.changeCounters(of: Array(rest[start..<min(start + 2_000, rest.count)]), apply)
        }
        return summary.withLock { s in
            s.changed = changed
            return s
        }
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
