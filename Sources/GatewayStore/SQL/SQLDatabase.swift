/// The seam between the store's SQL and one database engine. Statements are written once, as
/// `SQLQuery` values in portable SQL (`ON CONFLICT`, `RETURNING`, `TRUE`/`FALSE`); each engine
/// supplies its connection, transactions and tenancy scoping.
package protocol SQLDatabase: AnyObject {
    var backend: StoreBackend { get }

    /// Runs one statement inside the current transaction, its values bound as parameters.
    @discardableResult
    func query(_ query: SQLQuery) throws -> [SQLRow]

    /// Runs `body` in one transaction on behalf of `caller`. PostgreSQL sets the row-level
    /// security settings for the caller (`SET LOCAL` via `set_config(..., true)`).
    func transaction<T: Sendable>(_ mode: TransactionMode, caller: Caller, _ body: () throws -> T) throws -> T

    /// Applies the missing migrations; returns the versions applied now.
    func migrate() throws -> [Int]
    func appliedMigrations() throws -> [Int]

    /// The process is about to exit and will not use the database again. SQLite bounds its log and closes
    /// (see `SQLiteDatabase.closeBeforeExit`); elsewhere nothing is needed.
    func closeBeforeExit()
}

extension SQLDatabase {
    package func closeBeforeExit() {}
}

package enum StoreBackend: String, Sendable {
    case sqlite, postgres
}

package enum TransactionMode: Sendable {
    /// Reads only: SQLite readers never wait for writers under WAL.
    case read
    /// Takes the write lock up front (SQLite `BEGIN IMMEDIATE`), so concurrent processes queue
    /// on the busy timeout instead of failing to upgrade a read lock.
    case write
}

/// Errors a store method reports, whatever the engine.
package enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A unique constraint refused the row (a key stored twice, an alias that exists).
    case duplicate(String)
    /// The caller's role may not do this (an `authenticated` caller writing the catalogue).
    case forbidden(String)
    /// The database is not at the schema version this build needs.
    case notMigrated(have: Int, need: Int)
    case invalidArgument(String)

    package var description: String {
        switch self {
        case .duplicate(let what): "duplicate: \(what)"
        case .forbidden(let what): "forbidden: \(what)"
        case .notMigrated(let have, let need): "the database schema is at version \(have), this build needs \(need): run `local-runner migrate`"
        case .invalidArgument(let what): "invalid argument: \(what)"
        }
    }
}
