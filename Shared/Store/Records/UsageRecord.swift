/// One request's usage (`aggregator_usage_logs`): exactly one row per request, success or failure.
public struct UsageRecord: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case success, error
        case clientAborted = "client_aborted"
        case upstreamAborted = "upstream_aborted"
    }

    public var id: String
    public var userID: String
    public var providerID: String?
    public var userProviderID: String?
    public var function: String
    public var modelRequested: String?
    public var modelServed: String?
    public var promptTokens: Int
    public var completionTokens: Int
    public var cachedTokens: Int
    public var reasoningTokens: Int
    public var costUSD: Double?
    /// Where the cost came from: `provider` (reported upstream) or `catalogue` (our prices).
    public var costSource: String?
    public var latencyMs: Int?
    public var ttftMs: Int?
    public var status: Status
    public var errorCode: String?
    public var finishReason: String?
    public var upstreamRequestID: String?
    public var attempts: Int
    public var providersTried: [String]
    /// Unix milliseconds.
    public var createdAt: Int64

    public init(
        id: String, userID: String, providerID: String? = nil, userProviderID: String? = nil, function: String = "v1-chat",
        modelRequested: String? = nil, modelServed: String? = nil, promptTokens: Int = 0, completionTokens: Int = 0,
        cachedTokens: Int = 0, reasoningTokens: Int = 0, costUSD: Double? = nil, costSource: String? = nil,
        latencyMs: Int? = nil, ttftMs: Int? = nil, status: Status, errorCode: String? = nil, finishReason: String? = nil,
        upstreamRequestID: String? = nil, attempts: Int = 1, providersTried: [String] = [], createdAt: Int64
    ) {
        self.id = id
        self.userID = userID
        self.providerID = providerID
        self.userProviderID = userProviderID
        self.function = function
        self.modelRequested = modelRequested
        self.modelServed = modelServed
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
        self.costUSD = costUSD
        self.costSource = costSource
        self.latencyMs = latencyMs
        self.ttftMs = ttftMs
        self.status = status
        self.errorCode = errorCode
        self.finishReason = finishReason
        self.upstreamRequestID = upstreamRequestID
        self.attempts = attempts
        self.providersTried = providersTried
        self.createdAt = createdAt
    }
}
