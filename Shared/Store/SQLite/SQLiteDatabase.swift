#if canImport(Glibc)
import Glibc
#endif

/// The embedded SQLite file behind the store. Tenancy is the store's `WHERE` clauses alone
/// (SQLite has no row-level security); the caller is not needed by the engine.
public final class SQLiteDatabase: SQLDatabase {
    public let backend = StoreBackend.sqlite
    public let connection: SQLiteConnection
    private let migrator: SQLiteMigrator

    /// - Parameter checkpointInBackground: for long-lived workers. SQLite normally checkpoints the
    ///   WAL inside whichever commit crosses 1000 pages, and that commit then waits for an fsync while
    ///   every other request of the worker waits for the connection. A worker instead checkpoints from
    ///   a thread of its own, with its own connection, once a second. (CGI processes keep the default:
    ///   nobody else would checkpoint for them.)
    public init(path: String, migrator: SQLiteMigrator = SQLiteMigrator(), checkpointInBackground: Bool = false) throws {
        connection = try SQLiteConnection(path: path)
        self.migrator = migrator
        if checkpointInBackground {
            try connection.execute("PRAGMA wal_autocheckpoint = 0")
            let checkpointer = BackgroundCheckpointer(connection: try SQLiteConnection(path: path))
            NativeThread.detach { checkpointer.run() }
        }
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

/// Owns its connection; only its own thread touches it.
private final class BackgroundCheckpointer: @unchecked Sendable {
    let connection: SQLiteConnection

    init(connection: SQLiteConnection) { self.connection = connection }

    func run() -> Never {
        while true {
            sleep(1)
            // PASSIVE: copies what it can without waiting for, or blocking, the worker's writes.
            try? connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        }
    }
}
