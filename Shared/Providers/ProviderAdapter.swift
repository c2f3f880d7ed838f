/// Translates between the gateway's public format (OpenAI chat completions) and one provider
/// wire format. One adapter per wire format; which one serves a provider is its `api_standard`.
public protocol ProviderAdapter: Sendable {
    /// The upstream request for `chat`, sent to `model` at `provider` with the user's key.
    func makeRequest(_ chat: ChatRequest, model: String, provider: CatalogueProvider, apiKey: String) throws -> UpstreamRequest

    /// A complete upstream answer -> an OpenAI `chat.completion` body and what it used.
    func translateResponse(_ body: [UInt8], chat: ChatRequest, model: String) throws -> TranslatedResponse

    /// A translator for one streamed answer.
    func makeStreamTranslator(chat: ChatRequest, model: String) -> any StreamTranslator

    /// The `/models` path for a cheap authenticated call (key validation, health tests).
    func listModelsRequest(provider: CatalogueProvider, apiKey: String) -> UpstreamRequest
}

/// Turns upstream SSE events into OpenAI `chat.completion.chunk` payloads (the text after `data: `).
public protocol StreamTranslator: AnyObject {
    /// The payloads to send for one upstream event. Throws `UpstreamStreamError` for an in-band error.
    func translate(_ event: SSEEvent) throws -> [String]
    /// Payloads to send when the upstream stream ended normally (finish chunk, usage, but not `[DONE]`).
    func finish() -> [String]
    var usage: TokenUsage { get }
    /// The upstream said the answer is complete (`[DONE]`, `message_stop`, a finish reason).
    var isComplete: Bool { get }
    var finishReason: String? { get }
    var upstreamID: String? { get }
    var servedModel: String? { get }
}

public struct TranslatedResponse: Sendable {
    public var body: JSONValue
    public var usage: TokenUsage
    public var finishReason: String?
    public var upstreamID: String?
    public var servedModel: String?
}

/// Tokens as OpenAI counts them: `promptTokens` includes cached and cache-written tokens,
/// `completionTokens` includes reasoning tokens.
public struct TokenUsage: Sendable, Equatable {
    public var promptTokens = 0
    public var completionTokens = 0
    public var cachedTokens = 0
    public var cacheWriteTokens = 0
    public var reasoningTokens = 0
    /// USD, when the provider reported it (OpenRouter's `usage.cost`).
    public var reportedCost: Double?
    /// False until the upstream reported usage at all (a cut stream may never).
    public var reported = false

    public init() {}

    /// The OpenAI `usage` object.
    public var json: JSONValue {
        var usage: [String: JSONValue] = [
            "prompt_tokens": .int(promptTokens), "completion_tokens": .int(completionTokens),
            "total_tokens": .int(promptTokens + completionTokens),
            "prompt_tokens_details": ["cached_tokens": .int(cachedTokens)],
            "completion_tokens_details": ["reasoning_tokens": .int(reasoningTokens)],
        ]
        if let reportedCost { usage["cost"] = .double(reportedCost) }
        return .object(usage)
    }
}

/// An error the upstream reported inside a stream that had already started.
public struct UpstreamStreamError: Error, Sendable {
    public var message: String
    public var code: String
}

public enum ProviderAdapters {
    public static func adapter(for provider: CatalogueProvider, settings: ProviderSettings) -> any ProviderAdapter {
        switch provider.apiStandard {
        case .openai: OpenAICompatibleAdapter(settings: settings)
        case .anthropic: AnthropicAdapter(settings: settings)
        case .gemini: GeminiAdapter(settings: settings)
        }
    }
}

/// Deployment settings adapters need (environment).
public struct ProviderSettings: Sendable {
    /// OpenRouter attribution: `HTTP-Referer` and `X-OpenRouter-Title`.
    public var openRouterReferer: String?
    public var openRouterTitle: String?
    public var timeouts: UpstreamTimeouts

    public init(openRouterReferer: String? = nil, openRouterTitle: String? = nil, timeouts: UpstreamTimeouts = UpstreamTimeouts()) {
        self.openRouterReferer = openRouterReferer
        self.openRouterTitle = openRouterTitle
        self.timeouts = timeouts
    }

    public static func fromEnvironment(_ environment: [String: String]) -> ProviderSettings {
        var timeouts = UpstreamTimeouts()
        // 1 ms to 1 hour: outside that a setting is a typo, and the default stays.
        func milliseconds(_ name: String) -> Int? { environment[name].flatMap(Int.init).flatMap { (1...3_600_000).contains($0) ? $0 : nil } }
        if let value = milliseconds("GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS") { timeouts.connectMilliseconds = value }
        if let value = milliseconds("GATEWAY_UPSTREAM_FIRST_BYTE_TIMEOUT_MS") { timeouts.firstByteMilliseconds = value }
        if let value = milliseconds("GATEWAY_UPSTREAM_IDLE_TIMEOUT_MS") { timeouts.idleMilliseconds = value }
        return ProviderSettings(
            openRouterReferer: environment["GATEWAY_OPENROUTER_REFERER"],
            openRouterTitle: environment["GATEWAY_OPENROUTER_TITLE"] ?? "LLM Gateway", timeouts: timeouts)
    }
}

extension JSONValue {
    /// A token count an upstream reported, held to 0...1e9: counts are summed and subtracted
    /// (cache reads, reasoning, rollups), and a hostile or broken upstream must not overflow them.
    var tokenCount: Int? { intValue.map { min(max($0, 0), 1_000_000_000) } }
}
