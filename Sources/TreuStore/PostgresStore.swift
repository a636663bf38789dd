import Foundation
import Logging
import PostgresNIO
import TreuCore

/// The production store: PostgreSQL through postgres-nio's connection pool. Writes are batched
/// (arrays with `unnest`), never one round trip per row; any number of `treu serve` processes may
/// share one database.
public final class PostgresStore: Store {
    public let backendName = "postgres"
    /// Four: an import's round trips leave the machine half idle with one (measured), and the
    /// pool has 20 connections for the server's requests besides.
    public let concurrentWriters = 4
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    /// Connects to the database at `url` (`postgres://user[:password]@host[:port]/database`,
    /// with `?sslmode=` as libpq reads it; see `PostgresURL`).
    /// - Parameter schema: a schema to work in (it is created if missing); tests give each its own.
    public init(url: String, schema: String? = nil, logger: Logger = Logger(label: "treu.postgres")) throws {
        let settings = try PostgresURL(url)
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.user,
            password: settings.password, database: settings.database, tls: try settings.tls())
        if let schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        configuration.options.maximumConnections = 20
        // The pool warns when a query comes before `run()` has started, which is harmless here
        // (the query waits); its background log keeps to errors.
        var background = logger
        background.logLevel = .error
        client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.logger = logger
        let client = self.client
        runner = Task { await client.run() }
        self.schema = schema
    }

    let schema: String?

    /// Drops this store's own schema with everything in it (tests clean up with it).
    public func dropSchema() async throws {
        guard let schema else { return }
        try await client.run(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema.replacingOccurrences(of: "\"", with: ""))\" CASCADE"), logger)
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }

    /// Whether this store's connections to the server are encrypted (TLS).
    public func usesTLS() async throws -> Bool {
        try await client.run("SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)", logger)
            .decode(Bool.self).all().first ?? false
    }

    public func ping() async throws {
        try await client.run("SELECT 1", logger)
    }

    /// Runs `body` in one transaction on one connection; any error rolls it back and is rethrown as it was.
    /// Runs `body` in a transaction: committed if it returns (rolled back instead with
    /// `rollingBack`: a dry run), rolled back if it throws.
    func transaction<T: Sendable>(rollingBack: Bool = false, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await connection.run("BEGIN", self.logger)
            do {
                let value = try await body(connection)
                try await connection.run(rollingBack ? "ROLLBACK" : "COMMIT", self.logger)
                return value
            } catch {
                _ = try? await connection.run("ROLLBACK", self.logger)
                throw error
            }
        }
    }

    // MARK: Migrations

    public func schemaVersion() async throws -> Int {
        try await client.withConnection { try await Self.version($0, self.logger) }
    }

    static func version(_ connection: PostgresConnection, _ logger: Logger) async throws -> Int {
        let exists = try await connection.run("SELECT to_regclass('schema_migrations') IS NOT NULL", logger)
            .decode(Bool.self).all().first ?? false
        guard exists else { return 0 }
        return try await connection.run("SELECT COALESCE(MAX(version), 0)::int8 FROM schema_migrations", logger)
            .decode(Int.self).all().first ?? 0
    }

    public func migrate(to target: Int?) async throws -> [Int] {
        if let schema {
            try await client.run(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(schema.replacingOccurrences(of: "\"", with: ""))\""), logger)
        }
        let logger = self.logger
        return try await transaction { connection in
            // Several servers may start at once: one migrates, the others wait and find nothing to do.
            try await connection.run("SELECT pg_advisory_xact_lock(7283001)", logger)
            try await connection.run("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)
                """, logger)
            let current = try await Self.version(connection, logger)
            guard current <= Migrations.latest else {
                throw MigrationError.newerThanThisBuild(current, latest: Migrations.latest)
            }
            let plan = try Migrations.plan(from: current, to: target)
            for step in plan.steps {
                for sql in plan.up ? step.postgresUp : step.postgresDown {
                    try await connection.run(PostgresQuery(unsafeSQL: sql), logger)
                }
                if plan.up {
                    try await connection.run(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(step.version), \(step.name), \(Millis.from(Date())))",
                        logger)
                } else {
                    try await connection.run("DELETE FROM schema_migrations WHERE version = \(step.version)", logger)
                }
            }
            return plan.steps.map(\.version)
        }
    }

    // MARK: Members

    public func enrol(_ member: Member, notices: [Notice]) async throws {
        let logger = self.logger
        try await transaction { connection in
            let keys = try await Self.insert([member], connection, logger)
            try await Self.insert(notices, memberKey: keys[member.id], connection, logger)
        }
    }

    public func importMembers(_ members: [Member], progress: (@Sendable (Int) -> Void)?) async throws {
        guard !members.isEmpty else { return }
        let logger = self.logger
        try await transaction { connection in
            for start in stride(from: 0, to: members.count, by: 1_000) {
                let end = min(start + 1_000, members.count)
                try await Self.insert(Array(members[start..<end]), connection, logger)
                progress?(end)
            }
        }
    }

    /// Inserts members and their identities with one statement each (arrays and `unnest`).
    /// - Returns: the key each member was given.
    @discardableResult
    static func insert(_ members: [Member], _ connection: PostgresConnection, _ logger: Logger) async throws -> [UUID: Int64] {
        let records = members.map(MemberRecord.init)
        let ids = records.map(\.id)
        // text arrays cannot hold NULL here: U+0001 (refused in names) and -1 stand for it.
        let names = records.map { $0.name ?? "\u{1}" }
        let locales = records.map(\.locale)
        let birthdays = records.map { $0.birthday ?? "" }
        let attributes = records.map(\.attributes)
        let consentEmail = records.map(\.consentEmail)
        let consentEmailAt = records.map { $0.consentEmailAt ?? -1 }
        let consentSMS = records.map(\.consentSMS)
        let consentSMSAt = records.map { $0.consentSMSAt ?? -1 }
        let statuses = records.map(\.status)
        let searchTexts = records.map(\.searchText)
        let createdAt = records.map(\.createdAt)
        let updatedAt = records.map(\.updatedAt)
        var keys: [UUID: Int64] = [:]
        keys.reserveCapacity(members.count)
        for try await (id, key) in try await connection.run("""
            INSERT INTO members (\(unescaped: MemberRecord.columns))
            SELECT id, NULLIF(name, E'\\x01'), locale, NULLIF(birthday, ''), attributes, ce, NULLIF(cea, -1), cs, NULLIF(csa, -1), status, search_text, created_at, updated_at
            FROM unnest(\(ids)::uuid[], \(names)::text[], \(locales)::text[], \(birthdays)::text[],
                        \(attributes)::text[], \(consentEmail)::bool[], \(consentEmailAt)::int8[], \(consentSMS)::bool[],
                        \(consentSMSAt)::int8[], \(statuses)::text[], \(searchTexts)::text[], \(createdAt)::int8[], \(updatedAt)::int8[])
                AS t(id, name, locale, birthday, attributes, ce, cea, cs, csa, status, search_text, created_at, updated_at)
            RETURNING id, key
            """, logger).decode((UUID, Int64).self) {
            keys[id] = key
        }
        let pairs = members.flatMap { member in member.identities.map { (member, $0) } }
        try await insertIdentities(pairs.map(\.1), memberKeys: pairs.map { keys[$0.0.id] ?? 0 },
                                   at: pairs.map { Millis.from($0.0.createdAt) }, connection, logger)
        return keys
    }

    /// Inserts identities; if any is held already, throws `identityTaken` naming it (the caller's transaction rolls back).
    static func insertIdentities(_ identities: [Identity], memberKeys: [Int64], at millis: [Int64],
                                 _ connection: PostgresConnection, _ logger: Logger) async throws {
        let kinds = identities.map(\.kind.rawValue)
        let values = identities.map(\.value)
        let inserted = try await connection.run("""
            INSERT INTO identities (kind, value, member_key, created_at)
            SELECT * FROM unnest(\(kinds)::text[], \(values)::text[], \(memberKeys)::int8[], \(millis)::int8[])
            ON CONFLICT (kind, value) DO NOTHING
            RETURNING kind, value
            """, logger).decode((String, String).self).all()
        guard inserted.count < identities.count else { return }
        let done = Set(inserted.map { "\($0.0)\u{0}\($0.1)" })
        if let taken = identities.first(where: { !done.contains("\($0.kind.rawValue)\u{0}\($0.value)") }) {
            throw StoreError.identityTaken(taken)
        }
    }

    public func member(id: UUID) async throws -> Member? {
        try await client.withConnection { try await Self.members(ids: [id], $0, self.logger).first }
    }

    public func member(holdingAnyOf identities: [Identity]) async throws -> Member? {
        try await client.withConnection { connection in
            guard let id = try await Self.holder(of: identities, connection, self.logger) else { return nil }
            return try await Self.members(ids: [id], connection, self.logger).first
        }
    }

    public func holders(of identities: [Identity]) async throws -> [Identity: UUID] {
        let unique = Array(Set(identities))
        var holders: [Identity: UUID] = [:]
        for start in stride(from: 0, to: unique.count, by: 10_000) {
            let chunk = unique[start..<min(start + 10_000, unique.count)]
            let rows = try await client.run("""
                SELECT i.kind, i.value, m.id FROM identities i
                JOIN unnest(\(chunk.map(\.kind.rawValue))::text[], \(chunk.map(\.value))::text[]) AS q(kind, value)
                  ON i.kind = q.kind AND i.value = q.value
                JOIN members m ON m.key = i.member_key
                """, logger).decode((String, String, UUID).self).all()
            for (kind, value, member) in rows {
                guard let kind = IdentityKind(rawValue: kind) else { continue }
                holders[Identity(normalizedKind: kind, value: value)] = member
            }
        }
        return holders
    }

    public func updateMember(id: UUID, notices: @Sendable (Member, Member) -> [Notice],
                             _ change: @Sendable (Member) throws -> Member) async throws -> Member {
        let logger = self.logger
        return try await transaction { connection in
            let key = try await Self.lockMember(id, connection, logger)
            guard let current = try await Self.members(ids: [id], connection, logger).first else { throw StoreError.notFound }
            let changed = try change(current)
            guard changed != current else { return current }
            try await Self.insert(notices(current, changed), memberKey: key, connection, logger)
            let r = MemberRecord(changed)
            try await connection.run("""
                UPDATE members SET name = \(r.name), locale = \(r.locale), birthday = \(r.birthday), attributes = \(r.attributes),
                consent_email = \(r.consentEmail), consent_email_at = \(r.consentEmailAt), consent_sms = \(r.consentSMS),
                consent_sms_at = \(r.consentSMSAt), status = \(r.status), search_text = \(r.searchText), updated_at = \(r.updatedAt)
                WHERE id = \(r.id)
                """, logger)
            return changed
        }
    }

    public func add(_ identity: Identity, to memberID: UUID, at now: Date) async throws -> Member {
        let logger = self.logger
        return try await transaction { connection in
            let memberKey = try await Self.lockMember(memberID, connection, logger)
            try await Self.insertIdentities([identity], memberKeys: [memberKey], at: [Millis.from(now)], connection, logger)
            return try await Self.touch(memberID, now, connection, logger)
        }
    }

    public func remove(_ identity: Identity, from memberID: UUID, at now: Date) async throws -> Member {
        let logger = self.logger
        return try await transaction { connection in
            let memberKey = try await Self.lockMember(memberID, connection, logger)
            let held = try await connection.run("SELECT COUNT(*)::int8 FROM identities WHERE member_key = \(memberKey)", logger)
                .decode(Int.self).all().first ?? 0
            let deleted = try await connection.run("""
                DELETE FROM identities WHERE kind = \(identity.kind.rawValue) AND value = \(identity.value) AND member_key = \(memberKey)
                RETURNING kind
                """, logger).decode(String.self).all()
            guard deleted.count == 1 else { throw StoreError.identityNotHeld }
            guard held > 1 else { throw StoreError.lastIdentity }
            return try await Self.touch(memberID, now, connection, logger)
        }
    }

    /// Locks the member's row for the rest of the transaction, so changes to one member run one at a time.
    /// - Returns: the member's key.
    /// - Throws: `StoreError.notFound` if there is no such member.
    @discardableResult
    static func lockMember(_ id: UUID, _ connection: PostgresConnection, _ logger: Logger) async throws -> Int64 {
        guard let key = try await connection.run("SELECT key FROM members WHERE id = \(id) FOR UPDATE", logger)
            .decode(Int64.self).all().first else { throw StoreError.notFound }
        return key
    }

    /// After an identity came or went: stamps the member, rewrites its search text, returns it as it is now.
    static func touch(_ id: UUID, _ now: Date, _ connection: PostgresConnection, _ logger: Logger) async throws -> Member {
        guard var member = try await members(ids: [id], connection, logger).first else { throw StoreError.notFound }
        member.updatedAt = now
        try await connection.run(
            "UPDATE members SET updated_at = \(Millis.from(now)), search_text = \(member.searchText) WHERE id = \(id)", logger)
        return member
    }

    public func members(_ query: MemberQuery) async throws -> Page<Member> {
        var sql = "SELECT id FROM members WHERE true"
        var binds = PostgresBindings()
        if let after = query.after { binds.append(after); sql += " AND key > (SELECT key FROM members WHERE id = $\(binds.count))" }
        if let status = query.status { binds.append(status.rawValue); sql += " AND status = $\(binds.count)" }
        if let search = query.search {
            binds.append(LikePattern.contains(search)); sql += " AND search_text LIKE $\(binds.count) ESCAPE '\\'"
        }
        binds.append(query.limit + 1)
        sql += " ORDER BY key LIMIT $\(binds.count)"
        let statement = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await client.withConnection { connection in
            let ids = try await connection.run(statement, self.logger).decode(UUID.self).all()
            let page = Array(ids.prefix(query.limit))
            let members = try await Self.members(ids: page, connection, self.logger)
            return Page(items: members, nextCursor: ids.count > query.limit ? page.last.map(Cursor.encode) : nil)
        }
    }

    public func memberCount() async throws -> Int {
        try await client.run("SELECT COUNT(*)::int8 FROM members", logger).decode(Int.self).all().first ?? 0
    }

    /// The members with these ids, in the order given: two queries whatever the count.
    static func members(ids: [UUID], _ connection: PostgresConnection, _ logger: Logger) async throws -> [Member] {
        guard !ids.isEmpty else { return [] }
        var pairs: [(UUID, Identity)] = []
        for try await (id, kind, value) in try await connection.run(
            "SELECT m.id, i.kind, i.value FROM identities i JOIN members m ON m.key = i.member_key WHERE m.id = ANY(\(ids)::uuid[])", logger
        ).decode((UUID, String, String).self) {
            if let kind = IdentityKind(rawValue: kind) { pairs.append((id, Identity(normalizedKind: kind, value: value))) }
        }
        let identities = [Identity].grouped(pairs)
        var byID: [UUID: Member] = [:]
        let rows = try await connection.run(
            "SELECT \(unescaped: MemberRecord.columns) FROM members WHERE id = ANY(\(ids)::uuid[])", logger)
        for try await row in rows {
            let c = row.makeRandomAccess()
            let record = MemberRecord(
                id: try c[0].decode(UUID.self), name: try c[1].decode(String?.self), locale: try c[2].decode(String.self),
                birthday: try c[3].decode(String?.self), attributes: try c[4].decode(String.self),
                consentEmail: try c[5].decode(Bool.self), consentEmailAt: try c[6].decode(Int64?.self),
                consentSMS: try c[7].decode(Bool.self), consentSMSAt: try c[8].decode(Int64?.self),
                status: try c[9].decode(String.self), searchText: try c[10].decode(String.self),
                createdAt: try c[11].decode(Int64.self), updatedAt: try c[12].decode(Int64.self))
            byID[record.id] = try record.member(identities: identities[record.id] ?? [])
        }
        return ids.compactMap { byID[$0] }
    }
}

