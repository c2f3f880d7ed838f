import FunctionRuntime
import GatewayStore

/// Google Gemini (`models/{model}:generateContent`, `:streamGenerateContent?alt=sse`), key in
/// `x-goog-api-key` (never `?key=`, which ends up in logs). Roles: assistant -> model;
/// system messages -> `systemInstruction`.
package struct GeminiAdapter: ProviderAdapter {
    /// The gateway-wide upstream timeouts (`GATEWAY_UPSTREAM_*_TIMEOUT_MS`) apply to this format as to every other.
    package let settings: ProviderSettings

    package init(settings: ProviderSettings = ProviderSettings()) { self.settings = settings }

    package func makeRequest(_ chat: ChatRequest, model: String, provider: CatalogueProvider, apiKey: String) throws -> UpstreamRequest {
        var body: [String: JSONValue] = [:]
        var system: [String] = []
        var contents: [JSONValue] = []
        var toolNames: [String: String] = [:]
        for message in chat.messages {
            let role = message["role"]?.stringValue ?? "user"
            switch role {
            case "system", "developer":
                system.append(ChatRequest.text(of: message["content"]))
            case "assistant":
                var parts = Self.parts(message["content"])
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    let name = call["function"]?["name"]?.stringValue ?? ""
                    if let id = call["id"]?.stringValue { toolNames[id] = name }
                    let arguments = call["function"]?["arguments"]?.stringValue.flatMap { try? JSONValue.parse($0) } ?? [:]
                    parts.append(["functionCall": ["name": .string(name), "args": arguments]])
                }
                if !parts.isEmpty { contents.append(["role": "model", "parts": .array(parts)]) }
            case "tool", "function":
                let name = message["tool_call_id"]?.stringValue.flatMap { toolNames[$0] } ?? message["name"]?.stringValue ?? "tool"
                contents.append([
                    "role": "user",
                    "parts": [
                        [
                            "functionResponse": [
                                "name": .string(name), "response": ["content": .string(ChatRequest.text(of: message["content"]))],
                            ]
                        ]
                    ],
                ])
            default:
                let parts = Self.parts(message["content"])
                if !parts.isEmpty { contents.append(["role": "user", "parts": .array(parts)]) }
            }
        }
        body["contents"] = .array(contents)
        if !system.isEmpty { body["systemInstruction"] = ["parts": [["text": .string(system.joined(separator: "\n\n"))]]] }
        var generation: [String: JSONValue] = [:]
        if let maxTokens = chat.maxTokens { generation["maxOutputTokens"] = .int(maxTokens) }
        if let temperature = chat.json["temperature"], !temperature.isNull { generation["temperature"] = temperature }
        if let topP = chat.json["top_p"], !topP.isNull { generation["topP"] = topP }
        if !chat.stopSequences.isEmpty { generation["stopSequences"] = .array(chat.stopSequences.map(JSONValue.string)) }
        switch chat.json["response_format"]?["type"]?.stringValue {
        case "json_object": generation["responseMimeType"] = "application/json"
        case "json_schema":
            generation["responseMimeType"] = "application/json"
            if let schema = chat.json["response_format"]?["json_schema"]?["schema"] { generation["responseJsonSchema"] = schema }
        default: break
        }
        if let topK = chat.extensions.topK { generation["topK"] = .int(topK) }
        if let budget = ReasoningBudget.requested(chat) {
            generation["thinkingConfig"] = ["thinkingBudget": .int(budget), "includeThoughts": true]
        }
        if !generation.isEmpty { body["generationConfig"] = .object(generation) }
        if let tools = chat.json["tools"]?.arrayValue, !tools.isEmpty {
            body["tools"] = [
                [
                    "functionDeclarations": .array(
                        tools.compactMap { tool in
                            guard let function = tool["function"], let name = function["name"]?.stringValue else { return nil }
                            var declaration: [String: JSONValue] = ["name": .string(name)]
                            if let description = function["description"] { declaration["description"] = description }
                            if let parameters = function["parameters"] { declaration["parameters"] = parameters }
                            return .object(declaration)
                        })
                ]
            ]
        }
        if let config = Self.toolConfig(chat.json["tool_choice"]) { body["toolConfig"] = config }
        let method = chat.stream ? ":streamGenerateContent?alt=sse" : ":generateContent"
        return UpstreamRequest(
            url: OpenAICompatibleAdapter.join(provider.baseURL, "/models/\(Self.modelPath(model))\(method)"),
            headers: [(name: "x-goog-api-key", value: apiKey), (name: "Content-Type", value: "application/json")],
            body: JSONValue.object(body).serialized(), timeouts: settings.timeouts)
    }

    package func translateResponse(_ body: [UInt8], chat: ChatRequest, model: String) throws -> TranslatedResponse {
        guard let json = try? JSONValue.parse(body), json["candidates"] != nil || json["usageMetadata"] != nil else {
            throw UpstreamStreamError(
                message: "Gemini answered with something that is not a generateContent response.", code: "bad_upstream_response")
        }
        let candidate = json["candidates"]?[0]
        let (text, toolCalls, reasoning) = Self.content(candidate)
        let usage = Self.usage(json["usageMetadata"])
        let finish = Self.finishReason(candidate?["finishReason"]?.stringValue, hasToolCalls: !toolCalls.isEmpty)
        let builder = ChunkBuilder(model: json["modelVersion"]?.stringValue ?? model)
        return TranslatedResponse(
            body: builder.completion(content: text, reasoning: reasoning, toolCalls: toolCalls, finishReason: finish, usage: usage),
            usage: usage, finishReason: finish, upstreamID: json["responseId"]?.stringValue, servedModel: json["modelVersion"]?.stringValue)
    }

    package func makeStreamTranslator(chat: ChatRequest, model: String) -> any StreamTranslator {
        GeminiStreamTranslator(model: model, includeUsage: chat.includeUsage)
    }

    package func listModelsRequest(provider: CatalogueProvider, apiKey: String) -> UpstreamRequest {
        UpstreamRequest(
            method: "GET", url: OpenAICompatibleAdapter.join(provider.baseURL, "/models"),
            headers: [(name: "x-goog-api-key", value: apiKey)], timeouts: settings.timeouts)
    }

    /// Chat's `tool_choice` -> `functionCallingConfig`: auto AUTO, none NONE, required ANY, a named function ANY of one.
    static func toolConfig(_ choice: JSONValue?) -> JSONValue? {
        if let name = choice?["function"]?["name"]?.stringValue {
            return ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": [.string(name)]]]
        }
        let mode: JSONValue? =
            switch choice?.stringValue {
            case "auto": "AUTO"
            case "none": "NONE"
            case "required": "ANY"
            default: nil
            }
        return mode.map { ["functionCallingConfig": ["mode": $0]] }
    }

    /// `gemini-2.0-flash` or `models/gemini-2.0-flash`; anything but a plain model name is refused.
    static func modelPath(_ model: String) -> String {
        let name = model.hasPrefix("models/") ? String(model.dropFirst(7)) : model
        return String(name.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-._".unicodeScalars.contains($0) })
    }

    static func parts(_ content: JSONValue?) -> [JSONValue] {
        if let text = content?.stringValue { return text.isEmpty ? [] : [["text": .string(text)]] }
        return (content?.arrayValue ?? []).compactMap { part in
            switch part["type"]?.stringValue {
            case "text": return ["text": part["text"] ?? ""]
            case "image_url":
                let url = part["image_url"]?["url"]?.stringValue ?? ""
                if let (mediaType, data) = ImageURL.dataURL(url) {
                    return ["inlineData": ["mimeType": .string(mediaType), "data": .string(data)]]
                }
                return ["fileData": ["fileUri": .string(url)]]
            default: return nil
            }
        }
    }

    static func content(_ candidate: JSONValue?) -> (text: String?, toolCalls: [JSONValue], reasoning: String) {
        var text: String?
        var reasoning = ""
        var calls: [JSONValue] = []
        for part in candidate?["content"]?["parts"]?.arrayValue ?? [] {
            if part["thought"]?.boolValue == true {
                reasoning += part["text"]?.stringValue ?? ""
                continue
            }
            if let piece = part["text"]?.stringValue { text = (text ?? "") + piece }
            if let call = part["functionCall"] {
                calls.append([
                    "id": .string("call_\(calls.count)"), "type": "function",
                    "function": ["name": call["name"] ?? "", "arguments": .string((call["args"] ?? [:]).serializedString)],
                ])
            }
        }
        return (text, calls, reasoning)
    }

    /// `promptTokenCount` includes cached tokens; thoughts are billed as output but are not in
    /// `candidatesTokenCount`: OpenAI's completion count includes them.
    static func usage(_ json: JSONValue?) -> TokenUsage {
        var usage = TokenUsage()
        guard let json, json.objectValue != nil else { return usage }
        usage.reported = true
        usage.promptTokens = json["promptTokenCount"]?.tokenCount ?? 0
        usage.cachedTokens = json["cachedContentTokenCount"]?.tokenCount ?? 0
        usage.reasoningTokens = json["thoughtsTokenCount"]?.tokenCount ?? 0
        usage.completionTokens = (json["candidatesTokenCount"]?.tokenCount ?? 0) + usage.reasoningTokens
        return usage
    }

    static func finishReason(_ reason: String?, hasToolCalls: Bool) -> String? {
        guard let reason else { return nil }
        if hasToolCalls { return "tool_calls" }
        switch reason {
        case "MAX_TOKENS": return "length"
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY": return "content_filter"
        default: return "stop"
        }
    }
}

