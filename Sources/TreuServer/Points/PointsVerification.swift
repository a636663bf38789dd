import Foundation
import Logging
import ServiceLifecycle
import TreuCore
import TreuStore

/// `treu verify`: every member's points recomputed from their entries and compared with the
/// lots, debt, totals and cached figures the store holds.
public enum PointsVerification {
    public struct Difference: Sendable, CustomStringConvertible {
        public var member: UUID
        public var detail: String
        public var description: String { "member \(member.uuidString.lowercased()): \(detail)" }
    }

    public static func run(_ store: any Store, progress: @Sendable (Int) -> Void = { _ in }) async throws -> (checked: Int, differences: [Difference]) {
        var differences: [Difference] = []
        var after: UUID?
        var checked = 0
        while true {
            let accounts = try await store.pointAccounts(after: after, limit: 500)
            guard let last = accounts.last else { return (checked, differences) }
            for account in accounts {
                let ledger = try await store.points(of: account.member, loadingLotsOf: nil)
                let entries = try await store.ledgerEntries(of: account.member, after: 0, limit: Int.max)
                let lots = try await store.allLots(of: account.member)
                var found = MemberLedger.verify(entries: entries, lots: lots, debt: ledger.debt, totals: ledger.totals)
                let balance = ledger.balance
                if balance.available != account.available || balance.pending != account.pending {
                    found.append("cached balance \(account.available) available, \(account.pending) pending; the lots say \(balance.available), \(balance.pending)")
                }
                differences += found.map { Difference(member: account.member, detail: $0) }
                checked += 1
            }
            progress(checked)
            after = last.member
        }
    }
}
