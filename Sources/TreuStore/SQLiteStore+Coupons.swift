import Foundation
import GRDB
import TreuCore

extension SQLiteStore {
    public func redeem(_ coupon: Coupon, origin: String?, stock: Int?, countingSince: Date?,
                       _ change: @Sendable (inout MemberLedger, _ issuedSince: Int) throws -> Void) async throws -> Coupon {
        try await writer.write { db in
            let memberKey = try Self.requireMember(coupon.member, db)
            if let origin, let issued = try Row.fetchOne(db, sql: "SELECT \(JoinedColumns.coupon) FROM \(JoinedColumns.coupons) WHERE c.origin = ?",
                                                         arguments: [origin]).flatMap(Self.coupon) {
                return issued
            }
            let issued = try countingSince.map { since in
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM coupons WHERE member_key = ? AND reward_id = ? AND issued_at >= ? AND status <> 'cancelled'
                    """, arguments: [memberKey, coupon.rewardID, Millis.from(since)]) ?? 0
            } ?? 0
            var ledger = try Self.loadLedger(memberKey, source: nil, db)
            try change(&ledger, issued)
            try db.execute(sql: """
                INSERT INTO reward_stock (reward_id, issued) VALUES (?, 1)
                ON CONFLICT (reward_id) DO UPDATE SET issued = issued + 1 WHERE reward_stock.issued < ?
                """, arguments: [coupon.rewardID, stock ?? Int.max])
            guard db.changesCount == 1, stock.map({ $0 > 0 }) ?? true else { throw CouponRefusal.outOfStock }
            try Self.save(ledger, of: memberKey, db)
            try Self.insert(coupon, origin: origin, db)
            return coupon
        }
    }

    public func coupon(code: String) async throws -> Coupon? {
        try read { db in try Self.coupon(code, db) }
    }

    public func coupons(of member: UUID) async throws -> [Coupon] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(JoinedColumns.coupon) FROM \(JoinedColumns.coupons)
                WHERE c.member_key = (SELECT key FROM members WHERE id = ?) ORDER BY c.issued_at DESC, c.code
                """,
                             arguments: [Self.key(member)]).compactMap(Self.coupon)
        }
    }

