import FunctionRuntime
import GatewayStore

/// Anthropic Messages (`POST /v1/messages`): system messages become `system`, roles alternate,
/// `max_tokens` is required, tools and images are translated; answers come back as OpenAI objects.
package struct AnthropicAdapter: ProviderAdapter {
    package static let version = "2023-06-01"
    /// When the client set no limit: Anthropic requires one.
    package static let defaultMaxTokens = 4096

    /// The gateway-wide upstream timeouts (`GATEWAY_UPSTREAM_*_TIMEOUT_MS`) apply to this format as to every other.
    package let settings: ProviderSettings

    package init(settings: ProviderSettings = ProviderSettings()) { self.settings = settings }

    package func makeRequest(_ chat: ChatRequest, model: String, provider: CatalogueProvider, apiKey: String) throws -> UpstreamRequest {
        var body: [String: JSONValue] = ["model": .string(model), "max_tokens": .int(chat.maxTokens ?? Self.defaultMaxTokens)]
        let (system, messages) = AnthropicMessages.translate(chat.messages)
        if !system.isEmpty { body["system"] = .string(system) }
        body["messages"] = .array(messages)
        if chat.stream { body["stream"] = true }
        if let temperature = chat.json["temperature"], !temperature.isNull { body["temperature"] = temperature }
        if let topP = chat.json["top_p"], !topP.isNull { body["top_p"] = topP }
        if !chat.stopSequences.isEmpty { body["stop_sequences"] = .array(chat.stopSequences.map(JSONValue.string)) }
        if let tools = chat.json["tools"]?.arrayValue, !tools.isEmpty {
            body["tools"] = .array(
                tools.compactMap { tool in
                    guard let function = tool["function"], let name = function["name"]?.stringValue else { return nil }
                    var translated: [String: JSONValue] = [
                        "name": .string(name),
                        "input_schema": function["parameters"] ?? ["type": "object", "properties": [:]],
                    ]
                    if let description = function["description"] { translated["description"] = description }
                    return .object(translated)
                })
        }
        if let choice = chat.json["tool_choice"] {
            switch choice.stringValue {
            case "auto": body["tool_choice"] = ["type": "auto"]
            case "required": body["tool_choice"] = ["type": "any"]
            case "none": body["tool_choice"] = ["type": "none"]
            default:
                if let name = choice["function"]?["name"]?.stringValue { body["tool_choice"] = ["type": "tool", "name": .string(name)] }
            }
        }
        if let user = chat.json["user"]?.stringValue { body["metadata"] = ["user_id": .string(user)] }
        if let topK = chat.extensions.topK { body["top_k"] = .int(topK) }
        // Thinking needs a budget below max_tokens of at least 1,024 tokens, and no sampling settings.
        if let budget = ReasoningBudget.requested(chat) {
            let limit = (body["max_tokens"]?.intValue ?? Self.defaultMaxTokens) - 1
            if min(budget, limit) >= 1024 {
                body["thinking"] = ["type": "enabled", "budget_tokens": .int(min(budget, limit))]
                body["temperature"] = nil
                body["top_p"] = nil
                body["top_k"] = nil
            }
        }
        return UpstreamRequest(
            url: OpenAICompatibleAdapter.join(Self.base(provider.baseURL), "/v1/messages"),
            headers: [
                (name: "x-api-key", value: apiKey), (name: "anthropic-version", value: Self.version),
                (name: "Content-Type", value: "application/json"),
            ],
            body: JSONValue.object(body).serialized(), timeouts: settings.timeouts)
    }

    package func translateResponse(_ body: [UInt8], chat: ChatRequest, model: String) throws -> TranslatedResponse {
        guard let json = try? JSONValue.parse(body), json["type"]?.stringValue == "message" else {
            throw UpstreamStreamError(message: "Anthropic answered with something that is not a message.", code: "bad_upstream_response")
        }
        var text = ""
        var thinking = ""
        var toolCalls: [JSONValue] = []
        for block in json["content"]?.arrayValue ?? [] {
            switch block["type"]?.stringValue {
            case "text": text += block["text"]?.stringValue ?? ""
            case "thinking": thinking += block["thinking"]?.stringValue ?? ""
            case "tool_use":
                toolCalls.append([
                    "id": block["id"] ?? "", "type": "function",
                    "function": ["name": block["name"] ?? "", "arguments": .string((block["input"] ?? [:]).serializedString)],
                ])
            default: break
            }
        }
        let usage = Self.usage(json["usage"])
        let finish = Self.finishReason(json["stop_reason"]?.stringValue)
        var builder = ChunkBuilder(model: json["model"]?.stringValue ?? model)
        builder.id = json["id"]?.stringValue ?? builder.id
        return TranslatedResponse(
            body: builder.completion(
                content: toolCalls.isEmpty || !text.isEmpty ? text : nil, reasoning: thinking, toolCalls: toolCalls,
                finishReason: finish, usage: usage),
            usage: usage, finishReason: finish, upstreamID: json["id"]?.stringValue, servedModel: json["model"]?.stringValue)
    }

    package func makeStreamTranslator(chat: ChatRequest, model: String) -> any StreamTranslator {
        AnthropicStreamTranslator(model: model, includeUsage: chat.includeUsage)
    }

    package func listModelsRequest(provider: CatalogueProvider, apiKey: String) -> UpstreamRequest {
        UpstreamRequest(
            method: "GET", url: OpenAICompatibleAdapter.join(Self.base(provider.baseURL), "/v1/models"),
            headers: [(name: "x-api-key", value: apiKey), (name: "anthropic-version", value: Self.version)],
            timeouts: settings.timeouts)
    }

    /// The catalogue stores `https://api.anthropic.com`; tolerate a `/v1` suffix too.
    static func base(_ url: String) -> String {
        let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
        return trimmed.hasSuffix("/v1") ? String(trimmed.dropLast(3)) : trimmed
    }

    /// Input, cache reads and cache writes are separate in Anthropic's usage; OpenAI's prompt count includes them all.
    static func usage(_ json: JSONValue?) -> TokenUsage {
        var usage = TokenUsage()
        guard let json, json.objectValue != nil else { return usage }
        usage.reported = true
        let input = json["input_tokens"]?.tokenCount ?? 0
        usage.cachedTokens = json["cache_read_input_tokens"]?.tokenCount ?? 0
        usage.cacheWriteTokens = json["cache_creation_input_tokens"]?.tokenCount ?? 0
        usage.promptTokens = input + usage.cachedTokens + usage.cacheWriteTokens
        usage.completionTokens = json["output_tokens"]?.tokenCount ?? 0
        return usage
    }

    static func finishReason(_ stopReason: String?) -> String? {
        switch stopReason {
        case nil: nil
        case "max_tokens": "length"
        case "tool_use": "tool_calls"
        case "refusal": "content_filter"
        default: "stop"  // end_turn, stop_sequence, pause_turn
        }
    }
}

