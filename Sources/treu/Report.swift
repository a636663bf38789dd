import ArgumentParser
import Foundation
import TreuServer

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the shop's figures: retention, cohorts, rfm, clv, program or senders.",
        discussion: """
            The same reports as GET /v1/analytics/{report}, from the database (--database), with the \
            program's currency and time zone. Days are calendar days in that zone, both ends included; \
            without --to the report runs to today, without --from over the twelve months up to --to. \
            Money is printed in major units; --format json prints exactly what the API answers. \
            CSV prints each table of a report with its own header, a blank line between tables.
            """)

    @Argument(help: "retention, cohorts, rfm, clv, program or senders.")
    var report: String
    @Option(help: "First day, YYYY-MM-DD.")
    var from: String?
    @Option(help: "Last day, YYYY-MM-DD (default: today).")
    var to: String?
    @Option(help: "retention, program: month, quarter or year.")
    var period: String?
    @Option(help: "A member is a customer on a day if they bought within this many days (365).")
    var activeDays: String?
    @Option(help: "retention: tier for a row per tier (the tier held as each period opened).")
    var by: String?
    @Option(help: "program: minor units a point is worth (1).")
    var pointValue: String?
    @Option(help: "clv: weeks at the end held out to test the forecast (0: none).")
    var holdoutWeeks: String?
    @Option(help: "clv: months of predicted value (12).")
    var horizonMonths: String?
    @Option(help: "clv: discount rate per month (0.01).")
    var discountRate: String?
    @Option(help: "clv: bgnbd or pareto_nbd.")
    var model: String?
    @Option(help: "rfm: list the members of this segment (champions, loyal, at_risk, …).")
    var segment: String?
    @Option(help: "rfm: members listed; clv: top members (100).")
    var limit: String?
    @Option(help: "clv: one member's figures too (their id).")
    var member: String?
    @Option(help: "clv: the day the figures are as of (the same as --to).")
    var asOf: String?
    @Option(help: "table, csv or json.")
    var format = "table"
    @OptionGroup var common: CommonOptions

    func run() async throws {
        guard let kind = ReportService.Kind(rawValue: report) else {
            throw ValidationError(message: "no report '\(report)': choose \(ReportService.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["table", "csv", "json"].contains(format) else { throw ValidationError(message: "--format is table, csv or json") }
        if let asOf, let to, asOf != to { throw ValidationError(message: "--as-of and --to name two days: give one") }
        let options: [(String, String?)] = [
            ("from", from), ("to", to ?? asOf), ("member_id", member), ("period", period), ("active_days", activeDays), ("point_value", pointValue),
            ("holdout_weeks", holdoutWeeks), ("horizon_months", horizonMonths), ("discount_rate", discountRate),
            ("model", model), ("segment", segment), ("limit", limit), ("by", by),
        ]
        let parameters = Dictionary(uniqueKeysWithValues: options.compactMap { name, value in value.map { (name, $0) } })
        let result = try await withEnvironment(common) { environment in
            do {
                return try await environment.reports.report(kind, parameters)
            } catch let problem as Problem {
                guard let field = problem.field, problem.detail.hasPrefix(field) else { throw ValidationError(message: problem.detail) }
                let flag = field == "member_id" ? "member" : field.replacingOccurrences(of: "_", with: "-")
                throw ValidationError(message: "--" + flag + problem.detail.dropFirst(field.count))
            }
        }
        switch format {
        case "json": print(String(decoding: result.json, as: UTF8.self))
        case "csv": print(result.tables.map(\.csv).joined(separator: "\n"), terminator: "")
        default: print(result.tables.map(\.text).joined(separator: "\n"), terminator: "")
        }
    }
}
