import FunctionRuntime

/// Responses -> the internal chat request: items become messages, `function_call` and
/// `function_call_output` pair by `call_id` (chat's `tool_calls[].id`), `instructions` the system
/// message, `reasoning.effort` chat's `reasoning_effort`, `text.format` its `response_format`.
/// Reasoning items of earlier turns are dropped: no chat upstream can take them back.
enum ResponsesTranslation {
    static func check(_ json: [String: JSONValue]) throws(APIError) {
        guard let model = json["model"]?.stringValue, !model.isEmpty else {
            throw .badRequest("'model' is required and must be a non-empty string.", param: "model")
        }
        try InputLimits.checked(model, param: "model", limit: InputLimits.modelBytes)
        if let previous = json["previous_response_id"], !previous.isNull {
            throw .badRequest(
                "This gateway does not store responses, so 'previous_response_id' cannot be resolved: send the whole conversation in 'input' (and 'store': false).",
                code: "stored_responses_unsupported", param: "previous_response_id")
        }
        if json["store"]?.boolValue == true {
            throw .badRequest(
                "This gateway does not store responses: send 'store': false (or leave it out) and the whole conversation in 'input'.",
                code: "stored_responses_unsupported", param: "store")
        }
        if let conversation = json["conversation"], !conversation.isNull {
            throw .badRequest(
                "This gateway keeps no conversations: send the whole conversation in 'input'.", code: "stored_responses_unsupported",
                param: "conversation")
        }
        if json["background"]?.boolValue == true {
            throw .badRequest(
                "Background responses need stored responses, which this gateway does not keep.", code: "stored_responses_unsupported",
                param: "background")
        }
        guard let input = json["input"], input.stringValue != nil || input.arrayValue != nil else {
            throw .badRequest("'input' is required: a string or an array of input items.", param: "input")
        }
        for (index, item) in (input.arrayValue ?? []).enumerated() {
            let type = item["type"]?.stringValue ?? (item["role"] != nil ? "message" : nil)
            switch type {
            case "message":
                guard let role = item["role"]?.stringValue, ["user", "assistant", "system", "developer"].contains(role) else {
                    throw .badRequest("input[\(index)].role must be user, assistant, system or developer.", param: "input[\(index)].role")
                }
                guard item["content"]?.stringValue != nil || item["content"]?.arrayValue != nil else {
                    throw .badRequest("input[\(index)].content must be a string or an array of content parts.", param: "input[\(index)].content")
                }
            case "function_call":
                guard item["call_id"]?.stringValue != nil, item["name"]?.stringValue != nil else {
                    throw .badRequest("input[\(index)]: a function_call needs 'call_id' and 'name'.", param: "input[\(index)]")
                }
            case "function_call_output":
                guard item["call_id"]?.stringValue != nil else {
                    throw .badRequest("input[\(index)]: a function_call_output needs 'call_id'.", param: "input[\(index)].call_id")
                }
            case "reasoning", "item_reference":
                break
            default:
                throw .badRequest(
                    "input[\(index)].type '\(type?.prefix(40) ?? "")' is not supported here (message, function_call, function_call_output, reasoning).",
                    param: "input[\(index)].type")
            }
        }
        if let value = json["max_output_tokens"], !value.isNull {
            guard let number = value.intValue, (1...ChatRequest.maxTokensLimit).contains(number) else {
                throw .badRequest("'max_output_tokens' must be an integer from 1 to \(ChatRequest.maxTokensLimit).", param: "max_output_tokens")
            }
        }
        if let tools = json["tools"], !tools.isNull, tools.arrayValue == nil { throw .badRequest("'tools' must be an array.", param: "tools") }
    }

