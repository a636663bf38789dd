import Foundation

/// The program's calendar: releases at the end of the return window's last day, expiry at the
/// end of a day, month or year — all as midnights in the program's time zone.
extension Program {
    public var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// Points earned at `at` become available at the midnight that ends the `pendingDays`-th
    /// day after the day of `at` (0 days: at once).
    public func releaseDate(of at: Date) -> Date {
        pendingDays > 0 ? midnight(ending: pendingDays, after: at) : at
    }

    /// The midnight (program's zone) that ends the `days`-th day after the day of `at` (0: the
    /// end of that day): where return windows, coupons and memberships end.
    public func midnight(ending days: Int, after at: Date) -> Date {
        let calendar = self.calendar
        return calendar.date(byAdding: .day, value: days + 1, to: calendar.startOfDay(for: at)) ?? at
    }

    /// When points earned at `at` expire (nil: never).
    public func expiryDate(earnedAt at: Date) -> Date? {
        let calendar = self.calendar
        switch expiry {
        case .never:
            return nil
        case .afterDays(let days):
            return midnight(ending: days, after: at)
        case .afterMonths(let months):
            let day = calendar.startOfDay(for: at)
            guard let later = calendar.date(byAdding: .month, value: months, to: day) else { return nil }
            return calendar.date(byAdding: .day, value: 1, to: later)
        case .endOfMonth(let after):
            let month = calendar.dateInterval(of: .month, for: at)!.start
            return calendar.date(byAdding: .month, value: after + 1, to: month)
        case .endOfYear(let after):
            let year = calendar.dateInterval(of: .year, for: at)!.start
            return calendar.date(byAdding: .year, value: after + 1, to: year)
        }
    }

    /// The calendar period (in the program's time zone) that holds `date`.
    public func period(_ period: ActionLimit.Period, containing date: Date) -> DateInterval {
        let component: Calendar.Component
        switch period {
        case .day: component = .day
        case .week: component = .weekOfYear
        case .month: component = .month
        case .year: component = .year
        case .ever: return DateInterval(start: .distantPast, end: .distantFuture)
        }
        var calendar = self.calendar
        calendar.firstWeekday = 2
        return calendar.dateInterval(of: component, for: date)!
    }
}
