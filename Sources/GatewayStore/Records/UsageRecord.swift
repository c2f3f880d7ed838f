/// One request's usage (`aggregator_usage_logs`): exactly one row per request, success or failure.
package struct UsageRecord: Sendable, Equatable {
    package enum Status: String, Sendable, CaseIterable {
        case success, error
        case clientAborted = "client_aborted"
        case upstreamAborted = "upstream_aborted"
    }

    package var id: String
    package var userID: String
    package var providerID: String?
    package var userProviderID: String?
    package var function: String
    /// The client API the request came in by.
    package var api: ClientAPI
    package var modelRequested: String?
    package var modelServed: String?
    package var promptTokens: Int
    package var completionTokens: Int
    package var cachedTokens: Int
    package var reasoningTokens: Int
    package var costUSD: Double?
    /// Where the cost came from.
    package var costSource: CostSource?
    package var latencyMs: Int?
    package var ttftMs: Int?
    package var status: Status
    package var errorCode: String?
    package var finishReason: String?
    package var upstreamRequestID: String?
    package var attempts: Int
    package var providersTried: [String]
    /// Unix milliseconds.
    package var createdAt: Int64

    package init(
        id: String, userID: String, providerID: String? = nil, userProviderID: String? = nil, function: String = "v1-chat",
        api: ClientAPI = .chat, modelRequested: String? = nil, modelServed: String? = nil, promptTokens: Int = 0, completionTokens: Int = 0,
        cachedTokens: Int = 0, reasoningTokens: Int = 0, costUSD: Double? = nil, costSource: CostSource? = nil,
        latencyMs: Int? = nil, ttftMs: Int? = nil, status: Status, errorCode: String? = nil, finishReason: String? = nil,
        upstreamRequestID: String? = nil, attempts: Int = 1, providersTried: [String] = [], createdAt: Int64
    ) {
        self.id = id
        self.userID = userID
        self.providerID = providerID
        self.userProviderID = userProviderID
        self.function = function
        self.api = api
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

/// Where a request's cost came from.
package enum CostSource: String, Sendable, CaseIterable {
    /// The provider reported it (OpenRouter's `usage.cost`).
    case provider
    /// The catalogue's prices times the tokens.
    case catalogue
}

/// The client APIs `v1-chat` speaks; a usage row says which one a request used.
package enum ClientAPI: String, Sendable, CaseIterable {
    /// OpenAI chat completions (and every other function's requests).
    case chat
    /// Anthropic Messages.
    case messages
    /// OpenAI Responses.
    case responses
    case embeddings
    /// Anthropic's `messages/count_tokens`.
    case countTokens = "count_tokens"
}