    static func chatObject(_ json: [String: JSONValue]) throws(APIError) -> [String: JSONValue] {
        var chat: [String: JSONValue] = ["model": json["model"] ?? ""]
        var messages: [JSONValue] = []
        if let instructions = json["instructions"]?.stringValue, !instructions.isEmpty {
            messages.append(["role": "system", "content": .string(instructions)])
        }
        if let text = json["input"]?.stringValue {
            messages.append(["role": "user", "content": .string(text)])
        }
        for item in json["input"]?.arrayValue ?? [] {
            switch item["type"]?.stringValue ?? "message" {
            case "message":
                let role = item["role"]?.stringValue ?? "user"
                messages.append(["role": .string(role), "content": content(item["content"], role: role)])
            case "function_call":
                let call: JSONValue = [
                    "id": item["call_id"] ?? "", "type": "function",
                    "function": ["name": item["name"] ?? "", "arguments": item["arguments"] ?? "{}"],
                ]
                // Calls of one turn belong to one assistant message (after its text, if any).
                if var last = messages.last?.objectValue, last["role"]?.stringValue == "assistant" {
                    last["tool_calls"] = .array((last["tool_calls"]?.arrayValue ?? []) + [call])
                    messages[messages.count - 1] = .object(last)
                } else {
                    messages.append(["role": "assistant", "content": .null, "tool_calls": [call]])
                }
            case "function_call_output":
                let output = item["output"]?.stringValue ?? outputText(item["output"])
                messages.append(["role": "tool", "tool_call_id": item["call_id"] ?? "", "content": .string(output)])
            default:
                break  // reasoning, item_reference
            }
        }
        guard !messages.isEmpty else { throw .badRequest("'input' holds no message to answer.", param: "input") }
        chat["messages"] = .array(messages)
        if let maxTokens = json["max_output_tokens"], !maxTokens.isNull { chat["max_tokens"] = maxTokens }
        if json["stream"]?.boolValue == true {
            chat["stream"] = true
            chat["stream_options"] = ["include_usage": true]
        }
        for name in ["temperature", "top_p", "parallel_tool_calls", "user"] where json[name].map({ !$0.isNull }) ?? false {
            chat[name] = json[name]
        }
        let tools = (json["tools"]?.arrayValue ?? []).compactMap(functionTool)
        if !tools.isEmpty {
            chat["tools"] = .array(tools)
            if let choice = toolChoice(json["tool_choice"]) { chat["tool_choice"] = choice }
        }
        if let effort = json["reasoning"]?["effort"]?.stringValue { chat["reasoning_effort"] = .string(effort) }
        if let format = responseFormat(json["text"]?["format"]) { chat["response_format"] = format }
        return chat
    }

    /// A message's content as chat content: a string, or parts (`input_text`/`output_text` -> text, `input_image` -> image_url).
    static func content(_ content: JSONValue?, role: String) -> JSONValue {
        if let text = content?.stringValue { return .string(text) }
        var parts: [JSONValue] = []
        for part in content?.arrayValue ?? [] {
            switch part["type"]?.stringValue {
            case "input_text", "output_text", "text", "refusal":
                parts.append(["type": "text", "text": part["text"] ?? part["refusal"] ?? ""])
            case "input_image":
                if let url = part["image_url"]?.stringValue { parts.append(["type": "image_url", "image_url": ["url": .string(url)]]) }
            default:
                break
            }
        }
        // Assistant turns and system prompts take text only; a single text part reads best as a string.
        if role != "user" || parts.allSatisfy({ $0["type"]?.stringValue == "text" }) {
            return .string(parts.compactMap { $0["text"]?.stringValue }.joined())
        }
        return .array(parts)
    }

    static func outputText(_ output: JSONValue?) -> String {
        (output?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined()
    }

    /// Function tools (`{type:function, name, description, parameters, strict}`); hosted tools
    /// (web search, file search, code interpreter) exist only at OpenAI and are left out.
    static func functionTool(_ tool: JSONValue) -> JSONValue? {
        guard tool["type"]?.stringValue == "function", let name = tool["name"]?.stringValue else { return nil }
        var function: [String: JSONValue] = ["name": .string(name), "parameters": tool["parameters"] ?? ["type": "object"]]
        if let description = tool["description"]?.stringValue { function["description"] = .string(description) }
        if let strict = tool["strict"]?.boolValue { function["strict"] = .bool(strict) }
        return ["type": "function", "function": .object(function)]
    }

    static func toolChoice(_ choice: JSONValue?) -> JSONValue? {
        if let mode = choice?.stringValue, ["auto", "none", "required"].contains(mode) { return .string(mode) }
        if choice?["type"]?.stringValue == "function", let name = choice?["name"]?.stringValue {
            return ["type": "function", "function": ["name": .string(name)]]
        }
        return nil
    }

    static func responseFormat(_ format: JSONValue?) -> JSONValue? {
        switch format?["type"]?.stringValue {
        case "json_object": return ["type": "json_object"]
        case "json_schema":
            var schema: [String: JSONValue] = ["name": format?["name"] ?? "response", "schema": format?["schema"] ?? [:]]
            if let strict = format?["strict"]?.boolValue { schema["strict"] = .bool(strict) }
            return ["type": "json_schema", "json_schema": .object(schema)]
        default: return nil
        }
    }
}
