import Foundation

/// The fields of points.expiring: how many points stop being usable after which day.
public struct ExpiringNoticeFields: Encodable, Sendable, Equatable {
    public var points: Int
    /// The last day they can be used, in the program's zone ("2027-03-31").
    public var expiresOn: String
    public var daysAhead: Int
    public var balance: PointsNoticeFields.Points

    enum CodingKeys: String, CodingKey {
        case points, balance
        case expiresOn = "expires_on", daysAhead = "days_ahead"
    }
}

extension MemberLedger {
    /// The counter that holds the last day of expiry told of (days since 1970), so each is told once.
    public static let expiryReminderCounter = "notice:expiring"

    /// Tells of the points whose last usable day is `days` after `today` (and of the days
    /// between the one last told of and that one, if a run was missed): one points.expiring per
    /// day, each once, remembered in the ledger's counters in the same transaction.
    /// - Returns: how many notices it made.
    @discardableResult
    public mutating func noteExpiring(today: CalendarDate, days: Int, timeZone: TimeZone, interest: NoticeInterest, at now: Date,
                                      ids: IDGenerator) -> Int {
        guard interest.wants(.pointsExpiring) else { return 0 }
        let horizon = today.adding(days: days).daysSince1970
        let told = counters[Self.expiryReminderCounter] ?? horizon - 1
        guard told < horizon else { return 0 }
        var byDay: [Int: Int] = [:]
        for lot in lots where lot.remaining > 0 {
            guard let expires = lot.expiresAt else { continue }
            let day = CalendarDate(lastDayBefore: expires, in: timeZone).daysSince1970
            if day > told && day <= horizon { byDay[day, default: 0] += lot.remaining }
        }
        counters[Self.expiryReminderCounter] = horizon
        let balance = self.balance
        for (day, points) in byDay.sorted(by: { $0.key < $1.key }) {
            let fields = ExpiringNoticeFields(points: points, expiresOn: CalendarDate(daysSince1970: day).description,
                                              daysAhead: day - today.daysSince1970,
                                              balance: .init(available: balance.available, pending: balance.pending))
            notices.append(Notice(id: ids.next(), type: .pointsExpiring, occurredAt: now, fields: fields, interest: interest))
        }
        return byDay.count
    }
}
