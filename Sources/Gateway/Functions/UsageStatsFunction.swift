import FunctionRuntime

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `usage-stats`: the caller's usage (totals, series, breakdowns), provider comparison, CSV export,
/// budgets and limits, and cost estimates; and the gateway's metrics for Prometheus (`/metrics`).
package enum UsageStatsFunction: GatewayFunction {
    package static let name = "usage-stats"
    package static let probes: [any Probe] = [HealthCheck(), MetricsEndpoint()]

    package static func routes(_ routes: inout RouteTable<FunctionContext>) {
        routes.onStore("GET", "/") { request, _, context, writer in
            let store = try context.store()
            let stats = try StatsRequest(request.queryParameters, caller: context.caller, store: store, now: now())
            var report = try UsageReport(request: stats, store: store, caller: context.caller).json()
            if case .user(let user) = stats.scope.resolved(context.caller) {
                let now = now()
                let states = try store.budgetStates(context.caller, userID: user, now: now)
                report["budget"] = .object([
                    "overall": states.first { $0.budget.providerID.isEmpty }.map { BudgetResponse($0, now: now).json } ?? .null,
                    "providers": .array(states.filter { !$0.budget.providerID.isEmpty }.map { BudgetResponse($0, now: now).json }),
                ])
            }
            try writer.respond(json: .object(report))
        }
        routes.onStore("GET", "/budgets") { request, _, context, writer in try listBudgets(request, context: context, writer: writer) }
        routes.onStore("PUT", "/budgets") { request, _, context, writer in try saveBudget(request, context: context, writer: writer) }
        routes.onStore("DELETE", "/budgets") { request, _, context, writer in try deleteBudget(request, context: context, writer: writer) }
        routes.onStore("GET", "/compare") { request, _, context, writer in try compare(request, context: context, writer: writer) }
        routes.on("GET", "/export") { request, _, context, writer in try await export(request, context: context, writer: writer) }
        routes.onStore("GET", "/requests") { request, _, context, writer in try recentRequests(request, context: context, writer: writer) }
        routes.onStore("GET", "/requests/{id}") { _, parameters, context, writer in
            try oneRequest(parameters["id"] ?? "", context: context, writer: writer)
        }
        routes.onStore("POST", "/estimate") { request, _, context, writer in try estimate(request, context: context, writer: writer) }
    }

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
