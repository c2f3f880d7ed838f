/// A user's spending and rate limits (`usage_budgets`), for all providers (`providerID` empty) or one.
/// Calendar periods are UTC: the month from the 1st, the day from midnight.
package struct UsageBudget: Sendable, Equatable {
    package var id: String
    package var userID: String
    package var providerID: String
    package var monthlyBudgetUSD: Double?
    package var requestsPerMinute: Int?
    package var tokensPerDay: Int?
    /// Percentages of the monthly budget that raise an alert.
    package var alertThresholds: [Int]

    package init(
        id: String, userID: String, providerID: String = "", monthlyBudgetUSD: Double? = nil, requestsPerMinute: Int? = nil,
        tokensPerDay: Int? = nil, alertThresholds: [Int] = [50, 80, 100]
    ) {
        self.id = id
        self.userID = userID
        self.providerID = providerID
        self.monthlyBudgetUSD = monthlyBudgetUSD
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerDay = tokensPerDay
        self.alertThresholds = alertThresholds
    }
}

/// What a budget has used in its current periods.
package struct BudgetConsumption: Sendable, Equatable {
    package var monthCostUSD: Double
    package var dayTokens: Int
    /// Finished chat requests in the last minute, plus requests in flight (user-wide budgets only).
    package var minuteRequests: Int
    /// When the oldest request counted in the minute started (Unix ms), for the reset time.
    package var oldestInMinute: Int64?
}

/// A budget with what it has used: the store's answer to "may this request start?".
package struct BudgetState: Sendable, Equatable {
    package var budget: UsageBudget
    package var consumption: BudgetConsumption
}
