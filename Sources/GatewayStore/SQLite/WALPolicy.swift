#if canImport(Glibc)
    import Glibc
#endif

/// How big the write-ahead log may grow. SQLite only reuses its log from the start once a checkpoint
/// has copied all of it back and no reader still uses it; under steady load that moment may never
/// come, and the log grew without bound (a 7 GB log beside a 78 MB database after 250,000 requests).
/// So: PASSIVE checkpoints keep copying without blocking anyone, and once the log passes `limitBytes`
/// a TRUNCATE checkpoint waits for the readers of the moment, copies the rest and empties the file.
/// `journal_size_limit` trims a log that is reset the ordinary way. The log stays under about twice
/// `limitBytes` at any sustained rate (what is appended while one TRUNCATE runs).
package struct WALPolicy: Sendable {
    package static let defaultLimitBytes = 16 * 1024 * 1024
    /// A CGI process that finds the log at least this long copies it back as it exits (about ten requests' worth).
    package static let copyBackOnExitBytes = 256 * 1024

    package var limitBytes: Int
    /// How often a worker's checkpointer looks.
    package var intervalMilliseconds: Int

    package init(limitBytes: Int = WALPolicy.defaultLimitBytes, intervalMilliseconds: Int = 200) {
        self.limitBytes = limitBytes
        self.intervalMilliseconds = intervalMilliseconds
    }

    /// `GATEWAY_SQLITE_WAL_LIMIT_BYTES` (64 KiB to 1 GiB) overrides the 16 MiB default.
    package static func fromEnvironment(_ environment: [String: String]) -> WALPolicy {
        var policy = WALPolicy()
        if let value = environment["GATEWAY_SQLITE_WAL_LIMIT_BYTES"].flatMap(Int.init), (65_536...(1 << 30)).contains(value) {
            policy.limitBytes = value
        }
        return policy
    }

    /// The log's size now (0 when there is none).
    static func logBytes(databasePath: String) -> Int {
        var info = stat()
        guard stat(databasePath + "-wal", &info) == 0 else { return 0 }
        return Int(info.st_size)
    }

    /// Copies what it can without waiting for or blocking anyone. Errors are left to the next attempt.
    func copyBack(_ connection: SQLiteConnection) {
        _ = try? connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    }

    /// Past the limit, empties the log: TRUNCATE waits (at most `waitMilliseconds`) for the readers of the
    /// moment and holds off writers while it copies the rest. Under steady load the caller must also hold
    /// off its own process's transactions: SQLite's write lock is not fair, and a checkpoint that polls
    /// for it loses to back-to-back requests every time (seen: busy for seconds, the log at 15 MB).
    func truncateIfLarge(_ connection: SQLiteConnection, databasePath: String, waitMilliseconds: Int32) {
        guard Self.logBytes(databasePath: databasePath) > limitBytes else { return }
        connection.withBusyTimeout(waitMilliseconds) {
            // Another process's checkpoint holds the one checkpoint lock (no busy handler waits for that one): try again shortly.
            for _ in 0..<20 {
                let result = try? connection.query("PRAGMA wal_checkpoint(TRUNCATE)").first
                guard (try? result?.column("busy", as: Int.self)) == 1 else { return }
                usleep(5_000)
            }
        }
    }
}
