import Foundation
import GRDB
import TreuCore

/// The embedded default: one SQLite file in WAL mode (or memory, for tests), written through
/// GRDB's synchronous API with cached statements on its single writer.
///
/// Durability: `.normal` (the default) survives a killed process but may lose the last commits
/// on power loss; `.full` survives both at about a fifth of the write rate.
public final class SQLiteStore: Store {
    public enum Durability: String, Sendable, CaseIterable {
        case normal, full
    }

    public let backendName = "sqlite"
    public let concurrentWriters = 1
    let writer: any DatabaseWriter
    private let checkpointer: SQLiteCheckpointer?

    /// Reads run synchronously on the calling thread: in WAL mode a read never waits for the
    /// writer, and a thread hop would cost more than the read. Writes go through GRDB's async
    /// `write`, which waits off the caller's thread when another process holds the write lock.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    /// A read of many rows (a report's scan, a page of the whole shop): on GRDB's own reader
    /// thread, so that it never holds one of the server's cooperative threads while it reads.
    func scan<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await writer.read(body)
    }

    /// What a process mostly writes, which decides how long the writer lets the log grow.
    public enum WriteLoad: Sendable {
        /// Requests, each waiting for its answer: the writer checkpoints at SQLite's default of
        /// 1,000 log pages, a short stop because the checkpointer has copied most of them already.
        case requests
        /// An import or a demo: the writer checkpoints only past 16,384 pages (64 MiB), fewer
        /// stops in all (an import of 92,314 events: 3,838/3,638 -> 4,419/4,233 orders/s).
        case bulk

        var writerCheckpointPages: Int { self == .requests ? 1_000 : 16_384 }
    }

    /// Opens (creating if needed) the database at `path`; `nil` opens a private in-memory database.
    public init(path: String?, durability: Durability = .normal, load: WriteLoad = .requests) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL")")
            // 64 MiB of page cache per connection (SQLite's default is 2 MiB): an import or a busy
            // server otherwise rereads the same index pages from the file system all the time.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // The log is copied back by a checkpointer of its own (below); what it has not copied
            // when the log reaches the load's size, the writer copies, and only then can the
            // log start again from its beginning. A log started again is cut back to 32 MiB.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(load.writerCheckpointPages)")
            try db.execute(sql: "PRAGMA journal_size_limit = \(32 << 20)")
        }
        if let path {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            writer = try DatabasePool(path: path, configuration: configuration)
            checkpointer = try SQLiteCheckpointer(path: path)
        } else {
            writer = try DatabaseQueue(configuration: configuration)
            checkpointer = nil
        }
    }

    public func close() async throws {
        try checkpointer?.stop()
        try writer.close()
    }

    public func ping() async throws {
        _ = try read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    // MARK: Migrations

    public func schemaVersion() async throws -> Int {
        try read { db in try Self.version(db) }
    }

    static func version(_ db: Database) throws -> Int {
        guard try db.tableExists("schema_migrations") else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0
    }

    public func migrate(to target: Int?) async throws -> [Int] {
        try await writer.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL)
                """)
            let current = try Self.version(db)
            guard current <= Migrations.latest else {
                throw MigrationError.newerThanThisBuild(current, latest: Migrations.latest)
            }
            let plan = try Migrations.plan(from: current, to: target)
            for step in plan.steps {
                for sql in plan.up ? step.sqliteUp : step.sqliteDown { try db.execute(sql: sql) }
                if plan.up {
                    try db.execute(sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                   arguments: [step.version, step.name, Millis.from(Date())])
                } else {
                    try db.execute(sql: "DELETE FROM schema_migrations WHERE version = ?", arguments: [step.version])
                }
            }
            return plan.steps.map(\.version)
        }
    }

    // MARK: Members

    public func enrol(_ member: Member, notices: [Notice]) async throws {
        try await writer.write { db in
            let key = try Self.insert(member, db)
            try Self.insert(notices, memberKey: key, db)
        }
    }

    public func importMembers(_ members: [Member], progress: (@Sendable (Int) -> Void)?) async throws {
        try await writer.write { db in
            for (index, member) in members.enumerated() {
                try Self.insert(member, db)
                if index % 1_000 == 999 { progress?(index + 1) }
            }
            progress?(members.count)
        }
    }

    /// Stores the member and its identities; returns its key.
    @discardableResult
    static func insert(_ member: Member, _ db: Database) throws -> Int64 {
        let record = MemberRecord(member)
        try db.cachedStatement(sql: "INSERT INTO members (\(MemberRecord.columns)) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
            .execute(arguments: [
                key(record.id), record.name, record.locale, record.birthday, record.attributes,
                record.consentEmail, record.consentEmailAt, record.consentSMS, record.consentSMSAt,
                record.status, record.searchText, record.createdAt, record.updatedAt,
            ])
        let memberKey = db.lastInsertedRowID
        for identity in member.identities {
            try insert(identity, memberKey: memberKey, at: record.createdAt, db)
        }
        return memberKey
    }

    static func insert(_ identity: Identity, memberKey: Int64, at millis: Int64, _ db: Database) throws {
        do {
            try db.cachedStatement(sql: "INSERT INTO identities (kind, value, member_key, created_at) VALUES (?,?,?,?)")
                .execute(arguments: [identity.kind.rawValue, identity.value, memberKey, millis])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
            || error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.identityTaken(identity)
        }
    }

    public func member(id: UUID) async throws -> Member? {
        try read { db in try Self.members(ids: [id], db).first }
    }

    public func member(holdingAnyOf identities: [Identity]) async throws -> Member? {
        try read { db in
            try Self.holder(of: identities, db).flatMap { try Self.members(ids: [$0], db).first }
        }
    }

    public func holders(of identities: [Identity]) async throws -> [Identity: UUID] {
        try read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT m.id FROM identities i JOIN members m ON m.key = i.member_key WHERE i.kind = ? AND i.value = ?
                """)
            var holders: [Identity: UUID] = [:]
            for identity in Set(identities) {
                if let id = try String.fetchOne(statement, arguments: [identity.kind.rawValue, identity.value]).flatMap(UUID.init(uuidString:)) {
                    holders[identity] = id
                }
            }
            return holders
        }
    }

    public func updateMember(id: UUID, notices: @Sendable (Member, Member) -> [Notice],
                             _ change: @Sendable (Member) throws -> Member) async throws -> Member {
        try await writer.write { db in
            guard let current = try Self.members(ids: [id], db).first else { throw StoreError.notFound }
            let changed = try change(current)
            guard changed != current else { return current }
            try Self.insert(notices(current, changed), memberKey: Self.requireMember(id, db), db)
            let record = MemberRecord(changed)
            try db.cachedStatement(sql: """
                UPDATE members SET name = ?, locale = ?, birthday = ?, attributes = ?, consent_email = ?,
                consent_email_at = ?, consent_sms = ?, consent_sms_at = ?, status = ?, search_text = ?, updated_at = ?
                WHERE id = ?
                """).execute(arguments: [
                    record.name, record.locale, record.birthday, record.attributes, record.consentEmail,
                    record.consentEmailAt, record.consentSMS, record.consentSMSAt, record.status,
                    record.searchText, record.updatedAt, Self.key(record.id),
                ])
            return changed
        }
    }

    public func add(_ identity: Identity, to memberID: UUID, at now: Date) async throws -> Member {
        try await writer.write { db in
            let memberKey = try Self.requireMember(memberID, db)
            try Self.insert(identity, memberKey: memberKey, at: Millis.from(now), db)
            return try Self.touch(memberID, now, db)
        }
    }

    public func remove(_ identity: Identity, from memberID: UUID, at now: Date) async throws -> Member {
        try await writer.write { db in
            let memberKey = try Self.requireMember(memberID, db)
            let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM identities WHERE member_key = ?", arguments: [memberKey]) ?? 0
            try db.execute(sql: "DELETE FROM identities WHERE kind = ? AND value = ? AND member_key = ?",
                           arguments: [identity.kind.rawValue, identity.value, memberKey])
            guard db.changesCount == 1 else { throw StoreError.identityNotHeld }
            guard held > 1 else { throw StoreError.lastIdentity }
            return try Self.touch(memberID, now, db)
        }
    }

    /// The member's key.
    /// - Throws: `StoreError.notFound` if there is no such member.
    @discardableResult
    static func requireMember(_ id: UUID, _ db: Database) throws -> Int64 {
        guard let memberKey = try memberKey(id, db) else { throw StoreError.notFound }
        return memberKey
    }

    /// The compact key the member's rows are stored under, if there is such a member.
    static func memberKey(_ id: UUID, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT key FROM members WHERE id = ?"), arguments: [key(id)])
    }

    /// After an identity came or went: stamps the member, rewrites its search text, returns it as it is now.
    static func touch(_ id: UUID, _ now: Date, _ db: Database) throws -> Member {
        guard var member = try members(ids: [id], db).first else { throw StoreError.notFound }
        member.updatedAt = now
        try db.execute(sql: "UPDATE members SET updated_at = ?, search_text = ? WHERE id = ?",
                       arguments: [Millis.from(now), member.searchText, key(id)])
        return member
    }

    public func members(_ query: MemberQuery) async throws -> Page<Member> {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let after = query.after {
                conditions.append("key > (SELECT key FROM members WHERE id = ?)")
                _ = arguments.append(contentsOf: [Self.key(after)])
            }
            if let status = query.status { conditions.append("status = ?"); _ = arguments.append(contentsOf: [status.rawValue]) }
            if let search = query.search {
                conditions.append("search_text LIKE ? ESCAPE '\\'")
                _ = arguments.append(contentsOf: [LikePattern.contains(search)])
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [query.limit + 1])
            let ids = try String.fetchAll(db, sql: "SELECT id FROM members \(filter) ORDER BY key LIMIT ?", arguments: arguments)
                .compactMap(UUID.init(uuidString:))
            let page = Array(ids.prefix(query.limit))
            let members = try Self.members(ids: page, db)
            return Page(items: members, nextCursor: ids.count > query.limit ? page.last.map(Cursor.encode) : nil)
        }
    }

    public func memberCount() async throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM members") ?? 0 }
    }

    /// The members with these ids, in the order given: two cached statements per member, which
    /// SQLite runs faster than preparing one query with a list of ids.
    static func members(ids: [UUID], _ db: Database) throws -> [Member] {
        let memberStatement = try db.cachedStatement(sql: "SELECT key, \(MemberRecord.columns) FROM members WHERE id = ?")
        let identityStatement = try db.cachedStatement(sql: "SELECT kind, value FROM identities WHERE member_key = ?")
        return try ids.compactMap { id in
            guard let memberRow = try Row.fetchOne(memberStatement, arguments: [Self.key(id)]) else { return nil }
            let memberKey: Int64 = memberRow[0]
            let identities = try Row.fetchAll(identityStatement, arguments: [memberKey]).compactMap { row in
                IdentityKind(rawValue: row[0]).map { Identity(normalizedKind: $0, value: row[1]) }
            }
            let row = memberRow  // the key, then MemberRecord.columns
            let record = MemberRecord(
                id: id, name: row[2], locale: row[3], birthday: row[4], attributes: row[5],
                consentEmail: row[6], consentEmailAt: row[7], consentSMS: row[8], consentSMSAt: row[9],
                status: row[10], searchText: row[11], createdAt: row[12], updatedAt: row[13])
            return try record.member(identities: identities)
        }
    }

    static func key(_ id: UUID) -> String { id.uuidString.lowercased() }

    // MARK: API keys

    public func insert(_ key: APIKey) async throws {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO api_keys (id, name, role, prefix, hash, created_at, revoked_at) VALUES (?,?,?,?,?,?,?)",
                           arguments: [Self.key(key.id), key.name, key.role.rawValue, key.prefix, key.hash,
                                       Millis.from(key.createdAt), key.revokedAt.map(Millis.from)])
        }
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT id, name, role, prefix, hash, created_at, revoked_at FROM api_keys WHERE hash = ?"),
                             arguments: [hash]).flatMap(Self.apiKey)
        }
    }

    public func apiKeys() async throws -> [APIKey] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, role, prefix, hash, created_at, revoked_at FROM api_keys ORDER BY created_at, id")
                .compactMap(Self.apiKey)
        }
    }

    static func apiKey(_ row: Row) -> APIKey? {
        guard let id = UUID(uuidString: row[0]), let role = Role(rawValue: row[2]) else { return nil }
        return APIKey(id: id, name: row[1], role: role, prefix: row[3], hash: row[4],
                      createdAt: Millis.date(row[5]), revokedAt: (row[6] as Int64?).map(Millis.date))
    }

    public func revokeAPIKey(id: UUID, at now: Date) async throws -> KeyRevocation {
        try await writer.write { db in
            guard let role = try String.fetchOne(db, sql: "SELECT role FROM api_keys WHERE id = ? AND revoked_at IS NULL", arguments: [Self.key(id)]) else {
                return .notFound
            }
            if role == Role.admin.rawValue,
               try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL") ?? 0 <= 1 {
                return .lastAdmin
            }
            try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                           arguments: [Millis.from(now), Self.key(id)])
            return .revoked
        }
    }

    // MARK: Idempotency

    public func claimIdempotencyKey(_ claim: IdempotencyClaim) async throws -> IdempotencyOutcome {
        try await writer.write { db in
            let now = Millis.from(claim.now)
            try db.execute(sql: """
                INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES (?,?,?,?)
                ON CONFLICT (scope, key) DO NOTHING
                """, arguments: [claim.scope, claim.key, claim.fingerprint, now])
            if db.changesCount == 1 { return .claimed }
            guard let row = try Row.fetchOne(db, sql: """
                SELECT fingerprint, status, content_type, body, created_at FROM idempotency_keys WHERE scope = ? AND key = ?
                """, arguments: [claim.scope, claim.key]) else { return .inProgress }
            let existing = IdempotencyRow(fingerprint: row[0], status: row[1], contentType: row[2], body: row[3], createdAt: row[4])
            let outcome = existing.outcome(for: claim)
            if outcome == .claimed {
                try db.execute(sql: "UPDATE idempotency_keys SET created_at = ? WHERE scope = ? AND key = ?",
                               arguments: [now, claim.scope, claim.key])
            }
            return outcome
        }
    }

    public func completeIdempotencyKey(scope: String, key: String, response: StoredResponse) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? WHERE scope = ? AND key = ?",
                           arguments: [response.status, response.contentType, response.body, scope, key])
        }
    }

    public func purgeIdempotencyKeys(claimedBefore cutoff: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE created_at < ?", arguments: [Millis.from(cutoff)])
            return db.changesCount
        }
    }

    public func releaseIdempotencyKey(scope: String, key: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND status IS NULL",
                           arguments: [scope, key])
        }
    }
}

/// A stored idempotency key, and what a new claim on it gets.
struct IdempotencyRow {
    var fingerprint: String
    var status: Int?
    var contentType: String?
    var body: Data?
    var createdAt: Int64

    func outcome(for claim: IdempotencyClaim) -> IdempotencyOutcome {
        guard fingerprint == claim.fingerprint else { return .mismatch }
        if let status {
            return .replay(StoredResponse(status: status, contentType: contentType ?? "application/json", body: body ?? Data()))
        }
        let age = Double(Millis.from(claim.now) - createdAt) / 1000
        return age > claim.staleAfter ? .claimed : .inProgress
    }
}

/// LIKE patterns with the wildcards of user text escaped.
enum LikePattern {
    static func contains(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }
}
