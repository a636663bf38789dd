import Foundation
import Logging
import PostgresNIO
import TreuCore

extension PostgresStore {
    public func event(reference: String) async throws -> StoredEvent? {
        try await client.withConnection { connection in try await Self.event(reference: reference, connection, self.logger) }
    }

    public func events(after reference: String?, limit: Int) async throws -> [StoredEvent] {
        try await client.run("""
            SELECT \(unescaped: JoinedColumns.event) FROM \(unescaped: JoinedColumns.events)
            WHERE e.reference > \(reference ?? "") ORDER BY e.reference LIMIT \(limit)
            """, logger).decode((String, String, UUID, String).self).all().map { StoredEvent(reference: $0.0, kind: $0.1, member: $0.2, payload: $0.3) }
    }

    static func event(reference: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> StoredEvent? {
        try await connection.run("""
            SELECT \(unescaped: JoinedColumns.event) FROM \(unescaped: JoinedColumns.events) WHERE e.reference = \(reference)
            """, logger)
            .decode((String, String, UUID, String).self).all().first.map { StoredEvent(reference: $0.0, kind: $0.1, member: $0.2, payload: $0.3) }
    }

    public func recordEvents(_ events: [EventDraft], at now: Date, dryRun: Bool,
                             _ change: @Sendable (inout MemberLedger, EventContext) throws -> EventAnswer) async throws -> [EventOutcome] {
        guard !events.isEmpty else { return [] }
        let logger = self.logger
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await transaction(rollingBack: dryRun) { connection in
                    // Which references are recorded already, for the whole batch in one round trip;
                    // only those are read one by one (for their fingerprint and answer). One that
                    // another transaction records meanwhile fails this one's insert, and the batch
                    // runs again (below), then seeing it.
                    var recorded = Set(try await connection.run("""
                        SELECT reference FROM events WHERE reference = ANY(\(events.map(\.reference)))
                        """, logger).decode(String.self).all())
                    var outcomes: [EventOutcome] = []
                    outcomes.reserveCapacity(events.count)
                    for (index, event) in events.enumerated() {
                        outcomes.append(try await Self.record(event, index: index, now: now, recorded: &recorded, change, connection, logger))
                    }
                    return outcomes
                }
            } catch let error as PSQLError where attempt < 5 && Self.isRace(error) {
                // Another transaction recorded the same reference or enrolled the same identity a
                // moment ago (a unique violation), or two batches locked members in opposite orders
                // (a deadlock): nothing of this batch was written; run it again, it now sees theirs.
                continue
            } catch StoreError.identityTaken where attempt < 5 {
                continue
            }
        }
    }

    static func isRace(_ error: PSQLError) -> Bool {
        ["23505", "40P01", "40001"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// Records one event of a batch; `recorded` holds the batch's references recorded before it
    /// (by earlier transactions, or earlier in this batch).
    private static func record(_ event: EventDraft, index: Int, now: Date, recorded: inout Set<String>,
                               _ change: (inout MemberLedger, EventContext) throws -> EventAnswer,
                               _ connection: PostgresConnection, _ logger: Logger) async throws -> EventOutcome {
        if recorded.contains(event.reference), let outcome = try await outcome(ofRecorded: event, connection, logger) { return outcome }
        var source: StoredEvent?
        var earlier: [String] = []
        var sourceCoupons: [Coupon] = []
        if let reference = event.source {
            source = try await Self.event(reference: reference, connection, logger)
            earlier = try await connection.run("SELECT payload FROM events WHERE source = \(reference) ORDER BY created_at, reference", logger)
                .decode(String.self).all()
            sourceCoupons = try await coupons(connection.run("""
                SELECT \(unescaped: JoinedColumns.coupon) FROM \(unescaped: JoinedColumns.coupons) WHERE c.earned_by = \(reference)
                UNION SELECT \(unescaped: JoinedColumns.coupon) FROM \(unescaped: JoinedColumns.coupons) WHERE c.order_reference = \(reference) ORDER BY 1
                """, logger))
        }
        var holder: UUID?
        if let identities = event.member.identities { holder = try await Self.holder(of: identities, connection, logger) }
        let resolution: MemberResolution
        do { resolution = try event.resolveMember(source: source, holder: holder) } catch EventRefusal.identityHeld {
            for identity in event.member.identities ?? [] where try await Self.holder(of: [identity], connection, logger) != nil {
                return .refused(StoreError.identityTaken(identity))
            }
            return .refused(EventRefusal.identityHeld)
        } catch { return .refused(error) }
        var newMember: Member?
        let memberID: UUID
        var memberKey: Int64?
        let active: Bool
        var birthday: CalendarDate?
        var ledger: MemberLedger
        switch resolution {
        case .new(let member):
            (newMember, memberID, active, ledger) = (member, member.id, member.status == .active, MemberLedger())
            birthday = member.birthday
        case .existing(let id):
            // The member's lock: two events of one member run one after the other. The same
            // reference sent twice at once fails the second's insert: its batch runs again.
            guard let row = try await connection.run("SELECT key, status, birthday FROM members WHERE id = \(id) FOR UPDATE", logger)
                .decode((Int64, String, String?).self).all().first else {
                return .refused(EventRefusal.memberNotFound)
            }
            (memberID, memberKey, active) = (id, row.0, row.1 == MemberStatus.active.rawValue)
            birthday = row.2.flatMap { try? CalendarDate($0) }
            ledger = try await loadLedger(row.0, source: event.source, connection, logger)
        }
        var tallied: [Date] = []
        if let tally = event.tally, event.readsTally, newMember == nil {
            tallied = try await connection.run("SELECT occurred_at FROM events WHERE member_key = \(memberKey) AND tally = \(tally) ORDER BY occurred_at", logger)
                .decode(Int64.self).all().map(Millis.date)
        }
        let context = EventContext(index: index, member: memberID, memberActive: active, birthday: birthday, enrolled: newMember != nil,
                                   source: source, earlier: earlier, tallied: tallied, sourceCoupons: sourceCoupons)
        let answer: EventAnswer
        do {
            answer = try change(&ledger, context)
        } catch {
            return .refused(error)
        }
        let response = answer.response
        if let newMember { memberKey = try await insert([newMember], connection, logger)[newMember.id] }
        guard let memberKey else { preconditionFailure("a member is either found or enrolled") }
        try await save(ledger, of: memberKey, connection, logger)
        for coupon in answer.coupons { try await insert(coupon, origin: nil, connection, logger) }
        if !answer.cancelCoupons.isEmpty {
            try await connection.run("""
                UPDATE coupons SET status = 'cancelled', used_at = \(Millis.from(now)) WHERE code = ANY(\(answer.cancelCoupons)) AND status = 'issued'
                """, logger)
        }
        if !answer.reissueCoupons.isEmpty {
            try await connection.run("""
                UPDATE coupons SET status = 'issued', used_at = NULL, order_reference = NULL
                WHERE code = ANY(\(answer.reissueCoupons)) AND status = 'used' AND order_reference = \(event.source)
                """, logger)
        }
        try await connection.run("""
            INSERT INTO events (reference, kind, member_key, source, fingerprint, payload, occurred_at, response, created_at, tally, amount)
            VALUES (\(event.reference), \(event.kind), \(memberKey), \(event.source), \(event.fingerprint), \(answer.payload ?? event.payload),
                    \(Millis.from(event.occurredAt)), \(response), \(Millis.from(now)), \(answer.counts ? event.tally : nil), \(event.amount.map(Int64.init)))
            """, logger)
        for companion in answer.companions {
            try await connection.run("""
                INSERT INTO events (reference, kind, member_key, source, fingerprint, payload, occurred_at, response, created_at, tally, amount)
                VALUES (\(companion.reference), \(companion.kind), \(memberKey), NULL, \(CompanionEvent.fingerprint), \(companion.payload),
                        \(Millis.from(companion.occurredAt)), \(Data()), \(Millis.from(now)), \(companion.tally), NULL)
                """, logger)
        }
        recorded.insert(event.reference)
        return .recorded(response)
    }

    public func programVersions() async throws -> [StoredProgram] {
        try await client.run("SELECT version, effective_from, document, created_at, created_by FROM programs ORDER BY version", logger)
            .decode((Int, Int64, String, Int64, String?).self).all()
            .map { StoredProgram(version: $0.0, effectiveFrom: Millis.date($0.1), document: $0.2, createdAt: Millis.date($0.3), createdBy: $0.4) }
    }

    public func addProgramVersion(document: String, effectiveFrom: Date, createdAt: Date, createdBy: String?) async throws -> StoredProgram {
        let logger = self.logger
        return try await transaction { connection in
            // One new version at a time: the table lock orders concurrent writers.
            try await connection.run("LOCK TABLE programs IN EXCLUSIVE MODE", logger)
            let version = (try await connection.run("SELECT COALESCE(MAX(version), 0) FROM programs", logger).decode(Int.self).all().first ?? 0) + 1
            try await connection.run("""
                INSERT INTO programs (version, effective_from, document, created_at, created_by)
                VALUES (\(version), \(Millis.from(effectiveFrom)), \(document), \(Millis.from(createdAt)), \(createdBy))
                """, logger)
            return StoredProgram(version: version, effectiveFrom: effectiveFrom, document: document, createdAt: createdAt, createdBy: createdBy)
        }
    }

    /// The outcome for an event whose reference is recorded already.
    private static func outcome(ofRecorded event: EventDraft, _ connection: PostgresConnection, _ logger: Logger) async throws -> EventOutcome? {
        try await connection.run("SELECT fingerprint, response FROM events WHERE reference = \(event.reference)", logger)
            .decode((String, Data).self).all().first.map { $0.0 == event.fingerprint ? .replay($0.1) : .mismatch }
    }

    /// The id of the member holding the first of `identities` that anyone holds.
    static func holder(of identities: [Identity], _ connection: PostgresConnection, _ logger: Logger) async throws -> UUID? {
        guard !identities.isEmpty else { return nil }
        let kinds = identities.map(\.kind.rawValue)
        let values = identities.map(\.value)
        return try await connection.run("""
            SELECT m.id FROM identities i
            JOIN unnest(\(kinds)::text[], \(values)::text[]) WITH ORDINALITY AS q(kind, value, n)
              ON i.kind = q.kind AND i.value = q.value
            JOIN members m ON m.key = i.member_key
            ORDER BY q.n LIMIT 1
            """, logger).decode(UUID.self).all().first
    }
}
