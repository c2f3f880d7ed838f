import FunctionRuntime

/// Anthropic stream events -> OpenAI chunks. Usage in `message_delta` is a running total:
/// it is assigned, never added.
final class AnthropicStreamTranslator: StreamTranslator {
    private var builder: ChunkBuilder
    private let includeUsage: Bool
    private(set) var usage = TokenUsage()
    private(set) var finishReason: String?
    private(set) var upstreamID: String?
    private(set) var servedModel: String?
    /// Anthropic content block index -> OpenAI tool call index.
    private var toolIndexes: [Int: Int] = [:]
    /// Tool blocks whose arguments have not begun: a tool without parameters gets one empty
    /// `input_json_delta` (or none), and an OpenAI client parses `""` as an error, so they close with `{}`.
    private var toolsWithoutArguments: Set<Int> = []
    private var finished = false
    private(set) var isComplete = false

    init(model: String, includeUsage: Bool) {
        builder = ChunkBuilder(model: model)
        self.includeUsage = includeUsage
    }

    func translate(_ event: SSEEvent) throws -> [ChatChunk] {
        guard let json = try? JSONValue.parse(event.data) else { return [] }
        switch json["type"]?.stringValue ?? event.event {
        case "message_start":
            let message = json["message"]
            upstreamID = message?["id"]?.stringValue
            servedModel = message?["model"]?.stringValue
            if let id = upstreamID { builder.id = id }
            usage = AnthropicAdapter.usage(message?["usage"])
            return [builder.chunk(delta: ["role": "assistant", "content": ""])]
        case "content_block_start":
            let block = json["content_block"]
            guard block?["type"]?.stringValue == "tool_use", let index = json["index"]?.intValue else { return [] }
            let toolIndex = toolIndexes.count
            toolIndexes[index] = toolIndex
            toolsWithoutArguments.insert(index)
            return [
                builder.chunk(delta: [
                    "tool_calls": [
                        [
                            "index": .int(toolIndex), "id": block?["id"] ?? "", "type": "function",
                            "function": ["name": block?["name"] ?? "", "arguments": ""],
                        ]
                    ]
                ])
            ]
        case "content_block_delta":
            let delta = json["delta"]
            switch delta?["type"]?.stringValue {
            case "text_delta":
                return [builder.chunk(delta: ["content": delta?["text"] ?? ""])]
            case "input_json_delta":
                guard let index = json["index"]?.intValue, let toolIndex = toolIndexes[index] else { return [] }
                let piece = delta?["partial_json"]?.stringValue ?? ""
                guard !piece.isEmpty else { return [] }
                toolsWithoutArguments.remove(index)
                return [builder.chunk(delta: ["tool_calls": [["index": .int(toolIndex), "function": ["arguments": .string(piece)]]]])]
            case "thinking_delta":
                return [builder.chunk(delta: ["reasoning_content": delta?["thinking"] ?? ""])]
            default:
                return []
            }
        case "message_delta":
            if let reason = json["delta"]?["stop_reason"]?.stringValue { finishReason = AnthropicAdapter.finishReason(reason) }
            if let delta = json["usage"], delta.objectValue != nil {
                // Running totals: take each count the event carries, keep the others.
                if let output = delta["output_tokens"]?.tokenCount { usage.completionTokens = output }
                if delta["input_tokens"]?.tokenCount != nil || delta["cache_read_input_tokens"]?.tokenCount != nil {
                    let input = delta["input_tokens"]?.tokenCount ?? (usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens)
                    usage.cachedTokens = delta["cache_read_input_tokens"]?.tokenCount ?? usage.cachedTokens
                    usage.cacheWriteTokens = delta["cache_creation_input_tokens"]?.tokenCount ?? usage.cacheWriteTokens
                    usage.promptTokens = input + usage.cachedTokens + usage.cacheWriteTokens
                }
                usage.reported = true
            }
            return []
        case "message_stop":
            isComplete = true
            return finish()
        case "error":
            let error = json["error"]
            throw UpstreamStreamError(
                message: "\(error?["type"]?.stringValue ?? "error"): \(error?["message"]?.stringValue ?? "")",
                code: error?["type"]?.stringValue == "overloaded_error" ? "upstream_overloaded" : "upstream_error")
        case "content_block_stop":
            guard let index = json["index"]?.intValue, let toolIndex = toolIndexes[index], toolsWithoutArguments.remove(index) != nil else {
                return []
            }
            return [builder.chunk(delta: ["tool_calls": [["index": .int(toolIndex), "function": ["arguments": "{}"]]]])]
        default:
            return []  // ping
        }
    }

    func finish() -> [ChatChunk] {
        guard !finished else { return [] }
        finished = true
        var payloads = [builder.chunk(delta: [:], finishReason: finishReason ?? "stop")]
        if includeUsage { payloads.append(builder.usageChunk(usage)) }
        return payloads
    }
}
