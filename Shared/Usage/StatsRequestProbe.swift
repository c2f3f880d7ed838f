/// The usage-stats report outside a request, for the benchmark: the same parsing and queries as `GET /`.
public enum StatsRequestProbe {
    public static func report(store: any Store, caller: Caller, parameters: [String: String], now: Int64) throws -> (requests: Int, series: Int) {
        let request = try StatsRequest(parameters, caller: caller, store: store, now: now)
        let json = try UsageReport(request: request, store: store, caller: caller).json()
        return (json["totals"]?["requests"]?.intValue ?? 0, json["series"]?.arrayValue?.count ?? 0)
    }
}
