import Foundation
import Synchronization
import TreuCore
import TreuStore

/// `treu tiers recompute`: every member's level recorded anew under the tiers of the program in
/// force (after a change of definitions), and with `recount` their qualifying counters rebuilt
/// from their history first (history recorded before Treu kept counters, or a rolling window
/// added to a running program, which needs monthly counters). Levels are computed from pages of
/// counters read outside any write; a page's changes are written in one transaction where the
/// counters are still as read, and a member an event changed meanwhile is done again under their
/// lock, so events may keep coming meanwhile.
public struct TierRecompute: Sendable {
    let store: any Store
    let programs: ProgramService
    /// Who hears of a member's tier changing (`tier.changed`, written with the counters).
    let notices: NoticeBoard

    public init(store: any Store, programs: ProgramService, notices: NoticeBoard = .silent) {
        self.store = store
        self.programs = programs
        self.notices = notices
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

        /// One member looked at: `changed` 1 when their counters were written, their tier's change, their level.
        mutating func add(_ changed: Int, _ change: TierChange?, level: String?) {
            members += 1
            self.changed += changed
            if let change { if change.isUpgrade { upgrades += 1 } else { downgrades += 1 } }
            levels[level ?? "none", default: 0] += 1
        }
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
        let revise: @Sendable (UUID, [String: Int]) -> (counters: [String: Int], change: TierChange?) = { member, current in
            var next = current
            if recount {
                next = next.filter { !$0.key.hasPrefix(QualifyingCounters.prefix) }
                next.merge(counted[member] ?? [:]) { $1 }
            }
            let change = program.recordTier(at: now, counters: &next)
            return (next, change)
        }
        let board = notices
        let told: @Sendable (UUID, TierChange?) -> [Notice] = { member, change in
            change.map { board.notices(.tierChanged, member: member, at: now, TierNoticeFields($0, event: nil)) } ?? []
        }
        let apply: @Sendable (UUID, [String: Int]) -> CounterChange? = { member, current in
            let revised = revise(member, current)
            outcomes.record(member, revised.change, rank: revised.counters[Program.recordedTierKey] ?? 0)
            return CounterChange(revised.counters, notices: told(member, revised.change))
        }
        var summary = Summary()
        summary.recounted = recount
        func write(_ members: [UUID]) async throws {
            summary.changed += try await store.changeCounters(of: members, apply)
            for outcome in outcomes.take() { summary.add(0, outcome.change, level: tiers.name(rank: outcome.rank)) }
            progress(summary.members)
        }
        // Pages of members are read and their levels computed outside any write transaction (the
        // next page read while this one is computed, on every core); the changed counters are
        // written where they still are as read, and the members an event changed meanwhile go
        // through `changeCounters`, which reads them again under their locks.
        var seen = Set<UUID>()
        var next = Task { try await store.counters(after: nil, limit: Self.page) }
        while true {
            let page = try await next.value
            guard let last = page.last else { break }
            next = Task { try await store.counters(after: last.member, limit: Self.page) }
            if recount { seen.formUnion(page.map(\.member)) }
            let looks = await Self.look(at: page, revise)
            // Written where nobody changed them since the read; the others again under their locks.
            let changes = looks.filter { $0.new != $0.old }
            let noticed = Dictionary(uniqueKeysWithValues: changes.map { ($0.member, told($0.member, $0.change)) })
            let moved = Set(try await store.replaceCounters(changes.map { ($0.member, $0.old, $0.new) }, notices: noticed))
            for look in looks where !moved.contains(look.member) {
                summary.add(look.new != look.old ? 1 : 0, look.change, level: tiers.name(rank: look.new[Program.recordedTierKey] ?? 0))
            }
            let again = Array(moved)
            for start in stride(from: 0, to: again.count, by: 2_000) {
                try await write(Array(again[start..<min(start + 2_000, again.count)]))
            }
            progress(summary.members)
        }
        // Members with history but no points account yet (their orders earned nothing).
        let rest = counted.keys.filter { !seen.contains($0) }.sorted { $0.uuidString < $1.uuidString }
        for start in stride(from: 0, to: rest.count, by: 2_000) {
            try await write(Array(rest[start..<min(start + 2_000, rest.count)]))
        }
        return summary
    }

    static let page = 5_000

    /// Each member of `page`: their counters as read and as revised, and their tier's change.
    /// Computed on every core.
    static func look(at page: [(member: UUID, counters: [String: Int])],
                     _ revise: @escaping @Sendable (UUID, [String: Int]) -> (counters: [String: Int], change: TierChange?))
        async -> [(member: UUID, old: [String: Int], new: [String: Int], change: TierChange?)] {
        typealias Look = (member: UUID, old: [String: Int], new: [String: Int], change: TierChange?)
        let parts = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        let size = max((page.count + parts - 1) / parts, 1)
        return await withTaskGroup(of: (Int, [Look]).self) { group in
            for (index, start) in stride(from: 0, to: page.count, by: size).enumerated() {
                let slice = page[start..<min(start + size, page.count)]
                group.addTask {
                    (index, slice.map { entry in
                        let revised = revise(entry.member, entry.counters)
                        return (entry.member, entry.counters, revised.counters, revised.change)
                    })
                }
            }
            var done: [(Int, [Look])] = []
            for await part in group { done.append(part) }
            return done.sorted { $0.0 < $1.0 }.flatMap(\.1)
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
