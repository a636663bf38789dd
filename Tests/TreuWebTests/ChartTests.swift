import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Plot
import Testing
@testable import TreuWeb

/// The elements of a rendered chart, read back with an XML parser (the output must be well formed).
final class Elements: NSObject, XMLParserDelegate {
    struct Element { var name: String; var attributes: [String: String]; var text = "" }
    var all: [Element] = []
    private var open: [Int] = []

    init(_ html: String) throws {
        super.init()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        all.append(Element(name: name, attributes: attributes))
        open.append(all.count - 1)
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open.removeLast() }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let last = open.last { all[last].text += string }
    }

    func named(_ name: String, class prefix: String? = nil) -> [Element] {
        all.filter { element in element.name == name && (prefix.map { element.attributes["class"]?.hasPrefix($0) == true } ?? true) }
    }
}

func number(_ text: String?) -> Double { Double(text ?? "") ?? .nan }

@Suite("Charts: SVG drawn on the server, with axes, labels and a table")
struct ChartTests {
    static let months = ["Jan", "Feb", "Mar", "Apr"]
    static let plain: @Sendable (Double) -> String = { String(Int($0)) }

    @Test func anAxisRunsFromZeroToARoundNumberInRoundSteps() {
        #expect(AxisScale(covering: [12, 37]).ticks == [0, 10, 20, 30, 40])
        let points = AxisScale(covering: [0, 1_234])
        #expect(points.step == 500 && points.ticks == [0, 500, 1_000, 1_500])
        // Below zero: the axis reaches below too, at the same step.
        let change = AxisScale(covering: [-30, 80])
        #expect(change.lower == -50 && change.upper == 100 && change.step == 50)
        #expect(AxisScale(covering: [0.12, 0.61]).ticks.map { ($0 * 100).rounded() } == [0, 20, 40, 60, 80])
        // Nothing to show: one step from zero, not a division by zero.
        #expect(AxisScale(covering: []).ticks == [0, 1] && AxisScale(covering: [0, 0]).ticks == [0, 1])
        #expect(AxisScale(covering: [0, 200]).position(of: 50, length: 100) == 25)
    }

    @Test func barsAreAsTallAsTheirValuesAndTheTableHoldsEveryFigure() throws {
        let data = ChartData(title: "Points by month", categories: Self.months,
                             series: [.init("Issued", [400, 800, 200, 0]), .init("Redeemed", [100, 300, 50, 20])], format: Self.plain)
        let html = BarChart(id: "points", data: data).node.render()
        let read = try Elements(html)
        let bars = read.named("rect", class: "bar")
        #expect(bars.count == 8)
        // The axis goes to 800; a bar of 400 is half the plot's height, one of 0 has none.
        let heights = bars.map { number($0.attributes["height"]) }
        #expect(heights[0] == ChartFrame.plotHeight / 2 && heights[2] == ChartFrame.plotHeight && heights[6] == 0)
        #expect(bars[1].attributes["class"] == "bar series-2")
        #expect(read.named("title").contains { $0.text == "Feb · Issued: 800" })
        #expect(read.named("text", class: "axis-label").map(\.text).starts(with: ["0", "200", "400", "600", "800"]))
        let svg = try #require(read.named("svg").first)
        #expect(svg.attributes["role"] == "img" && svg.attributes["aria-labelledby"] == "points-title")
        #expect(read.all.first { $0.attributes["id"] == "points-title" }?.text == "Points by month")
        // The table: a row per month, a column per series, every value as the reader reads it.
        #expect(read.named("th").map(\.text) == ["Period", "Issued", "Redeemed", "Jan", "Feb", "Mar", "Apr"])
        #expect(read.named("td").map(\.text) == ["400", "100", "800", "300", "200", "50", "0", "20"])
        #expect(read.named("summary").first?.text == "Show as a table")
        #expect(read.named("li").map(\.text) == ["Issued", "Redeemed"])
    }

    @Test func aStackIsAsTallAsTheSumOfItsParts() throws {
        let data = ChartData(title: "Tier mix", categories: ["Q1", "Q2"],
                             series: [.init("Bronze", [60, 30]), .init("Silver", [30, 40]), .init("Gold", [10, 30])], format: Self.plain)
        let read = try Elements(BarChart(id: "tiers", data: data, stacked: true).node.render())
        // Drawn by quarter, then by tier: the first three are Q1's.
        let q1 = Array(read.named("rect", class: "bar").prefix(3))
        // 100 in all on an axis to 100: the parts fill the plot's height, each on the one before.
        let tops = q1.map { number($0.attributes["y"]) }, heights = q1.map { number($0.attributes["height"]) }
        #expect(abs(heights.reduce(0, +) - ChartFrame.plotHeight) < 0.05)
        #expect(abs(tops[0] - (tops[1] + heights[1])) < 0.02 && abs(tops[1] - (tops[2] + heights[2])) < 0.02)
        #expect(Set(q1.map { $0.attributes["x"] }).count == 1, "one column")
    }

