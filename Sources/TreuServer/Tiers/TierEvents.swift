import Crypto
import Foundation
import TreuCore
import TreuStore

/// A level set by hand (`level`), or the one set taken off (nil), with who did it and why:
/// recorded as an event of kind `tier_override`, so the member's history shows it.
public struct TierOverrideChange: Sendable, JSONWritable {
    public var reference: String
    public var member: UUID
    public var level: String?
    public var mode: TierOverride.Mode
    public var until: Date?
    public var reason: String
    /// The API key that made the change (its name and prefix).
    public var actor: String?

    func write(to w: inout JSONWriter) {
        w.object { w in
            if let actor { w.field("actor", actor) }
            w.field("level", level)
            w.field("member_id", member.uuidString.lowercased())
            w.field("mode", mode.rawValue)
            w.field("reason", reason)
            w.field("until", until)
        }
    }
}

/// A member's level dropping with time, recorded as an event of kind `tier` under a reference
/// made of the member and the day (program's zone): a second server, or a second run that day,
/// records nothing more. Refused (and so leaving no trace) when nothing is due.
public struct TierDowngrade: Sendable, JSONWritable {
    public var member: UUID
    public var at: Date
    public var day: CalendarDate

    public var reference: String { "tier:\(member.uuidString.lowercased()):\(day)" }

    struct NotDue: Error {}

    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("day", day.description)
            w.field("member_id", member.uuidString.lowercased())
        }
    }
}
