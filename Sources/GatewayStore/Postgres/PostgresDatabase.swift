/// PostgreSQL behind the store: one connection (kept for the life of a FastCGI worker), `?`
/// placeholders rewritten to `$n`, and every transaction scoped to its caller for row-level security.
package final class PostgresDatabase: SQLDatabase {
    package let backend = StoreBackend.postgres
    package let connection: PostgresConnection
    private var placeholderCache: [String: String] = [:]
    private let migrations: [Migration]

    /// Any key: it only has to be the same for every gateway process migrating this database.
    static let migrationLockKey: Int64 = 0x6C6C_6D67_7477_7901

    package init(url: String, migrations: [Migration] = PostgresMigrations.all) throws {
        connection = try PostgresConnection(url: url)
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    package func query(_ query: SQLQuery) throws -> [SQLRow] {
        do {
            return try connection.query(numbered(query.sql), query.bindings)
        } catch let error as PostgresError where error.isUniqueViolation {
            throw StoreError.duplicate(error.message)
        }
    }

    package func transaction<T: Sendable>(_ mode: TransactionMode, caller: Caller, _ body: () throws -> T) throws -> T {
        try connection.reconnectIfBroken()
        do {
            try connection.execute("BEGIN")
        } catch {
            // A server restart is noticed only by the next statement: nothing ran yet, so reconnect and begin once more.
            guard connection.isBroken else { throw error }
            try connection.reconnectIfBroken()
            try connection.execute("BEGIN")
        }
        do {
            // The parameterised form of SET LOCAL: both settings end with the transaction.
            try connection.query(
                "SELECT set_config('gateway.user_id', $1, true), set_config('gateway.role', $2, true)",
                [.text(caller.userID), .text(caller.role.rawValue)])
            let value = try body()
            try connection.execute("COMMIT")
            return value
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// All missing migrations in one transaction under an advisory lock: concurrent starters
    /// wait for each other, a failure leaves the database as it was, a re-run changes nothing.
    package func migrate() throws -> [Int] {
        try connection.execute("BEGIN")
        do {
            try connection.query("SELECT pg_advisory_xact_lock($1)", [.integer(PostgresDatabase.migrationLockKey)])
            try connection.execute("SET LOCAL gateway.role = 'service_role'")
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at bigint NOT NULL
                )
                """)
            let applied = Set(try appliedMigrationsInTransaction())
            let newlyApplied = try migrations.applyMissing(applied: applied, execute: connection.execute) { migration in
                try connection.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, (extract(epoch from clock_timestamp()) * 1000)::bigint)",
                    [.integer(Int64(migration.version)), .text(migration.name)])
            }
            try connection.execute("COMMIT")
            return newlyApplied
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    package func appliedMigrations() throws -> [Int] {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.column("present", as: Bool.self) == true else { return [] }
        return try appliedMigrationsInTransaction()
    }

    private func appliedMigrationsInTransaction() throws -> [Int] {
        try connection.query("SELECT version FROM schema_migrations ORDER BY version").map { try $0.column("version") }
    }

    /// True when the connected role bypasses row-level security (a superuser or BYPASSRLS role):
    /// the store still scopes every query, but the second line of defence is off.
    package func bypassesRowLevelSecurity() throws -> Bool {
        let rows = try connection.query("SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user")
        return try rows.first?.column("bypass") ?? false
    }

    private func numbered(_ sql: String) -> String {
        if let cached = placeholderCache[sql] { return cached }
        let rewritten = PlaceholderRewriter.numbered(sql)
        placeholderCache[sql] = rewritten
        return rewritten
    }
}

/// Rewrites `?` placeholders to `$1`, `$2`... outside quoted strings and identifiers.
enum PlaceholderRewriter {
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}
