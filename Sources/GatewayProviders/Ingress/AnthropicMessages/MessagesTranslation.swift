import FunctionRuntime

/// Anthropic Messages -> the internal chat request. What chat completions has no place for is
/// dropped here, once, for every non-Anthropic upstream: `cache_control`, thinking blocks of earlier
/// turns (only Anthropic can verify their signatures), server tools, `anthropic-beta`.
enum MessagesTranslation {
    static func chatObject(_ json: [String: JSONValue]) -> [String: JSONValue] {
        var chat: [String: JSONValue] = ["model": json["model"] ?? ""]
        var messages: [JSONValue] = []
        let system = systemText(json["system"])
        if !system.isEmpty { messages.append(["role": "system", "content": .string(system)]) }
        for message in json["messages"]?.arrayValue ?? [] {
            if message["role"]?.stringValue == "assistant" {
                messages += assistantMessages(message["content"])
            } else {
                messages += userMessages(message["content"])
            }
        }
        chat["messages"] = .array(messages)
        if let maxTokens = json["max_tokens"] { chat["max_tokens"] = maxTokens }
        if json["stream"]?.boolValue == true {
            chat["stream"] = true
            chat["stream_options"] = ["include_usage": true]
        }
        for name in ["temperature", "top_p"] where json[name].map({ !$0.isNull }) ?? false { chat[name] = json[name] }
        if let stops = json["stop_sequences"]?.arrayValue, !stops.isEmpty { chat["stop"] = .array(stops) }
        let tools = (json["tools"]?.arrayValue ?? []).compactMap(functionTool)
        if !tools.isEmpty {
            chat["tools"] = .array(tools)
            if let choice = toolChoice(json["tool_choice"]) { chat["tool_choice"] = choice }
            if json["tool_choice"]?["disable_parallel_tool_use"]?.boolValue == true { chat["parallel_tool_calls"] = false }
        }
        if let user = json["metadata"]?["user_id"]?.stringValue { chat["user"] = .string(user) }
        return chat
    }

    static func extensions(_ json: [String: JSONValue]) -> ChatRequest.Extensions {
        let thinking = json["thinking"]
        return ChatRequest.Extensions(
            topK: json["top_k"]?.intValue,
            thinkingBudget: thinking?["type"]?.stringValue == "enabled" ? thinking?["budget_tokens"]?.intValue : nil,
            translated: true)
    }

    /// `system` as a string, or the text of its blocks.
    static func systemText(_ system: JSONValue?) -> String {
        if let text = system?.stringValue { return text }
        return (system?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n\n")
    }

    /// A user turn: its tool results become `tool` messages (first: they answer the previous
    /// assistant turn's calls), the rest one user message.
    static func userMessages(_ content: JSONValue?) -> [JSONValue] {
        if let text = content?.stringValue { return [["role": "user", "content": .string(text)]] }
        var results: [JSONValue] = []
        var parts: [JSONValue] = []
        for block in content?.arrayValue ?? [] {
            switch block["type"]?.stringValue {
            case "tool_result":
                var text = toolResultText(block["content"])
                if block["is_error"]?.boolValue == true { text = "Error: " + text }
                results.append(["role": "tool", "tool_call_id": block["tool_use_id"] ?? "", "content": .string(text)])
            case "text":
                parts.append(["type": "text", "text": block["text"] ?? ""])
            case "image":
                if let part = imagePart(block["source"]) { parts.append(part) }
            default:
                break  // documents, search results: no chat completions equivalent
            }
        }
        if !parts.isEmpty {
            let onlyText = parts.allSatisfy { $0["type"]?.stringValue == "text" }
            let content: JSONValue =
                onlyText ? .string(parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n\n")) : .array(parts)
            results.append(["role": "user", "content": content])
        }
        return results
    }

    /// An assistant turn: text and tool calls. Thinking blocks are Anthropic's and stay behind.
    static func assistantMessages(_ content: JSONValue?) -> [JSONValue] {
        if let text = content?.stringValue { return [["role": "assistant", "content": .string(text)]] }
        var text: [String] = []
        var calls: [JSONValue] = []
        for block in content?.arrayValue ?? [] {
            switch block["type"]?.stringValue {
            case "text": text.append(block["text"]?.stringValue ?? "")
            case "tool_use":
                calls.append([
                    "id": block["id"] ?? "", "type": "function",
                    "function": ["name": block["name"] ?? "", "arguments": .string((block["input"] ?? [:]).serializedString)],
                ])
            default: break
            }
        }
        guard !text.isEmpty || !calls.isEmpty else { return [] }
        var message: [String: JSONValue] = ["role": "assistant", "content": text.isEmpty ? .null : .string(text.joined())]
        if !calls.isEmpty { message["tool_calls"] = .array(calls) }
        return [.object(message)]
    }

    /// A `tool_result`'s content: a string, or the text of its blocks (images in results have no chat equivalent).
    static func toolResultText(_ content: JSONValue?) -> String {
        if let text = content?.stringValue { return text }
        return (content?.arrayValue ?? []).compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }
            .joined(separator: "\n")
    }

    static func imagePart(_ source: JSONValue?) -> JSONValue? {
        switch source?["type"]?.stringValue {
        case "base64":
            guard let media = source?["media_type"]?.stringValue, let data = source?["data"]?.stringValue else { return nil }
            return ["type": "image_url", "image_url": ["url": .string("data:\(media);base64,\(data)")]]
        case "url":
            guard let url = source?["url"]?.stringValue else { return nil }
            return ["type": "image_url", "image_url": ["url": .string(url)]]
        default: return nil
        }
    }

    /// A client tool (`{name, description, input_schema}`); Anthropic's server tools (typed, such as
    /// `web_search_20250305`) run only at Anthropic.
    static func functionTool(_ tool: JSONValue) -> JSONValue? {
        if let type = tool["type"]?.stringValue, type != "custom" { return nil }
        guard let name = tool["name"]?.stringValue else { return nil }
        var function: [String: JSONValue] = ["name": .string(name), "parameters": tool["input_schema"] ?? ["type": "object"]]
        if let description = tool["description"]?.stringValue { function["description"] = .string(description) }
        return ["type": "function", "function": .object(function)]
    }

    static func toolChoice(_ choice: JSONValue?) -> JSONValue? {
        switch choice?["type"]?.stringValue {
        case "auto": "auto"
        case "any": "required"
        case "none": "none"
        case "tool": ["type": "function", "function": ["name": choice?["name"] ?? ""]]
        default: nil
        }
    }
}
