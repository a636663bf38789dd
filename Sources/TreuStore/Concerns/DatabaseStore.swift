import Foundation
import TreuCore

/// The database itself: which engine, its schema version, whether it answers.
public protocol DatabaseStore: Sendable {
    /// Which engine this is, for logs and `/ready`.
    var backendName: String { get }
    /// How many write transactions gain from running at once: 1 for SQLite's single writer; more
    /// for PostgreSQL, where a transaction mostly waits for round trips.
    var concurrentWriters: Int { get }

    /// Applies (or, with a lower `target`, reverts) numbered migrations; returns the versions applied or reverted.
    @discardableResult
    func migrate(to target: Int?) async throws -> [Int]
    /// The highest migration applied (0 on an empty database).
    func schemaVersion() async throws -> Int
    /// The schema as the engine describes it, a line per table, column, key, constraint and index,
    /// sorted, without names the engine makes up itself: two databases at one version give the
    /// same lines however they got there (a migration's revert restores what was).
    func schemaShape() async throws -> [String]
    /// Succeeds when the database answers a query.
    func ping() async throws
    /// Releases connections. The store is unusable afterwards.
    func close() async throws
}
