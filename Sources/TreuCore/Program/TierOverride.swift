import Foundation

/// A level set by hand (by support, with a reason): a floor the member holds at least, or a
/// level fixed whatever the metric, until a date or until taken off. Kept with the member's
/// counters, so every event and every read of the tier sees it.
public struct TierOverride: Equatable, Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// At least this level: the metric may lift the member higher.
        case floor
        /// This level, higher or lower than the metric's.
        case fixed
    }

    /// The level's rank (1 the first level).
    public var rank: Int
    public var mode: Mode
    /// It ends at this moment (nil: until taken off).
    public var until: Date?

    public init(rank: Int, mode: Mode, until: Date?) {
        self.rank = rank
        self.mode = mode
        self.until = until
    }

    public static let rankKey = "tier:override", fixedKey = "tier:override_fixed", untilKey = "tier:override_until"

    /// The override kept in `counters`, if any (running or ended).
    public static func read(_ counters: [String: Int]) -> TierOverride? {
        guard let rank = counters[rankKey], rank > 0 else { return nil }
        return TierOverride(rank: rank, mode: counters[fixedKey] == 1 ? .fixed : .floor,
                            until: counters[untilKey].map { Date(timeIntervalSince1970: Double($0)) })
    }

    /// Sets `override` in `counters`, or takes it off (nil).
    public static func write(_ override: TierOverride?, to counters: inout [String: Int]) {
        counters[rankKey] = override?.rank
        counters[fixedKey] = override?.mode == .fixed ? 1 : nil
        counters[untilKey] = override?.until.map { Int($0.timeIntervalSince1970.rounded(.up)) }
    }

    public func runs(at now: Date) -> Bool { until.map { now < $0 } ?? true }

    /// The level in force given the level the metric and memberships hold (`level`, an index).
    public func apply(to level: Int?, at now: Date) -> Int? {
        guard runs(at: now) else { return level }
        switch mode {
        case .fixed: return rank - 1
        case .floor: return max(level ?? -1, rank - 1)
        }
    }
}
