/// Statistics read the 15-minute rollup, never the raw rows: a month is a few thousand rows per user.
extension SQLStore {
    /// Recomputes the whole rollup from the raw rows (service role): after a bulk import, or to prove it exact.
    package func rebuildUsageRollup(_ caller: Caller) throws {
        try SQLStore.requireService(caller, "rebuild the usage rollup")
        try write(caller) { db in
            for rollup in UsageRollupSchema.all {
                try db.query("DELETE FROM \(rollup.table)", [])
                try db.query(rollup.rebuildInsert, [])
            }
        }
    }

    package func usageAggregates(_ caller: Caller, _ filter: UsageStatsFilter, by grouping: UsageStatsFilter.Grouping) throws -> [UsageGroup] {
        var conditions = ["bucket_start >= ?", "bucket_start < ?"]
        var values: [SQLValue] = [.integer(filter.range.start), .integer(filter.range.end)]
        if let userID = try filter.scope.userID(for: caller) {
            conditions.insert("user_id = ?", at: 0)
            values.insert(.text(userID), at: 0)
        }
        if let providerID = filter.providerID {
            conditions.append("provider_id = ?")
            values.append(.text(providerID))
        }
        if let model = filter.model {
            conditions.append("model = ?")
            values.append(.text(model))
        }
        let group: String? =
            switch grouping {
            case .total: nil
            case .bucket: "bucket_start"
            case .model: "model"
            case .provider: "provider_id"
            }
        // The latency histogram (40 columns) is summed only for the total: it is most of the work.
        let columns = grouping == .total ? UsageRollupSchema.counters : UsageRollupSchema.sums
        let sums = columns.map { "SUM(\($0)) AS \($0)" }.joined(separator: ", ")
        let aligned = filter.range.start % 3_600_000 == 0 && filter.range.end % 3_600_000 == 0 && (grouping != .bucket || filter.wholeHours)
        let table = (aligned ? UsageRollupSchema.hourly : UsageRollupSchema.quarterHour).table
        let sql =
            "SELECT \(group.map { "\($0) AS grouped, " } ?? "")\(sums) FROM \(table) WHERE \(conditions.joined(separator: " AND "))"
            + (group.map { " GROUP BY \($0) ORDER BY \($0)" } ?? "")
        return try read(caller) { db in
            try db.query(sql, values).compactMap { row in
                var usage = UsageAggregate()
                usage.requests = row.int("requests") ?? 0
                guard usage.requests > 0 else { return nil }
                usage.errors = row.int("errors") ?? 0
                usage.promptTokens = row.int("prompt_tokens") ?? 0
                usage.completionTokens = row.int("completion_tokens") ?? 0
                usage.cachedTokens = row.int("cached_tokens") ?? 0
                usage.reasoningTokens = row.int("reasoning_tokens") ?? 0
                usage.costUSD = row.double("cost_usd") ?? 0
                usage.latencySum = row.int("latency_sum") ?? 0
                usage.latencyCount = row.int("latency_count") ?? 0
                usage.ttftSum = row.int("ttft_sum") ?? 0
                usage.ttftCount = row.int("ttft_count") ?? 0
                if grouping == .total { usage.histogram = LatencyHistogram.columns.map { row.int($0) ?? 0 } }
                let key = grouping == .bucket ? "" : row.string("grouped") ?? ""
                return UsageGroup(key: key, bucketStart: grouping == .bucket ? row.int64("grouped") ?? 0 : 0, usage: usage)
            }
        }
    }
}
