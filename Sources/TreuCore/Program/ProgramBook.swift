import Foundation

/// The program's versions, and which is in force when. Before the first stored version, the
/// standard program was (version 0): history imported from before a shop wrote its program is
/// evaluated as Treu evaluated it then.
public struct ProgramBook: Sendable {
    public struct Version: Sendable {
        public var number: Int
        public var effectiveFrom: Date
        public var program: Program
        public init(number: Int, effectiveFrom: Date, program: Program) {
            self.number = number
            self.effectiveFrom = effectiveFrom
            self.program = program
        }
    }

    /// In force order: by effective date, then by number (a later version with the same date wins).
    public let versions: [Version]

    public init(_ versions: [Version]) {
        self.versions = versions.sorted { ($0.effectiveFrom, $0.number) < ($1.effectiveFrom, $1.number) }
    }

    /// The version in force at `date`: the last to take effect at or before it.
    public func version(at date: Date) -> Version {
        versions.last { $0.effectiveFrom <= date } ?? Version(number: 0, effectiveFrom: .distantPast, program: .standard)
    }
}

extension ProgramBook {
    /// The reward with this id in the newest version whose catalog holds it (a coupon names a
    /// reward of the version it was redeemed under, which a later catalog may have dropped).
    public func rewardAnyVersion(_ id: String) -> Reward? {
        versions.reversed().lazy.compactMap { $0.program.reward(id) }.first
    }
}
