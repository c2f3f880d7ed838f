/// Statistics read the 15-minute rollup, never the raw rows: a month is a few thousand rows per user.
extension SQLStore {
    /// Recomputes the whole rollup and the metrics' counters from the raw rows (service role): after a
    /// bulk import, or to prove them exact.
    package func rebuildUsageRollup(_ caller: Caller) throws {
        try SQLStore.requireService(caller, "rebuild the usage rollup")
        try write(caller) { db in
            for rollup in UsageRollupSchema.all {
                try db.query("DELETE FROM \(rollup.tableName)")
                try db.query("\(SQLFragment(generated: rollup.rebuildInsert()))")
            }
            try db.query("DELETE FROM \(SQLFragment(generated: UsageMetricsSchema.table))")
            try db.query("\(SQLFragment(generated: UsageMetricsSchema.backfill))")
        }
    }

    package func usageAggregates(_ caller: Caller, _ filter: UsageStatsFilter, by grouping: UsageStatsFilter.Grouping) throws -> [UsageGroup] {
        var conditions: [SQLQuery] = ["bucket_start >= \(filter.range.start)", "bucket_start < \(filter.range.end)"]
        if let userID = try filter.scope.userID(for: caller) { conditions.insert("user_id = \(userID)", at: 0) }
        if let providerID = filter.providerID { conditions.append("provider_id = \(providerID)") }
        if let model = filter.model { conditions.append("model = \(model)") }
        if let api = filter.api { conditions.append("api = \(api.rawValue)") }
        let group: SQLFragment? =
            switch grouping {
            case .total: nil
            case .bucket: "bucket_start"
            case .model: "model"
            case .provider: "provider_id"
            case .api: "api"
            }
        // The latency histogram (40 columns) is summed only for the total: it is most of the work.
        let columns = grouping == .total ? UsageRollupSchema.counters : UsageRollupSchema.sums
        let sums = SQLFragment(generated: columns.map { "SUM(\($0)) AS \($0)" }.joined(separator: ", "))
        let aligned = filter.range.start % 3_600_000 == 0 && filter.range.end % 3_600_000 == 0 && (grouping != .bucket || filter.wholeHours)
        let table = (aligned ? UsageRollupSchema.hourly : UsageRollupSchema.quarterHour).tableName
        let selected: SQLQuery = group.map { "\($0) AS grouped, " } ?? ""
        let grouped: SQLQuery = group.map { " GROUP BY \($0) ORDER BY \($0)" } ?? ""
        let query: SQLQuery =
            "SELECT \(selected)\(sums) FROM \(table) WHERE \(SQLQuery.joined(conditions, separator: " AND "))\(grouped)"
        return try read(caller) { db in
            try db.query(query).compactMap { row in
                // A total over no rows is one row of NULL sums; groups exist only where there are rows.
                guard (try row.nullable("requests", as: Int.self) ?? 0) > 0 else { return nil }
                let usage = try UsageAggregate(sums: row, errors: try row.column("errors"))
                let key: String = grouping == .bucket || grouping == .total ? "" : try row.column("grouped")
                return UsageGroup(key: key, bucketStart: grouping == .bucket ? try row.column("grouped") : 0, usage: usage)
            }
        }
    }
}

extension UsageAggregate {
    /// The counters every usage table shares (the rollups, the metrics' series), read from `row`; the
    /// latency histogram too where the row has it.
    init(sums row: SQLRow, errors: Int) throws {
        self.init()
        requests = try row.column("requests")
        self.errors = errors
        promptTokens = try row.column("prompt_tokens")
        completionTokens = try row.column("completion_tokens")
        cachedTokens = try row.column("cached_tokens")
        reasoningTokens = try row.column("reasoning_tokens")
        costUSD = try row.column("cost_usd")
        latencySum = try row.column("latency_sum")
        latencyCount = try row.column("latency_count")
        ttftSum = try row.column("ttft_sum")
        ttftCount = try row.column("ttft_count")
        if row["h0"] != nil { histogram = try LatencyHistogram.columns.map { try row.column($0) } }
    }
}
