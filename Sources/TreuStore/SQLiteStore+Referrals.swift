import Foundation
import GRDB
import TreuCore

extension SQLiteStore {
    public func referralCode(of member: UUID, at now: Date, propose: @Sendable () -> String) async throws -> String {
        if let code = try read({ db in
            try String.fetchOne(db, sql: "SELECT code FROM referral_codes WHERE member_key = (SELECT key FROM members WHERE id = ?)",
                                arguments: [Self.key(member)])
        }) {
            return code
        }
        return try await writer.write { db in
            let memberKey = try Self.requireMember(member, db)
            for _ in 0..<20 {
                if let code = try String.fetchOne(db, sql: "SELECT code FROM referral_codes WHERE member_key = ?", arguments: [memberKey]) {
                    return code
                }
                let proposal = propose()
                try db.execute(sql: "INSERT OR IGNORE INTO referral_codes (code, member_key, created_at) VALUES (?, ?, ?)",
                               arguments: [proposal, memberKey, Millis.from(now)])
                if db.changesCount == 1 { return proposal }
            }
            throw ReferralCodeExhausted()
        }
    }

    public func member(referralCode code: String) async throws -> UUID? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT m.id FROM referral_codes r JOIN members m ON m.key = r.member_key WHERE r.code = ?",
                                arguments: [code]).flatMap(UUID.init(uuidString:))
        }
    }

    public func refer(id: UUID, code: String, referred: UUID, at now: Date,
                      _ decide: @Sendable (ReferralFacts) -> ReferralRefusal?) async throws -> Referral {
        try await writer.write { db in
            guard let referrerRow = try Row.fetchOne(db, sql: """
                    SELECT m.key, m.id FROM referral_codes r JOIN members m ON m.key = r.member_key WHERE r.code = ?
                    """, arguments: [code]),
                  let referrerID = UUID(uuidString: referrerRow[1]),
                  let referredKey = try Self.memberKey(referred, db),
                  let referrer = try Self.members(ids: [referrerID], db).first,
                  let friend = try Self.members(ids: [referred], db).first else { throw StoreError.notFound }
            let referrerKey: Int64 = referrerRow[0]
            let facts = ReferralFacts(
                referrer: referrer, referred: friend,
                referredOrders: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE member_key = ? AND kind = 'order'",
                                                 arguments: [referredKey]) ?? 0,
                alreadyReferred: try Int.fetchOne(db, sql: "SELECT 1 FROM referrals WHERE referred_key = ? AND status <> 'refused'",
                                                  arguments: [referredKey]) != nil,
                referrerUses: try Int64.fetchAll(db, sql: """
                    SELECT created_at FROM referrals WHERE referrer_key = ? AND status NOT IN ('refused', 'cancelled')
                    """, arguments: [referrerKey]).map(Millis.date))
            let refusal = decide(facts)
            let referral = Referral(id: id, code: code, referrer: referrerID, referred: referred,
                                    status: refusal == nil ? .pending : .refused, reason: refusal?.rawValue, createdAt: now)
            try db.execute(sql: """
                INSERT INTO referrals (id, code, referrer_key, referred_key, status, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Self.key(id), code, referrerKey, referredKey, referral.status.rawValue, referral.reason,
                                 Millis.from(now)])
            return referral
        }
    }

    public func referrals(by referrer: UUID) async throws -> [Referral] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(JoinedColumns.referral) FROM \(JoinedColumns.referrals)
                WHERE r.referrer_key = (SELECT key FROM members WHERE id = ?) ORDER BY r.created_at, r.id
                """,
                             arguments: [Self.key(referrer)]).compactMap(Self.referral)
        }
    }

    public func referral(of referred: UUID) async throws -> Referral? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT \(JoinedColumns.referral) FROM \(JoinedColumns.referrals)
                WHERE r.referred_key = (SELECT key FROM members WHERE id = ?) AND r.status <> 'refused'
                """,
                             arguments: [Self.key(referred)]).flatMap(Self.referral)
        }
    }

    public func referrals(after id: UUID?, limit: Int) async throws -> [Referral] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(JoinedColumns.referral) FROM \(JoinedColumns.referrals) WHERE r.id > ? ORDER BY r.id LIMIT ?",
                             arguments: [id.map(Self.key) ?? "", limit]).compactMap(Self.referral)
        }
    }

    public func referralsToSettle(at now: Date, limit: Int) async throws -> [(referral: Referral, ordersSeen: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(JoinedColumns.referral), r.orders_seen FROM \(JoinedColumns.referrals)
                WHERE (r.status = 'qualified' AND r.due_at <= ?)
                   OR (r.status = 'pending' AND r.orders_seen < (SELECT COUNT(*) FROM events e WHERE e.member_key = r.referred_key AND e.kind = 'order'))
                ORDER BY r.id LIMIT ?
                """, arguments: [Millis.from(now), limit]).compactMap { row in Self.referral(row).map { ($0, row[10]) } }
        }
    }

    public func updateReferral(_ referral: Referral, expected: ReferralStatus, ordersSeen: Int) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE referrals SET status = ?, reason = ?, order_reference = ?, due_at = ?, settled_at = ?, orders_seen = ?
                WHERE id = ? AND status = ?
                """, arguments: [referral.status.rawValue, referral.reason, referral.order, referral.dueAt.map(Millis.from),
                                 referral.settledAt.map(Millis.from), ordersSeen, Self.key(referral.id), expected.rawValue])
            return db.changesCount == 1
        }
    }


    static func referral(_ row: Row) -> Referral? {
        guard let id = UUID(uuidString: row[0]), let referrer = UUID(uuidString: row[2]), let referred = UUID(uuidString: row[3]),
              let status = ReferralStatus(rawValue: row[4]) else { return nil }
        return Referral(id: id, code: row[1], referrer: referrer, referred: referred, status: status, reason: row[5],
                        createdAt: Millis.date(row[6]), order: row[7], dueAt: (row[8] as Int64?).map(Millis.date),
                        settledAt: (row[9] as Int64?).map(Millis.date))
    }
}

/// Twenty proposed referral codes in a row belonged to others: the code space is full (or the
/// proposals are not random).
public struct ReferralCodeExhausted: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "no free referral code was found in 20 tries" }
}
