/// `usage-stats`: usage totals, series and breakdowns for the caller.
public enum UsageStatsFunction: GatewayFunction {
    public static let name = "usage-stats"

    public static func routes(_ router: inout Router<FunctionContext>) {
        router.notImplemented("GET", "/", "Usage statistics (usage-stats)")
        router.notImplemented("GET", "/compare", "Provider comparison (usage-stats)")
        router.notImplemented("GET", "/export", "Usage export (usage-stats)")
        router.notImplemented("POST", "/estimate", "Cost estimation (usage-stats)")
    }
}