    @Test func aLineHasAPointPerValueAndEscapesWhatItIsNamed() throws {
        let data = ChartData(title: "Members <by> month & year", categories: Self.months,
                             series: [.init("Members", [10, 20, 30, 40]), .init("Active", [5, 15, 10, 20])], format: Self.plain)
        let html = LineChart(id: "members\" onload=\"x", data: data).node.render()
        #expect(!html.contains("<by>") && html.contains("&lt;by&gt;"))
        #expect(!html.contains("\" onload") && html.contains(#"id="membersonloadx""#), "an id is letters, digits and dashes")
        let read = try Elements(html)
        let paths = read.named("path", class: "line")
        #expect(paths.count == 2)
        #expect(paths[0].attributes["d"]?.split(separator: "L").count == 4)
        #expect(read.named("circle").count == 8)
        #expect(read.named("title").contains { $0.text == "Mar · Active: 10" })
    }

    @Test func aHeatMapShadesByValueAndLeavesMonthsNotYetComeEmpty() throws {
        let map = HeatMap(id: "cohorts", title: "Retention by cohort", rows: ["2026-01", "2026-02"], columns: ["M0", "M1", "M2"],
                          cells: [[1.0, 0.42, 0.3], [1.0, 0.5, nil]], words: ChartWords(table: "Als Tabelle", category: "Kohorte"),
                          format: { "\(Int(($0 * 100).rounded())) %" })
        let read = try Elements(map.node.render())
        let cells = read.named("rect")
        #expect(cells.count == 5, "the month not yet come has no cell")
        #expect(cells.map { $0.attributes["class"] } == ["heat-4", "heat-2", "heat-1", "heat-4", "heat-2"])
        #expect(read.named("text", class: "cell-label").map(\.text) == ["100 %", "42 %", "30 %", "100 %", "50 %"])
        #expect(read.named("td").map(\.text) == ["100 %", "42 %", "30 %", "100 %", "50 %", ""])
        #expect(read.named("summary").first?.text == "Als Tabelle" && read.named("th").first?.text == "Kohorte")
        #expect(HeatMap.shade(0, largest: 1) == 0 && HeatMap.shade(1, largest: 1) == 4 && HeatMap.shade(0.1, largest: 0) == 0)
    }
}

/// `TREU_CHART_GALLERY=<folder> swift test --filter ChartGallery` writes every kind of chart to
/// one page there, to be opened or photographed (`scripts/screenshot-charts`); without it, the
/// gallery is only checked to be well formed.
@Suite("Charts: a gallery to look at")
struct ChartGallery {
    @Test func everyKindOfChartOnOnePage() throws {
        let months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
                      "2026-11", "2026-12"]
        let grouping: @Sendable (Double) -> String = { Double($0).formatted(.number.grouping(.automatic)) }
        let members = LineChart(id: "members", data: ChartData(
            title: "Members and active members by month", categories: months,
            series: [.init("Members", [820, 990, 1_180, 1_420, 1_610, 1_880, 2_050, 2_240, 2_490, 2_730, 2_980, 3_210]),
                     .init("Active in 90 days", [610, 700, 790, 880, 930, 1_050, 1_120, 1_160, 1_290, 1_350, 1_470, 1_520])],
            format: grouping))
        let points = BarChart(id: "points", data: ChartData(
            title: "Points issued, redeemed and expired by month", categories: Array(months.suffix(6)),
            series: [.init("Issued", [41_000, 38_500, 44_200, 52_900, 61_300, 75_800]),
                     .init("Redeemed", [18_200, 22_100, 19_800, 24_600, 28_900, 31_400]),
                     .init("Expired", [2_100, 0, 3_400, 1_200, 900, 4_800])], format: grouping))
        let tiers = BarChart(id: "tiers", data: ChartData(
            title: "Tier mix by quarter", categories: ["Q1", "Q2", "Q3", "Q4"],
            series: [.init("Bronze", [640, 710, 780, 820]), .init("Silver", [210, 260, 300, 350]), .init("Gold", [40, 55, 70, 95])],
            format: grouping), stacked: true)
        let share: @Sendable (Double) -> String = { "\(Int(($0 * 100).rounded())) %" }
        let cohorts = HeatMap(id: "cohorts", title: "Share of each cohort active, by months since joining",
                              rows: ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"],
                              columns: ["M0", "M1", "M2", "M3", "M4", "M5"],
                              cells: [[1, 0.46, 0.38, 0.33, 0.31, 0.29], [1, 0.44, 0.35, 0.31, 0.28, nil], [1, 0.5, 0.41, 0.36, nil, nil],
                                      [1, 0.47, 0.39, nil, nil, nil], [1, 0.52, nil, nil, nil, nil], [1, nil, nil, nil, nil, nil]],
                              words: ChartWords(table: "Show as a table", category: "Cohort"), format: share)
        let page = HTML(
            .head(.meta(.charset(.utf8)), .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                  .title("Treu charts"), .stylesheet("charts.css")),
            .body(.h1("Charts"), members.node, points.node, tiers.node, cohorts.node))
        let html = page.render()
        _ = try Elements(html.replacingOccurrences(of: "<!DOCTYPE html>", with: ""))
        #expect(html.components(separatedBy: "<figure").count == 5)
        if let folder = ProcessInfo.processInfo.environment["TREU_CHART_GALLERY"] {
            try html.write(toFile: folder + "/index.html", atomically: true, encoding: .utf8)
        }
    }
}
