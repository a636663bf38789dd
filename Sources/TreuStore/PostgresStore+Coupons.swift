import Foundation
import Logging
import PostgresNIO
import TreuCore

extension PostgresStore {
    public func redeem(_ coupon: Coupon, origin: String?, stock: Int?, countingSince: Date?,
                       _ change: @Sendable (inout MemberLedger, _ issuedSince: Int) throws -> Void) async throws -> Coupon {
        let logger = self.logger
        return try await transaction { connection in
            let memberKey = try await Self.lockMember(coupon.member, connection, logger)
            // A prize is the member's: under their lock, a second issue finds the first.
            if let origin, let issued = try await Self.coupons(connection.run(
                "SELECT \(unescaped: JoinedColumns.coupon) FROM \(unescaped: JoinedColumns.coupons) WHERE c.origin = \(origin)", logger)).first {
                return issued
            }
            var issued = 0
            if let since = countingSince {
                issued = Int(try await connection.run("""
                    SELECT COUNT(*)::int8 FROM coupons WHERE member_key = \(memberKey) AND reward_id = \(coupon.rewardID)
                    AND issued_at >= \(Millis.from(since)) AND status <> 'cancelled'
                    """, logger).decode(Int64.self).all().first ?? 0)
            }
            var ledger = try await Self.loadLedger(memberKey, source: nil, connection, logger)
            try change(&ledger, issued)
            // The reward's row lock: redemptions of one reward take its stock one at a time.
            let taken = try await connection.run("""
                INSERT INTO reward_stock (reward_id, issued) VALUES (\(coupon.rewardID), 1)
                ON CONFLICT (reward_id) DO UPDATE SET issued = reward_stock.issued + 1 WHERE reward_stock.issued < \(stock ?? Int.max)
                RETURNING issued
                """, logger).decode(Int64.self).all()
            guard !taken.isEmpty, stock.map({ $0 > 0 }) ?? true else { throw CouponRefusal.outOfStock }
            try await Self.save(ledger, of: memberKey, connection, logger)
            try await Self.insert(coupon, origin: origin, connection, logger)
            return coupon
        }
    }

    public func coupon(code: String) async throws -> Coupon? {
        try await client.withConnection { try await Self.coupon(code, $0, self.logger) }
    }

    public func coupons(of member: UUID) async throws -> [Coupon] {
        try await Self.coupons(client.run("""
            SELECT \(unescaped: JoinedColumns.coupon) FROM \(unescaped: JoinedColumns.coupons) WHERE m.id = \(member)
            ORDER BY c.issued_at DESC, c.code
            """, logger))
    }

    public func coupons(ofRewards rewards: [String], status: CouponStatus, after: String?, limit: Int) async throws -> [Coupon] {
        try await Self.coupons(client.run("""
            SELECT \(unescaped: JoinedColumns.coupon) FROM \(unescaped: JoinedColumns.coupons)
            WHERE c.reward_id = ANY(\(rewards)::text[]) AND c.status = \(status.rawValue) AND c.code > \(after ?? "") ORDER BY c.code LIMIT \(limit)
            """, logger))
    }

    public func rewardTotals(_ rewards: [String]) async throws -> [String: RewardTotal] {
        var totals: [String: RewardTotal] = [:]
        for try await (reward, coupons, points, members) in try await client.run("""
            SELECT reward_id, COUNT(*)::int8, COALESCE(SUM(points), 0)::int8, COUNT(DISTINCT member_key)::int8 FROM coupons
            WHERE reward_id = ANY(\(rewards)::text[]) AND status <> 'cancelled' GROUP BY reward_id
            """, logger).decode((String, Int64, Int64, Int64).self) {
            totals[reward] = RewardTotal(coupons: Int(coupons), points: Int(points), members: Int(members))
        }
        return totals
    }

    public func useCoupon(code: String, order: String, at now: Date, notices: @Sendable (Coupon) -> [Notice],
                          _ check: @Sendable (Coupon, [CodeOnOrder]) -> CouponRefusal?) async throws -> Result<Coupon, CouponRefusal> {
        let logger = self.logger
        return try await transaction { connection in
            guard let coupon = try await Self.coupon(code, connection, logger, lock: true) else { return .failure(.couponNotFound) }
            if coupon.status == .used, coupon.order == order { return .success(coupon) }
            let others = try await Self.codes(onOrder: order, except: code, connection, logger, lock: true)
            if let refusal = check(coupon, others) { return .failure(refusal) }
            guard coupon.status == .issued else { return .failure(.used) }
            try await connection.run("""
                UPDATE coupons SET status = 'used', used_at = \(Millis.from(now)), order_reference = \(order) WHERE code = \(code)
                """, logger)
            let used = try await Self.coupon(code, connection, logger) ?? coupon
            try await Self.insert(notices(used), memberKey: nil, connection, logger)
            return .success(used)
        }
    }

