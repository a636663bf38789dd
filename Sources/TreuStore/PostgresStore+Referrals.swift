import Foundation
import Logging
import PostgresNIO
import TreuCore

extension PostgresStore {
    public func referralCode(of member: UUID, at now: Date, propose: @Sendable () -> String) async throws -> String {
        let logger = self.logger
        func stored() async throws -> String? {
            try await client.run("SELECT code FROM referral_codes WHERE member_id = \(member)", logger).decode(String.self).all().first
        }
        if let code = try await stored() { return code }
        guard try await self.member(id: member) != nil else { throw StoreError.notFound }
        for _ in 0..<20 {
            // A taken code or a code given to this member at the same moment: either way, ask again.
            try await client.run("""
                INSERT INTO referral_codes (code, member_id, created_at) VALUES (\(propose()), \(member), \(Millis.from(now)))
                ON CONFLICT DO NOTHING
                """, logger)
            if let code = try await stored() { return code }
        }
        throw ReferralCodeExhausted()
    }

    public func member(referralCode code: String) async throws -> UUID? {
        try await client.run("SELECT member_id FROM referral_codes WHERE code = \(code)", logger).decode(UUID.self).all().first
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
                    guard let referrerID = try await connection.run("SELECT member_id FROM referral_codes WHERE code = \(code) FOR UPDATE", logger)
                        .decode(UUID.self).all().first,
                          let referrer = try await Self.members(ids: [referrerID], connection, logger).first,
                          let friend = try await Self.members(ids: [referred], connection, logger).first else { throw StoreError.notFound }
                    let orders = try await connection.run(
                        "SELECT COUNT(*)::int8 FROM events WHERE member_id = \(referred) AND kind = 'order'", logger).decode(Int64.self).all()
                    let referredBefore = try await connection.run(
                        "SELECT 1::int4 FROM referrals WHERE referred_id = \(referred) AND status <> 'refused'", logger).decode(Int32.self).all()
                    let uses = try await connection.run("""
                        SELECT created_at FROM referrals WHERE referrer_id = \(referrerID) AND status NOT IN ('refused', 'cancelled')
                        """, logger).decode(Int64.self).all()
                    let facts = ReferralFacts(referrer: referrer, referred: friend, referredOrders: Int(orders.first ?? 0),
                                              alreadyReferred: !referredBefore.isEmpty, referrerUses: uses.map(Millis.date))
                    let refusal = decide(facts)
                    let referral = Referral(id: id, code: code, referrer: referrerID, referred: referred,
                                            status: refusal == nil ? .pending : .refused, reason: refusal?.rawValue, createdAt: now)
                    try await connection.run("""
                        INSERT INTO referrals (id, code, referrer_id, referred_id, status, reason, created_at)
                        VALUES (\(id), \(code), \(referrerID), \(referred), \(referral.status.rawValue), \(referral.reason), \(Millis.from(now)))
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
        try await referrals(where: "referrer_id = $1 ORDER BY created_at, id", [referrer])
    }

    public func referral(of referred: UUID) async throws -> Referral? {
        try await referrals(where: "referred_id = $1 AND status <> 'refused'", [referred]).first
    }

    public func referrals(after id: UUID?, limit: Int) async throws -> [Referral] {
        if let id { return try await referrals(where: "id > $1 ORDER BY id LIMIT \(Int(limit))", [id]) }
        return try await referrals(where: "true ORDER BY id LIMIT \(Int(limit))", [])
    }

    public func referralsToSettle(at now: Date, limit: Int) async throws -> [(referral: Referral, ordersSeen: Int)] {
        let rows = try await client.run("""
            SELECT \(unescaped: Self.referralColumns), orders_seen FROM referrals r
            WHERE (status = 'qualified' AND due_at <= \(Millis.from(now)))
               OR (status = 'pending' AND orders_seen < (SELECT COUNT(*) FROM events e WHERE e.member_id = r.referred_id AND e.kind = 'order'))
            ORDER BY id LIMIT \(limit)
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
        let rows = try await client.run(PostgresQuery(unsafeSQL: "SELECT \(Self.referralColumns) FROM referrals WHERE \(filter)", binds: bindings), logger)
        var found: [Referral] = []
        for try await row in rows {
            if let referral = try Self.referral(row.makeRandomAccess()) { found.append(referral) }
        }
        return found
    }

    static let referralColumns = "id, code, referrer_id, referred_id, status, reason, created_at, order_reference, due_at, settled_at"

    static func referral(_ c: PostgresRandomAccessRow) throws -> Referral? {
        guard let status = ReferralStatus(rawValue: try c[4].decode(String.self)) else { return nil }
        return Referral(id: try c[0].decode(UUID.self), code: try c[1].decode(String.self), referrer: try c[2].decode(UUID.self),
                        referred: try c[3].decode(UUID.self), status: status, reason: try c[5].decode(String?.self),
                        createdAt: Millis.date(try c[6].decode(Int64.self)), order: try c[7].decode(String?.self),
                        dueAt: try c[8].decode(Int64?.self).map(Millis.date), settledAt: try c[9].decode(Int64?.self).map(Millis.date))
    }
}
