import FunctionRuntime
import GatewayStore

/// A budget with what it has used, as `usage-stats` answers with it (`budget` of the report, `/budgets`).
package struct BudgetResponse: JSONResponse {
    /// Null for the user-wide budget.
    @NullWhenAbsent var providerID: String?
    @NullWhenAbsent var monthlyBudgetUSD: Double?
    @NullWhenAbsent var requestsPerMinute: Int?
    @NullWhenAbsent var tokensPerDay: Int?
    var alertThresholds: [Int]
    /// Rounded to 1e-9 USD.
    var monthSpendUSD: Double
    var dayTokens: Int
    var minuteRequests: Int
    var monthResetsAt: String
    var dayResetsAt: String
    /// Only with a monthly budget: how much of it is spent, and which thresholds that passed.
    var usedPercent: Double?
    var alerts: [Int]?
    var blocked: Bool
    /// The limit that refuses requests now (`budget_exceeded`, `rate_limited`, `token_limit_exceeded`).
    @NullWhenAbsent var blockedBy: String?

    enum CodingKeys: String, CodingKey {
        case alerts, blocked
        case providerID = "provider_id"
        case monthlyBudgetUSD = "monthly_budget_usd"
        case requestsPerMinute = "requests_per_minute"
        case tokensPerDay = "tokens_per_day"
        case alertThresholds = "alert_thresholds"
        case monthSpendUSD = "month_spend_usd"
        case dayTokens = "day_tokens"
        case minuteRequests = "minute_requests"
        case monthResetsAt = "month_resets_at"
        case dayResetsAt = "day_resets_at"
        case usedPercent = "used_percent"
        case blockedBy = "blocked_by"
    }

    package init(_ state: BudgetState, now: Int64) {
        let budget = state.budget, used = state.consumption
        let periods = BudgetPeriods(now: now)
        providerID = budget.providerID.isEmpty ? nil : budget.providerID
        monthlyBudgetUSD = budget.monthlyBudgetUSD
        requestsPerMinute = budget.requestsPerMinute
        tokensPerDay = budget.tokensPerDay
        alertThresholds = budget.alertThresholds
        monthSpendUSD = (used.monthCostUSD * 1e9).rounded() / 1e9
        dayTokens = used.dayTokens
        minuteRequests = used.minuteRequests
        monthResetsAt = ISO8601Milliseconds.format(periods.nextMonthStart, offsetSeconds: 0)
        dayResetsAt = ISO8601Milliseconds.format(periods.nextDayStart, offsetSeconds: 0)
        if let limit = budget.monthlyBudgetUSD, limit > 0 {
            let percent = used.monthCostUSD / limit * 100
            // A budget of a few 1e-320 USD overflows the ratio; JSON has no infinity (the answer would be lost whole).
            let rounded = (percent * 10).rounded() / 10
            usedPercent = rounded.isFinite ? rounded : .greatestFiniteMagnitude
            alerts = budget.alertThresholds.filter { Double($0) <= percent }.sorted()
        }
        let refusal = BudgetGate.refusal(state, now: now)
        blocked = refusal != nil
        blockedBy = refusal?.code
    }
}