    public func codes(onOrder order: String, except code: String) async throws -> [CodeOnOrder] {
        try await client.withConnection { connection in try await Self.codes(onOrder: order, except: code, connection, self.logger, lock: false) }
    }

    /// With `lock`, first takes the order's transaction lock (an advisory lock on its
    /// reference's hash): codes for one order are used one after the other.
    static func codes(onOrder order: String, except code: String, _ connection: PostgresConnection, _ logger: Logger,
                      lock: Bool) async throws -> [CodeOnOrder] {
        if lock { try await connection.run("SELECT pg_advisory_xact_lock(hashtextextended(\("order:" + order), 0))", logger) }
        var found: [CodeOnOrder] = []
        for try await (code, reward) in try await connection.run("""
            SELECT code, reward_id FROM coupons WHERE order_reference = \(order) AND status = 'used' AND code <> \(code)
            """, logger).decode((String, String).self) {
            found.append(CodeOnOrder(code: code, rewardID: reward))
        }
        for try await (code, campaign, document) in try await connection.run("""
            SELECT c.code, k.id, k.reward FROM campaign_codes c JOIN coupon_campaigns k ON k.id = c.campaign_id
            WHERE c.order_reference = \(order) AND c.status = 'used' AND c.code <> \(code)
            """, logger).decode((String, UUID, String).self) {
            found.append(CodeOnOrder(code: code, campaignReward: Reward(campaign: campaign.uuidString.lowercased(), document: document)))
        }
        return found.sorted { $0.code < $1.code }
    }

    public func voidCoupon(code: String, order: String) async throws -> Result<Coupon, CouponRefusal> {
        let logger = self.logger
        return try await transaction { connection in
            guard let coupon = try await Self.coupon(code, connection, logger, lock: true) else { return .failure(.couponNotFound) }
            if coupon.status == .issued { return .success(coupon) }
            guard coupon.status == .used, coupon.order == order else { return .failure(coupon.status == .cancelled ? .cancelled : .used) }
            try await connection.run("UPDATE coupons SET status = 'issued', used_at = NULL, order_reference = NULL WHERE code = \(code)", logger)
            return .success(try await Self.coupon(code, connection, logger) ?? coupon)
        }
    }

    public func cancelCoupon(code: String, order: String?, at now: Date, _ check: @Sendable (Coupon) -> CouponRefusal?,
                             refund: @Sendable (inout MemberLedger, _ spent: [(points: Int, expiresAt: Date?)]) -> Void) async throws -> Result<Coupon, CouponRefusal> {
        let logger = self.logger
        return try await transaction { connection in
            guard let coupon = try await Self.coupon(code, connection, logger, lock: true) else { return .failure(.couponNotFound) }
            if coupon.status == .cancelled, let order, coupon.order == order { return .success(coupon) }
            if let refusal = check(coupon) { return .failure(refusal) }
            try await connection.run("""
                UPDATE coupons SET status = 'cancelled', used_at = \(Millis.from(now)), order_reference = \(order) WHERE code = \(code)
                """, logger)
            try await connection.run("UPDATE reward_stock SET issued = issued - 1 WHERE reward_id = \(coupon.rewardID) AND issued > 0", logger)
            let spent = try await connection.run("""
                SELECT -c.change, l.expires_at FROM ledger_entries e
                CROSS JOIN LATERAL unnest(string_to_array(e.lots, ',')) AS pair(text)
                CROSS JOIN LATERAL (SELECT split_part(pair.text, ':', 1)::int8 AS lot, split_part(pair.text, ':', 2)::int8 AS change) c
                JOIN lots l ON l.member_key = e.member_key AND l.id = c.lot
                WHERE e.member_key = (SELECT key FROM members WHERE id = \(coupon.member)) AND e.event = \(Coupon.redemptionEvent(code)) AND e.kind = 'debit'
                """, logger).decode((Int64, Int64?).self).all().map { (points: Int($0.0), expiresAt: $0.1.map(Millis.date)) }
            if !spent.isEmpty {
                let memberKey = try await Self.lockMember(coupon.member, connection, logger)
                var ledger = try await Self.loadLedger(memberKey, source: nil, connection, logger)
                refund(&ledger, spent)
                try await Self.save(ledger, of: memberKey, connection, logger)
            }
            return .success(try await Self.coupon(code, connection, logger) ?? coupon)
        }
    }

