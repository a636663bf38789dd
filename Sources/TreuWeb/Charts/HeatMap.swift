import Plot

/// A grid of shaded cells with their values written in: cohorts (rows) by months since they
/// started (columns), the share still active in each. A cell without a value (a month not yet
/// come) stays empty.
public struct HeatMap: Sendable {
    public var id: String
    /// The rows are its categories, each column a series; a cell without a value is not finite.
    public var data: ChartData
    /// Shades from the lightest to the darkest (`heat-0` … `heat-4` in the style sheet).
    static let shades = 5
    static let labelWidth = 64.0, rowHeight = 24.0, headHeight = 22.0

    public init(id: String, title: String, rows: [String], columns: [String], cells: [[Double?]], words: ChartWords = .english,
                format: @escaping @Sendable (Double) -> String) {
        self.id = id
        data = ChartData(title: title, categories: rows, series: columns.indices.map { j in
            ChartData.Series(columns[j], rows.indices.map { i in i < cells.count && j < cells[i].count ? cells[i][j] ?? .nan : .nan })
        }, words: words, format: format)
    }

    /// The shade of `value` among values up to `largest`: 0 for none, 4 for the largest.
    static func shade(_ value: Double, largest: Double) -> Int {
        guard largest > 0, value > 0 else { return 0 }
        return min(shades - 1, Int((value / largest * Double(shades - 1)).rounded()))
    }

    public var node: Node<HTML.BodyContext> {
        let rows = data.categories, columns = data.series
        let largest = columns.flatMap(\.values).filter(\.isFinite).max() ?? 0
        let width = ChartFrame.width
        let cellWidth = (width - Self.labelWidth) / Double(max(1, columns.count))
        let height = Self.headHeight + Self.rowHeight * Double(rows.count)
        var nodes: [ChartFigure.HTMLNode] = columns.map(\.name).enumerated().map { j, name in
            ChartFigure.svg("text", [("x", ChartFigure.n(Self.labelWidth + cellWidth * (Double(j) + 0.5))), ("y", "16"),
                                     ("text-anchor", "middle"), ("class", "axis-label")], [.text(name)])
        }
        for (i, row) in rows.enumerated() {
            let y = Self.headHeight + Self.rowHeight * Double(i)
            nodes.append(ChartFigure.svg("text", [("x", ChartFigure.n(Self.labelWidth - 8)), ("y", ChartFigure.n(y + 16)), ("text-anchor", "end"),
                                                  ("class", "axis-label")], [.text(row)]))
            for (j, column) in columns.enumerated() {
                let value = column.values[i]
                guard value.isFinite else { continue }
                let x = Self.labelWidth + cellWidth * Double(j)
                let shade = Self.shade(value, largest: largest)
                nodes.append(ChartFigure.svg("g", [("class", "cell")], [
                    ChartFigure.svg("rect", [("x", ChartFigure.n(x + 1)), ("y", ChartFigure.n(y + 1)), ("width", ChartFigure.n(cellWidth - 2)),
                                             ("height", ChartFigure.n(Self.rowHeight - 2)), ("class", "heat-\(shade)")],
                                    [ChartFigure.svg("title", [], [.text("\(row) · \(column.name): \(data.format(value))")])]),
                    ChartFigure.svg("text", [("x", ChartFigure.n(x + cellWidth / 2)), ("y", ChartFigure.n(y + 16)), ("text-anchor", "middle"),
                                             ("class", shade >= 3 ? "cell-label dark" : "cell-label")], [.text(data.format(value))]),
                ]))
            }
        }
        return ChartFigure.figure(id: id, title: data.title, kind: "heat", viewBox: (width, height), body: nodes, legend: [],
                                  table: ChartFigure.table(data), words: data.words)
    }
}
