import FunctionRuntime
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// OpenAI, AiHubMix, OpenRouter: the request passes through with the upstream's model name,
/// `stream_options.include_usage` is always asked for (so usage can be logged) and the usage
/// chunk is dropped again unless the client asked for it.
package struct OpenAICompatibleAdapter: ProviderAdapter {
    package let settings: ProviderSettings

    package init(settings: ProviderSettings = ProviderSettings()) { self.settings = settings }

    package func makeRequest(_ chat: ChatRequest, model: String, provider: CatalogueProvider, apiKey: String) throws -> UpstreamRequest {
        var body = chat.json
        body["model"] = .string(model)
        let openRouter = provider.name == "openrouter"
        if let budget = chat.extensions.thinkingBudget, body["reasoning_effort"] == nil {
            // OpenRouter takes a budget as it is; OpenAI and AiHubMix take an effort.
            if openRouter {
                body["reasoning"] = ["max_tokens": .int(budget)]
            } else {
                body["reasoning_effort"] = .string(ReasoningBudget.effort(forBudget: budget))
            }
        }
        if let topK = chat.extensions.topK, openRouter { body["top_k"] = .int(topK) }
        // OpenAI's reasoning models refuse `max_tokens`; a translated request says what it means.
        if chat.extensions.translated, provider.name == "openai", let maxTokens = body.removeValue(forKey: "max_tokens") {
            body["max_completion_tokens"] = maxTokens
        }
        if chat.stream {
            var options = body["stream_options"]?.objectValue ?? [:]
            options["include_usage"] = true
            body["stream_options"] = .object(options)
        }
        var headers = [(name: "Authorization", value: "Bearer \(apiKey)"), (name: "Content-Type", value: "application/json")]
        if chat.stream { headers.append((name: "Accept", value: "text/event-stream")) }
        if openRouter {
            if let referer = settings.openRouterReferer { headers.append((name: "HTTP-Referer", value: referer)) }
            if let title = settings.openRouterTitle { headers.append((name: "X-OpenRouter-Title", value: title)) }
        }
        return UpstreamRequest(
            url: Self.join(provider.baseURL, "/chat/completions"), headers: headers,
            body: JSONValue.object(body).serialized(), timeouts: settings.timeouts)
    }

    package func translateResponse(_ body: [UInt8], chat: ChatRequest, model: String) throws -> TranslatedResponse {
        guard let json = try? JSONValue.parse(body), json.objectValue != nil else {
            throw UpstreamStreamError(message: "The upstream answered with something that is not a chat completion.", code: "bad_upstream_response")
        }
        if let error = json["error"], json["choices"] == nil {
            // OpenRouter answers some failures with 200 and an error body: never pass that on as a completion.
            let message = error["message"]?.stringValue ?? error.stringValue ?? "The upstream answered with an error."
            throw UpstreamStreamError(message: "The upstream answered 200 with an error: \(message.prefix(1000))", code: "upstream_error")
        }
        let choices = json["choices"]?.arrayValue ?? []
        return TranslatedResponse(
            body: json, usage: Self.usage(json["usage"]), finishReason: choices.first?["finish_reason"]?.stringValue,
            upstreamID: json["id"]?.stringValue, servedModel: json["model"]?.stringValue)
    }

    package func makeStreamTranslator(chat: ChatRequest, model: String) -> any StreamTranslator {
        OpenAIStreamTranslator(forwardUsage: chat.includeUsage)
    }

    package func listModelsRequest(provider: CatalogueProvider, apiKey: String) -> UpstreamRequest {
        UpstreamRequest(
            method: "GET", url: Self.join(provider.baseURL, "/models"),
            headers: [(name: "Authorization", value: "Bearer \(apiKey)")], timeouts: settings.timeouts)
    }

    static func usage(_ json: JSONValue?) -> TokenUsage {
        var usage = TokenUsage()
        guard let json, json.objectValue != nil else { return usage }
        usage.reported = true
        usage.promptTokens = json["prompt_tokens"]?.tokenCount ?? 0
        usage.completionTokens = json["completion_tokens"]?.tokenCount ?? 0
        usage.cachedTokens = json["prompt_tokens_details"]?["cached_tokens"]?.tokenCount ?? 0
        usage.cacheWriteTokens = json["prompt_tokens_details"]?["cache_write_tokens"]?.tokenCount ?? 0
        usage.reasoningTokens = json["completion_tokens_details"]?["reasoning_tokens"]?.tokenCount ?? 0
        usage.reportedCost = json["cost"]?.doubleValue
        return usage
    }

    static func join(_ base: String, _ path: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
    }
}

/// Passes chunks through as they are, reading usage, finish reason and id on the way.
final class OpenAIStreamTranslator: StreamTranslator {
    private let forwardUsage: Bool
    private(set) var usage = TokenUsage()
    private(set) var finishReason: String?
    private(set) var upstreamID: String?
    private(set) var servedModel: String?
    private(set) var isComplete = false

    init(forwardUsage: Bool) { self.forwardUsage = forwardUsage }

    func translate(_ event: SSEEvent) throws -> [ChatChunk] {
        if event.data == "[DONE]" {
            isComplete = true
            return []
        }
        guard let chunk = try? JSONValue.parse(event.data) else { return [] }
        if let error = chunk["error"], error.objectValue != nil {
            throw UpstreamStreamError(message: error["message"]?.stringValue ?? "upstream error", code: "upstream_error")
        }
        upstreamID = upstreamID ?? chunk["id"]?.stringValue
        servedModel = servedModel ?? chunk["model"]?.stringValue
        let choices = chunk["choices"]?.arrayValue ?? []
        if let reason = choices.first?["finish_reason"]?.stringValue { finishReason = reason }
        if let usageJSON = chunk["usage"], usageJSON.objectValue != nil {
            usage = OpenAICompatibleAdapter.usage(usageJSON)
            // The usage-only chunk (`choices: []`) goes to the client only if it asked for it.
            if choices.isEmpty && !forwardUsage { return [] }
        }
        return [ChatChunk(passedThrough: event.data, parsed: chunk)]
    }

    func finish() -> [ChatChunk] { [] }
}