/// Each Gemini SSE event is a whole `GenerateContentResponse`; usage metadata is cumulative (assigned).
final class GeminiStreamTranslator: StreamTranslator {
    private let builder: ChunkBuilder
    private let includeUsage: Bool
    private(set) var usage = TokenUsage()
    private(set) var finishReason: String?
    private(set) var upstreamID: String?
    private(set) var servedModel: String?
    private(set) var isComplete = false
    private var started = false
    private var toolCalls = 0

    init(model: String, includeUsage: Bool) {
        builder = ChunkBuilder(model: model)
        self.includeUsage = includeUsage
    }

    func translate(_ event: SSEEvent) throws -> [ChatChunk] {
        guard let json = try? JSONValue.parse(event.data) else { return [] }
        if let error = json["error"], error.objectValue != nil {
            throw UpstreamStreamError(message: error["message"]?.stringValue ?? "upstream error", code: "upstream_error")
        }
        upstreamID = upstreamID ?? json["responseId"]?.stringValue
        servedModel = servedModel ?? json["modelVersion"]?.stringValue
        if let metadata = json["usageMetadata"], metadata.objectValue != nil { usage = GeminiAdapter.usage(metadata) }
        var payloads: [ChatChunk] = []
        if !started {
            started = true
            payloads.append(builder.chunk(delta: ["role": "assistant", "content": ""]))
        }
        let candidate = json["candidates"]?[0]
        let (text, calls, reasoning) = GeminiAdapter.content(candidate)
        if !reasoning.isEmpty { payloads.append(builder.chunk(delta: ["reasoning_content": .string(reasoning)])) }
        if let text, !text.isEmpty { payloads.append(builder.chunk(delta: ["content": .string(text)])) }
        for call in calls {
            var indexed = call.objectValue ?? [:]
            indexed["index"] = .int(toolCalls)
            indexed["id"] = .string("call_\(toolCalls)")
            toolCalls += 1
            payloads.append(builder.chunk(delta: ["tool_calls": [.object(indexed)]]))
        }
        if let reason = candidate?["finishReason"]?.stringValue {
            finishReason = GeminiAdapter.finishReason(reason, hasToolCalls: toolCalls > 0)
            isComplete = true
        }
        return payloads
    }

    func finish() -> [ChatChunk] {
        var payloads = [builder.chunk(delta: [:], finishReason: finishReason ?? "stop")]
        if includeUsage { payloads.append(builder.usageChunk(usage)) }
        return payloads
    }
}
