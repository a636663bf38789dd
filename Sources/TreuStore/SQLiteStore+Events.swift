import Foundation
import GRDB
import TreuCore

extension SQLiteStore {
    public func event(reference: String) async throws -> StoredEvent? {
        try read { db in try Self.event(reference: reference, db) }
    }

    public func events(after reference: String?, limit: Int) async throws -> [StoredEvent] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(JoinedColumns.event) FROM \(JoinedColumns.events)
                WHERE e.reference > ? ORDER BY e.reference LIMIT ?
                """),
                             arguments: [reference ?? "", limit]).compactMap(Self.storedEvent)
        }
    }

    static func event(reference: String, _ db: Database) throws -> StoredEvent? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(JoinedColumns.event) FROM \(JoinedColumns.events) WHERE e.reference = ?
            """),
                         arguments: [reference]).flatMap(storedEvent)
    }

    /// `reference, kind, member id, payload` as a stored event.
    static func storedEvent(_ row: Row) -> StoredEvent? {
        UUID(uuidString: row[2]).map { StoredEvent(reference: row[0], kind: row[1], member: $0, payload: row[3]) }
    }

    public func recordEvents(_ events: [EventDraft], at now: Date, dryRun: Bool,
                             _ change: @Sendable (inout MemberLedger, EventContext) throws -> EventAnswer) async throws -> [EventOutcome] {
        guard !events.isEmpty else { return [] }
        // One writer: the events of a batch, and batches, run one after the other; each sees the ones before.
        return try await writer.writeWithoutTransaction { db in
            var outcomes: [EventOutcome] = []
            try db.inTransaction {
                outcomes = try events.enumerated().map { index, event in try Self.record(event, index: index, now: now, change, db) }
                return dryRun ? .rollback : .commit
            }
            return outcomes
        }
    }

    private static func record(_ event: EventDraft, index: Int, now: Date,
                               _ change: (inout MemberLedger, EventContext) throws -> EventAnswer, _ db: Database) throws -> EventOutcome {
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT fingerprint, response FROM events WHERE reference = ?"),
                                      arguments: [event.reference]) {
            return (row[0] as String) == event.fingerprint ? .replay(row[1]) : .mismatch
        }
        var source: StoredEvent?
        var earlier: [String] = []
        var sourceCoupons: [Coupon] = []
        if let reference = event.source {
            source = try Self.event(reference: reference, db)
            earlier = try String.fetchAll(db.cachedStatement(sql: "SELECT payload FROM events WHERE source = ? ORDER BY created_at, reference"),
                                          arguments: [reference])
            sourceCoupons = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(JoinedColumns.coupon) FROM \(JoinedColumns.coupons) WHERE c.earned_by = ?
                UNION SELECT \(JoinedColumns.coupon) FROM \(JoinedColumns.coupons) WHERE c.order_reference = ? ORDER BY 1
                """), arguments: [reference, reference]).compactMap(Self.coupon)
        }
        let holder = try event.member.identities.flatMap { try Self.holder(of: $0, db) }
        let resolution: MemberResolution
        do { resolution = try event.resolveMember(source: source, holder: holder) } catch EventRefusal.identityHeld {
            let taken = try event.member.identities?.first { try Self.holder(of: [$0], db) != nil }
            return .refused(taken.map(StoreError.identityTaken) ?? EventRefusal.identityHeld)
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
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT key, status, birthday FROM members WHERE id = ?"),
                                             arguments: [key(id)]) else {
                return .refused(EventRefusal.memberNotFound)
            }
            (memberID, memberKey, active) = (id, row[0], (row[1] as String) == MemberStatus.active.rawValue)
            birthday = (row[2] as String?).flatMap { try? CalendarDate($0) }
            ledger = try loadLedger(row[0], source: event.source, db)
        }
        var tallied: [Date] = []
        if let tally = event.tally, event.readsTally, newMember == nil {
            tallied = try Int64.fetchAll(db.cachedStatement(sql: "SELECT occurred_at FROM events WHERE member_key = ? AND tally = ? ORDER BY occurred_at"),
                                         arguments: [memberKey, tally]).map(Millis.date)
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
        if let newMember { memberKey = try insert(newMember, db) }
        guard let memberKey else { preconditionFailure("a member is either found or enrolled") }
        try save(ledger, of: memberKey, db)
        for coupon in answer.coupons { try insert(coupon, origin: nil, db) }
        for code in answer.cancelCoupons {
            try db.execute(sql: "UPDATE coupons SET status = 'cancelled', used_at = ? WHERE code = ? AND status = 'issued'", arguments: [Millis.from(now), code])
        }
        for code in answer.reissueCoupons {
            try db.execute(sql: "UPDATE coupons SET status = 'issued', used_at = NULL, order_reference = NULL WHERE code = ? AND status = 'used' AND order_reference = ?",
                           arguments: [code, event.source])
        }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO events (reference, kind, member_key, source, fingerprint, payload, occurred_at, response, created_at, tally, amount)
            VALUES (?,?,?,?,?,?,?,?,?,?,?)
            """)
        try insert.execute(arguments: [event.reference, event.kind, memberKey, event.source, event.fingerprint,
                                       answer.payload ?? event.payload, Millis.from(event.occurredAt), response, Millis.from(now),
                                       answer.counts ? event.tally : nil, event.amount])
        for companion in answer.companions {
            try insert.execute(arguments: [companion.reference, companion.kind, memberKey, nil, CompanionEvent.fingerprint,
                                           companion.payload, Millis.from(companion.occurredAt), Data(), Millis.from(now), companion.tally, nil])
        }
        return .recorded(response)
    }

    public func programVersions() async throws -> [StoredProgram] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT version, effective_from, document, created_at, created_by FROM programs ORDER BY version").map { row in
                StoredProgram(version: row[0], effectiveFrom: Millis.date(row[1]), document: row[2], createdAt: Millis.date(row[3]), createdBy: row[4])
            }
        }
    }

    public func addProgramVersion(document: String, effectiveFrom: Date, createdAt: Date, createdBy: String?) async throws -> StoredProgram {
        try await writer.write { db in
            let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM programs") ?? 0) + 1
            try db.execute(sql: "INSERT INTO programs (version, effective_from, document, created_at, created_by) VALUES (?,?,?,?,?)",
                           arguments: [version, Millis.from(effectiveFrom), document, Millis.from(createdAt), createdBy])
            return StoredProgram(version: version, effectiveFrom: effectiveFrom, document: document, createdAt: createdAt, createdBy: createdBy)
        }
    }

    /// The id of the member holding the first of `identities` that anyone holds.
    static func holder(of identities: [Identity], _ db: Database) throws -> UUID? {
        let statement = try db.cachedStatement(sql: """
            SELECT m.id FROM identities i JOIN members m ON m.key = i.member_key WHERE i.kind = ? AND i.value = ?
            """)
        for identity in identities {
            if let id = try String.fetchOne(statement, arguments: [identity.kind.rawValue, identity.value]) {
                return UUID(uuidString: id)
            }
        }
        return nil
    }
}
