import Foundation
import TreuAnalytics
import TreuCore

/// What a report is asked for, read from query parameters (the API) or options (`treu report`),
/// with the same names, defaults and refusals in both.
///
/// Days are calendar days in the program's time zone, both ends included. Without `to`, the
/// report runs to today; without `from`, from the first day of the month eleven months before
/// `to` (twelve whole months).
public struct ReportQuery: Sendable, Equatable {
    public enum Period: String, Sendable, CaseIterable { case month, quarter, year }

    public var from: CalendarDate
    public var to: CalendarDate
    public var period: Period
    /// A member is a customer on a day if they bought within the last `activeDays` days.
    public var activeDays: Int
    /// Minor units one point is worth when redeemed.
    public var pointValue: Double
    /// Weeks at the end held out to test the lifetime-value forecast (0: none).
    public var holdoutWeeks: Int
    /// Months of predicted lifetime value.
    public var horizonMonths: Int
    /// Discount rate per month for predicted value.
    public var discountRate: Double
    /// Lifetime value: the purchase model, BG/NBD or Pareto/NBD.
    var model: LifetimeModels.Kind
    /// Retention: rows by tier too (the tier members held as each period opened).
    public var byTier: Bool
    /// RFM: list the members of this segment.
    public var segment: RFM.Segment?
    public var limit: Int
    /// Lifetime value: one customer's figures too, as of `to`.
    public var member: UUID? = nil

    public static let parameters = ["from", "to", "period", "active_days", "point_value", "holdout_weeks", "horizon_months",
                                    "discount_rate", "model", "segment", "limit", "by", "member_id"]

    /// - Throws: `Problem` `invalid_parameter` naming the parameter.
    public static func parse(_ values: [String: String], today: CalendarDate) throws -> ReportQuery {
        for name in values.keys where !parameters.contains(name) {
            throw invalid(name, "is not a parameter of a report (\(parameters.joined(separator: ", ")))")
        }
        func date(_ name: String) throws -> CalendarDate? {
            guard let text = values[name] else { return nil }
            do { return try CalendarDate(text, field: name) } catch { throw invalid(name, "is a day in YYYY-MM-DD form") }
        }
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = values[name] else { return fallback }
            guard let value = Int(text), range.contains(value) else { throw invalid(name, "is a whole number from \(range.lowerBound) to \(range.upperBound)") }
            return value
        }
        func number(_ name: String, _ fallback: Double, _ range: ClosedRange<Double>) throws -> Double {
            guard let text = values[name] else { return fallback }
            guard let value = Double(text), value.isFinite, range.contains(value) else { throw invalid(name, "is a number from \(range.lowerBound) to \(range.upperBound)") }
            return value
        }
        let to = try date("to") ?? today
        let from = try date("from") ?? CalendarDate.firstDay(monthIndex: to.monthIndex - 11)
        guard from <= to else { throw invalid("from", "is on or before to (\(to))") }
        guard to.daysSince1970 - from.daysSince1970 <= 366 * 30 else { throw invalid("from", "is at most 30 years before to") }
        var period = Period.month
        if let text = values["period"] {
            guard let value = Period(rawValue: text) else { throw invalid("period", "is month, quarter or year") }
            period = value
        }
        var model = LifetimeModels.Kind.bgnbd
        if let text = values["model"] {
            guard let value = LifetimeModels.Kind(rawValue: text) else { throw invalid("model", "is bgnbd or pareto_nbd") }
            model = value
        }
        if let text = values["by"], text != "tier" { throw invalid("by", "is tier (or left out)") }
        var segment: RFM.Segment?
        if let text = values["segment"] {
            guard let value = RFM.Segment.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() || $0.key == text }) else {
                throw invalid("segment", "is one of \(RFM.Segment.allCases.map(\.key).joined(separator: ", "))")
            }
            segment = value
        }
        var member: UUID?
        if let text = values["member_id"] {
            guard let id = UUID(uuidString: text) else { throw invalid("member_id", "is a member's id (a UUID)") }
            member = id
        }
        var query = ReportQuery(from: from, to: to, period: period,
                           activeDays: try integer("active_days", 365, 1...3_650),
                           pointValue: try number("point_value", 1, 0...1_000_000),
                           holdoutWeeks: try integer("holdout_weeks", 0, 0...520),
                           horizonMonths: try integer("horizon_months", 12, 1...120),
                           discountRate: try number("discount_rate", 0.01, 0...1),
                           model: model, byTier: values["by"] == "tier", segment: segment, limit: try integer("limit", 100, 1...10_000))
        query.member = member
        return query
    }

    static func invalid(_ name: String, _ rule: String) -> Problem {
        Problem(.badRequest, code: "invalid_parameter", detail: "\(name) \(rule)", field: name)
    }

    /// The periods from `from` to `to`, each cut to that range.
    public var periods: [ReportPeriod] {
        var result: [ReportPeriod] = []
        let months = period == .month ? 1 : period == .quarter ? 3 : 12
        var index = (from.year * 12 + from.month - 1) / months * months
        while true {
            let first = CalendarDate.firstDay(monthIndex: index)
            guard first <= to else { break }
            let nextIndex = index + months
            let next = CalendarDate.firstDay(monthIndex: nextIndex)
            let label = switch period {
            case .month: CalendarDate.monthLabel(index)
            case .quarter: "\(first.year)-Q\((first.month - 1) / 3 + 1)"
            case .year: "\(first.year)"
            }
            result.append(ReportPeriod(label: label, first: max(first, from), last: min(CalendarDate(daysSince1970: next.daysSince1970 - 1), to)))
            index = nextIndex
        }
        return result
    }
}

