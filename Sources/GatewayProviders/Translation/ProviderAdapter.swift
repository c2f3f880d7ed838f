import FunctionRuntime
import GatewayStore

/// Translates between the gateway's public format (OpenAI chat completions) and one provider
/// wire format. One adapter per wire format; which one serves a provider is its `api_standard`.
package protocol ProviderAdapter: Sendable {
    /// The upstream request for `chat`, sent to `model` at `provider` with the user's key.
    func makeRequest(_ chat: ChatRequest, model: String, provider: CatalogueProvider, apiKey: String) throws -> UpstreamRequest

    /// A complete upstream answer -> an OpenAI `chat.completion` body and what it used.
    func translateResponse(_ body: [UInt8], chat: ChatRequest, model: String) throws -> TranslatedResponse

    /// A translator for one streamed answer.
    func makeStreamTranslator(chat: ChatRequest, model: String) -> any StreamTranslator

    /// The `/models` path for a cheap authenticated call (key validation, health tests).
    func listModelsRequest(provider: CatalogueProvider, apiKey: String) -> UpstreamRequest
}

/// Turns upstream SSE events into OpenAI `chat.completion.chunk`s, the internal stream representation.
package protocol StreamTranslator: AnyObject {
    /// The chunks for one upstream event. Throws `UpstreamStreamError` for an in-band error.
    func translate(_ event: SSEEvent) throws -> [ChatChunk]
    /// Chunks to send when the upstream stream ended normally (finish chunk, usage, but not `[DONE]`).
    func finish() -> [ChatChunk]
    var usage: TokenUsage { get }
    /// The upstream said the answer is complete (`[DONE]`, `message_stop`, a finish reason).
    var isComplete: Bool { get }
    var finishReason: String? { get }
    var upstreamID: String? { get }
    var servedModel: String? { get }
}

package struct TranslatedResponse: Sendable {
    package var body: JSONValue
    package var usage: TokenUsage
    package var finishReason: String?
    package var upstreamID: String?
    package var servedModel: String?
}

/// Tokens as OpenAI counts them: `promptTokens` includes cached and cache-written tokens,
/// `completionTokens` includes reasoning tokens.
package struct TokenUsage: Sendable, Equatable {
    package var promptTokens = 0
    package var completionTokens = 0
    package var cachedTokens = 0
    package var cacheWriteTokens = 0
    package var reasoningTokens = 0
    /// USD, when the provider reported it (OpenRouter's `usage.cost`).
    package var reportedCost: Double?
    /// False until the upstream reported usage at all (a cut stream may never).
    package var reported = false

    package init() {}

    /// The OpenAI `usage` object.
    package var json: JSONValue {
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
package struct UpstreamStreamError: Error, Sendable {
    package var message: String
    package var code: String
}

/// Deployment settings adapters need (environment).
package struct ProviderSettings: Sendable {
    /// OpenRouter attribution: `HTTP-Referer` and `X-OpenRouter-Title`.
    package var openRouterReferer: String?
    package var openRouterTitle: String?
    package var timeouts: UpstreamTimeouts

    package init(openRouterReferer: String? = nil, openRouterTitle: String? = nil, timeouts: UpstreamTimeouts = UpstreamTimeouts()) {
        self.openRouterReferer = openRouterReferer
        self.openRouterTitle = openRouterTitle
        self.timeouts = timeouts
    }

    package static func fromEnvironment(_ environment: [String: String]) -> ProviderSettings {
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
