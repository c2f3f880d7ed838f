/// The embedded SQLite file behind the store. Tenancy is the store's `WHERE` clauses alone
/// (SQLite has no row-level security); the caller is not needed by the engine.
public final class SQLiteDatabase: SQLDatabase {
    public let backend = StoreBackend.sqlite
    public let connection: SQLiteConnection
    private let migrator: SQLiteMigrator

    public init(path: String, migrator: SQLiteMigrator = SQLiteMigrator()) throws {
        connection = try SQLiteConnection(path: path)
        self.migrator = migrator
    }

    public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        do {
            return try connection.query(sql, parameters)
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw StoreError.duplicate(error.message)
        }
    }

    public func transaction<T>(_ mode: TransactionMode, caller: Caller, _ body: () throws -> T) throws -> T {
        try connection.transaction(mode == .write ? .immediate : .deferred, body)
    }

    public func migrate() throws -> [Int] { try migrator.migrate(connection) }

    public func appliedMigrations() throws -> [Int] {
        let table = try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        return table.isEmpty ? [] : try migrator.appliedVersions(connection)
    }
}
