import Foundation
import Testing

@Suite("Program documents on the command line")
struct ProgramCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    @Test func theExamplesAreValidAndABadDocumentListsEveryProblem() throws {
        let treu = try Treu()
        for name in ["coffee-shop.json", "fashion-shop.json", "b2b-supplier.json"] {
            let check = try treu.run(["program", "check", Self.examples.appendingPathComponent(name).path])
            #expect(check.status == 0 && check.output.contains("valid"), "\(name): \(check.output)")
        }
        // UTC is called UTC (Foundation on Linux calls it GMT).
        try treu.write("utc.json", #"{"name": "x", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"}, "earning": {"rules": []}}"#)
        let utc = try treu.run(["program", "check", "utc.json"])
        #expect(utc.status == 0 && utc.output.hasSuffix("time zone UTC\n"), "\(utc.output)")
        try treu.write("bad.json", #"{"name": "x", "currency": "eur", "time_zone": "UTC", "expiry": {"policy": "never"}, "earning": {"rules": [{"name": "a", "type": "bonus"}]}}"#)
        let bad = try treu.run(["program", "check", "bad.json"])
        #expect(bad.status == 1)
        #expect(bad.output == "bad.json: currency: is an ISO 4217 code in capitals, such as EUR\nbad.json: earning.rules[0].points: is required\n")
    }

    /// Two formulas on one history: twice the points cost twice as much.
    @Test func simulateComparesTwoDraftsOnTheSameHistory() throws {
        let treu = try Treu()
        let one = #"{"name": "one", "currency": "EUR", "time_zone": "UTC", "expiry": {"policy": "never"}, "earning": {"rules": [{"name": "1 per euro", "type": "spend", "points": 1}]}}"#
        try treu.write("one.json", one)
        try treu.write("two.json", one.replacingOccurrences(of: #""points": 1"#, with: #""points": 2"#))
        try treu.write("history.csv", """
            reference,at,email,currency,sku,quantity,unit_price
            A-1,2026-01-10T10:00:00Z,ana@example.com,EUR,TEE,1,10000
            A-2,2026-02-10T10:00:00Z,ben@example.com,EUR,TEE,1,5000
            """)
        let run = try treu.run(["simulate", "--program", "one.json", "--program", "two.json", "--orders", "history.csv",
                                "--redemption-rate", "0.5", "--format", "csv"])
        #expect(run.status == 0, "\(run.errors)")
        let lines = run.output.split(separator: "\n").map(String.init)
        // January: 100 issued (200 with two), half redeemed at the month's end; €100 revenue.
        #expect(lines.contains("one.json,2026-01,1,100.00,100,0,50,0,50,0.50,0.50%"))
        #expect(lines.contains("two.json,2026-01,1,100.00,200,0,100,0,100,1.00,1.00%"))
        // February: Ana's 50 left and Ben's 50 new: 100 held, 50 redeemed.
        #expect(lines.contains("one.json,2026-02,1,50.00,50,0,50,0,50,0.50,1.00%"))

        // The same history imported, then simulated from the database's own events: the same figures.
        #expect(try treu.run(["import", "history.csv"]).status == 0)
        let stored = try treu.run(["simulate", "--program", "one.json", "--redemption-rate", "0.5", "--format", "csv"])
        #expect(stored.status == 0, "\(stored.errors)")
        #expect(stored.output.split(separator: "\n").map(String.init).dropFirst() == lines.filter { $0.hasPrefix("one.json") }[...])
    }
}
