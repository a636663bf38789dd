

extension Migrations {
    /// Versions 8 to 14 and 18 on: counters, amounts, referrals, coupons and campaigns, and their
    /// indexes (15, the members' compact keys, has a file of its own). A table added here that
    /// names a member names it by `member_key ... REFERENCES members(key)`.
    static let later: [Migration] = [
        Migration(
            version: 8, name: "rule counters per member (punch-card stamps, points towards caps)",
            sqliteUp: ["ALTER TABLE point_accounts ADD COLUMN counters TEXT NOT NULL DEFAULT '{}'"],
            sqliteDown: ["ALTER TABLE point_accounts DROP COLUMN counters"],
            postgresUp: ["ALTER TABLE point_accounts ADD COLUMN counters text NOT NULL DEFAULT '{}'"],
            postgresDown: ["ALTER TABLE point_accounts DROP COLUMN counters"]
        ),
        Migration(
            version: 9, name: "events: an order's net amount, for reports",
            sqliteUp: ["ALTER TABLE events ADD COLUMN amount INTEGER"],
            sqliteDown: ["ALTER TABLE events DROP COLUMN amount"],
            postgresUp: ["ALTER TABLE events ADD COLUMN amount bigint"],
            postgresDown: ["ALTER TABLE events DROP COLUMN amount"]
        ),
        Migration(
            version: 10, name: "referral codes and referrals",
            sqliteUp: [
                """
                CREATE TABLE referral_codes (
                    code TEXT PRIMARY KEY NOT NULL, member_id TEXT NOT NULL UNIQUE REFERENCES members(id), created_at INTEGER NOT NULL
                ) STRICT
                """,
                """
                CREATE TABLE referrals (
                    id TEXT PRIMARY KEY NOT NULL, code TEXT NOT NULL, referrer_id TEXT NOT NULL REFERENCES members(id),
                    referred_id TEXT NOT NULL REFERENCES members(id), status TEXT NOT NULL, reason TEXT, created_at INTEGER NOT NULL,
                    order_reference TEXT, due_at INTEGER, settled_at INTEGER, orders_seen INTEGER NOT NULL DEFAULT 0
                ) STRICT
                """,
                "CREATE UNIQUE INDEX referrals_referred ON referrals(referred_id) WHERE status <> 'refused'",
                "CREATE INDEX referrals_referrer ON referrals(referrer_id, created_at)",
                "CREATE INDEX referrals_open ON referrals(status, due_at) WHERE status IN ('pending', 'qualified')",
            ],
            sqliteDown: ["DROP TABLE referrals", "DROP TABLE referral_codes"],
            postgresUp: [
                """
                CREATE TABLE referral_codes (
                    code text PRIMARY KEY, member_id uuid NOT NULL UNIQUE REFERENCES members(id), created_at bigint NOT NULL
                )
                """,
                """
                CREATE TABLE referrals (
                    id uuid PRIMARY KEY, code text NOT NULL, referrer_id uuid NOT NULL REFERENCES members(id),
                    referred_id uuid NOT NULL REFERENCES members(id), status text NOT NULL, reason text, created_at bigint NOT NULL,
                    order_reference text, due_at bigint, settled_at bigint, orders_seen integer NOT NULL DEFAULT 0
                )
                """,
                "CREATE UNIQUE INDEX referrals_referred ON referrals(referred_id) WHERE status <> 'refused'",
                "CREATE INDEX referrals_referrer ON referrals(referrer_id, created_at)",
                "CREATE INDEX referrals_open ON referrals(status, due_at) WHERE status IN ('pending', 'qualified')",
            ],
            postgresDown: ["DROP TABLE referrals", "DROP TABLE referral_codes"]
        ),
        Migration(
            version: 11, name: "coupons, rewards' stock, coupon campaigns and their codes",
            sqliteUp: [
                """
                CREATE TABLE coupons (
                    code TEXT PRIMARY KEY NOT NULL, reward_id TEXT NOT NULL, member_id TEXT NOT NULL REFERENCES members(id),
                    points INTEGER NOT NULL, status TEXT NOT NULL, issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
                    used_at INTEGER, order_reference TEXT, origin TEXT
                ) STRICT
                """,
                "CREATE INDEX coupons_member ON coupons(member_id, reward_id, issued_at)",
                "CREATE UNIQUE INDEX coupons_origin ON coupons(origin) WHERE origin IS NOT NULL",
                "CREATE TABLE reward_stock (reward_id TEXT PRIMARY KEY NOT NULL, issued INTEGER NOT NULL) STRICT",
                """
                CREATE TABLE coupon_campaigns (
                    id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, reward TEXT NOT NULL, pattern TEXT NOT NULL, expires_at INTEGER,
                    budget_uses INTEGER, budget_money INTEGER, used_uses INTEGER NOT NULL DEFAULT 0, used_money INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                ) STRICT
                """,
                """
                CREATE TABLE campaign_codes (
                    code TEXT PRIMARY KEY NOT NULL, campaign_id TEXT NOT NULL REFERENCES coupon_campaigns(id), status TEXT NOT NULL,
                    used_at INTEGER, order_reference TEXT, discount INTEGER
                ) STRICT
                """,
                "CREATE INDEX campaign_codes_campaign ON campaign_codes(campaign_id, code)",
            ],
            sqliteDown: ["DROP TABLE campaign_codes", "DROP TABLE coupon_campaigns", "DROP TABLE reward_stock", "DROP TABLE coupons"],
            postgresUp: [
                """
                CREATE TABLE coupons (
                    code text PRIMARY KEY, reward_id text NOT NULL, member_id uuid NOT NULL REFERENCES members(id),
                    points bigint NOT NULL, status text NOT NULL, issued_at bigint NOT NULL, expires_at bigint NOT NULL,
                    used_at bigint, order_reference text, origin text
                )
                """,
                "CREATE INDEX coupons_member ON coupons(member_id, reward_id, issued_at)",
                "CREATE UNIQUE INDEX coupons_origin ON coupons(origin) WHERE origin IS NOT NULL",
                "CREATE TABLE reward_stock (reward_id text PRIMARY KEY, issued bigint NOT NULL)",
                """
                CREATE TABLE coupon_campaigns (
                    id uuid PRIMARY KEY, name text NOT NULL, reward text NOT NULL, pattern text NOT NULL, expires_at bigint,
                    budget_uses bigint, budget_money bigint, used_uses bigint NOT NULL DEFAULT 0, used_money bigint NOT NULL DEFAULT 0,
                    created_at bigint NOT NULL
                )
                """,
                """
                CREATE TABLE campaign_codes (
                    code text PRIMARY KEY, campaign_id uuid NOT NULL REFERENCES coupon_campaigns(id), status text NOT NULL,
                    used_at bigint, order_reference text, discount bigint
                )
                """,
                "CREATE INDEX campaign_codes_campaign ON campaign_codes(campaign_id, code)",
            ],
            postgresDown: ["DROP TABLE campaign_codes", "DROP TABLE coupon_campaigns", "DROP TABLE reward_stock", "DROP TABLE coupons"]
        ),
        Migration(
            version: 12, name: "coupons: the order that earned one (next-order coupons), and by reward (gifts, causes)",
            sqliteUp: ["ALTER TABLE coupons ADD COLUMN earned_by TEXT", "CREATE INDEX coupons_reward ON coupons(reward_id, status, code)"],
            sqliteDown: ["DROP INDEX coupons_reward", "ALTER TABLE coupons DROP COLUMN earned_by"],
            postgresUp: ["ALTER TABLE coupons ADD COLUMN earned_by text", "CREATE INDEX coupons_reward ON coupons(reward_id, status, code)"],
            postgresDown: ["DROP INDEX coupons_reward", "ALTER TABLE coupons DROP COLUMN earned_by"]
        ),
        Migration(
            // Every index is written with each row: fewer of them is what makes an import and a
            // stream of single orders cheaper (SQLite copying an import's rows into the schema:
            // 24.7k orders/s before, 32.5k after). A member's lots are read through the primary
            // key (member_id, id) on both engines, open or not: the query planners chose it over
            // lots_open and lots_source. A member's events of one tally are found in the member's
            // timeline index once it holds the tally too (a covering scan on SQLite).
            version: 13, name: "indexes: the lots' two unused ones dropped; one member index for events",
            sqliteUp: ["DROP INDEX lots_open", "DROP INDEX lots_source", "DROP INDEX events_tally", "DROP INDEX events_member",
                       "CREATE INDEX events_member ON events(member_id, occurred_at, tally)"],
            sqliteDown: ["DROP INDEX events_member", "CREATE INDEX events_member ON events(member_id, occurred_at)",
                         "CREATE INDEX events_tally ON events(member_id, tally, occurred_at) WHERE tally IS NOT NULL",
                         "CREATE INDEX lots_open ON lots(member_id) WHERE remaining > 0 OR released = 0",
                         "CREATE INDEX lots_source ON lots(member_id, source)"],
            postgresUp: ["DROP INDEX lots_open", "DROP INDEX lots_source", "DROP INDEX events_tally", "DROP INDEX events_member",
                         "CREATE INDEX events_member ON events(member_id, occurred_at, tally)"],
            postgresDown: ["DROP INDEX events_member", "CREATE INDEX events_member ON events(member_id, occurred_at)",
                           "CREATE INDEX events_tally ON events(member_id, tally, occurred_at) WHERE tally IS NOT NULL",
                           "CREATE INDEX lots_open ON lots(member_id) WHERE remaining > 0 OR NOT released",
                           "CREATE INDEX lots_source ON lots(member_id, source)"]
        ),
        Migration(
            // A return of a whole order cancels the coupons it issued and gives back those it was
            // paid with: both are found by the order's reference (partial indexes: most coupons
            // have neither, and they cost nothing to write then).
            // The donations to causes members name themselves are summed for /v1/causes from
            // their entries alone.
            version: 14, name: "coupons by the order that earned them and by the order they paid; named donations",
            sqliteUp: ["CREATE INDEX coupons_earned_by ON coupons(earned_by) WHERE earned_by IS NOT NULL",
                       "CREATE INDEX coupons_order ON coupons(order_reference) WHERE order_reference IS NOT NULL",
                       "CREATE INDEX campaign_codes_order ON campaign_codes(order_reference) WHERE order_reference IS NOT NULL",
                       "CREATE INDEX ledger_named_donations ON ledger_entries(reason) WHERE kind = 'donation' AND event IS NULL"],
            sqliteDown: ["DROP INDEX ledger_named_donations", "DROP INDEX campaign_codes_order", "DROP INDEX coupons_order", "DROP INDEX coupons_earned_by"],
            postgresUp: ["CREATE INDEX coupons_earned_by ON coupons(earned_by) WHERE earned_by IS NOT NULL",
                         "CREATE INDEX coupons_order ON coupons(order_reference) WHERE order_reference IS NOT NULL",
                         "CREATE INDEX campaign_codes_order ON campaign_codes(order_reference) WHERE order_reference IS NOT NULL",
                         "CREATE INDEX ledger_named_donations ON ledger_entries(reason) WHERE kind = 'donation' AND event IS NULL"],
            postgresDown: ["DROP INDEX ledger_named_donations", "DROP INDEX campaign_codes_order", "DROP INDEX coupons_order", "DROP INDEX coupons_earned_by"]
        ),
        Migration(
            // A notice's deliveries are written with it, in its cause's transaction, so nothing
            // fans notices out later: the ones still waiting get theirs now, and the index that
            // found them goes. (A server of an older version, during an upgrade, still fans out
            // its own: it writes and reads the same column.)
            version: 18, name: "deliveries written with their notices",
            sqliteUp: [
                """
                INSERT INTO deliveries (notice_seq, endpoint_id, status, next_at, created_at)
                SELECT n.seq, s.endpoint_id, 'pending', n.occurred_at, n.occurred_at FROM notices n
                JOIN webhook_subscriptions s ON s.type = n.type JOIN webhook_endpoints e ON e.id = s.endpoint_id AND e.enabled
                WHERE n.fanned_out = 0 ORDER BY n.seq ON CONFLICT (notice_seq, endpoint_id) DO NOTHING
                """,
                "UPDATE notices SET fanned_out = 1 WHERE fanned_out = 0",
                "DROP INDEX notices_waiting",
            ],
            sqliteDown: ["CREATE INDEX notices_waiting ON notices(seq) WHERE fanned_out = 0"],
            postgresUp: [
                """
                INSERT INTO deliveries (notice_seq, endpoint_id, status, next_at, created_at)
                SELECT n.seq, s.endpoint_id, 'pending', n.occurred_at, n.occurred_at FROM notices n
                JOIN webhook_subscriptions s ON s.type = n.type JOIN webhook_endpoints e ON e.id = s.endpoint_id AND e.enabled
                WHERE NOT n.fanned_out ORDER BY n.seq ON CONFLICT (notice_seq, endpoint_id) DO NOTHING
                """,
                "UPDATE notices SET fanned_out = true WHERE NOT fanned_out",
                "DROP INDEX notices_waiting",
            ],
            postgresDown: ["CREATE INDEX notices_waiting ON notices(seq) WHERE NOT fanned_out"]
        ),
    ]
}
