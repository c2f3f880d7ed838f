import FunctionRuntime
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `Store`, written once in portable SQL over an `SQLDatabase` (SQLite or PostgreSQL).
/// One connection per process, used by one transaction at a time: FastCGI workers run requests
/// concurrently, so calls are serialised here. Transactions are short (no network inside).
package final class SQLStore: Store, @unchecked Sendable {
    private let database: any SQLDatabase
    private let lock = Mutex(())

    package init(database: any SQLDatabase) {
        self.database = database
    }

    package var backend: StoreBackend { database.backend }

    /// Runs `body` in a read transaction for `caller`.
    @discardableResult
    func read<T: Sendable>(_ caller: Caller, _ body: (any SQLDatabase) throws -> T) throws -> T {
        try lock.withLock { _ in try database.transaction(.read, caller: caller) { try body(database) } }
    }

    /// Runs `body` in a write transaction for `caller`.
    @discardableResult
    func write<T: Sendable>(_ caller: Caller, _ body: (any SQLDatabase) throws -> T) throws -> T {
        try lock.withLock { _ in try database.transaction(.write, caller: caller) { try body(database) } }
    }

    package func migrate() throws -> [Int] {
        try lock.withLock { _ in try database.migrate() }
    }

    package func appliedMigrations() throws -> [Int] {
        try lock.withLock { _ in try database.appliedMigrations() }
    }

    package func closeBeforeExit() {
        lock.withLock { _ in database.closeBeforeExit() }
    }

    static func requireService(_ caller: Caller, _ what: String) throws {
        guard caller.isService else { throw StoreError.forbidden("only the service role may \(what)") }
    }

    static func newID() -> String { UUID().uuidString.lowercased() }

    package static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
