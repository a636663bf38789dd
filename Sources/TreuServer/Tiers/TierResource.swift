import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// A member's place in the tiers, as the API shows it.
struct TierResource: Encodable {
    struct Level: Encodable {
        var name: String
        var threshold: Int
        @OrNull var multiplier: Double?
        var freeShipping: Bool
        var perks: [String: String]
        var paid: Bool
        enum CodingKeys: String, CodingKey { case name, threshold, multiplier, perks, paid, freeShipping = "free_shipping" }
        init(_ level: TierProgram.Level) {
            name = level.name
            threshold = level.threshold
            paid = level.paid
            multiplier = level.multiplier?.number
            freeShipping = level.freeShipping
            perks = level.perks
        }
    }

    /// The member's latest membership of a paid level, running or lapsed.
    struct MembershipState: Encodable {
        var level: String
        var until: Date
        var running: Bool
    }

    /// A level set by hand, running or ended.
    struct OverrideState: Encodable {
        var level: String
        var mode: String
        var until: Date?
        var running: Bool
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            try c.encode(level, forKey: AnyCodingKey(stringValue: "level"))
            try c.encode(mode, forKey: AnyCodingKey(stringValue: "mode"))
            try c.encode(until, forKey: AnyCodingKey(stringValue: "until"))
            try c.encode(running, forKey: AnyCodingKey(stringValue: "running"))
        }
    }

    var tiers: TierProgram
    var status: TierStatus
    var version: Int
    var membership: MembershipState?
    var override: OverrideState?

    enum CodingKeys: String, CodingKey {
        case metric, window, tier, earned, value, next, needed, membership, override
        case programVersion = "program_version", windowStart = "window_start", windowEnd = "window_end"
        case toKeep = "to_keep", keptUntil = "kept_until"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .programVersion)
        try c.encode(tiers.metric.rawValue, forKey: .metric)
        let window = switch tiers.window {
        case .calendarYear: "calendar_year"
        case .rolling(let months): "rolling_\(months)_months"
        case .lifetime: "lifetime"
        }
        try c.encode(window, forKey: .window)
        try c.encode(status.level.map { Level(tiers.levels[$0]) }, forKey: .tier)
        try c.encode(status.earned.map { tiers.levels[$0].name }, forKey: .earned)
        try c.encode(status.value, forKey: .value)
        try c.encode(status.windowStart, forKey: .windowStart)
        try c.encode(status.windowEnd, forKey: .windowEnd)
        try c.encode(status.next.map { Level(tiers.levels[$0]) }, forKey: .next)
        try c.encode(status.needed, forKey: .needed)
        try c.encode(status.toKeep, forKey: .toKeep)
        try c.encode(status.keptUntil, forKey: .keptUntil)
        try c.encode(membership, forKey: .membership)
        try c.encode(override, forKey: .override)
    }
}
