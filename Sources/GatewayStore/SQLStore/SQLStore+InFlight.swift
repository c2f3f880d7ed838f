/// In-flight requests: registered before a request is served, replaced by its usage row, and
/// recovered as `process_died` rows when their process is gone.
extension SQLStore {
    package func beginRequest(_ caller: Caller, _ request: InFlightRequest) throws {
        guard caller.isService || request.userID == caller.userID else { throw StoreError.forbidden("requests of another user") }
        try write(caller) { db in try Self.insertInFlight(db, request) }
    }

    static func insertInFlight(_ db: any SQLDatabase, _ request: InFlightRequest) throws {
        // admitted = 0: budgets count a request only once their admission check has let it in.
        try db.query(
            """
            INSERT INTO usage_reservations (\(InFlightRequest.columns.list), admitted) VALUES (\(list: request.sqlValues), 0)
            """)
    }

    package func writeUsage(_ caller: Caller, _ writes: [UsageWrite]) throws -> [Result<Void, any Error>] {
        try Self.requireService(caller, "write usage for many requests at once")
        return try write(caller) { db in
            writes.map { entry in
                Result {
                    guard entry.writer.isService || entry.userID == entry.writer.userID else {
                        throw StoreError.forbidden("usage for another user")
                    }
                    try db.query("SAVEPOINT usage_write")
                    do {
                        switch entry.kind {
                        case .begin(let request): try Self.insertInFlight(db, request)
                        case .finish(let record): try Self.replaceInFlight(db, record)
                        }
                    } catch {
                        // PostgreSQL refuses every statement after an error until the savepoint is rolled back.
                        try db.query("ROLLBACK TO SAVEPOINT usage_write")
                        try db.query("RELEASE SAVEPOINT usage_write")
                        throw error
                    }
                    try db.query("RELEASE SAVEPOINT usage_write")
                }
            }
        }
    }

    /// In-flight rows of `host` older than `hostBefore`, and of any host older than `anyHostBefore` (service role only).
    package func inFlightRequests(_ caller: Caller, host: String, hostBefore: Int64, anyHostBefore: Int64, limit: Int) throws -> [InFlightRequest] {
        try Self.requireService(caller, "read every in-flight request")
        return try read(caller) { db in
            let mine = try db.query(
                """
                SELECT \(InFlightRequest.columns.list) FROM usage_reservations
                WHERE host = \(host) AND created_at < \(hostBefore) ORDER BY created_at LIMIT \(limit)
                """)
            let stale = try db.query(
                "SELECT \(InFlightRequest.columns.list) FROM usage_reservations WHERE created_at < \(anyHostBefore) ORDER BY created_at LIMIT \(limit)"
            )
            var seen = Set<String>()
            return try (mine + stale).map(InFlightRequest.init(row:)).filter { seen.insert($0.id).inserted }
        }
    }

    /// Turns one in-flight row into its usage row, in one transaction: whoever deletes it writes the
    /// row, so two sweepers (or a sweeper and a late owner) never both do. False when it was gone.
    package func recoverInFlight(_ caller: Caller, id: String, errorCode: String, now: Int64) throws -> Bool {
        try Self.requireService(caller, "recover in-flight requests")
        return try write(caller) { db in
            guard let row = try db.query("DELETE FROM usage_reservations WHERE id = \(id) RETURNING \(InFlightRequest.columns.list)").first else {
                return false
            }
            let request = try InFlightRequest(row: row)
            let record = UsageRecord(
                id: request.id, userID: request.userID, function: request.function, modelRequested: request.modelRequested,
                latencyMs: Int(min(max(now - request.createdAt, 0), Int64(Int32.max))), status: .error,
                errorCode: errorCode, createdAt: request.createdAt)
            try Self.insertUsage(db, record)
            return true
        }
    }
}
