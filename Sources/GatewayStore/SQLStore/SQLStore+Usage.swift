extension SQLStore {
    package func recordUsage(_ caller: Caller, _ record: UsageRecord) throws {
        guard caller.isService || record.userID == caller.userID else {
            throw StoreError.forbidden("usage for another user")
        }
        try write(caller) { db in
            // The row replaces the request's in-flight row: never both, never neither.
            try db.query("DELETE FROM usage_reservations WHERE id = ?", [.text(record.id)])
            try Self.insertUsage(db, record)
        }
    }

    /// The row and, for chat requests, both rollups: in the caller's transaction, so statistics and budgets stay exact.
    static func insertUsage(_ db: any SQLDatabase, _ record: UsageRecord) throws {
        try db.query("INSERT INTO aggregator_usage_logs (\(Columns.usage)) VALUES (\(Columns.placeholders(Columns.usage)))", record.values)
        if record.function == "v1-chat" {
            for rollup in UsageRollupSchema.all { try db.query(rollup.insert, rollup.values(record)) }
        }
    }

    package func usage(_ caller: Caller, _ filter: UsageFilter) throws -> [UsageRecord] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let userID = try filter.scope.userID(for: caller) {
            conditions.append("user_id = ?")
            values.append(.text(userID))
        }
        if let range = filter.range {
            conditions.append("created_at >= ? AND created_at < ?")
            values += [.integer(range.start), .integer(range.end)]
        }
        if let providerID = filter.providerID {
            conditions.append("provider_id = ?")
            values.append(.text(providerID))
        }
        if let model = filter.model {
            conditions.append("(model_requested = ? OR model_served = ?)")
            values += [.text(model), .text(model)]
        }
        if let function = filter.function {
            conditions.append("function = ?")
            values.append(.text(function))
        }
        if let after = filter.after {
            conditions.append("(created_at < ? OR (created_at = ? AND id > ?))")
            values += [.integer(after.createdAt), .integer(after.createdAt), .text(after.id)]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try read(caller) { db in
            try db.query(
                "SELECT \(Columns.usage) FROM aggregator_usage_logs \(whereClause) ORDER BY created_at DESC, id LIMIT ?",
                values + [SQLValue(max(0, filter.limit))]
            ).map(UsageRecord.init(row:))
        }
    }

    package func usageRecord(_ caller: Caller, id: String) throws -> UsageRecord? {
        try read(caller) { db in
            let owner = caller.isService ? "" : " AND user_id = ?"
            let ownerValue: [SQLValue] = caller.isService ? [] : [.text(caller.userID)]
            return try db.query("SELECT \(Columns.usage) FROM aggregator_usage_logs WHERE id = ?\(owner)", [.text(id)] + ownerValue)
                .first.map(UsageRecord.init(row:))
        }
    }

    package func usageCount(_ caller: Caller, userProviderID: String) throws -> Int {
        try read(caller) { db in
            try db.query(
                "SELECT COUNT(*) AS n FROM aggregator_usage_logs WHERE user_id = ? AND user_provider_id = ?",
                [.text(caller.userID), .text(userProviderID)]
            ).first?.int("n") ?? 0
        }
    }

    package func providerCosts(_ caller: Caller, providerID: String?, range: TimeRange, scope: UserScope = .caller) throws -> [ProviderCost] {
        var conditions = ["created_at >= ?", "created_at < ?", "provider_id IS NOT NULL"]
        var values: [SQLValue] = [.integer(range.start), .integer(range.end)]
        if let userID = try scope.userID(for: caller) {
            conditions.append("user_id = ?")
            values.append(.text(userID))
        }
        if let providerID {
            conditions.append("provider_id = ?")
            values.append(.text(providerID))
        }
        return try read(caller) { db in
            try db.query(
                """
                SELECT provider_id, COUNT(*) AS requests,
                    SUM(CASE WHEN status = 'success' THEN 0 ELSE 1 END) AS errors,
                    SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,
                    SUM(cached_tokens) AS cached_tokens, SUM(reasoning_tokens) AS reasoning_tokens,
                    COALESCE(SUM(cost_usd), 0) AS cost_usd
                FROM aggregator_usage_logs WHERE \(conditions.joined(separator: " AND "))
                GROUP BY provider_id ORDER BY provider_id
                """, values
            ).map { row in
                ProviderCost(
                    providerID: row.string("provider_id") ?? "", requests: row.int("requests") ?? 0, errors: row.int("errors") ?? 0,
                    promptTokens: row.int("prompt_tokens") ?? 0, completionTokens: row.int("completion_tokens") ?? 0,
                    cachedTokens: row.int("cached_tokens") ?? 0, reasoningTokens: row.int("reasoning_tokens") ?? 0,
                    costUSD: row.double("cost_usd") ?? 0)
            }
        }
    }
}
