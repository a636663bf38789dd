import Foundation

/// A member joining or renewing a paid level (a club, a subscription) for some months: the
/// `membership` event. It runs to the end of the day `months` months after the day it was
/// bought (program's zone); bought again while it runs, it runs `months` more from its end;
/// not renewed, it lapses and the member holds what their metric earns.
public struct Membership: Equatable, Sendable {
    public var reference: String
    /// The paid level's name.
    public var level: String
    public var months: Int
    public var at: Date

    public init(reference: String, level: String, months: Int, at: Date) {
        self.reference = reference
        self.level = level
        self.months = months
        self.at = at
    }

    /// The counters that hold a member's membership: its paid level's rank, and when it ends
    /// (seconds since 1970).
    public static let levelKey = "m:level"
    public static let untilKey = "m:until"

    public static func until(_ counters: [String: Int]) -> Date? {
        counters[untilKey].map { Date(timeIntervalSince1970: Double($0)) }
    }

    public func problems() -> [ValidationError] {
        var problems = [ValidationError.reference(reference)].compactMap { $0 }
        if level.isEmpty { problems.append(ValidationError(code: "missing_field", field: "level", message: "a membership names its paid level")) }
        if !(1...36).contains(months) {
            problems.append(ValidationError(code: "invalid_months", field: "months", message: "a membership runs 1 to 36 months"))
        }
        return problems
    }
}

extension Program {
    /// Records a membership in the member's counters.
    /// - Returns: when it now ends.
    /// - Throws: `not_a_paid_level` when the tiers have no paid level of that name.
    public func join(_ membership: Membership, counters: inout [String: Int]) throws(ValidationError) -> Date {
        guard let tiers, let index = tiers.levels.firstIndex(where: { $0.paid && $0.name == membership.level }) else {
            throw ValidationError(code: "not_a_paid_level", field: "level",
                                  message: "'\(membership.level)' is not a paid level of the program's tiers")
        }
        let base: Date
        if let running = Membership.until(counters), running > membership.at, counters[Membership.levelKey] == index + 1 {
            base = running
        } else {
            base = midnight(ending: 0, after: membership.at)
        }
        let until = calendar.date(byAdding: .month, value: membership.months, to: base)!
        counters[Membership.untilKey] = Int(until.timeIntervalSince1970)
        counters[Membership.levelKey] = index + 1
        return until
    }
}