/// OpenAI messages -> Anthropic `system` + alternating `messages`.
enum AnthropicMessages {
    static func translate(_ messages: [JSONValue]) -> (system: String, messages: [JSONValue]) {
        var system: [String] = []
        var result: [(role: String, blocks: [JSONValue])] = []
        func append(_ role: String, _ blocks: [JSONValue]) {
            guard !blocks.isEmpty else { return }
            // Roles must alternate: consecutive messages of one role merge.
            if let last = result.last, last.role == role {
                result[result.count - 1].blocks += blocks
            } else {
                result.append((role, blocks))
            }
        }
        for message in messages {
            let role = message["role"]?.stringValue ?? "user"
            switch role {
            case "system", "developer":
                system.append(ChatRequest.text(of: message["content"]))
            case "assistant":
                var blocks = contentBlocks(message["content"])
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    let arguments = call["function"]?["arguments"]?.stringValue.flatMap { try? JSONValue.parse($0) } ?? [:]
                    blocks.append(["type": "tool_use", "id": call["id"] ?? "", "name": call["function"]?["name"] ?? "", "input": arguments])
                }
                append("assistant", blocks)
            case "tool", "function":
                append(
                    "user",
                    [
                        [
                            "type": "tool_result", "tool_use_id": message["tool_call_id"] ?? "",
                            "content": .string(ChatRequest.text(of: message["content"])),
                        ]
                    ])
            default:
                append("user", contentBlocks(message["content"]))
            }
        }
        return (system.joined(separator: "\n\n"), result.map { ["role": .string($0.role), "content": .array($0.blocks)] })
    }

    static func contentBlocks(_ content: JSONValue?) -> [JSONValue] {
        if let text = content?.stringValue { return text.isEmpty ? [] : [["type": "text", "text": .string(text)]] }
        return (content?.arrayValue ?? []).compactMap { part in
            switch part["type"]?.stringValue {
            case "text": return ["type": "text", "text": part["text"] ?? ""]
            case "image_url":
                let url = part["image_url"]?["url"]?.stringValue ?? ""
                if let (mediaType, data) = ImageURL.dataURL(url) {
                    return ["type": "image", "source": ["type": "base64", "media_type": .string(mediaType), "data": .string(data)]]
                }
                return ["type": "image", "source": ["type": "url", "url": .string(url)]]
            default: return nil
            }
        }
    }
}
