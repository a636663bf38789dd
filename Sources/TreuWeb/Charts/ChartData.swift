/// What a chart shows: categories along the bottom (months, tiers), one or more named series
/// with a value per category, and how a value reads in the page's language.
public struct ChartData: Sendable {
    public struct Series: Sendable, Equatable {
        public var name: String
        public var values: [Double]
        public init(_ name: String, _ values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    /// Says what the chart is (the figure's caption and the SVG's accessible name).
    public var title: String
    public var categories: [String]
    public var series: [Series]
    /// A value as the reader's language writes it (the axis, the table).
    public var format: @Sendable (Double) -> String
    /// The words the chart itself needs, in the reader's language.
    public var words: ChartWords

    public init(title: String, categories: [String], series: [Series], words: ChartWords = .english,
                format: @escaping @Sendable (Double) -> String) {
        self.title = title
        self.categories = categories
        self.series = series
        self.words = words
        self.format = format
    }
}

/// The chart's own words; a page passes them from its language's catalog.
public struct ChartWords: Sendable, Equatable {
    /// The summary of the collapsed table of figures ("Show as a table").
    public var table: String
    /// The table's first column head for the categories.
    public var category: String

    public init(table: String, category: String) {
        self.table = table
        self.category = category
    }

    public static let english = ChartWords(table: "Show as a table", category: "Period")
}

/// The figure's size in SVG units; the SVG scales to its box's width (`viewBox`), and is never
/// drawn narrower than this (a phone scrolls it sideways), so its 12-unit text stays readable.
struct ChartFrame {
    static let width = 480.0, height = 240.0
    /// Room for the axis labels on the left and the categories below.
    static let left = 52.0, right = 8.0, top = 10.0, bottom = 30.0
    static var plotWidth: Double { width - left - right }
    static var plotHeight: Double { height - top - bottom }
}
