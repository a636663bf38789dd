import Foundation
import Logging
import PostgresNIO
import TreuCore

extension PostgresStore {
    public func referralCode(of member: UUID, at now: Date, propose: @Sendable () -> String) async throws -> String {
        let logger = self.logger
        func stored() async throws -> String? {
            try await client.run("SELECT code FROM referral_codes WHERE member_key = (SELECT key FROM members WHERE id = \(member))", logger)
                .decode(String.self).all().first
        }
        if let code = try await stored() { return code }
        guard let memberKey = try await client.withConnection({ try await Self.memberKey(member, $0, logger) }) else { throw StoreError.notFound }
        for _ in 0..<20 {
            // A taken code or a code given to this member at the same moment: either way, ask again.
            try await client.run("""
                INSERT INTO referral_codes (code, member_key, created_at) VALUES (\(propose()), \(memberKey), \(Millis.from(now)))
                ON CONFLICT DO NOTHING
                """, logger)
            if let code = try await stored() { return code }
        }
        throw ReferralCodeExhausted()
    }

    public func member(referralCode code: String) async throws -> UUID? {
        try await client.run("SELECT m.id FROM referral_codes r JOIN members m ON m.key = r.member_key WHERE r.code = \(code)", logger)
            .decode(UUID.self).all().first
    }

    public func refer(id: UUID, code: String, referred: UUID, at now: Date,
                      _ decide: @Sendable (ReferralFacts) -> ReferralRefusal?) async throws -> Referral {
        let logger = self.logger
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await transaction { connection in
                    // The code's row lock: referrals with one code are made one at a time, each counting the others.
                    guard let (referrerKey, referrerID) = try await connection.run("""
                            SELECT m.key, m.id FROM referral_codes r JOIN members m ON m.key = r.member_key WHERE r.code = \(code) FOR UPDATE OF r
                            """, logger).decode((Int64, UUID).self).all().first,
                          let referredKey = try await Self.memberKey(referred, connection, logger),
                          let referrer = try await Self.members(ids: [referrerID], connection, logger).first,
                          let friend = try await Self.members(ids: [referred], connection, logger).first else { throw StoreError.notFound }
                    let orders = try await connection.run(
                        "SELECT COUNT(*)::int8 FROM events WHERE member_key = \(referredKey) AND kind = 'order'", logger).decode(Int64.self).all()
                    let referredBefore = try await connection.run(
                        "SELECT 1::int4 FROM referrals WHERE referred_key = \(referredKey) AND status <> 'refused'", logger).decode(Int32.self).all()
                    let uses = try await connection.run("""
                        SELECT created_at FROM referrals WHERE referrer_key = \(referrerKey) AND status NOT IN ('refused', 'cancelled')
                        """, logger).decode(Int64.self).all()
                    let facts = ReferralFacts(referrer: referrer, referred: friend, referredOrders: Int(orders.first ?? 0),
                                              alreadyReferred: !referredBefore.isEmpty, referrerUses: uses.map(Millis.date))
                    let refusal = decide(facts)
                    let referral = Referral(id: id, code: code, referrer: referrerID, referred: referred,
                                            status: refusal == nil ? .pending : .refused, reason: refusal?.rawValue, createdAt: now)
                    try await connection.run("""
                        INSERT INTO referrals (id, code, referrer_key, referred_key, status, reason, created_at)
                        VALUES (\(id), \(code), \(referrerKey), \(referredKey), \(referral.status.rawValue), \(referral.reason), \(Millis.from(now)))
                        """, logger)
                    return referral
                }
            } catch let error as PSQLError where attempt < 3 && Self.isRace(error) {
                // The friend was referred by another code at the same moment: the next try sees it.
                continue
            }
        }
    }

    public func referrals(by referrer: UUID) async throws -> [Referral] {
        try await referrals(where: "a.id = $1 ORDER BY r.created_at, r.id", [referrer])
    }

    public func referral(of referred: UUID) async throws -> Referral? {
        try await referrals(where: "b.id = $1 AND r.status <> 'refused'", [referred]).first
    }

    public func referrals(after id: UUID?, limit: Int) async throws -> [Referral] {
        if let id { return try await referrals(where: "r.id > $1 ORDER BY r.id LIMIT \(Int(limit))", [id]) }
        return try await referrals(where: "true ORDER BY r.id LIMIT \(Int(limit))", [])
    }

    public func referralsToSettle(at now: Date, limit: Int) async throws -> [(referral: Referral, ordersSeen: Int)] {
        let rows = try await client.run("""
            SELECT \(unescaped: JoinedColumns.referral), r.orders_seen FROM \(unescaped: JoinedColumns.referrals)
            WHERE (r.status = 'qualified' AND r.due_at <= \(Millis.from(now)))
               OR (r.status = 'pending' AND r.orders_seen < (SELECT COUNT(*) FROM events e WHERE e.member_key = r.referred_key AND e.kind = 'order'))
            ORDER BY r.id LIMIT \(limit)
            """, logger)
        var found: [(Referral, Int)] = []
        for try await row in rows {
            let c = row.makeRandomAccess()
            if let referral = try Self.referral(c) { found.append((referral, Int(try c[10].decode(Int32.self)))) }
        }
        return found
    }

    public func updateReferral(_ referral: Referral, expected: ReferralStatus, ordersSeen: Int) async throws -> Bool {
        let rows = try await client.run("""
            UPDATE referrals SET status = \(referral.status.rawValue), reason = \(referral.reason), order_reference = \(referral.order),
            due_at = \(referral.dueAt.map(Millis.from)), settled_at = \(referral.settledAt.map(Millis.from)), orders_seen = \(Int32(ordersSeen))
            WHERE id = \(referral.id) AND status = \(expected.rawValue) RETURNING id
            """, logger).decode(UUID.self).all()
        return !rows.isEmpty
    }

    private func referrals(where filter: String, _ ids: [UUID]) async throws -> [Referral] {
        var bindings = PostgresBindings()
        for id in ids { bindings.append(id) }
        let rows = try await client.run(PostgresQuery(unsafeSQL: "SELECT \(JoinedColumns.referral) FROM \(JoinedColumns.referrals) WHERE \(filter)",
                                                           binds: bindings), logger)
        var found: [Referral] = []
        for try await row in rows {
            if let referral = try Self.referral(row.makeRandomAccess()) { found.append(referral) }
        }
        return found
    }

    static func referral(_ c: PostgresRandomAccessRow) throws -> Referral? {
        guard let status = ReferralStatus(rawValue: try c[4].decode(String.self)) else { return nil }
        return Referral(id: try c[0].decode(UUID.self), code: try c[1].decode(String.self), referrer: try c[2].decode(UUID.self),
                        referred: try c[3].decode(UUID.self), status: status, reason: try c[5].decode(String?.self),
                        createdAt: Millis.date(try c[6].decode(Int64.self)), order: try c[7].decode(String?.self),
                        dueAt: try c[8].decode(Int64?.self).map(Millis.date), settledAt: try c[9].decode(Int64?.self).map(Millis.date))
    }
}
