import Foundation
import Gateway
import GatewayDevelopment
import GatewayStore
import TestSupport

/// `bench-fixture usage`: the 30-day daily usage-stats query for a user with 1,000,000 usage rows over
/// 90 days, in a table of 5,000,000 (999 other users), on SQLite and PostgreSQL (a throwaway cluster).
/// Beside it, from the same run: the same totals and daily series summed from the raw rows (the baseline
/// the rollup replaces), and the whole request through the `usage-stats` executable as CGI.
enum UsageStatsBenchmark {
    static let day: Int64 = 86_400_000
    static let end: Int64 = 1_795_000_000_000 - 1_795_000_000_000 % 86_400_000  // a UTC midnight in 2026
    static let benchUser = "bench-user"

    static func run(functionsDirectory: String) throws {
        var backends: [(String, String)] = [("sqlite", "sqlite://\(try temporaryDirectory("usage-bench"))/gateway.db")]
        if let server = try PostgresTestServer.shared() { backends.append(("postgres", try server.createDatabase())) }
        let service = Caller(userID: "bench", role: .serviceRole)
        let user = Caller(userID: benchUser, role: .authenticated)
        print("usage-stats, 30 days by day, user with 1,000,000 rows over 90 days, 5,000,000 rows in all; median of 21 runs (ms)")
        print("backend    seed (s)   raw rows (baseline)   rollup query   ratio   whole CGI request")
        fflush(nil)
        for (backend, url) in backends {
            let seedStart = Date()
            try seed(backend: backend, url: url)
            let store = try StoreFactory.open(try DatabaseURL(parsing: url))
            try store.rebuildUsageRollup(service)
            let seedSeconds = Date().timeIntervalSince(seedStart)

            let parameters = ["start_date": iso(end - 30 * day), "end_date": iso(end - day), "granularity": "day"]
            let stats = try report(store: store, caller: user, parameters: parameters, now: end)
            guard stats.requests > 300_000 else { throw CocoaError(.featureUnsupported, userInfo: ["requests": stats.requests]) }
            let rollup = try median(21) { _ = try report(store: store, caller: user, parameters: parameters, now: end) }
            let raw = try median(5) { try rawQuery(backend: backend, url: url) }
            let cgi = try median(11) { try cgiRequest(url: url, functionsDirectory: functionsDirectory, parameters: parameters) }
            print(
                backend.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + String(format: " %8.1f   %19.1f   %12.1f   %4.0fx   %17.1f", seedSeconds, raw, rollup, raw / rollup, cgi))
            print("           (30-day totals: \(stats.requests) requests, \(stats.series) daily buckets)")
            fflush(nil)  // figures appear as they are measured
        }
    }

    static func iso(_ millis: Int64) -> String { String(ISO8601Milliseconds.format(millis, offsetSeconds: 0).prefix(10)) }

    /// 5,000,000 rows in one statement: the first million are the bench user's, every 7.776 s over 90 days.
    static func seed(backend: String, url: String) throws {
        let start = end - 90 * day
        let columns =
            "id, user_id, provider_id, function, model_requested, model_served, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd, latency_ms, ttft_ms, status, created_at"
        func select(_ i: String) -> String {
            """
            SELECT 'r' || \(i), CASE WHEN \(i) < 1000000 THEN '\(benchUser)' ELSE 'user-' || (\(i) % 999) END,
                   CASE \(i) % 3 WHEN 0 THEN 'openrouter' WHEN 1 THEN 'openai' ELSE 'anthropic' END, 'v1-chat',
                   'model-' || (\(i) % 5), 'model-' || (\(i) % 5), \(i) % 2000, \(i) % 500, \(i) % 100, \(i) % 50,
                   (\(i) % 1000) * 0.000001, 50 + \(i) % 3000, 20 + \(i) % 500, CASE WHEN \(i) % 50 = 0 THEN 'error' ELSE 'success' END,
                   \(start) + (\(i) % 1000000) * 7776
            """
        }
        switch backend {
        case "sqlite":
            let path = String(url.dropFirst("sqlite://".count))
            let connection = try SQLiteConnection(path: path)
            try GatewaySchema.prepare(StoreFactory.open(try DatabaseURL(parsing: url)))
            try connection.execute("BEGIN")
            try connection.execute(
                """
                INSERT INTO aggregator_usage_logs (\(columns))
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999999) \(select("i")) FROM n
                """)
            try connection.execute("COMMIT")
            try connection.execute("ANALYZE")
        default:
            try GatewaySchema.prepare(StoreFactory.open(try DatabaseURL(parsing: url)))
            let connection = try PostgresConnection(url: url)
            try connection.execute("SELECT set_config('gateway.role', 'service_role', false)")
            try connection.execute("INSERT INTO aggregator_usage_logs (\(columns)) \(select("i")) FROM generate_series(0::bigint, 4999999) AS i")
            try connection.execute("ANALYZE")
        }
    }

    /// The baseline: the same totals and daily series from the raw rows.
    static func rawQuery(backend: String, url: String) throws {
        let sql = """
            SELECT (created_at - \(end - 30 * day)) / \(day) AS d, COUNT(*) AS n, SUM(prompt_tokens) AS p, SUM(completion_tokens) AS c,
                   SUM(cost_usd) AS cost, AVG(latency_ms) AS l
            FROM aggregator_usage_logs WHERE user_id = '\(benchUser)' AND function = 'v1-chat' AND created_at >= \(end - 30 * day) AND created_at < \(end)
            GROUP BY (created_at - \(end - 30 * day)) / \(day)
            """
        if backend == "sqlite" {
            _ = try SQLiteConnection(path: String(url.dropFirst("sqlite://".count))).query(sql)
        } else {
            let connection = try PostgresConnection(url: url)
            try connection.execute("SELECT set_config('gateway.role', 'service_role', false)")
            _ = try connection.query(sql)
        }
    }

    static func cgiRequest(url: String, functionsDirectory: String, parameters: [String: String]) throws {
        let secret = "bench-jwt-secret-0123456789abcdef0123456789"
        let token = try blockingAsync { try await DevelopmentTokens.mint(subject: benchUser, role: .authenticated, ttlSeconds: 600, secret: secret) }
        let query = parameters.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let result = try CGIInvocation(
            executable: functionsDirectory + "/usage-stats",
            environment: [
                "GATEWAY_DATABASE_URL": url, "GATEWAY_JWT_SECRET": secret, "GATEWAY_ENCRYPTION_KEY": VaultKey.generate(id: "b").exported,
                "GATEWAY_LOG_LEVEL": "error", "REQUEST_METHOD": "GET", "PATH_INFO": "/", "QUERY_STRING": query,
                "HTTP_AUTHORIZATION": "Bearer \(token)",
            ]
        ).run()
        guard result.head?.status == 200 else { throw CocoaError(.featureUnsupported, userInfo: ["cgi": result.text]) }
    }

    static func median(_ runs: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times.sorted()[runs / 2]
    }

    /// The report `GET /usage-stats` answers with, computed in process: the same parsing and queries.
    static func report(store: any Store, caller: Caller, parameters: [String: String], now: Int64) throws -> (requests: Int, series: Int) {
        let request = try StatsRequest(parameters, caller: caller, store: store, now: now)
        let json = try UsageReport(request: request, store: store, caller: caller).json()
        return (json["totals"]?["requests"]?.intValue ?? 0, json["series"]?.arrayValue?.count ?? 0)
    }
}
