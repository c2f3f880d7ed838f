import FunctionRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded SQLite file behind the store. Tenancy is the store's `WHERE` clauses alone
/// (SQLite has no row-level security); the caller is not needed by the engine.
package final class SQLiteDatabase: SQLDatabase {
    package let backend = StoreBackend.sqlite
    package let connection: SQLiteConnection
    private let migrator: SQLiteMigrator
    private let path: String
    private let wal: WALPolicy
    /// Held for each transaction on `connection`, and by the checkpointer while it empties the log:
    /// this process's requests pause for that moment instead of starving the checkpoint.
    private let transactions = Mutex(())
    /// Write transactions so far: a worker that wrote nothing since its last pass leaves checkpoints to those that did
    /// (five idle workers' checkpoints would keep taking SQLite's one checkpoint lock from the busy one).
    fileprivate let writes = Atomic<Int>(0)
    /// Set by the commit hook once the log is past the limit; the checkpointer looks every few milliseconds.
    fileprivate let overLimit = Flag()
    /// Raised by the commit hook once the log is half as large again as its limit, and while the checkpointer
    /// waits for `transactions`: this process's new transactions hold back (at most 2 s) until the log has
    /// been emptied. Without it the log outgrew its limit whenever a checkpoint stalled on a slow fsync
    /// (the checkpointer busy 300 ms while requests appended 36 MB/s: an 11 MB log with a 1 MiB limit),
    /// and the mutex, which is not fair, let request threads keep the checkpointer waiting.
    fileprivate let holdBack = Flag()

    fileprivate final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        func raise() { value.store(true, ordering: .releasing) }
        func lower() { value.store(false, ordering: .releasing) }
        var isRaised: Bool { value.load(ordering: .acquiring) }
        /// True once after each `raise`.
        func take() -> Bool { value.exchange(false, ordering: .acquiringAndReleasing) }
    }

    /// - Parameter checkpointInBackground: for long-lived workers. SQLite normally checkpoints the
    ///   WAL inside whichever commit crosses 1000 pages, and that commit then waits for an fsync while
    ///   every other request of the worker waits for the connection. A worker instead checkpoints from
    ///   a thread of its own, with its own connection, every `wal.intervalMilliseconds`. (CGI processes
    ///   keep the default, and call `closeBeforeExit` once their client has its answer.)
    package init(
        path: String, migrator: SQLiteMigrator = SQLiteMigrator(), checkpointInBackground: Bool = false,
        wal: WALPolicy = WALPolicy()
    ) throws {
        connection = try SQLiteConnection(path: path, journalSizeLimit: wal.limitBytes)
        self.migrator = migrator
        self.path = path
        self.wal = wal
        if checkpointInBackground {
            // The commit hook replaces SQLite's own checkpoint-on-commit, and tells the checkpointer the moment the log passes the limit.
            let overLimit = self.overLimit, holdBack = self.holdBack, limit = wal.limitBytes
            try connection.observeLogGrowth { bytes in
                if bytes > limit { overLimit.raise() }
                if bytes > limit + limit / 2 { holdBack.raise() }
            }
            let checkpointer = BackgroundCheckpointer(
                connection: try SQLiteConnection(path: path, journalSizeLimit: wal.limitBytes),
                path: path, wal: wal, database: self)
            NativeThread.detach { checkpointer.run() }
        }
    }

    /// A CGI process's last step: empties the log if it has passed the limit, then closes the connection.
    /// A process that opens the file while no other has it open rebuilds the log's index by reading every
    /// frame of the log: left to SQLite's own checkpoints, up to 1,000 pages (about 4 MB) for each request.
    /// So once the log has passed `WALPolicy.copyBackOnExitBytes` the process closes the ordinary way,
    /// and if it is the last connection that copies the log back and removes it; below that, the next
    /// process reads a small log instead of this one paying two fsyncs.
    package func closeBeforeExit() {
        transactions.withLock { _ in
            wal.truncateIfLarge(connection, databasePath: path, waitMilliseconds: 1_000)
            let copyBack = WALPolicy.logBytes(databasePath: path) >= WALPolicy.copyBackOnExitBytes
            connection.close(copyingBackTheLog: copyBack)
        }
    }

    /// Runs `body` while no transaction of this process is open on the request connection; new ones wait for it.
    fileprivate func pausingTransactions(_ body: () -> Void) {
        holdBack.raise()
        defer { holdBack.lower() }
        transactions.withLock { _ in body() }
    }

    /// Waits (at most 2 s: a stuck checkpoint must not stop the worker) while the checkpointer has asked for the log.
    private func waitWhileHeldBack() {
        let deadline = MonotonicClock.nanoseconds() + 2_000_000_000
        while holdBack.isRaised, MonotonicClock.nanoseconds() < deadline { usleep(200) }
    }

    package func query(_ query: SQLQuery) throws -> [SQLRow] {
        do {
            return try connection.query(query.sql, query.bindings)
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw StoreError.duplicate(error.message)
        }
    }

    package func transaction<T: Sendable>(_ mode: TransactionMode, caller: Caller, _ body: () throws -> T) throws -> T {
        if mode == .write { writes.add(1, ordering: .relaxed) }
        if holdBack.isRaised { waitWhileHeldBack() }
        return try transactions.withLock { _ in try connection.transaction(mode == .write ? .immediate : .deferred, body) }
    }

    package func migrate() throws -> [Int] { try migrator.migrate(connection) }

    package func appliedMigrations() throws -> [Int] {
        let table = try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        return table.isEmpty ? [] : try migrator.appliedVersions(connection)
    }
}

/// Owns its connection; only its own thread touches it.
private final class BackgroundCheckpointer: @unchecked Sendable {
    let connection: SQLiteConnection
    let path: String
    let wal: WALPolicy
    /// Not retained: the worker's database lives as long as the worker.
    unowned let database: SQLiteDatabase

    init(connection: SQLiteConnection, path: String, wal: WALPolicy, database: SQLiteDatabase) {
        self.connection = connection
        self.path = path
        self.wal = wal
        self.database = database
    }

    /// Every few milliseconds: past the limit, empty the log now; every `intervalMilliseconds`, copy back
    /// what this process wrote. (At 1,000 requests/s the log grows by tens of MB a second: only a check
    /// as often as this keeps it near the limit.)
    func run() -> Never {
        var writesSeen = 0
        var nextCopy = MonotonicClock.nanoseconds()
        while true {
            usleep(5_000)
            if database.overLimit.take() || database.holdBack.isRaised {
                // This process's requests wait for the TRUNCATE (milliseconds at the limit); other processes' at most 2 s.
                database.pausingTransactions { wal.truncateIfLarge(connection, databasePath: path, waitMilliseconds: 2_000) }
            }
            let now = MonotonicClock.nanoseconds()
            guard now >= nextCopy else { continue }
            nextCopy = now + UInt64(wal.intervalMilliseconds) * 1_000_000
            let writes = database.writes.load(ordering: .relaxed)
            guard writes != writesSeen else { continue }
            writesSeen = writes
            wal.copyBack(connection)
        }
    }
}
