import FunctionRuntime
import GatewayStore

/// How a budget and its consumption appear in `usage-stats` (`budget` of the report, `/budgets`).
enum BudgetJSON {
    static func state(_ state: BudgetState, now: Int64) -> JSONValue {
        let budget = state.budget, used = state.consumption
        let periods = BudgetPeriods(now: now)
        var json: [String: JSONValue] = [
            "provider_id": budget.providerID.isEmpty ? .null : .string(budget.providerID),
            "monthly_budget_usd": budget.monthlyBudgetUSD.map(JSONValue.double) ?? .null,
            "requests_per_minute": budget.requestsPerMinute.map(JSONValue.int) ?? .null,
            "tokens_per_day": budget.tokensPerDay.map(JSONValue.int) ?? .null,
            "alert_thresholds": .array(budget.alertThresholds.map(JSONValue.int)),
            "month_spend_usd": UsageJSON.cost(used.monthCostUSD), "day_tokens": .int(used.dayTokens),
            "minute_requests": .int(used.minuteRequests),
            "month_resets_at": .string(ISO8601Milliseconds.format(periods.nextMonthStart, offsetSeconds: 0)),
            "day_resets_at": .string(ISO8601Milliseconds.format(periods.nextDayStart, offsetSeconds: 0)),
        ]
        if let limit = budget.monthlyBudgetUSD, limit > 0 {
            let percent = used.monthCostUSD / limit * 100
            json["used_percent"] = .double((percent * 10).rounded() / 10)
            json["alerts"] = .array(budget.alertThresholds.filter { Double($0) <= percent }.sorted().map(JSONValue.int))
        }
        let refusal = BudgetGate.refusal(state, now: now)
        json["blocked"] = .bool(refusal != nil)
        json["blocked_by"] = refusal?.code.map(JSONValue.string) ?? .null
        return .object(json)
    }
}
