import Foundation

/// A day without a time or a zone (a birthday), written `YYYY-MM-DD`.
public struct CalendarDate: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// - Throws: `ValidationError` (`invalid_date`) unless `text` is a real day in `YYYY-MM-DD`.
    public init(_ text: String, field: String = "birthday") throws(ValidationError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), year >= 1, day >= 1, day <= Self.days(inMonth: month, year: year)
        else {
            throw ValidationError(code: "invalid_date", field: field, message: "'\(text)' is not a date in YYYY-MM-DD form")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The civil date `days` days after 1970-01-01 (Howard Hinnant's algorithm).
    public init(daysSince1970 days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// A day known to exist (a program's own arithmetic); `init(_ text:)` checks what comes from outside.
    public init(year: Int, month: Int, day: Int) {
        precondition((1...12).contains(month) && day >= 1 && day <= Self.days(inMonth: month, year: year), "no such day")
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days from 1970-01-01 to this day (the inverse of `init(daysSince1970:)`).
    public var daysSince1970: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The midnight this day starts with in `timeZone`: by arithmetic (the zone's offset at that
    /// moment), or Foundation's calendar for a day whose midnight the zone skips.
    public func start(in timeZone: TimeZone) -> Date {
        let local = Double(daysSince1970) * 86_400
        let guess = local - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
        let midnight = Date(timeIntervalSince1970: local - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: guess))))
        if midnight.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: midnight)) == local { return midnight }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// The day `days` days after this one (before it when negative).
    public func adding(days: Int) -> CalendarDate { CalendarDate(daysSince1970: daysSince1970 + days) }

    /// The day `date` falls on in `timeZone` (by arithmetic: the zone's offset at that moment).
    public init(_ date: Date, in timeZone: TimeZone) {
        self.init(daysSince1970: Self.dayNumber(date, in: timeZone))
    }

    /// Days since 1970-01-01 of the day `date` falls on in `timeZone`.
    public static func dayNumber(_ date: Date, in timeZone: TimeZone) -> Int {
        Int(((date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))) / 86_400).rounded(.down))
    }

    /// The last day something ending at `end` (a midnight) can be used in `timeZone`: "expire on 31 March".
    public init(lastDayBefore end: Date, in timeZone: TimeZone) {
        self.init(end.addingTimeInterval(-0.001), in: timeZone)
    }

    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch { throw error }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
