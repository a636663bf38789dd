/// One numbered change to the schema, with its revert, written for each engine.
struct Migration: Sendable {
    let version: Int
    let name: String
    let sqliteUp: [String]
    let sqliteDown: [String]
    let postgresUp: [String]
    let postgresDown: [String]
}

/// The schema's history, in order. Never edit a migration that has shipped: add one.
///
/// Times are integer milliseconds since 1970 (UTC) in both engines, so both read them alike.
enum Migrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "members and identities",
            sqliteUp: [
                """
                CREATE TABLE members (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT,
                    locale TEXT NOT NULL,
                    birthday TEXT,
                    attributes TEXT NOT NULL DEFAULT '{}',
                    consent_email INTEGER NOT NULL DEFAULT 0,
                    consent_email_at INTEGER,
                    consent_sms INTEGER NOT NULL DEFAULT 0,
                    consent_sms_at INTEGER,
                    status TEXT NOT NULL,
                    search_text TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                ) STRICT
                """,
                """
                CREATE TABLE identities (
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    member_id TEXT NOT NULL REFERENCES members(id),
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (kind, value)
                ) STRICT, WITHOUT ROWID
                """,
                "CREATE INDEX identities_member ON identities(member_id)",
            ],
            sqliteDown: ["DROP TABLE identities", "DROP TABLE members"],
            postgresUp: [
                """
                CREATE TABLE members (
                    id uuid PRIMARY KEY,
                    name text,
                    locale text NOT NULL,
                    birthday text,
                    attributes text NOT NULL DEFAULT '{}',
                    consent_email boolean NOT NULL DEFAULT false,
                    consent_email_at bigint,
                    consent_sms boolean NOT NULL DEFAULT false,
                    consent_sms_at bigint,
                    status text NOT NULL,
                    search_text text NOT NULL,
                    created_at bigint NOT NULL,
                    updated_at bigint NOT NULL
                )
                """,
                """
                CREATE TABLE identities (
                    kind text NOT NULL,
                    value text NOT NULL,
                    member_id uuid NOT NULL REFERENCES members(id),
                    created_at bigint NOT NULL,
                    PRIMARY KEY (kind, value)
                )
                """,
                "CREATE INDEX identities_member ON identities(member_id)",
            ],
            postgresDown: ["DROP TABLE identities", "DROP TABLE members"]
        ),
        Migration(
            version: 2, name: "api keys",
            sqliteUp: [
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    prefix TEXT NOT NULL,
                    hash TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                ) STRICT
                """,
            ],
            sqliteDown: ["DROP TABLE api_keys"],
            postgresUp: [
                """
                CREATE TABLE api_keys (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    role text NOT NULL,
                    prefix text NOT NULL,
                    hash text NOT NULL UNIQUE,
                    created_at bigint NOT NULL,
                    revoked_at bigint
                )
                """,
            ],
            postgresDown: ["DROP TABLE api_keys"]
        ),
        Migration(
            version: 3, name: "idempotency keys",
            sqliteUp: [
                """
                CREATE TABLE idempotency_keys (
                    scope TEXT NOT NULL,
                    key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    status INTEGER,
                    content_type TEXT,
                    body BLOB,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (scope, key)
                ) STRICT, WITHOUT ROWID
                """,
            ],
            sqliteDown: ["DROP TABLE idempotency_keys"],
            postgresUp: [
                """
                CREATE TABLE idempotency_keys (
                    scope text NOT NULL,
                    key text NOT NULL,
                    fingerprint text NOT NULL,
                    status integer,
                    content_type text,
                    body bytea,
                    created_at bigint NOT NULL,
                    PRIMARY KEY (scope, key)
                )
                """,
            ],
            postgresDown: ["DROP TABLE idempotency_keys"]
        ),
        Migration(
            version: 4, name: "points: accounts, lots, ledger entries",
            sqliteUp: [
                """
                CREATE TABLE point_accounts (
                    member_id TEXT PRIMARY KEY NOT NULL REFERENCES members(id),
                    available INTEGER NOT NULL, pending INTEGER NOT NULL, debt INTEGER NOT NULL,
                    earned INTEGER NOT NULL, spent INTEGER NOT NULL, expired INTEGER NOT NULL, reversed INTEGER NOT NULL,
                    next_lot INTEGER NOT NULL, next_sequence INTEGER NOT NULL
                ) STRICT
                """,
                """
                CREATE TABLE lots (
                    member_id TEXT NOT NULL, id INTEGER NOT NULL, points INTEGER NOT NULL, remaining INTEGER NOT NULL CHECK (remaining >= 0),
                    credited_at INTEGER NOT NULL, available_at INTEGER NOT NULL, released INTEGER NOT NULL,
                    expires_at INTEGER, source TEXT,
                    PRIMARY KEY (member_id, id)
                ) STRICT, WITHOUT ROWID
                """,
                "CREATE INDEX lots_open ON lots(member_id) WHERE remaining > 0 OR released = 0",
                "CREATE INDEX lots_source ON lots(member_id, source)",
                """
                CREATE TABLE ledger_entries (
                    member_id TEXT NOT NULL, sequence INTEGER NOT NULL, kind TEXT NOT NULL, points INTEGER NOT NULL,
                    at INTEGER NOT NULL, lots TEXT NOT NULL, debt_change INTEGER NOT NULL,
                    event TEXT, rule TEXT, actor TEXT, reason TEXT, reverses TEXT,
                    PRIMARY KEY (member_id, sequence)
                ) STRICT, WITHOUT ROWID
                """,
            ],
            sqliteDown: ["DROP TABLE ledger_entries", "DROP TABLE lots", "DROP TABLE point_accounts"],
            postgresUp: [
                """
                CREATE TABLE point_accounts (
                    member_id uuid PRIMARY KEY REFERENCES members(id),
                    available bigint NOT NULL, pending bigint NOT NULL, debt bigint NOT NULL,
                    earned bigint NOT NULL, spent bigint NOT NULL, expired bigint NOT NULL, reversed bigint NOT NULL,
                    next_lot bigint NOT NULL, next_sequence bigint NOT NULL
                )
                """,
                """
                CREATE TABLE lots (
                    member_id uuid NOT NULL, id bigint NOT NULL, points bigint NOT NULL, remaining bigint NOT NULL CHECK (remaining >= 0),
                    credited_at bigint NOT NULL, available_at bigint NOT NULL, released boolean NOT NULL,
                    expires_at bigint, source text,
                    PRIMARY KEY (member_id, id)
                )
                """,
                "CREATE INDEX lots_open ON lots(member_id) WHERE remaining > 0 OR NOT released",
                "CREATE INDEX lots_source ON lots(member_id, source)",
                """
                CREATE TABLE ledger_entries (
                    member_id uuid NOT NULL, sequence bigint NOT NULL, kind text NOT NULL, points bigint NOT NULL,
                    at bigint NOT NULL, lots text NOT NULL, debt_change bigint NOT NULL,
                    event text, rule text, actor text, reason text, reverses text,
                    PRIMARY KEY (member_id, sequence)
                )
                """,
            ],
            postgresDown: ["DROP TABLE ledger_entries", "DROP TABLE lots", "DROP TABLE point_accounts"]
        ),
        Migration(
            version: 5, name: "events",
            sqliteUp: [
                """
                CREATE TABLE events (
                    reference TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, member_id TEXT NOT NULL REFERENCES members(id),
                    source TEXT, fingerprint TEXT NOT NULL, payload TEXT NOT NULL, occurred_at INTEGER NOT NULL,
                    response BLOB NOT NULL, created_at INTEGER NOT NULL
                ) STRICT
                """,
                "CREATE INDEX events_source ON events(source) WHERE source IS NOT NULL",
            ],
            sqliteDown: ["DROP TABLE events"],
            postgresUp: [
                """
                CREATE TABLE events (
                    reference text PRIMARY KEY, kind text NOT NULL, member_id uuid NOT NULL REFERENCES members(id),
                    source text, fingerprint text NOT NULL, payload text NOT NULL, occurred_at bigint NOT NULL,
                    response bytea NOT NULL, created_at bigint NOT NULL
                )
                """,
                "CREATE INDEX events_source ON events(source) WHERE source IS NOT NULL",
            ],
            postgresDown: ["DROP TABLE events"]
        ),
        Migration(
            version: 6, name: "indexes for due points and member timelines",
            sqliteUp: [
                "CREATE INDEX lots_release_due ON lots(available_at) WHERE released = 0",
                "CREATE INDEX lots_expiry_due ON lots(expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL",
                "CREATE INDEX events_member ON events(member_id, occurred_at)",
            ],
            sqliteDown: ["DROP INDEX events_member", "DROP INDEX lots_expiry_due", "DROP INDEX lots_release_due"],
            postgresUp: [
                "CREATE INDEX lots_release_due ON lots(available_at) WHERE NOT released",
                "CREATE INDEX lots_expiry_due ON lots(expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL",
                "CREATE INDEX events_member ON events(member_id, occurred_at)",
            ],
            postgresDown: ["DROP INDEX events_member", "DROP INDEX lots_expiry_due", "DROP INDEX lots_release_due"]
        ),
        Migration(
            version: 7, name: "program versions; event tallies",
            sqliteUp: [
                """
                CREATE TABLE programs (
                    version INTEGER PRIMARY KEY NOT NULL, effective_from INTEGER NOT NULL, document TEXT NOT NULL,
                    created_at INTEGER NOT NULL, created_by TEXT
                ) STRICT
                """,
                "ALTER TABLE events ADD COLUMN tally TEXT",
                "CREATE INDEX events_tally ON events(member_id, tally, occurred_at) WHERE tally IS NOT NULL",
            ],
            sqliteDown: ["DROP INDEX events_tally", "ALTER TABLE events DROP COLUMN tally", "DROP TABLE programs"],
            postgresUp: [
                """
                CREATE TABLE programs (
                    version integer PRIMARY KEY, effective_from bigint NOT NULL, document text NOT NULL,
                    created_at bigint NOT NULL, created_by text
                )
                """,
                "ALTER TABLE events ADD COLUMN tally text",
                "CREATE INDEX events_tally ON events(member_id, tally, occurred_at) WHERE tally IS NOT NULL",
            ],
            postgresDown: ["DROP INDEX events_tally", "ALTER TABLE events DROP COLUMN tally", "DROP TABLE programs"]
        ),
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
    ]

    static var latest: Int { all.last?.version ?? 0 }

    /// The migrations to run, in order, to go from `current` to `target` (up or down).
    static func plan(from current: Int, to target: Int?) throws -> (up: Bool, steps: [Migration]) {
        let target = target ?? latest
        guard (0...latest).contains(target) else { throw MigrationError.unknownVersion(target, latest: latest) }
        if target >= current {
            return (true, all.filter { $0.version > current && $0.version <= target })
        }
        return (false, all.filter { $0.version <= current && $0.version > target }.reversed())
    }
}

public enum MigrationError: Error, CustomStringConvertible {
    case unknownVersion(Int, latest: Int)
    case newerThanThisBuild(Int, latest: Int)

    public var description: String {
        switch self {
        case .unknownVersion(let v, let latest): "there is no schema version \(v) (this build knows 0 to \(latest))"
        case .newerThanThisBuild(let v, let latest):
            "the database is at schema version \(v), newer than this build of Treu knows (\(latest)); run a newer treu"
        }
    }
}
