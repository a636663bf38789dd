import Foundation
import Testing
import TreuCore

@Suite("Reading times")
struct TimestampTests {
    @Test func rfc3339TimesAndPlainDays() {
        // 2026-11-25T18:02:19Z is 1,795,629,739 s after 1970 (date -u -d 2026-11-25T18:02:19Z +%s).
        #expect(Timestamp.parse("2026-11-25T18:02:19Z") == Date(timeIntervalSince1970: 1_795_629_739))
        #expect(Timestamp.parse("2026-11-25T18:02:19.250Z") == Date(timeIntervalSince1970: 1_795_629_739.25))
        #expect(Timestamp.parse("2026-11-25T19:02:19+01:00") == Date(timeIntervalSince1970: 1_795_629_739))
        #expect(Timestamp.parse("2026-11-25T12:32:19-05:30") == Date(timeIntervalSince1970: 1_795_629_739))
        #expect(Timestamp.parse("2026-11-25") == Date(timeIntervalSince1970: 1_795_564_800))
        #expect(Timestamp.parse("2024-02-29T00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(Timestamp.parse("1969-12-31T23:59:59Z") == Date(timeIntervalSince1970: -1))
    }

    @Test func anythingElseIsRefused() {
        for text in ["", "yesterday", "2026-13-01", "2025-02-29", "2026-11-25T24:00:00Z", "2026-11-25T18:02:19",
                     "2026-11-25T18:02:19Zx", "2026-11-25T18:02:19.Z", "2026-1-5", "2026-11-25T18:02:19+1:00"] {
            #expect(Timestamp.parse(text) == nil, "\(text)")
        }
    }
}

@Suite("Calendar days by arithmetic")
struct CalendarDateArithmeticTests {
    @Test func daysSince1970RoundTripsAndMatchesKnownDays() throws {
        #expect(try CalendarDate("1970-01-01").daysSince1970 == 0)
        #expect(try CalendarDate("2026-11-25").daysSince1970 == 20_782)
        #expect(try CalendarDate("2000-02-29").daysSince1970 == 11_016)
        #expect(try CalendarDate("1969-12-31").daysSince1970 == -1)
        for day in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CalendarDate(daysSince1970: day).daysSince1970 == day)
        }
    }

    @Test func aDayStartsAtItsMidnightInTheZone() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(try CalendarDate("2026-07-01").start(in: berlin) == Timestamp.parse("2026-06-30T22:00:00Z"))
        #expect(try CalendarDate("2026-01-01").start(in: berlin) == Timestamp.parse("2025-12-31T23:00:00Z"))
    }

    /// The arithmetic midnight is Foundation's, every day of 2017–2019, in zones whose clocks
    /// change at 02:00, at midnight (São Paulo skipped 2018-11-04 00:00: the day starts at 01:00)
    /// and across the date line.
    @Test func aDayStartsWhereFoundationSaysInEveryZone() throws {
        let first = try CalendarDate("2017-01-01").daysSince1970
        for name in ["Europe/Berlin", "America/Sao_Paulo", "America/Havana", "Asia/Beirut", "Pacific/Apia", "Australia/Lord_Howe", "UTC"] {
            let zone = try #require(TimeZone(identifier: name))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            for day in first..<(first + 3 * 365) {
                let date = CalendarDate(daysSince1970: day)
                let foundation = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))
                #expect(date.start(in: zone) == foundation, "\(name) \(date)")
            }
        }
        let saoPaulo = try #require(TimeZone(identifier: "America/Sao_Paulo"))
        #expect(try CalendarDate("2018-11-04").start(in: saoPaulo) == Timestamp.parse("2018-11-04T03:00:00Z"))
    }
}
