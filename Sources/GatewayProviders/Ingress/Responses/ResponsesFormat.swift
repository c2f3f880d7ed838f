import FunctionRuntime
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// OpenAI Responses, as a server speaks it: the `response` object and its event stream. Errors
/// before the stream are OpenAI's error shape, as for chat.
package struct ResponsesFormat: ClientFormat {
    /// The request fields the response object echoes.
    package var request: [String: JSONValue]

    package init(request: [String: JSONValue]) { self.request = request }

    package var api: ClientAPI { .responses }

    package func encodeCompletion(_ completion: TranslatedResponse) -> JSONValue {
        let message = completion.body["choices"]?[0]?["message"]
        var output: [JSONValue] = []
        if let text = message?["content"]?.stringValue, !text.isEmpty {
            output.append(Self.messageItem(id: Self.identifier("msg_"), text: text, status: "completed"))
        }
        for call in message?["tool_calls"]?.arrayValue ?? [] {
            output.append(
                Self.functionCallItem(
                    id: Self.identifier("fc_"), callID: call["id"]?.stringValue ?? Self.identifier("call_"),
                    name: call["function"]?["name"]?.stringValue ?? "", arguments: call["function"]?["arguments"]?.stringValue ?? "",
                    status: "completed"))
        }
        let finish = completion.body["choices"]?[0]?["finish_reason"]?.stringValue ?? completion.finishReason
        return response(
            id: Self.identifier("resp_"), model: completion.servedModel ?? completion.body["model"]?.stringValue ?? "",
            status: finish == "length" ? "incomplete" : "completed", output: output, usage: completion.usage)
    }

    package func makeStreamEncoder(model: String) -> any ClientStreamEncoder { ResponsesStreamEncoder(format: self, model: model) }

    package func errorResponse(_ error: APIError) -> (status: Int, body: [UInt8]) { (error.status, error.jsonBody) }

    /// The response object: `status` completed, incomplete (the output limit was reached), failed or in_progress.
    func response(
        id: String, model: String, status: String, output: [JSONValue], usage: TokenUsage?, error: APIError? = nil,
        createdAt: Int = Int(Date().timeIntervalSince1970)
    ) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "object": "response", "created_at": .int(createdAt), "status": .string(status),
            "model": .string(model), "output": .array(output), "error": .null, "incomplete_details": .null,
            "instructions": request["instructions"] ?? .null, "max_output_tokens": request["max_output_tokens"] ?? .null,
            "metadata": request["metadata"] ?? [:], "parallel_tool_calls": request["parallel_tool_calls"] ?? true,
            "previous_response_id": .null, "reasoning": request["reasoning"] ?? ["effort": .null, "summary": .null],
            "store": false, "temperature": request["temperature"] ?? .null, "text": request["text"] ?? ["format": ["type": "text"]],
            "tool_choice": request["tool_choice"] ?? "auto", "tools": request["tools"] ?? [], "top_p": request["top_p"] ?? .null,
            "truncation": "disabled", "usage": usage.map(Self.usage) ?? .null,
        ]
        if status == "incomplete" { object["incomplete_details"] = ["reason": "max_output_tokens"] }
        if let error { object["error"] = ["code": .string(error.code ?? "server_error"), "message": .string(error.message)] }
        return .object(object)
    }

    static func usage(_ usage: TokenUsage) -> JSONValue {
        [
            "input_tokens": .int(usage.promptTokens), "input_tokens_details": ["cached_tokens": .int(usage.cachedTokens)],
            "output_tokens": .int(usage.completionTokens), "output_tokens_details": ["reasoning_tokens": .int(usage.reasoningTokens)],
            "total_tokens": .int(usage.promptTokens + usage.completionTokens),
        ]
    }

    static func messageItem(id: String, text: String, status: String) -> JSONValue {
        [
            "type": "message", "id": .string(id), "status": .string(status), "role": "assistant",
            "content": [["type": "output_text", "text": .string(text), "annotations": []]],
        ]
    }

    static func functionCallItem(id: String, callID: String, name: String, arguments: String, status: String) -> JSONValue {
        [
            "type": "function_call", "id": .string(id), "call_id": .string(callID), "name": .string(name),
            "arguments": .string(arguments), "status": .string(status),
        ]
    }

    static func identifier(_ prefix: String) -> String {
        prefix + String(UUID().uuidString.lowercased().filter { $0 != "-" })
    }
}
