import Plot

/// The parts every chart is made of: an SVG with an accessible name, a legend, and the same
/// figures as a table (collapsed), so a chart can be read without seeing it.
enum ChartFigure {
    typealias HTMLNode = Node<HTML.BodyContext>

    /// An SVG element; attribute values are the chart's own (numbers, class names, checked ids),
    /// never a user's text, since Plot writes attribute values as they are.
    static func svg(_ name: String, _ attributes: [(String, String)], _ children: [HTMLNode] = []) -> HTMLNode {
        .element(named: name, nodes: attributes.map { .attribute(named: $0.0, value: $0.1) } + children)
    }

    /// A number as an SVG coordinate: at most two decimals, no exponent.
    static func n(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// `id` as the chart's element ids may use it: letters, digits and dashes only.
    static func checked(_ id: String) -> String {
        String(id.unicodeScalars.filter { ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || $0 == "-" }
            .map(Character.init))
    }

    static func figure(id: String, title: String, kind: String, viewBox: (Double, Double), body: [HTMLNode],
                       legend: [String], table: HTMLNode, words: ChartWords) -> HTMLNode {
        let id = checked(id)
        let legendNodes: [HTMLNode] = legend.enumerated().map { index, name in
            .element(named: "li", nodes: [
                .element(named: "span", nodes: [.attribute(named: "class", value: "swatch series-\(index % 6 + 1)"),
                                                .attribute(named: "aria-hidden", value: "true")]),
                .text(name),
            ])
        }
        return .element(named: "figure", nodes: [
            .attribute(named: "class", value: "chart chart-\(kind)"),
            .attribute(named: "id", value: id),
            .element(named: "figcaption", nodes: [
                .element(named: "span", nodes: [.attribute(named: "class", value: "chart-title"), .text(title)]),
                legend.count > 1 ? .element(named: "ul", nodes: [.attribute(named: "class", value: "chart-legend")] + legendNodes) : .empty,
            ]),
            .element(named: "div", nodes: [
                .attribute(named: "class", value: "chart-scroll"),
                svg("svg", [("viewBox", "0 0 \(n(viewBox.0)) \(n(viewBox.1))"), ("role", "img"), ("aria-labelledby", "\(id)-title"),
                            ("class", "chart-svg"), ("xmlns", "http://www.w3.org/2000/svg")],
                    [.element(named: "title", nodes: [.attribute(named: "id", value: "\(id)-title"), .text(title)])] + body),
            ]),
            .element(named: "details", nodes: [
                .attribute(named: "class", value: "chart-table"),
                .element(named: "summary", nodes: [.text(words.table)]),
                table,
            ]),
        ])
    }

    /// A table with one row per category and a column per series; a missing value (not finite,
    /// or past the end of its series) is an empty cell.
    static func table(_ data: ChartData) -> HTMLNode {
        let head: [HTMLNode] = [.element(named: "th", nodes: [.attribute(named: "scope", value: "col"), .text(data.words.category)])]
            + data.series.map { .element(named: "th", nodes: [.attribute(named: "scope", value: "col"), .text($0.name)]) }
        let rows: [HTMLNode] = data.categories.enumerated().map { index, category in
            .element(named: "tr", nodes: [.element(named: "th", nodes: [.attribute(named: "scope", value: "row"), .text(category)])]
                + data.series.map { series in
                    .element(named: "td", nodes: [.text(index < series.values.count && series.values[index].isFinite
                                                        ? data.format(series.values[index]) : "")])
                })
        }
        return .element(named: "table", nodes: [
            .element(named: "thead", nodes: [.element(named: "tr", nodes: head)]),
            .element(named: "tbody", nodes: rows),
        ])
    }

    /// The value axis: a line and a label per tick, left of the plot.
    static func valueAxis(_ scale: AxisScale, format: (Double) -> String) -> HTMLNode {
        let nodes: [HTMLNode] = scale.ticks.map { tick in
            let y = ChartFrame.top + ChartFrame.plotHeight - scale.position(of: tick, length: ChartFrame.plotHeight)
            return .group([
                svg("line", [("x1", n(ChartFrame.left)), ("x2", n(ChartFrame.width - ChartFrame.right)), ("y1", n(y)), ("y2", n(y)),
                             ("class", tick == 0 ? "axis-zero" : "grid")]),
                svg("text", [("x", n(ChartFrame.left - 8)), ("y", n(y + 4)), ("text-anchor", "end"), ("class", "axis-label")],
                    [.text(format(tick))]),
            ])
        }
        return svg("g", [("class", "axis")], nodes)
    }

    /// The categories under the plot: every one, or every k-th when the labels would overlap
    /// (about 6.5 units a character at the axis's 12-unit text).
    static func categoryAxis(_ categories: [String]) -> HTMLNode {
        let band = ChartFrame.plotWidth / Double(max(1, categories.count))
        let widest = Double(categories.map(\.count).max() ?? 0) * 6.5 + 8
        let every = max(1, Int((widest / band).rounded(.up)))
        let nodes: [HTMLNode] = categories.enumerated().compactMap { index, name in
            guard index % every == 0 else { return nil }
            return svg("text", [("x", n(ChartFrame.left + band * (Double(index) + 0.5))), ("y", n(ChartFrame.height - ChartFrame.bottom + 17)),
                                ("text-anchor", "middle"), ("class", "axis-label")], [.text(name)])
        }
        return svg("g", [("class", "axis")], nodes)
    }

    /// Where a value lies on the plot, from the top of the SVG.
    static func y(_ value: Double, _ scale: AxisScale) -> Double {
        ChartFrame.top + ChartFrame.plotHeight - scale.position(of: value, length: ChartFrame.plotHeight)
    }
}