    public func coupons(ofRewards rewards: [String], status: CouponStatus, after: String?, limit: Int) async throws -> [Coupon] {
        guard !rewards.isEmpty else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(JoinedColumns.coupon) FROM \(JoinedColumns.coupons) WHERE c.reward_id IN (\(databaseQuestionMarks(count: rewards.count)))
                AND c.status = ? AND c.code > ? ORDER BY c.code LIMIT ?
                """, arguments: StatementArguments(rewards) + [status.rawValue, after ?? "", limit]).compactMap(Self.coupon)
        }
    }

    public func rewardTotals(_ rewards: [String]) async throws -> [String: RewardTotal] {
        guard !rewards.isEmpty else { return [:] }
        return try read { db in
            var totals: [String: RewardTotal] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT reward_id, COUNT(*), COALESCE(SUM(points), 0), COUNT(DISTINCT member_key) FROM coupons
                WHERE reward_id IN (\(databaseQuestionMarks(count: rewards.count))) AND status <> 'cancelled' GROUP BY reward_id
                """, arguments: StatementArguments(rewards)) {
                totals[row[0]] = RewardTotal(coupons: row[1], points: row[2], members: row[3])
            }
            return totals
        }
    }

    public func namedDonations() async throws -> [String: RewardTotal] {
        try await scan { db in
            var totals: [String: RewardTotal] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT reason, COUNT(*), -SUM(points), COUNT(DISTINCT member_key) FROM ledger_entries
                WHERE kind = 'donation' AND event IS NULL AND reason IS NOT NULL GROUP BY reason
                """) {
                totals[row[0]] = RewardTotal(coupons: row[1], points: row[2], members: row[3])
            }
            return totals
        }
    }

    public func useCoupon(code: String, order: String, at now: Date, notices: @Sendable (Coupon) -> [Notice],
                          _ check: @Sendable (Coupon, [CodeOnOrder]) -> CouponRefusal?) async throws -> Result<Coupon, CouponRefusal> {
        // One writer at a time: the other codes of the order cannot change until this commits.
        try await writer.write { db in
            guard let coupon = try Self.coupon(code, db) else { return .failure(.couponNotFound) }
            if coupon.status == .used, coupon.order == order { return .success(coupon) }
            if let refusal = check(coupon, try Self.codes(onOrder: order, except: code, db)) { return .failure(refusal) }
            try db.execute(sql: "UPDATE coupons SET status = 'used', used_at = ?, order_reference = ? WHERE code = ? AND status = 'issued'",
                           arguments: [Millis.from(now), order, code])
            guard db.changesCount == 1 else { return .failure(.used) }
            let used = try Self.coupon(code, db) ?? coupon
            try Self.insert(notices(used), memberKey: nil, db)
            return .success(used)
        }
    }

    public func codes(onOrder order: String, except code: String) async throws -> [CodeOnOrder] {
        try read { db in try Self.codes(onOrder: order, except: code, db) }
    }

    static func codes(onOrder order: String, except code: String, _ db: Database) throws -> [CodeOnOrder] {
        let coupons = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT code, reward_id FROM coupons WHERE order_reference = ? AND status = 'used' AND code <> ?
            """), arguments: [order, code]).map { CodeOnOrder(code: $0[0], rewardID: $0[1]) }
        let campaigns = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT c.code, k.id, k.reward FROM campaign_codes c JOIN coupon_campaigns k ON k.id = c.campaign_id
            WHERE c.order_reference = ? AND c.status = 'used' AND c.code <> ?
            """), arguments: [order, code]).map { row in
            CodeOnOrder(code: row[0], campaignReward: Reward(campaign: row[1], document: row[2]))
        }
        return (coupons + campaigns).sorted { $0.code < $1.code }
    }

    public func voidCoupon(code: String, order: String) async throws -> Result<Coupon, CouponRefusal> {
        try await writer.write { db in
            guard let coupon = try Self.coupon(code, db) else { return .failure(.couponNotFound) }
            if coupon.status == .issued { return .success(coupon) }
            try db.execute(sql: """
                UPDATE coupons SET status = 'issued', used_at = NULL, order_reference = NULL WHERE code = ? AND status = 'used' AND order_reference = ?
                """, arguments: [code, order])
            guard db.changesCount == 1 else { return .failure(coupon.status == .cancelled ? .cancelled : .used) }
            return .success(try Self.coupon(code, db) ?? coupon)
        }
    }

    public func cancelCoupon(code: String, order: String?, at now: Date, _ check: @Sendable (Coupon) -> CouponRefusal?,
                             refund: @Sendable (inout MemberLedger, _ spent: [(points: Int, expiresAt: Date?)]) -> Void) async throws -> Result<Coupon, CouponRefusal> {
        try await writer.write { db in
            guard let coupon = try Self.coupon(code, db) else { return .failure(.couponNotFound) }
            if coupon.status == .cancelled, let order, coupon.order == order { return .success(coupon) }
            if let refusal = check(coupon) { return .failure(refusal) }
            try db.execute(sql: "UPDATE coupons SET status = 'cancelled', used_at = ?, order_reference = ? WHERE code = ? AND status = ?",
                           arguments: [Millis.from(now), order, code, coupon.status.rawValue])
            guard db.changesCount == 1 else { return .failure(.cancelled) }
            try db.execute(sql: "UPDATE reward_stock SET issued = issued - 1 WHERE reward_id = ? AND issued > 0", arguments: [coupon.rewardID])
            let key = try Self.requireMember(coupon.member, db)
            let taken = try String.fetchAll(db, sql: "SELECT lots FROM ledger_entries WHERE member_key = ? AND event = ? AND kind = 'debit'",
                                            arguments: [key, Coupon.redemptionEvent(code)]).flatMap(LotChanges.decode)
            var spent: [(points: Int, expiresAt: Date?)] = []
            for change in taken {
                let lot = try Row.fetchOne(db, sql: "SELECT expires_at FROM lots WHERE member_key = ? AND id = ?", arguments: [key, change.lot])
                spent.append((-change.change, (lot?[0] as Int64?).map(Millis.date)))
            }
            if !spent.isEmpty {
                var ledger = try Self.loadLedger(key, source: nil, db)
                refund(&ledger, spent)
                try Self.save(ledger, of: key, db)
            }
            return .success(try Self.coupon(code, db) ?? coupon)
        }
    }

    static func insert(_ coupon: Coupon, origin: String?, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO coupons (code, reward_id, member_key, points, status, issued_at, expires_at, used_at, origin, earned_by)
            VALUES (?, ?, (SELECT key FROM members WHERE id = ?), ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [coupon.code, coupon.rewardID, key(coupon.member), coupon.points, coupon.status.rawValue,
                             Millis.from(coupon.issuedAt), Millis.from(coupon.expiresAt), coupon.usedAt.map(Millis.from), origin, coupon.earnedBy])
    }


    public func remindExpiringCoupons(after: Date, through: Date, at now: Date, limit: Int,
                                      notice: @Sendable (Coupon) -> [Notice]) async throws -> Int {
        try await writer.write { db in
            let coupons = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(JoinedColumns.coupon) FROM \(JoinedColumns.coupons)
                WHERE c.status = 'issued' AND c.reminded_at IS NULL AND c.expires_at > ? AND c.expires_at <= ? ORDER BY c.expires_at, c.code LIMIT ?
                """), arguments: [Millis.from(after), Millis.from(through), limit]).compactMap(Self.coupon)
            let mark = try db.cachedStatement(sql: "UPDATE coupons SET reminded_at = ? WHERE code = ?")
            for coupon in coupons {
                try mark.execute(arguments: [Millis.from(now), coupon.code])
                try Self.insert(notice(coupon), memberKey: nil, db)
            }
            return coupons.count
        }
    }

    static func coupon(_ code: String, _ db: Database) throws -> Coupon? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(JoinedColumns.coupon) FROM \(JoinedColumns.coupons) WHERE c.code = ?"), arguments: [code]).flatMap(coupon)
    }

    static func coupon(_ row: Row) -> Coupon? {
        guard let member = UUID(uuidString: row[2]), let status = CouponStatus(rawValue: row[4]) else { return nil }
        return Coupon(code: row[0], rewardID: row[1], member: member, points: row[3], status: status, issuedAt: Millis.date(row[5]),
                      expiresAt: Millis.date(row[6]), usedAt: (row[7] as Int64?).map(Millis.date), order: row[8], earnedBy: row[9])
    }
}
