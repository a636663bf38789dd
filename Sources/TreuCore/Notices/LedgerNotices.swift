import Foundation

/// The fields of a notice about points: what moved, why, and the balance after.
public struct PointsNoticeFields: Encodable, Sendable, Equatable {
    public struct Line: Encodable, Sendable, Equatable {
        public var sequence: Int
        public var kind: String
        public var points: Int
        public var at: Date
        public var rule: String?
        public var actor: String?
        public var reason: String?
        public var reverses: String?
    }

    public struct Points: Encodable, Sendable, Equatable {
        public var available: Int
        public var pending: Int
    }

    /// The signed sum of the lines.
    public var points: Int
    /// The event that caused it (an order's reference), when one did.
    public var event: String?
    /// What kind of event that was: order, return or action (none for an adjustment, a transfer, an expiry).
    public var eventType: String?
    public var entries: [Line]
    public var balance: Points

    enum CodingKeys: String, CodingKey {
        case points, event, entries, balance
        case eventType = "event_type"
    }
}

extension MemberLedger {
    /// The notice each kind of entry makes; release (pending points becoming available) and the
    /// entries of a redemption (told as `reward.redeemed`) make none.
    static func noticeType(of kind: EntryKind) -> NoticeType? {
        switch kind {
        case .credit: .pointsEarned
        case .reversal: .pointsReversed
        case .adjustment, .refund: .pointsAdjusted
        case .expiry: .pointsExpired
        case .transferIn, .transferOut, .donation: .pointsTransferred
        case .release, .debit: nil
        }
    }

    /// Tells the outbox what the entries appended since the last call did, one notice per type
    /// (an order that earns by three rules is one `points.earned` of three lines), for the types
    /// `interest` wants. Each entry is told once however often this is called.
    /// - Parameter eventType: the kind of the event being recorded (order, return, action), if one is.
    public mutating func noteEntries(_ interest: NoticeInterest, at now: Date, ids: IDGenerator, eventType: String? = nil) {
        defer { notedEntries = entries.count }
        guard !interest.isEmpty, notedEntries < entries.count else { return }
        var byType: [NoticeType: [LedgerEntry]] = [:]
        var order: [NoticeType] = []
        for entry in entries[notedEntries...] {
            guard let type = Self.noticeType(of: entry.kind), interest.wants(type) else { continue }
            if byType[type] == nil { order.append(type) }
            byType[type, default: []].append(entry)
        }
        let balance = self.balance
        for type in order {
            let lines = byType[type]!
            let fields = PointsNoticeFields(
                points: lines.reduce(0) { $0 + $1.points },
                event: lines.lazy.compactMap(\.cause.event).first,
                eventType: lines.contains { $0.cause.event != nil } ? eventType : nil,
                entries: lines.map {
                    .init(sequence: $0.sequence, kind: $0.kind.rawValue, points: $0.points, at: $0.at, rule: $0.cause.rule,
                          actor: $0.cause.actor, reason: $0.cause.reason, reverses: $0.reverses)
                },
                balance: .init(available: balance.available, pending: balance.pending))
            notices.append(Notice(id: ids.next(), type: type, occurredAt: now, fields: fields, interest: interest))
        }
    }

    /// Adds a notice of `type` with `fields` if `interest` wants it.
    public mutating func note(_ type: NoticeType, _ fields: some Encodable, interest: NoticeInterest, at now: Date, ids: IDGenerator) {
        guard interest.wants(type) else { return }
        notices.append(Notice(id: ids.next(), type: type, occurredAt: now, fields: fields, interest: interest))
    }
}
