import Foundation
import TreuCore

/// Dates, numbers and money as a member reads them in their language: "31. März 2027",
/// "1.250", "31 tháng 3, 2027". Money stays exact (minor units through `Decimal`).
public struct LocaleFormat: Sendable {
    public let locale: MemberLocale
    public let timeZone: TimeZone

    public init(_ locale: MemberLocale, timeZone: TimeZone) {
        self.locale = locale
        self.timeZone = timeZone
    }

    var foundationLocale: Locale {
        switch locale {
        case .en: Locale(identifier: "en_US")
        case .de: Locale(identifier: "de_DE")
        case .vi: Locale(identifier: "vi_VN")
        }
    }

    /// The long date the language writes (Vietnamese without ICU's leading "ngày", as letters are dated).
    private var datePattern: String {
        switch locale {
        case .en: "MMMM d, y"
        case .de: "d. MMMM y"
        case .vi: "d 'tháng' M, y"
        }
    }

    public func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = foundationLocale
        formatter.timeZone = timeZone
        formatter.dateFormat = datePattern
        return formatter.string(from: date)
    }

    /// A calendar day ("2027-03-31") in the language's long form.
    public func day(_ day: CalendarDate) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let noon = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)) ?? Date(timeIntervalSince1970: 0)
        return date(noon)
    }

    public func number(_ value: Int) -> String {
        value.formatted(.number.locale(foundationLocale))
    }

    /// An amount in minor units of `currency`, with the currency's sign where the language puts it.
    public func money(_ minor: Int, currency: String) -> String {
        let exponent = Money.decimals(currency)
        // Exact: the decimal text of the minor units read back as a Decimal, never a binary float.
        let amount = Decimal(string: Money.decimalText(minor, exponent: exponent)) ?? Decimal(minor)
        return amount.formatted(.currency(code: currency).locale(foundationLocale).precision(.fractionLength(exponent)))
    }
}
