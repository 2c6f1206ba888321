import Foundation

/// The versioned schema, applied in order at start-up; a version once shipped never changes.
enum Migrations {
    /// Each migration is a list of statements per dialect; versions count from 1.
    static func all(_ dialect: SQLDialect) -> [[String]] {
        let id =
            dialect == .postgres
            ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
        let real = dialect == .postgres ? "DOUBLE PRECISION" : "REAL"
        let int = dialect == .postgres ? "BIGINT" : "INTEGER"
        let withoutRowID = dialect == .postgres ? "" : " WITHOUT ROWID"
        return [
            [
                """
                CREATE TABLE pools (
                    id \(id), name TEXT NOT NULL UNIQUE, current_revision \(int) NOT NULL,
                    created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE pool_revisions (
                    id \(id), pool_id \(int) NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
                    revision \(int) NOT NULL, format TEXT NOT NULL, host_count \(int) NOT NULL,
                    group_count \(int) NOT NULL, created_at TEXT NOT NULL, UNIQUE (pool_id, revision))
                """,
                """
                CREATE TABLE pool_hosts (
                    revision_id \(int) NOT NULL, idx \(int) NOT NULL, name TEXT NOT NULL,
                    vars TEXT, groups TEXT NOT NULL, PRIMARY KEY (revision_id, idx))\(withoutRowID)
                """,
                """
                CREATE TABLE pool_groups (
                    revision_id \(int) NOT NULL, idx \(int) NOT NULL, name TEXT NOT NULL, vars TEXT,
                    priority \(int), depth \(int) NOT NULL, parents TEXT NOT NULL, children TEXT NOT NULL,
                    hosts TEXT NOT NULL,
                    PRIMARY KEY (revision_id, idx))\(withoutRowID)
                """,
                """
                CREATE TABLE cursors (
                    id \(id), name TEXT NOT NULL UNIQUE, pool_id \(int) NOT NULL REFERENCES pools(id),
                    revision_id \(int) NOT NULL REFERENCES pool_revisions(id), settings TEXT NOT NULL,
                    state TEXT NOT NULL, state_reason TEXT, retry_of TEXT,
                    total_hosts \(int) NOT NULL, next_position \(int) NOT NULL, next_batch \(int) NOT NULL,
                    hosts_ok \(int) NOT NULL DEFAULT 0, hosts_changed \(int) NOT NULL DEFAULT 0,
                    hosts_failed \(int) NOT NULL DEFAULT 0, hosts_unreachable \(int) NOT NULL DEFAULT 0,
                    hosts_skipped \(int) NOT NULL DEFAULT 0, batches_completed \(int) NOT NULL DEFAULT 0,
                    created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE cursor_plan (
                    cursor_id \(int) NOT NULL REFERENCES cursors(id) ON DELETE CASCADE, position \(int) NOT NULL,
                    host_idx \(int) NOT NULL, status TEXT, PRIMARY KEY (cursor_id, position))\(withoutRowID)
                """,
                """
                CREATE TABLE batches (
                    cursor_id \(int) NOT NULL REFERENCES cursors(id) ON DELETE CASCADE, batch_id \(int) NOT NULL,
                    start_position \(int) NOT NULL, host_count \(int) NOT NULL, state TEXT NOT NULL,
                    attempt \(int) NOT NULL, consumer TEXT, claim_key TEXT, leased_at \(real),
                    lease_expires_at \(real), external_ref TEXT, results TEXT, completed_at \(real),
                    PRIMARY KEY (cursor_id, batch_id))
                """,
                "CREATE INDEX batches_by_state ON batches (cursor_id, state, batch_id)",
                "CREATE INDEX batches_by_consumer ON batches (cursor_id, consumer, state)",
                """
                CREATE TABLE batch_attempts (
                    cursor_id \(int) NOT NULL REFERENCES cursors(id) ON DELETE CASCADE, batch_id \(int) NOT NULL,
                    attempt \(int) NOT NULL, consumer TEXT NOT NULL, claim_key TEXT, leased_at \(real) NOT NULL,
                    ended_at \(real), outcome TEXT, external_ref TEXT,
                    PRIMARY KEY (cursor_id, batch_id, attempt))
                """,
                """
                CREATE TABLE claim_keys (
                    cursor_id \(int) NOT NULL REFERENCES cursors(id) ON DELETE CASCADE, claim_key TEXT NOT NULL,
                    batch_id \(int) NOT NULL, PRIMARY KEY (cursor_id, claim_key))
                """,
                """
                CREATE TABLE tokens (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, secret_hash TEXT NOT NULL, scopes TEXT NOT NULL,
                    created_at TEXT NOT NULL, revoked_at TEXT)
                """,
            ],
            [
                // The batch that holds a plan position, found in one step: batches cover the
                // plan in order without gaps, so it is the last one starting at or before it.
                "CREATE INDEX batches_by_start ON batches (cursor_id, start_position)"
            ],
            [
                // The admin token that acted for an attempt's holder (`force`), if any.
                "ALTER TABLE batch_attempts ADD COLUMN forced_by TEXT"
            ],
            [
                // Rollout safety. Where each tier's positions end (JSON; NULL for one tier) and
                // the batch that opened the current tier, so a ramp starts again in each.
                "ALTER TABLE cursors ADD COLUMN tier_ends TEXT",
                "ALTER TABLE cursors ADD COLUMN tier_first_batch \(int) NOT NULL DEFAULT 1",
                // When the last batch completed, which a bake time counts from.
                "ALTER TABLE cursors ADD COLUMN last_completed_at \(real)",
                // What new batches wait for now (a window, a bake, a gate), so that a wait is
                // written to the audit trail once, not at every claim.
                "ALTER TABLE cursors ADD COLUMN waiting_for TEXT",
                // The audit trail: every state change of a cursor, numbered per cursor.
                "ALTER TABLE cursors ADD COLUMN event_seq \(int) NOT NULL DEFAULT 0",
                """
                CREATE TABLE cursor_events (
                    cursor_id \(int) NOT NULL REFERENCES cursors(id) ON DELETE CASCADE, seq \(int) NOT NULL,
                    at \(real) NOT NULL, kind TEXT NOT NULL, actor TEXT, batch_id \(int), reason TEXT, details TEXT,
                    PRIMARY KEY (cursor_id, seq))
                """,
                // Health gates before a new batch: one row per cursor, batch and gate, checked
                // by one replica at a time (the runner holds it until runner_until).
                """
                CREATE TABLE gate_checks (
                    cursor_id \(int) NOT NULL REFERENCES cursors(id) ON DELETE CASCADE, batch_id \(int) NOT NULL,
                    gate TEXT NOT NULL, state TEXT NOT NULL, started_at \(real) NOT NULL, checked_at \(real),
                    checks \(int) NOT NULL DEFAULT 0, evidence TEXT, runner TEXT, runner_until \(real),
                    PRIMARY KEY (cursor_id, batch_id, gate))
                """,
            ],
        ]
    }

    /// Applies every migration newer than the database's version, each in the caller's transaction.
    static func run(on tx: any StoreTransaction) throws {
        try tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", [])
        let current = try tx.int("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", []) ?? 0
        let migrations = all(tx.dialect)
        guard current <= migrations.count else {
            throw ConfigurationError(
                "the database has schema version \(current) but this batch-source knows only \(migrations.count); "
                    + "run a newer batch-source"
            )
        }
        for (offset, statements) in migrations.enumerated() where offset + 1 > current {
            for sql in statements { try tx.execute(sql, []) }
            try tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                [SQLValue(offset + 1), .text(RFC3339.string(from: Date()))])
        }
    }
}
