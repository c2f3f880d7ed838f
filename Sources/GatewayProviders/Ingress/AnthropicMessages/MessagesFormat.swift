import FunctionRuntime
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Anthropic Messages, as a server speaks it: the `message` object, the event stream, the error shape.
package struct MessagesFormat: ClientFormat {
    package init() {}

    package var api: ClientAPI { .messages }

    package func encodeCompletion(_ completion: TranslatedResponse) -> JSONValue {
        let choice = completion.body["choices"]?[0]
        let message = choice?["message"]
        var content: [JSONValue] = []
        if let reasoning = Self.reasoningText(message), !reasoning.isEmpty {
            content.append(["type": "thinking", "thinking": .string(reasoning), "signature": ""])
        }
        if let text = message?["content"]?.stringValue, !text.isEmpty { content.append(["type": "text", "text": .string(text)]) }
        for call in message?["tool_calls"]?.arrayValue ?? [] {
            content.append([
                "type": "tool_use", "id": .string(call["id"]?.stringValue ?? Self.identifier("toolu_")),
                "name": call["function"]?["name"] ?? "", "input": Self.input(call["function"]?["arguments"]?.stringValue ?? ""),
            ])
        }
        return [
            "id": .string(Self.messageID(completion.upstreamID)), "type": "message", "role": "assistant",
            "model": .string(completion.servedModel ?? completion.body["model"]?.stringValue ?? ""),
            "content": .array(content), "stop_reason": Self.stopReason(choice?["finish_reason"]?.stringValue ?? completion.finishReason),
            "stop_sequence": .null, "usage": Self.usage(completion.usage),
        ]
    }

    package func makeStreamEncoder(model: String) -> any ClientStreamEncoder { MessagesStreamEncoder(model: model) }

    package func errorResponse(_ error: APIError) -> (status: Int, body: [UInt8]) {
        let (status, type) = Self.errorType(error)
        return (status, Self.errorBody(type: type, message: error.message).serialized())
    }

    /// Anthropic's status and error type for a gateway error: an overloaded upstream is 529 `overloaded_error`.
    static func errorType(_ error: APIError) -> (status: Int, type: String) {
        if error.code == "upstream_overloaded" { return (529, "overloaded_error") }
        switch error.status {
        case 400, 405, 422, 431: return (error.status, "invalid_request_error")
        case 401: return (401, "authentication_error")
        case 402, 403: return (error.status, "permission_error")
        case 404: return (404, "not_found_error")
        case 413: return (413, "request_too_large")
        case 429: return (429, "rate_limit_error")
        case 503, 529: return (error.status, "overloaded_error")
        default: return (error.status, "api_error")
        }
    }

    static func errorBody(type: String, message: String) -> JSONValue {
        ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
    }

    /// Anthropic counts input without cache reads and writes; the internal (OpenAI) count includes them.
    static func usage(_ usage: TokenUsage) -> JSONValue {
        [
            "input_tokens": .int(max(0, usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens)),
            "output_tokens": .int(usage.completionTokens),
            "cache_creation_input_tokens": .int(usage.cacheWriteTokens), "cache_read_input_tokens": .int(usage.cachedTokens),
        ]
    }

    static func stopReason(_ finishReason: String?) -> JSONValue {
        switch finishReason {
        case nil: .null
        case "length": "max_tokens"
        case "tool_calls", "function_call": "tool_use"
        case "content_filter": "refusal"
        default: "end_turn"
        }
    }

    /// Reasoning text an OpenAI-compatible upstream returned (`reasoning_content`, OpenRouter's `reasoning`).
    static func reasoningText(_ message: JSONValue?) -> String? {
        message?["reasoning_content"]?.stringValue ?? message?["reasoning"]?.stringValue
    }

    /// A tool call's arguments as the `input` object (arguments that are not a JSON object are kept under `arguments`).
    static func input(_ arguments: String) -> JSONValue {
        if arguments.isEmpty { return [:] }
        guard let parsed = try? JSONValue.parse(Array(arguments.utf8)), parsed.objectValue != nil else {
            return ["arguments": .string(arguments)]
        }
        return parsed
    }

    static func messageID(_ upstreamID: String?) -> String {
        if let upstreamID, upstreamID.hasPrefix("msg_") { return upstreamID }
        return identifier("msg_")
    }

    static func identifier(_ prefix: String) -> String {
        prefix + String(UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(24))
    }
}
