import Foundation
import Hummingbird
import TreuCore

/// /v1/analytics/retention, /cohorts, /rfm, /clv, /program and /senders: the shop's figures, for analysts
/// and admins. Parameters as in `ReportQuery`.
struct AnalyticsController: Sendable {
    let reports: ReportService

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        for kind in ReportService.Kind.allCases {
            endpoints.register(v1, .get, RouterPath("analytics/\(kind.rawValue)"), .readAnalytics) { request, _, _ in
                var parameters: [String: String] = [:]
                for (name, value) in request.uri.queryParameters { parameters[String(name)] = String(value) }
                let report = try await reports.report(kind, parameters)
                return APIResponse(status: .ok, contentType: "application/json", body: report.json)
            }
        }
    }
}
