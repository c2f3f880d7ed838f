extension SQLStore {
    /// Every metrics series, the requests in flight, and (when `perUser`) each user's chat totals:
    /// the service role only, since the figures are every user's.
    package func usageMetrics(_ caller: Caller, perUser: Bool) throws -> UsageMetrics {
        try SQLStore.requireService(caller, "read the gateway's metrics")
        let table = SQLFragment(generated: UsageMetricsSchema.table)
        let keys = SQLFragment(generated: UsageMetricsSchema.keys.joined(separator: ", "))
        return try read(caller) { db in
            let series = try db.query("SELECT * FROM \(table) ORDER BY \(keys)").map { row in
                let status: String = try row.column("status")
                let requests: Int = try row.column("requests")
                return UsageMetrics.Series(
                    function: try row.column("function"), api: try row.column("api"), providerID: try row.column("provider_id"),
                    model: try row.column("model"), status: status, errorType: try row.column("error_type"),
                    usage: try UsageAggregate(sums: row, errors: status == "success" ? 0 : requests),
                    ttftHistogram: try UsageMetricsSchema.ttftColumns.map { try row.column($0) })
            }
            let inFlight: Int = try db.query("SELECT COUNT(*) AS n FROM usage_reservations").first?.column("n") ?? 0
            guard perUser else { return UsageMetrics(series: series, inFlight: inFlight, users: nil) }
            let sums = SQLFragment(generated: UsageRollupSchema.sums.map { "SUM(\($0)) AS \($0)" }.joined(separator: ", "))
            let users = try db.query("SELECT user_id, \(sums) FROM \(UsageRollupSchema.hourly.tableName) GROUP BY user_id ORDER BY user_id")
                .map { row in
                    UsageMetrics.UserTotals(userID: try row.column("user_id"), usage: try UsageAggregate(sums: row, errors: try row.column("errors")))
                }
            return UsageMetrics(series: series, inFlight: inFlight, users: users)
        }
    }
}
