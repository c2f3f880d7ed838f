/// Migration 8: `usage_metrics`, every request's counters summed by what the metrics are labelled with
/// (function, client API, provider, model, status, whose fault an error was), maintained in the same
/// transaction as each usage row. `/metrics` reads this small table at scrape time, so it works the
/// same under CGI, where no process outlives its request, as under FastCGI. It holds no user ids.
enum UsageMetricsSchema {
    static let table = "usage_metrics"
    static let keys = ["function", "api", "provider_id", "model", "status", "error_type"]
    static let sums = [
        "requests", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens", "cost_usd",
        "latency_sum", "latency_count", "ttft_sum", "ttft_count",
    ]
    /// Latency buckets (`h0`...) as in the rollups, and time to first token in the same buckets (`t0`...).
    static let ttftColumns = (0..<LatencyHistogram.bucketCount).map { "t\($0)" }
    static let counters = sums + LatencyHistogram.columns + ttftColumns

    /// Every request runs it: its text is built once.
    private static let insertTemplate: SQLQuery = {
        let keyList = SQLFragment(generated: keys.joined(separator: ", "))
        let counterList = SQLFragment(generated: counters.joined(separator: ", "))
        let additions = SQLFragment(generated: counters.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", "))
        let placeholders = [SQLValue](repeating: .null, count: keys.count + counters.count)
        return """
            INSERT INTO \(SQLFragment(generated: table)) (\(keyList), \(counterList)) VALUES (\(list: placeholders))
            ON CONFLICT (\(keyList)) DO UPDATE SET \(additions)
            """
    }()

    /// Adds one usage row to its series.
    static func insert(_ record: UsageRecord) -> SQLQuery {
        SQLQuery(reusing: insertTemplate, bindings: values(record))
    }

    /// The model label: the model a provider was asked for (a catalogue model), '' when none was (an
    /// unknown model name is the caller's text, and would make a series per typo).
    static func model(_ record: UsageRecord) -> String {
        record.providersTried.isEmpty ? "" : record.modelServed ?? record.modelRequested ?? ""
    }

    static func values(_ record: UsageRecord) -> [SQLValue] {
        func histogram(_ milliseconds: Int?) -> [SQLValue] {
            var counts = [SQLValue](repeating: .integer(0), count: LatencyHistogram.bucketCount)
            if let milliseconds { counts[LatencyHistogram.bucket(forMilliseconds: milliseconds)] = .integer(1) }
            return counts
        }
        let keys: [SQLValue] = [
            .text(record.function), .text(record.api.rawValue), .text(record.providerID ?? ""), .text(model(record)),
            .text(record.status.rawValue), .text(UsageFault.errorType(record)),
        ]
        let sums: [SQLValue] = [
            .integer(1), SQLValue(record.promptTokens), SQLValue(record.completionTokens), SQLValue(record.cachedTokens),
            SQLValue(record.reasoningTokens), .real(record.costUSD ?? 0),
            .integer(Int64(record.latencyMs ?? 0)), .integer(record.latencyMs == nil ? 0 : 1),
            .integer(Int64(record.ttftMs ?? 0)), .integer(record.ttftMs == nil ? 0 : 1),
        ]
        return keys + sums + histogram(record.latencyMs) + histogram(record.ttftMs)
    }

    static func migration(integer: String, real: String) -> String {
        let keyColumns = keys.map { "\($0) TEXT NOT NULL" }.joined(separator: ",\n    ")
        let counterColumns = counters.map { "\($0) \($0 == "cost_usd" ? real : integer) NOT NULL DEFAULT 0" }.joined(separator: ",\n    ")
        return """
            CREATE TABLE \(table) (
                \(keyColumns),
                \(counterColumns),
                PRIMARY KEY (\(keys.joined(separator: ", ")))
            );
            \(backfill);
            """
    }

    /// The series of every usage row stored before the table existed.
    static var backfill: String {
        let model = "CASE WHEN providers_tried <> '[]' THEN coalesce(model_served, model_requested, '') ELSE '' END"
        let keyValues = ["function", "api", "coalesce(provider_id, '')", model, "status", errorTypeExpression]
        func buckets(_ column: String) -> [String] {
            LatencyHistogram.columns.indices.map {
                "SUM(CASE WHEN \(column) IS NOT NULL AND (\(LatencyHistogram.bucketExpression(column))) = \($0) THEN 1 ELSE 0 END)"
            }
        }
        let sums = [
            "COUNT(*)", "SUM(prompt_tokens)", "SUM(completion_tokens)", "SUM(cached_tokens)", "SUM(reasoning_tokens)",
            "coalesce(SUM(cost_usd), 0)", "coalesce(SUM(latency_ms), 0)", "COUNT(latency_ms)", "coalesce(SUM(ttft_ms), 0)", "COUNT(ttft_ms)",
        ]
        return """
            INSERT INTO \(table) (\(keys.joined(separator: ", ")), \(counters.joined(separator: ", ")))
            SELECT \(keyValues.joined(separator: ", ")),
                   \((sums + buckets("latency_ms") + buckets("ttft_ms")).joined(separator: ",\n       "))
            FROM aggregator_usage_logs
            GROUP BY \(keyValues.indices.map { String($0 + 1) }.joined(separator: ", "))
            """
    }

    /// `UsageFault.errorType` in SQL, from the same lists.
    static var errorTypeExpression: String {
        func quoted(_ codes: [String]) -> String { codes.map { "'\($0)'" }.joined(separator: ", ") }
        let faults: [(UsageFault, [String])] = [
            (.caller, UsageFault.callerCodes), (.policy, UsageFault.policyCodes), (.provider, UsageFault.providerCodes),
            (.gateway, UsageFault.gatewayCodes),
        ]
        return """
            CASE WHEN status = 'success' THEN ''
                 WHEN error_code = 'rate_limited' THEN CASE WHEN providers_tried <> '[]' THEN 'provider_rate_limited' ELSE 'policy_rate_limited' END
                 \(faults.map { "WHEN error_code IN (\(quoted($0.1))) THEN '\($0.0.rawValue)_' || error_code" }.joined(separator: "\n     "))
                 WHEN status = 'client_aborted' THEN 'caller_other'
                 WHEN status = 'upstream_aborted' THEN 'provider_other'
                 WHEN error_code LIKE 'http_4%' THEN 'caller_other'
                 ELSE 'gateway_other' END
            """
    }

    /// PostgreSQL: every writer adds to the counters (a user's request adds to them in that user's
    /// transaction, and an upsert needs to see the row it updates); only the service role reads them
    /// (`Store.usageMetrics`), and they name no user.
    static var postgresPolicy: String {
        """
        ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
        ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
        CREATE POLICY \(table)_counters ON \(table) FOR ALL USING (TRUE) WITH CHECK (TRUE);
        """
    }
}
