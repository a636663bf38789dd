import Testing
@testable import TreuServer

/// Reports and exports as CSV: one rule for a cell, RFC 4180.
@Suite("CSV cells")
struct ReportTableTests {
    @Test func cellsWithCommasQuotesOrLineBreaksAreQuoted() {
        #expect(ReportTable.csvCell("N2") == "N2")
        #expect(ReportTable.csvCell("N,2") == "\"N,2\"")
        #expect(ReportTable.csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ReportTable.csvCell("two\nlines") == "\"two\nlines\"")
        let table = ReportTable(title: "t", columns: ["order", "note"], rows: [["N,2", "plain"]])
        #expect(table.csv == "order,note\n\"N,2\",plain\n")
    }

    /// Money in a report has its currency's decimals: every amount used to be divided by 100.
    @Test func moneyCellsHaveTheirCurrencysDecimals() {
        #expect(Cell.money(123_456, "EUR") == "1234.56" && Cell.money(123_456, "VND") == "123456" && Cell.money(123_456, "JPY") == "123456")
        #expect(Cell.money(123_456, "KWD") == "123.456" && Cell.money(-5, "TND") == "-0.005" && Cell.money(7, "EUR") == "0.07")
        #expect(Cell.money(1_234.5, "EUR") == "12.35" && Cell.money(1_234.5, "VND") == "1235" && Cell.money(nil, "EUR") == "")
    }
}
