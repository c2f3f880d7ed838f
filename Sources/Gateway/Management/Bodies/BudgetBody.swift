import FunctionRuntime

/// `PUT /usage-stats/budgets`: a user's monthly budget and limits, user-wide or for one provider.
/// A `null` limit is no limit.
package struct BudgetBody: JSONBody {
    package var userID: String?
    package var providerID: String?
    package var provider: String?
    package var monthlyBudgetUSD: Double?
    package var requestsPerMinute: Double?
    package var tokensPerDay: Double?
    package var alertThresholds: [Int]?

    package enum CodingKeys: String, CodingKey {
        case provider
        case userID = "user_id"
        case providerID = "provider_id"
        case monthlyBudgetUSD = "monthly_budget_usd"
        case requestsPerMinute = "requests_per_minute"
        case tokensPerDay = "tokens_per_day"
        case alertThresholds = "alert_thresholds"
    }

    /// A millionth of a dollar.
    package static let leastMonthlyBudgetUSD = 0.000001

    package static func requirement(of key: String) -> String {
        switch key {
        case "monthly_budget_usd": "'monthly_budget_usd' must be at least 0.000001 (USD), or null for no limit."
        case "user_id": "'user_id' must be a user id."
        case "provider_id", "provider": "'provider_id' must name a provider in the catalogue."
        case "alert_thresholds": "'alert_thresholds' must be up to 10 percentages (1 to 1000)."
        default:
            key.hasPrefix("alert_thresholds")
                ? "'alert_thresholds' must be up to 10 percentages (1 to 1000)."
                : "'\(key)' must be a positive number (or null for no limit)."
        }
    }
}
