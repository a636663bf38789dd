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
}
