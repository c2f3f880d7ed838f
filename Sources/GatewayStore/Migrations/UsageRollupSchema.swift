/// Chat usage (v1-chat rows) summed per user, provider, model, client API and time bucket, maintained in the same
/// transaction as every usage row, so statistics over months read thousands of rows instead of millions
/// and stay exact. Two resolutions:
/// - `usage_rollup_hourly`: whole UTC hours, read whenever the periods asked for are whole hours
///   (every zone with a whole-hour offset);
/// - `usage_rollup`: 15 minutes, because every UTC offset in use is a multiple of it (India's +05:30,
///   Nepal's +05:45): periods in any zone are unions of whole buckets.
struct UsageRollupSchema: Sendable {
    let table: String
    let bucketMilliseconds: Int64
    /// `insert`'s statement, built once with placeholder values: every chat request runs `insert` twice.
    private let insertTemplate: SQLQuery

    init(table: String, bucketMilliseconds: Int64) {
        self.table = table
        self.bucketMilliseconds = bucketMilliseconds
        let counterList = SQLFragment(generated: Self.counters.joined(separator: ", "))
        let counterAdditions = SQLFragment(generated: Self.counters.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", "))
        let placeholders = [SQLValue](repeating: .null, count: 5 + Self.counters.count)
        insertTemplate = """
            INSERT INTO \(SQLFragment(generated: table)) (user_id, bucket_start, provider_id, model, api, \(counterList)) VALUES (\(list: placeholders))
            ON CONFLICT (user_id, bucket_start, provider_id, model, api) DO UPDATE SET \(counterAdditions)
            """
    }

    static let quarterHour = UsageRollupSchema(table: "usage_rollup", bucketMilliseconds: 900_000)
    static let hourly = UsageRollupSchema(table: "usage_rollup_hourly", bucketMilliseconds: 3_600_000)
    static let all = [quarterHour, hourly]

    /// The counters, in the order of `insert`.
    static let sums = [
        "requests", "errors", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens",
        "cost_usd", "latency_sum", "latency_count", "ttft_sum", "ttft_count",
    ]
    static let counters = sums + LatencyHistogram.columns

    /// Migration 3 made the tables without `api`; migration 6 remakes them with it. Each migration
    /// keeps the definition it was written with, so a fresh database goes through both.
    enum Layout: Sendable {
        case beforeClientAPI, current
        var keys: [String] { self == .current ? ["provider_id", "model", "api"] : ["provider_id", "model"] }
    }

    static func createTables(integer: String, real: String, layout: Layout = .current) -> String {
        let counterColumns = counters.map { "\($0) \($0 == "cost_usd" ? real : integer) NOT NULL DEFAULT 0" }.joined(separator: ",\n    ")
        return all.map { schema in
            """
            CREATE TABLE \(schema.table) (
                user_id TEXT NOT NULL,
                bucket_start \(integer) NOT NULL,
                provider_id TEXT NOT NULL DEFAULT '',
                model TEXT NOT NULL DEFAULT '',\(layout == .current ? "\n    api TEXT NOT NULL DEFAULT 'chat'," : "")
                \(counterColumns),
                PRIMARY KEY (user_id, bucket_start, \(layout.keys.joined(separator: ", ")))
            );
            """
        }.joined(separator: "\n")
    }

    /// Rebuilds every rollup from `aggregator_usage_logs` (the migration backfill).
    static func rebuildAll(_ layout: Layout = .current) -> String {
        all.map { "DELETE FROM \($0.table);\n\($0.rebuildInsert(layout));" }.joined(separator: "\n")
    }

    func rebuildInsert(_ layout: Layout = .current) -> String {
        let bucket = "(created_at / \(bucketMilliseconds)) * \(bucketMilliseconds)"
        let keys =
            layout == .current
            ? "coalesce(provider_id, ''), coalesce(model_requested, model_served, ''), api"
            : "coalesce(provider_id, ''), coalesce(model_requested, model_served, '')"
        return """
            INSERT INTO \(table) (user_id, bucket_start, \(layout.keys.joined(separator: ", ")), \(Self.counters.joined(separator: ", ")))
            SELECT user_id, \(bucket), \(keys),
                   COUNT(*), SUM(CASE WHEN status = 'success' THEN 0 ELSE 1 END), SUM(prompt_tokens), SUM(completion_tokens),
                   SUM(cached_tokens), SUM(reasoning_tokens), coalesce(SUM(cost_usd), 0), coalesce(SUM(latency_ms), 0), COUNT(latency_ms),
                   coalesce(SUM(ttft_ms), 0), COUNT(ttft_ms),
                   \(LatencyHistogram.columns.indices.map { "SUM(CASE WHEN latency_ms IS NOT NULL AND (\(LatencyHistogram.bucketExpression)) = \($0) THEN 1 ELSE 0 END)" }.joined(separator: ",\n           "))
            FROM aggregator_usage_logs WHERE function = 'v1-chat'
            GROUP BY user_id, \(bucket), \(keys)
            """
    }

    /// The table, for statements.
    var tableName: SQLFragment { SQLFragment(generated: table) }

    /// Adds one usage row to its bucket (an upsert that adds every counter).
    func insert(_ record: UsageRecord) -> SQLQuery {
        SQLQuery(reusing: insertTemplate, bindings: values(record))
    }

    /// The key columns and every counter of `record`'s bucket, in the order of `insert`.
    func values(_ record: UsageRecord) -> [SQLValue] {
        var histogram = [SQLValue](repeating: .integer(0), count: LatencyHistogram.bucketCount)
        if let latency = record.latencyMs { histogram[LatencyHistogram.bucket(forMilliseconds: latency)] = .integer(1) }
        let created = record.createdAt
        let bucket = (created >= 0 ? created / bucketMilliseconds : (created - bucketMilliseconds + 1) / bucketMilliseconds) * bucketMilliseconds
        return [
            .text(record.userID), .integer(bucket), .text(record.providerID ?? ""), .text(record.modelRequested ?? record.modelServed ?? ""),
            .text(record.api.rawValue), .integer(1), .integer(record.status == .success ? 0 : 1), SQLValue(record.promptTokens),
            SQLValue(record.completionTokens),
            SQLValue(record.cachedTokens), SQLValue(record.reasoningTokens), .real(record.costUSD ?? 0),
            .integer(Int64(record.latencyMs ?? 0)), .integer(record.latencyMs == nil ? 0 : 1),
            .integer(Int64(record.ttftMs ?? 0)), .integer(record.ttftMs == nil ? 0 : 1),
        ] + histogram
    }
}
