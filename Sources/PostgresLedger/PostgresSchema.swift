import PrivacyEvents

/// The fleet ledger's tables, their versioned migrations, and the SQL for a host role.
///
/// Tables (in the connection's default schema, normally `public`):
/// - `event`: one row per event, the canonical JSON payload stored verbatim as `text` (never
///   `jsonb`, which reorders keys and would change what the hash covers), and beside it the
///   columns the filters of ``EventFilter`` need, each indexed.
/// - `event_subject`: one row per (subject pseudonym, event), for `--subject` look-ups.
/// - `ledger_meta`: facts about the whole ledger, each written once (the pseudonym key's
///   fingerprint).
/// - `schema_migrations`: one row per applied migration.
///
/// Statement-level triggers reject UPDATE, DELETE and TRUNCATE on both event tables for every
/// role, the owner included; the owner can disable them (`ALTER TABLE … DISABLE TRIGGER`), and
/// ``PostgresLedger/verify()`` detects what such an owner changed or removed. Row-level security
/// lets a host role append only to its own chain (see ``PostgresLedger/hostRoleSQL(role:host:)``);
/// the table owner is exempt.
public enum PostgresSchema {
    /// One schema version: applied in a transaction, recorded in `schema_migrations`.
    struct Migration {
        var version: Int
        var name: String
        var statements: [String]
    }

    /// Never edit a shipped migration; add one.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "events, subjects, append-only triggers, row-level security", statements: [
            """
            CREATE TABLE event (
                id text PRIMARY KEY,
                host text NOT NULL,
                sequence bigint NOT NULL CHECK (sequence > 0),
                time timestamptz NOT NULL,
                kind text NOT NULL,
                category text NOT NULL,
                payload text NOT NULL,
                previous_hash text NOT NULL,
                hash text NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (host, sequence)
            )
            """,
            // The filters of EventFilter; results are ordered by (host, sequence), which the
            // unique constraint's index serves, also for the host filter.
            "CREATE INDEX event_kind ON event (kind, host, sequence)",
            "CREATE INDEX event_category ON event (category, host, sequence)",
            "CREATE INDEX event_time ON event (time)",
            """
            CREATE TABLE event_subject (
                subject text NOT NULL,
                event_id text NOT NULL REFERENCES event (id),
                PRIMARY KEY (subject, event_id)
            )
            """,
            // verify() looks up each event's subjects.
            "CREATE INDEX event_subject_event ON event_subject (event_id)",
            """
            CREATE FUNCTION privctl_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END
            $$
            """,
            """
            CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON event
                FOR EACH STATEMENT EXECUTE FUNCTION privctl_reject_change()
            """,
            """
            CREATE TRIGGER event_subject_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON event_subject
                FOR EACH STATEMENT EXECUTE FUNCTION privctl_reject_change()
            """,
            // Row-level security: every role that may read reads everything; what a host role
            // may insert is granted per host by hostRoleSQL. The owner is exempt.
            "ALTER TABLE event ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE event_subject ENABLE ROW LEVEL SECURITY",
            "CREATE POLICY event_read ON event FOR SELECT USING (true)",
            "CREATE POLICY event_subject_read ON event_subject FOR SELECT USING (true)",
            // Facts about the whole ledger, written once (the pseudonym key's fingerprint:
            // every host must pseudonymise with the same key).
            """
            CREATE TABLE ledger_meta (
                name text PRIMARY KEY,
                value text NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TRIGGER ledger_meta_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_meta
                FOR EACH STATEMENT EXECUTE FUNCTION privctl_reject_change()
            """,
        ])
    ]

    /// The schema version this build writes.
    public static var currentVersion: Int { migrations.last?.version ?? 0 }

    /// Keys for `pg_advisory_xact_lock(int, int)`: the first number keeps privctl's locks apart
    /// from other applications' locks in the same database.
    static let lockSpace: Int32 = 0x7072_6976  // "priv"
    static let migrationLock: Int32 = 0
    /// SQLSTATE 42501: the user may not do what was asked (create the schema).
    static let insufficientPrivilege = "42501"

    /// Brings the database to ``currentVersion``.
    ///
    /// A database already at this version is only read (so a host role with INSERT and SELECT
    /// can open it); otherwise the migrations run in one transaction under an advisory lock, so
    /// that many hosts opening a new database at once migrate it once.
    static func migrate(_ connection: PostgresConnection) throws {
        if let version = try appliedVersion(connection), version >= currentVersion {
            if version > currentVersion {
                throw LedgerError(
                    "the ledger \(connection.url) has schema version \(version), newer than this privctl knows (\(currentVersion)): update privctl")
            }
            return
        }
        do {
            try connection.run("BEGIN")
            try connection.run("SELECT pg_advisory_xact_lock($1::int4, $2::int4)", ["\(lockSpace)", "\(migrationLock)"])
            try connection.run("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let version = try appliedVersion(connection) ?? 0
            for migration in migrations where migration.version > version {
                for statement in migration.statements {
                    try connection.run(statement)
                }
                try connection.run(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1::int4, $2)", ["\(migration.version)", migration.name])
            }
            try connection.run("COMMIT")
        } catch {
            if !connection.isBroken { _ = try? connection.run("ROLLBACK") }
            if let ledgerError = error as? LedgerError, ledgerError.sqlState == insufficientPrivilege {
                throw LedgerError(
                    "the ledger \(connection.url) needs schema version \(currentVersion) and user \(connection.url.user) may not create it: open it once as the database owner")
            }
            throw error
        }
    }

    /// The highest applied version, or nil when there is no `schema_migrations` table.
    private static func appliedVersion(_ connection: PostgresConnection) throws -> Int? {
        let exists = try connection.run("SELECT to_regclass('schema_migrations') IS NOT NULL")
        guard let row = exists.first, try row.bool(0) else { return nil }
        let result = try connection.run("SELECT coalesce(max(version), 0)::int8 FROM schema_migrations")
        return Int(try result.first?.int64(0) ?? 0)
    }

    /// `name` as a quoted SQL identifier.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` as a quoted SQL string literal.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
