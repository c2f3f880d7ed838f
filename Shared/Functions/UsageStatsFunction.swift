#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `usage-stats`: the caller's usage (totals, series, breakdowns), provider comparison, CSV export,
/// budgets and limits, and cost estimates.
public enum UsageStatsFunction: GatewayFunction {
    public static let name = "usage-stats"

    public static func routes(_ router: inout Router<FunctionContext>) {
        router.on("GET", "/") { request, _, context, writer in
            let store = try context.store()
            let stats = try StatsRequest(request.queryParameters, caller: context.caller, store: store, now: now())
            try writer.respond(json: .object(try UsageReport(request: stats, store: store, caller: context.caller).json()))
        }
        router.notImplemented("GET", "/compare", "Provider comparison (usage-stats)")
        router.notImplemented("GET", "/export", "Usage export (usage-stats)")
        router.notImplemented("POST", "/estimate", "Cost estimation (usage-stats)")
    }

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
