import CSQLite

package struct SQLiteError: Error, Sendable, CustomStringConvertible {
    package var code: Int32
    package var message: String
    package var description: String { "SQLite error \(code): \(message)" }

    /// A call after `SQLiteConnection.close()`.
    static let closed = SQLiteError(code: SQLITE_MISUSE, message: "the connection is closed")

    /// A UNIQUE or PRIMARY KEY constraint refused the row.
    /// Extended codes (macros Swift does not import): SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY.
    package var isUniqueViolation: Bool {
        code == SQLITE_CONSTRAINT | (8 << 8) || code == SQLITE_CONSTRAINT | (6 << 8)
    }
}

/// One connection to the embedded database: WAL, a busy timeout so that concurrent CGI
/// processes wait for each other instead of failing, and cached prepared statements.
package final class SQLiteConnection {
    /// How long a writer waits for another process's write lock.
    package static let busyTimeoutMilliseconds: Int32 = 15_000

    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    private var logObserver: Unmanaged<LogObserver>?

    package init(path: String, journalSizeLimit: Int = WALPolicy.defaultLimitBytes) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            throw SQLiteError(code: result, message: "\(message) (\(path))")
        }
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, SQLiteConnection.busyTimeoutMilliseconds)
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = NORMAL")
        try execute("PRAGMA foreign_keys = ON")
        // A log reset the ordinary way is cut back to this size instead of keeping its largest size.
        try execute("PRAGMA journal_size_limit = \(journalSizeLimit)")
    }

    /// Calls `onCommit` with the log's length in bytes after every commit on this connection (instead of
    /// SQLite's own automatic checkpoint, which this replaces). Runs on the committing thread: keep it cheap.
    func observeLogGrowth(_ onCommit: @escaping @Sendable (Int) -> Void) throws {
        let pageSize = try query("PRAGMA page_size").first?.column("page_size", as: Int.self) ?? 4096
        let observer = Unmanaged.passRetained(LogObserver(frameBytes: pageSize + 24, onCommit: onCommit))
        logObserver?.release()
        logObserver = observer
        sqlite3_wal_hook(
            handle,
            { context, _, _, frames in
                let observer = Unmanaged<LogObserver>.fromOpaque(context!).takeUnretainedValue()
                observer.onCommit(Int(frames) * observer.frameBytes)
                return SQLITE_OK
            }, observer.toOpaque())
    }

    private final class LogObserver {
        let frameBytes: Int
        let onCommit: @Sendable (Int) -> Void
        init(frameBytes: Int, onCommit: @escaping @Sendable (Int) -> Void) {
            self.frameBytes = frameBytes
            self.onCommit = onCommit
        }
    }

    /// Runs `body` with another busy timeout (a checkpoint that should give up sooner than a request).
    func withBusyTimeout(_ milliseconds: Int32, _ body: () -> Void) {
        sqlite3_busy_timeout(handle, milliseconds)
        body()
        sqlite3_busy_timeout(handle, SQLiteConnection.busyTimeoutMilliseconds)
    }

    deinit {
        close()
        logObserver?.release()
    }

    /// Closes the connection now; later calls throw. With `copyingBackTheLog`, the last connection to the
    /// file to close copies the log back into the database (two fsyncs) and removes it.
    package func close(copyingBackTheLog: Bool = true) {
        guard let handle else { return }
        gateway_sqlite3_checkpoint_on_close(handle, copyingBackTheLog ? 1 : 0)
        for statement in statements.values { sqlite3_finalize(statement) }
        statements = [:]
        sqlite3_close_v2(handle)
        self.handle = nil
    }

    /// Runs one or more statements without parameters (schema, pragmas).
    package func execute(_ sql: String) throws {
        guard handle != nil else { throw SQLiteError.closed }
        var error: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &error)
        if result != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "error"
            sqlite3_free(error)
            throw SQLiteError(code: result, message: message)
        }
    }

    /// Runs a parameterised statement; returns the rows as column-name dictionaries.
    @discardableResult
    package func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [SQLRow] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in parameters.enumerated() {
            let position = Int32(index + 1)
            let result: Int32
            switch value {
            case .null: result = sqlite3_bind_null(statement, position)
            case .integer(let number): result = sqlite3_bind_int64(statement, position, number)
            case .real(let number): result = sqlite3_bind_double(statement, position, number)
            case .text(let text): result = sqlite3_bind_text(statement, position, text, -1, SQLiteConnection.transient)
            }
            guard result == SQLITE_OK else { throw lastError(result) }
        }
        var rows: [SQLRow] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw lastError(step) }
            var row: [String: SQLValue] = [:]
            for column in 0..<sqlite3_column_count(statement) {
                let name = String(cString: sqlite3_column_name(statement, column))
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: row[name] = .integer(sqlite3_column_int64(statement, column))
                case SQLITE_FLOAT: row[name] = .real(sqlite3_column_double(statement, column))
                case SQLITE_NULL: row[name] = .null
                default: row[name] = .text(String(cString: sqlite3_column_text(statement, column)))
                }
            }
            rows.append(SQLRow(row))
        }
        return rows
    }

    /// Rows changed by the last statement.
    package var changes: Int { Int(sqlite3_changes(handle)) }

    package enum TransactionKind: String {
        /// Takes the write lock at `BEGIN`.
        case immediate = "BEGIN IMMEDIATE"
        /// Reads; under WAL never waits for writers.
        case deferred = "BEGIN"
    }

    /// Runs `body` in a transaction. Writers use `BEGIN IMMEDIATE`: it takes the write lock up front,
    /// so two processes never both read and then fail to upgrade (the source of SQLITE_BUSY surprises).
    @discardableResult
    package func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        // Prepared once and kept, like every other statement (`execute` would compile them for each of a request's transactions).
        try query(kind.rawValue)
        do {
            let value = try body()
            try query("COMMIT")
            return value
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        guard handle != nil else { throw SQLiteError.closed }
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw lastError(result) }
        statements[sql] = statement
        return statement
    }

    private func lastError(_ code: Int32) -> SQLiteError {
        SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)))
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
