/// What a points program owes and what it costs, from its totals.
///
/// Breakage is estimated from the points whose fate is settled: of the points that left the
/// members' balances, the share that expired rather than being redeemed. The outstanding
/// liability is what the open points are worth if redeemed at that rate:
/// outstanding × value of a point × (1 − breakage).
public struct ProgramFigures: Equatable, Sendable {
    public var issued: Int
    public var redeemed: Int
    public var expired: Int
    /// The value of one point in minor units of the currency (such as 1 for "1 point = 1 cent").
    public var pointValue: Double

    public init(issued: Int, redeemed: Int, expired: Int, pointValue: Double) {
        self.issued = issued
        self.redeemed = redeemed
        self.expired = expired
        self.pointValue = pointValue
    }

    public var outstanding: Int { issued - redeemed - expired }

    /// Redeemed points as a share of issued points, 0 to 1.
    public var redemptionRate: Double? { issued > 0 ? Double(redeemed) / Double(issued) : nil }

    /// The share of points expected never to be redeemed, 0 to 1 (nil before any point settled).
    public var breakage: Double? {
        redeemed + expired > 0 ? Double(expired) / Double(redeemed + expired) : nil
    }

    /// The outstanding liability in minor units, rounded to the nearest; with no settled points
    /// yet, every open point is assumed to be redeemed.
    public var liability: Int { Self.liability(outstanding: outstanding, pointValue: pointValue, breakage: breakage) }

    /// outstanding × value of a point × (1 − breakage), in minor units rounded to the nearest
    /// (every open point counts in full while `breakage` is unknown).
    public static func liability(outstanding: Int, pointValue: Double, breakage: Double?) -> Int {
        Int((Double(outstanding) * pointValue * (1 - (breakage ?? 0))).rounded())
    }
}
