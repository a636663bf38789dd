import Plot

/// Bars per category: side by side for several series, or stacked (each bar the sum of its
/// parts; a stack draws the parts above zero, the table shows every value).
public struct BarChart: Sendable {
    public var id: String
    public var data: ChartData
    public var stacked: Bool

    public init(id: String, data: ChartData, stacked: Bool = false) {
        self.id = id
        self.data = data
        self.stacked = stacked
    }

    func value(_ series: ChartData.Series, _ index: Int) -> Double {
        index < series.values.count && series.values[index].isFinite ? series.values[index] : 0
    }

    /// The scale: the tallest stack, or the largest and least single value.
    var scale: AxisScale {
        if stacked {
            return AxisScale(covering: data.categories.indices.map { i in data.series.reduce(0) { $0 + max(0, value($1, i)) } })
        }
        return AxisScale(covering: data.series.flatMap(\.values))
    }

    public var node: Node<HTML.BodyContext> {
        let scale = self.scale
        let band = ChartFrame.plotWidth / Double(max(1, data.categories.count))
        let inner = band * 0.7
        let barWidth = stacked ? inner : inner / Double(max(1, data.series.count))
        var bars: [ChartFigure.HTMLNode] = []
        for (i, category) in data.categories.enumerated() {
            let start = ChartFrame.left + band * Double(i) + (band - inner) / 2
            var base = 0.0
            for (k, series) in data.series.enumerated() {
                let v = value(series, i)
                let (from, to) = stacked ? (base, base + max(0, v)) : (0, v)
                if stacked { base = to }
                let top = ChartFigure.y(max(from, to), scale), bottom = ChartFigure.y(min(from, to), scale)
                let x = stacked ? start : start + barWidth * Double(k)
                bars.append(ChartFigure.svg("rect", [("x", ChartFigure.n(x)), ("y", ChartFigure.n(top)), ("width", ChartFigure.n(barWidth)),
                                                     ("height", ChartFigure.n(bottom - top)), ("class", "bar series-\(k % 6 + 1)")],
                                            [ChartFigure.svg("title", [], [.text("\(category) · \(series.name): \(data.format(v))")])]))
            }
        }
        return ChartFigure.figure(id: id, title: data.title, kind: stacked ? "stacked" : "bars", viewBox: (ChartFrame.width, ChartFrame.height),
                                  body: [ChartFigure.valueAxis(scale, format: data.format), ChartFigure.categoryAxis(data.categories),
                                         ChartFigure.svg("g", [("class", "bars")], bars)],
                                  legend: data.series.map(\.name), table: ChartFigure.table(data), words: data.words)
    }
}
