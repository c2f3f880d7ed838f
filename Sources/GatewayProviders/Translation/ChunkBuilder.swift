import FunctionRuntime

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Writes OpenAI `chat.completion.chunk` and `chat.completion` objects for translated streams.
struct ChunkBuilder {
    var id: String
    var model: String
    let created = Int(Date().timeIntervalSince1970)

    init(model: String) {
        self.id = "chatcmpl-" + String(UUID().uuidString.lowercased().filter { $0 != "-" })
        self.model = model
    }

    func chunk(delta: [String: JSONValue], finishReason: String? = nil) -> ChatChunk {
        let choice: JSONValue = ["index": 0, "delta": .object(delta), "finish_reason": finishReason.map(JSONValue.string) ?? .null]
        return envelope(["choices": [choice]])
    }

    /// The final usage chunk: `choices: []`, as OpenAI sends it with `include_usage`.
    func usageChunk(_ usage: TokenUsage) -> ChatChunk {
        envelope(["choices": [], "usage": usage.json])
    }

    func completion(content: String?, reasoning: String? = nil, toolCalls: [JSONValue], finishReason: String?, usage: TokenUsage) -> JSONValue {
        var message: [String: JSONValue] = ["role": "assistant", "content": content.map(JSONValue.string) ?? .null]
        if let reasoning, !reasoning.isEmpty { message["reasoning_content"] = .string(reasoning) }
        if !toolCalls.isEmpty { message["tool_calls"] = .array(toolCalls) }
        return [
            "id": .string(id), "object": "chat.completion", "created": .int(created), "model": .string(model),
            "choices": [["index": 0, "message": .object(message), "finish_reason": finishReason.map(JSONValue.string) ?? .null]],
            "usage": usage.json,
        ]
    }

    private func envelope(_ fields: [String: JSONValue]) -> ChatChunk {
        var object: [String: JSONValue] = ["id": .string(id), "object": "chat.completion.chunk", "created": .int(created), "model": .string(model)]
        for (key, value) in fields { object[key] = value }
        return ChatChunk(.object(object))
    }
}

/// Images in OpenAI content parts: `data:` URLs split into media type and base64 data.
enum ImageURL {
    static func dataURL(_ url: String) -> (mediaType: String, data: String)? {
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ","),
            url[..<comma].hasSuffix(";base64")
        else { return nil }
        let mediaType = url[url.index(url.startIndex, offsetBy: 5)..<comma].dropLast(";base64".count)
        return (String(mediaType), String(url[url.index(after: comma)...]))
    }
}
