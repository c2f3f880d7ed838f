/// `usage_rollup`: chat usage (v1-chat rows) summed per user, provider, model and 15-minute bucket, maintained in the same
/// transaction as every usage row, so statistics over months read thousands of rows instead of millions
/// and stay exact. Fifteen minutes because every UTC offset in use is a multiple of it: hour, day and week
/// buckets in any time zone are unions of whole rollup buckets.
enum UsageRollupSchema {
    static let bucketMilliseconds: Int64 = 900_000

    /// The counters, in the order of `UsageRollupSchema.insert`.
    static let counters = ["requests", "errors", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens",
                           "cost_usd", "latency_sum", "latency_count", "ttft_sum", "ttft_count"] + LatencyHistogram.columns

    static func createTable(integer: String, real: String) -> String {
        let counterColumns = counters.map { "\($0) \($0 == "cost_usd" ? real : integer) NOT NULL DEFAULT 0" }.joined(separator: ",\n    ")
        return """
        CREATE TABLE usage_rollup (
            user_id TEXT NOT NULL,
            bucket_start \(integer) NOT NULL,
            provider_id TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            \(counterColumns),
            PRIMARY KEY (user_id, bucket_start, provider_id, model)
        );
        """
    }

    /// Rebuilds the rollup from `aggregator_usage_logs` (the migration backfill; the benchmark's seed).
    static let rebuild = "DELETE FROM usage_rollup;\n" + rebuildInsert + ";"

    static let rebuildInsert = """
        INSERT INTO usage_rollup (user_id, bucket_start, provider_id, model, \(counters.joined(separator: ", ")))
        SELECT user_id, (created_at / \(bucketMilliseconds)) * \(bucketMilliseconds), coalesce(provider_id, ''),
               coalesce(model_requested, model_served, ''),
               COUNT(*), SUM(CASE WHEN status = 'success' THEN 0 ELSE 1 END), SUM(prompt_tokens), SUM(completion_tokens),
               SUM(cached_tokens), SUM(reasoning_tokens), coalesce(SUM(cost_usd), 0), coalesce(SUM(latency_ms), 0), COUNT(latency_ms),
               coalesce(SUM(ttft_ms), 0), COUNT(ttft_ms),
               \(LatencyHistogram.columns.indices.map { "SUM(CASE WHEN latency_ms IS NOT NULL AND (\(LatencyHistogram.bucketExpression)) = \($0) THEN 1 ELSE 0 END)" }.joined(separator: ",\n           "))
        FROM aggregator_usage_logs WHERE function = 'v1-chat'
        GROUP BY user_id, (created_at / \(bucketMilliseconds)) * \(bucketMilliseconds), coalesce(provider_id, ''), coalesce(model_requested, model_served, '')
        """

    /// Adds one usage row to its bucket (an upsert that adds every counter).
    static let insert = """
        INSERT INTO usage_rollup (user_id, bucket_start, provider_id, model, \(counters.joined(separator: ", ")))
        VALUES (?, ?, ?, ?, \(Array(repeating: "?", count: counters.count).joined(separator: ", ")))
        ON CONFLICT (user_id, bucket_start, provider_id, model) DO UPDATE SET
            \(counters.map { "\($0) = usage_rollup.\($0) + excluded.\($0)" }.joined(separator: ", "))
        """

    static func values(_ record: UsageRecord) -> [SQLValue] {
        var histogram = [SQLValue](repeating: .integer(0), count: LatencyHistogram.bucketCount)
        if let latency = record.latencyMs { histogram[LatencyHistogram.bucket(forMilliseconds: latency)] = .integer(1) }
        let created = record.createdAt
        let bucket = (created >= 0 ? created / bucketMilliseconds : (created - bucketMilliseconds + 1) / bucketMilliseconds) * bucketMilliseconds
        return [.text(record.userID), .integer(bucket), .text(record.providerID ?? ""), .text(record.modelRequested ?? record.modelServed ?? ""),
                .integer(1), .integer(record.status == .success ? 0 : 1), SQLValue(record.promptTokens), SQLValue(record.completionTokens),
                SQLValue(record.cachedTokens), SQLValue(record.reasoningTokens), .real(record.costUSD ?? 0),
                .integer(Int64(record.latencyMs ?? 0)), .integer(record.latencyMs == nil ? 0 : 1),
                .integer(Int64(record.ttftMs ?? 0)), .integer(record.ttftMs == nil ? 0 : 1)] + histogram
    }
}
