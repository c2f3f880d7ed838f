extension SQLStore {
    package func recordUsage(_ caller: Caller, _ record: UsageRecord) throws {
        guard caller.isService || record.userID == caller.userID else {
            throw StoreError.forbidden("usage for another user")
        }
        try write(caller) { db in try Self.replaceInFlight(db, record) }
    }

    /// The row replaces the request's in-flight row: never both, never neither.
    static func replaceInFlight(_ db: any SQLDatabase, _ record: UsageRecord) throws {
        try db.query("DELETE FROM usage_reservations WHERE id = \(record.id)")
        try insertUsage(db, record)
    }

    /// Every request runs it: its text is built once.
    private static let usageInsert: SQLQuery = """
        INSERT INTO aggregator_usage_logs (\(UsageRecord.columns.list)) VALUES (\(list: [SQLValue](repeating: .null, count: UsageRecord.columns.columns.count)))
        """

    /// The row, its metrics series and, for chat requests, both rollups: in the caller's transaction, so
    /// statistics, metrics and budgets stay exact.
    static func insertUsage(_ db: any SQLDatabase, _ record: UsageRecord) throws {
        try db.query(SQLQuery(reusing: usageInsert, bindings: record.sqlValues))
        try db.query(UsageMetricsSchema.insert(record))
        if record.function == "v1-chat" {
            for rollup in UsageRollupSchema.all { try db.query(rollup.insert(record)) }
        }
    }

    package func usage(_ caller: Caller, _ filter: UsageFilter) throws -> [UsageRecord] {
        var conditions: [SQLQuery] = []
        if let userID = try filter.scope.userID(for: caller) { conditions.append("user_id = \(userID)") }
        if let range = filter.range { conditions.append("created_at >= \(range.start) AND created_at < \(range.end)") }
        if let providerID = filter.providerID { conditions.append("provider_id = \(providerID)") }
        if let model = filter.model { conditions.append("(model_requested = \(model) OR model_served = \(model))") }
        if let function = filter.function { conditions.append("function = \(function)") }
        if let api = filter.api { conditions.append("api = \(api.rawValue)") }
        if let after = filter.after {
            conditions.append("(created_at < \(after.createdAt) OR (created_at = \(after.createdAt) AND id > \(after.id)))")
        }
        let whereClause: SQLQuery = conditions.isEmpty ? "" : "WHERE \(SQLQuery.joined(conditions, separator: " AND "))"
        return try read(caller) { db in
            try db.query(
                "SELECT \(UsageRecord.columns.list) FROM aggregator_usage_logs \(whereClause) ORDER BY created_at DESC, id LIMIT \(max(0, filter.limit))"
            ).map(UsageRecord.init(row:))
        }
    }

    package func usageRecord(_ caller: Caller, id: String) throws -> UsageRecord? {
        try read(caller) { db in
            let owner: SQLQuery = caller.isService ? "" : " AND user_id = \(caller.userID)"
            return try db.query("SELECT \(UsageRecord.columns.list) FROM aggregator_usage_logs WHERE id = \(id)\(owner)")
                .first.map(UsageRecord.init(row:))
        }
    }

    package func usageCount(_ caller: Caller, userProviderID: String) throws -> Int {
        try read(caller) { db in
            try db.query("SELECT COUNT(*) AS n FROM aggregator_usage_logs WHERE user_id = \(caller.userID) AND user_provider_id = \(userProviderID)")
                .first?.column("n") ?? 0
        }
    }

    package func providerCosts(_ caller: Caller, providerID: String?, range: TimeRange, scope: UserScope = .caller) throws -> [ProviderCost] {
        var conditions: [SQLQuery] = ["created_at >= \(range.start)", "created_at < \(range.end)", "provider_id IS NOT NULL"]
        if let userID = try scope.userID(for: caller) { conditions.append("user_id = \(userID)") }
        if let providerID { conditions.append("provider_id = \(providerID)") }
        return try read(caller) { db in
            try db.query(
                """
                SELECT provider_id, COUNT(*) AS requests,
                    SUM(CASE WHEN status = 'success' THEN 0 ELSE 1 END) AS errors,
                    SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,
                    SUM(cached_tokens) AS cached_tokens, SUM(reasoning_tokens) AS reasoning_tokens,
                    COALESCE(SUM(cost_usd), 0) AS cost_usd
                FROM aggregator_usage_logs WHERE \(SQLQuery.joined(conditions, separator: " AND "))
                GROUP BY provider_id ORDER BY provider_id
                """
            ).map { row in
                // Every group has a row, so its sums are never NULL.
                ProviderCost(
                    providerID: try row.column("provider_id"), requests: try row.column("requests"), errors: try row.column("errors"),
                    promptTokens: try row.column("prompt_tokens"), completionTokens: try row.column("completion_tokens"),
                    cachedTokens: try row.column("cached_tokens"), reasoningTokens: try row.column("reasoning_tokens"),
                    costUSD: try row.column("cost_usd"))
            }
        }
    }
}