    public func namedDonations() async throws -> [String: RewardTotal] {
        var totals: [String: RewardTotal] = [:]
        for try await (reason, count, points, members) in try await client.run("""
            SELECT reason, COUNT(*)::int8, (-SUM(points))::int8, COUNT(DISTINCT member_key)::int8 FROM ledger_entries
            WHERE kind = 'donation' AND event IS NULL AND reason IS NOT NULL GROUP BY reason
            """, logger).decode((String, Int, Int, Int).self) {
            totals[reason] = RewardTotal(coupons: count, points: points, members: members)
        }
        return totals
    }

    static func insert(_ coupon: Coupon, origin: String?, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run("""
            INSERT INTO coupons (code, reward_id, member_key, points, status, issued_at, expires_at, used_at, origin, earned_by)
            VALUES (\(coupon.code), \(coupon.rewardID), (SELECT key FROM members WHERE id = \(coupon.member)), \(coupon.points), \(coupon.status.rawValue),
                    \(Millis.from(coupon.issuedAt)), \(Millis.from(coupon.expiresAt)), \(coupon.usedAt.map(Millis.from)), \(origin), \(coupon.earnedBy))
            """, logger)
    }

    /// The coupon with this code; with `lock`, its row is locked for the rest of the transaction.
    static func coupon(_ code: String, _ connection: PostgresConnection, _ logger: Logger, lock: Bool = false) async throws -> Coupon? {
        let query: PostgresQuery = lock
            ? "SELECT \(unescaped: JoinedColumns.coupon) FROM \(unescaped: JoinedColumns.coupons) WHERE c.code = \(code) FOR UPDATE OF c"
            : "SELECT \(unescaped: JoinedColumns.coupon) FROM \(unescaped: JoinedColumns.coupons) WHERE c.code = \(code)"
        return try await coupons(connection.run(query, logger)).first
    }

    public func remindExpiringCoupons(after: Date, through: Date, at now: Date, limit: Int,
                                      notice: @Sendable (Coupon) -> [Notice]) async throws -> Int {
        let logger = self.logger
        return try await transaction { connection in
            // Locked and skipped by another server's round: each coupon is told of once.
            let coupons = try await Self.coupons(connection.run("""
                SELECT \(unescaped: JoinedColumns.coupon) FROM \(unescaped: JoinedColumns.coupons)
                WHERE c.status = 'issued' AND c.reminded_at IS NULL AND c.expires_at > \(Millis.from(after))
                  AND c.expires_at <= \(Millis.from(through))
                ORDER BY c.expires_at, c.code LIMIT \(limit) FOR UPDATE OF c SKIP LOCKED
                """, logger))
            guard !coupons.isEmpty else { return 0 }
            try await connection.run("UPDATE coupons SET reminded_at = \(Millis.from(now)) WHERE code = ANY(\(coupons.map(\.code))::text[])", logger)
            try await Self.insert(coupons.flatMap(notice), memberKey: nil, connection, logger)
            return coupons.count
        }
    }

    static func coupons(_ rows: PostgresRowSequence) async throws -> [Coupon] {
        var found: [Coupon] = []
        for try await row in rows {
            let c = row.makeRandomAccess()
            guard let status = CouponStatus(rawValue: try c[4].decode(String.self)) else { continue }
            found.append(Coupon(code: try c[0].decode(String.self), rewardID: try c[1].decode(String.self), member: try c[2].decode(UUID.self),
                                points: try c[3].decode(Int.self), status: status, issuedAt: Millis.date(try c[5].decode(Int64.self)),
                                expiresAt: Millis.date(try c[6].decode(Int64.self)), usedAt: try c[7].decode(Int64?.self).map(Millis.date),
                                order: try c[8].decode(String?.self), earnedBy: try c[9].decode(String?.self)))
        }
        return found
    }
}