/// One month, quarter or year of a report, cut to the report's range.
public struct ReportPeriod: Sendable, Equatable {
    public var label: String
    public var first: CalendarDate
    public var last: CalendarDate
}

extension CalendarDate {
    /// Months counted from year 0: year × 12 + month − 1.
    var monthIndex: Int { year * 12 + month - 1 }

    /// The first day of the month with this index.
    static func firstDay(monthIndex index: Int) -> CalendarDate { CalendarDate(year: index / 12, month: index % 12 + 1, day: 1) }

    /// The label of the month with this index: `2026-03`.
    static func monthLabel(_ index: Int) -> String { String(firstDay(monthIndex: index).description.prefix(7)) }
}

extension RFM.Segment {
    /// The segment as a parameter value: `champions`, `cant_lose_them`, …
    public var key: String {
        rawValue.lowercased().replacingOccurrences(of: "'", with: "").replacingOccurrences(of: " ", with: "_")
    }
}

/// A report as rows of text, for `treu report` to print as a table or CSV.
public struct ReportTable: Sendable {
    public var title: String
    public var columns: [String]
    public var rows: [[String]]

    /// Columns padded to their widest cell; all but the first right-aligned.
    public var text: String {
        let all = [columns] + rows
        let count = all.map(\.count).max() ?? 0
        let padded = all.map { $0 + Array(repeating: "", count: count - $0.count) }
        let widths = (0..<count).map { i in padded.map { $0[i].count }.max() ?? 0 }
        return title + "\n" + padded.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// RFC 4180: a cell with a comma, quote or line break is quoted.
    public var csv: String {
        ([columns] + rows).map { $0.map(Self.csvCell).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A CSV cell (RFC 4180): quoted, with its quotes doubled, when it holds a comma, quote or line break.
    static func csvCell(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

/// Figures as report cells: money in major units with its currency's decimals (ISO 4217: two
/// for EUR, none for VND, three for KWD), shares in percent.
enum Cell {
    static func money(_ minor: Int, _ currency: String) -> String { Money.decimalText(minor, exponent: Money.decimals(currency)) }
    static func money(_ minor: Double?, _ currency: String) -> String { minor.map { Money.majorText($0, currency) } ?? "" }
    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "" }
    static func number(_ value: Double?, _ digits: Int = 2) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "" }
}
