/// A user's spending and rate limits (`usage_budgets`), for all providers (`providerID` empty) or one.
/// Calendar periods are UTC: the month from the 1st, the day from midnight.
public struct UsageBudget: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var providerID: String
    public var monthlyBudgetUSD: Double?
    public var requestsPerMinute: Int?
    public var tokensPerDay: Int?
    /// Percentages of the monthly budget that raise an alert.
    public var alertThresholds: [Int]

    public init(
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
public struct BudgetConsumption: Sendable, Equatable {
    public var monthCostUSD: Double
    public var dayTokens: Int
    /// Finished chat requests in the last minute, plus requests in flight (user-wide budgets only).
    public var minuteRequests: Int
    /// When the oldest request counted in the minute started (Unix ms), for the reset time.
    public var oldestInMinute: Int64?
}

/// A budget with what it has used: the store's answer to "may this request start?".
public struct BudgetState: Sendable, Equatable {
    public var budget: UsageBudget
    public var consumption: BudgetConsumption
}
