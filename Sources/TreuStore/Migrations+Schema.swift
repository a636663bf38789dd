

extension Migrations {
    /// Versions 1 to 7: members, keys, idempotency, points, events, their indexes, program versions.
    static let schema: [Migration] = [
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
    ]
}
