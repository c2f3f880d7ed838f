/// Applies the SQLite migrations that are missing, all in one `BEGIN IMMEDIATE` transaction:
/// concurrent starters serialise on the write lock, a failure leaves the database as it was,
/// and a re-run is a no-op.
package struct SQLiteMigrator {
    package let migrations: [Migration]

    package init(migrations: [Migration] = SQLiteMigrations.all) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Returns the versions applied by this call (empty when up to date).
    @discardableResult
    package func migrate(_ connection: SQLiteConnection) throws -> [Int] {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            )
            """)
        return try connection.transaction {
            let applied = Set(try connection.query("SELECT version FROM schema_migrations").map { try $0.column("version", as: Int.self) })
            return try migrations.applyMissing(applied: applied, execute: connection.execute) { migration in
                try connection.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))",
                    [.integer(Int64(migration.version)), .text(migration.name)])
            }
        }
    }

    package func appliedVersions(_ connection: SQLiteConnection) throws -> [Int] {
        try connection.query("SELECT version FROM schema_migrations ORDER BY version").map { try $0.column("version") }
    }
}
