import Foundation
import Hummingbird
import Metrics
import Logging
import Prometheus
import Synchronization
import TreuCore

/// Turns every error into an RFC 9457 problem response; errors of the server itself are logged
/// (without request bodies or headers, which may hold secrets) and answered with a plain 500.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = TreuContext
    let routes: RouteIndex

    func handle(_ request: Request, context: TreuContext, next: (Request, TreuContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var problem = Problem.from(error)
            if problem.code == "route_not_found" {
                let allowed = routes.methods(for: request.uri.path)
                if !allowed.isEmpty {
                    problem = Problem(.methodNotAllowed, code: "method_not_allowed",
                                      detail: "\(request.uri.path) takes \(allowed.joined(separator: ", "))")
                    var response = APIResponse.problem(problem).response
                    response.headers[.allow] = allowed.joined(separator: ", ")
                    return response
                }
            }
            if problem.status >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            var response = APIResponse.problem(problem).response
            // A body too large is not read to its end: the connection closes after the answer.
            if problem.status == 413 { response.headers[.connection] = "close" }
            return response
        }
    }
}

/// The routes the router has, to tell "no such route" (404) from "not with this method" (405).
final class RouteIndex: Sendable {
    private let routes: Mutex<[(segments: [Substring], method: String)]> = Mutex([])

    func load(_ descriptions: [(path: String, method: String)]) {
        routes.withLock { $0 = descriptions.map { ($0.path.split(separator: "/"), $0.method) } }
    }

    /// The methods routed for this path, sorted; empty if no route has it. Where routes of
    /// several shapes match (`/members/lookup` and `/members/:id`), the router takes the one
    /// with the most literal segments, and so do these.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        return routes.withLock { routes in
            let matching = routes.filter { route in
                route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { $0.hasPrefix(":") || $0.hasPrefix("{") || $0 == $1 }
            }
            func literals(_ route: (segments: [Substring], method: String)) -> Int { route.segments.count { !$0.hasPrefix(":") && !$0.hasPrefix("{") } }
            let most = matching.map(literals).max() ?? 0
            return Set(matching.filter { literals($0) == most }.map(\.method)).sorted()
        }
    }
}

/// Finds the API key of the caller, if any. Whether the key may do what it asks is the route's
/// business (`Endpoints.register`), so a missing key and a weak key get distinct answers.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = TreuContext
    let keys: APIKeyService

    func handle(_ request: Request, context: TreuContext, next: (Request, TreuContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { throw Problem.unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw Problem.unauthorized }
        guard let key = try await keys.authenticate(String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            throw Problem.badKey
        }
        var context = context
        context.principal = key
        context.logger[metadataKey: "api_key"] = "\(key.prefix)…"
        return try await next(request, context)
    }
}

/// The metrics /metrics serves: swift-metrics, with swift-prometheus as its backend. The
/// metrics system is one per process; it is bootstrapped once, with the registry /metrics renders.
enum RequestMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Request latencies from a quarter of a millisecond to five seconds.
        factory.defaultDurationHistogramBuckets = [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
                                                   .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                                   .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Bootstraps the metrics system, once per process (later calls find it done).
    static func bootstrap() { _ = registry }

    static func render() -> String { registry.emitToString() }
}

/// One log line per request: method, route, status and milliseconds (never a body or a key).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = TreuContext

    func handle(_ request: Request, context: TreuContext, next: (Request, TreuContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let duration = ContinuousClock.now - start
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "unmatched")", "status": "\(response.status.code)",
            "ms": "\(Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)",
        ])
        return response
    }
}
