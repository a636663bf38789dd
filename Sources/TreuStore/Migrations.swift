/// One numbered change to the schema, with its revert, written for each engine.
struct Migration: Sendable {
    let version: Int
    let name: String
    let sqliteUp: [String]
    let sqliteDown: [String]
    let postgresUp: [String]
    let postgresDown: [String]
}

/// The schema's history, in order. Never edit a migration that has shipped: add one.
///
/// Times are integer milliseconds since 1970 (UTC) in both engines, so both read them alike.
enum Migrations {
    /// Every migration, in order of version (the steps are in Migrations+Schema.swift,
    /// Migrations+Later.swift, Migrations+CompactKeys.swift, Migrations+Outbox.swift and Migrations+Messages.swift; new ones go on in Later's list).
    static let all: [Migration] = (schema + later + [compactKeys, outbox, messages]).sorted { $0.version < $1.version }

    static var latest: Int { all.last?.version ?? 0 }

    /// The migrations to run, in order, to go from `current` to `target` (up or down).
    static func plan(from current: Int, to target: Int?) throws -> (up: Bool, steps: [Migration]) {
        let target = target ?? latest
        guard (0...latest).contains(target) else { throw MigrationError.unknownVersion(target, latest: latest) }
        if target >= current {
            return (true, all.filter { $0.version > current && $0.version <= target })
        }
        return (false, all.filter { $0.version <= current && $0.version > target }.reversed())
    }
}

public enum MigrationError: Error, CustomStringConvertible {
    case unknownVersion(Int, latest: Int)
    case newerThanThisBuild(Int, latest: Int)

    public var description: String {
        switch self {
        case .unknownVersion(let v, let latest): "there is no schema version \(v) (this build knows 0 to \(latest))"
        case .newerThanThisBuild(let v, let latest):
            "the database is at schema version \(v), newer than this build of Treu knows (\(latest)); run a newer treu"
        }
    }
}
