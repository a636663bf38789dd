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
