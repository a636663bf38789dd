import Plot

/// A line per series across the categories (members by month, active members by month), with a
/// dot at every value that names it when pointed at.
public struct LineChart: Sendable {
    public var id: String
    public var data: ChartData

    public init(id: String, data: ChartData) {
        self.id = id
        self.data = data
    }

    public var node: Node<HTML.BodyContext> {
        let scale = AxisScale(covering: data.series.flatMap(\.values))
        let band = ChartFrame.plotWidth / Double(max(1, data.categories.count))
        var lines: [ChartFigure.HTMLNode] = []
        for (k, series) in data.series.enumerated() {
            let points = series.values.prefix(data.categories.count).enumerated().filter { $0.element.isFinite }.map { i, v in
                (i, v, ChartFrame.left + band * (Double(i) + 0.5), ChartFigure.y(v, scale))
            }
            guard !points.isEmpty else { continue }
            let path = points.enumerated().map { j, p in "\(j == 0 ? "M" : "L")\(ChartFigure.n(p.2)) \(ChartFigure.n(p.3))" }.joined(separator: " ")
            lines.append(ChartFigure.svg("path", [("d", path), ("class", "line series-\(k % 6 + 1)"), ("fill", "none")]))
            for (i, v, x, y) in points {
                lines.append(ChartFigure.svg("circle", [("cx", ChartFigure.n(x)), ("cy", ChartFigure.n(y)), ("r", "3"),
                                                        ("class", "dot series-\(k % 6 + 1)")],
                                             [ChartFigure.svg("title", [], [.text("\(data.categories[i]) · \(series.name): \(data.format(v))")])]))
            }
        }
        return ChartFigure.figure(id: id, title: data.title, kind: "lines", viewBox: (ChartFrame.width, ChartFrame.height),
                                  body: [ChartFigure.valueAxis(scale, format: data.format), ChartFigure.categoryAxis(data.categories),
                                         ChartFigure.svg("g", [("class", "lines")], lines)],
                                  legend: data.series.map(\.name), table: ChartFigure.table(data), words: data.words)
    }
}
