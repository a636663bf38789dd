import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs one statement. (A plain `query` with a string literal would pick postgres-nio's
    /// older future-returning overload; this one takes only bound `PostgresQuery` values.)
    @discardableResult
    func run(_ query: PostgresQuery, _ logger: Logger) async throws -> PostgresRowSequence {
        try await self.query(query, logger: logger)
    }
}

extension PostgresClient {
    @discardableResult
    func run(_ query: PostgresQuery, _ logger: Logger) async throws -> PostgresRowSequence {
        try await self.query(query, logger: logger)
    }
}

extension AsyncSequence where Self: Sendable {
    /// Every element, in order.
    func all() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
