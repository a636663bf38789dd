import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// What moves a member's qualifying metric, read from their orders and returns (spend, orders)
/// or their ledger (points).
enum QualifyingHistory {
    static func activity(of member: UUID, metric: TierProgram.Metric, store: any Store) async throws -> [QualifyingActivity] {
        if metric == .points { return try await earnedPoints(of: member, store: store) }
        return movements(try await PurchaseLog.read(store, members: [member]), metric: metric)[member] ?? []
    }

    /// Points earned (credits) and taken back by returns (reversals, counted at their order's time).
    static func earnedPoints(of member: UUID, store: any Store) async throws -> [QualifyingActivity] {
        var entries: [LedgerEntry] = []
        while true {
            let page = try await store.ledgerEntries(of: member, after: entries.last?.sequence ?? 0, limit: 500)
            guard !page.isEmpty else { break }
            entries += page
        }
        return earned(entries.map { ($0.kind.rawValue, $0.points, $0.at, $0.cause.event, $0.reverses) })
    }

    /// Credits count when they were made; a reversal counts at the time of the credit it takes
    /// back (its order's), as a return does. Other entries do not qualify.
    static func earned(_ entries: [(kind: String, points: Int, at: Date, event: String?, reverses: String?)]) -> [QualifyingActivity] {
        var creditedAt: [String: Date] = [:]
        var activity: [QualifyingActivity] = []
        for entry in entries {
            if entry.kind == EntryKind.credit.rawValue {
                if let event = entry.event, creditedAt[event] == nil { creditedAt[event] = entry.at }
                activity.append(QualifyingActivity(at: entry.at, amount: entry.points))
            } else if entry.kind == EntryKind.reversal.rawValue {
                activity.append(QualifyingActivity(at: entry.at, orderAt: entry.reverses.flatMap { creditedAt[$0] } ?? entry.at, amount: entry.points))
            }
        }
        return activity
    }

    /// Every member's qualifying activity, for reports by tier: spend and orders from the
    /// purchase log, points from the ledger.
    static func everyone(_ log: PurchaseLog, metric: TierProgram.Metric, store: any Store) async throws -> [UUID: [QualifyingActivity]] {
        var activity: [UUID: [QualifyingActivity]] = [:]
        if metric == .points {
            var position: PointsPosition?
            var rows: [PointsMovement] = []
            func flush() {
                guard let member = rows.first?.member else { return }
                activity[member, default: []] += earned(rows.map { ($0.kind, $0.points, $0.at, $0.event, $0.reverses) })
                rows.removeAll()
            }
            while true {
                let page = try await store.pointsEarned(after: position, limit: 10_000)
                guard let last = page.last else { break }
                for row in page {
                    if let member = rows.first?.member, member != row.member { flush() }
                    rows.append(row)
                }
                position = last.position
            }
            flush()
            return activity
        }
        return movements(log, metric: metric)
    }

    /// The orders and returns of a purchase log as spend or orders activity, by member.
    static func movements(_ log: PurchaseLog, metric: TierProgram.Metric) -> [UUID: [QualifyingActivity]] {
        var activity: [UUID: [QualifyingActivity]] = [:]
        for movement in log.movements {
            let amount = metric == .orders ? movement.orders : movement.amount
            guard amount != 0 else { continue }
            activity[log.members[movement.member], default: []].append(QualifyingActivity(at: movement.at, orderAt: movement.orderAt, amount: amount))
        }
        return activity
    }
}
