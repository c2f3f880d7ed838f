import FunctionRuntime

/// What Anthropic's API would refuse with a 400, refused here first in its words.
enum MessagesValidation {
    static func check(_ json: [String: JSONValue], countingTokens: Bool) throws(APIError) {
        guard let model = json["model"]?.stringValue, !model.isEmpty else {
            throw .badRequest("model: Field required (a non-empty string).", param: "model")
        }
        try InputLimits.checked(model, param: "model", limit: InputLimits.modelBytes)
        if !countingTokens {
            guard let maxTokens = json["max_tokens"]?.intValue, (1...ChatRequest.maxTokensLimit).contains(maxTokens) else {
                throw .badRequest("max_tokens: Field required (an integer from 1 to \(ChatRequest.maxTokensLimit)).", param: "max_tokens")
            }
        }
        guard let messages = json["messages"]?.arrayValue, !messages.isEmpty else {
            throw .badRequest("messages: Field required (a non-empty array).", param: "messages")
        }
        for (index, message) in messages.enumerated() {
            guard let role = message["role"]?.stringValue, role == "user" || role == "assistant" else {
                throw .badRequest("messages.\(index).role: must be 'user' or 'assistant'.", param: "messages.\(index).role")
            }
            let content = message["content"]
            if content?.stringValue != nil { continue }
            guard let blocks = content?.arrayValue else {
                throw .badRequest("messages.\(index).content: must be a string or an array of content blocks.", param: "messages.\(index).content")
            }
            for (blockIndex, block) in blocks.enumerated() where block["type"]?.stringValue == nil {
                throw .badRequest(
                    "messages.\(index).content.\(blockIndex).type: Field required.", param: "messages.\(index).content.\(blockIndex)")
            }
        }
        if let system = json["system"], !system.isNull, system.stringValue == nil, system.arrayValue == nil {
            throw .badRequest("system: must be a string or an array of text blocks.", param: "system")
        }
        if let tools = json["tools"], !tools.isNull {
            guard let list = tools.arrayValue else { throw .badRequest("tools: must be an array.", param: "tools") }
            for (index, tool) in list.enumerated() where tool["name"]?.stringValue?.isEmpty ?? true {
                throw .badRequest("tools.\(index).name: Field required.", param: "tools.\(index).name")
            }
        }
        if let stream = json["stream"], !stream.isNull, stream.boolValue == nil {
            throw .badRequest("stream: must be a boolean.", param: "stream")
        }
        if let choice = json["tool_choice"], !choice.isNull {
            guard let type = choice["type"]?.stringValue, ["auto", "any", "tool", "none"].contains(type) else {
                throw .badRequest("tool_choice.type: must be auto, any, tool or none.", param: "tool_choice")
            }
            if type == "tool", choice["name"]?.stringValue == nil {
                throw .badRequest("tool_choice.name: Field required when type is 'tool'.", param: "tool_choice")
            }
        }
        if let thinking = json["thinking"], !thinking.isNull, thinking["type"]?.stringValue == "enabled" {
            guard let budget = thinking["budget_tokens"]?.intValue, budget >= 1 else {
                throw .badRequest("thinking.budget_tokens: Field required (a positive integer).", param: "thinking")
            }
        }
        for name in ["temperature", "top_p"] {
            if let value = json[name], !value.isNull, value.doubleValue == nil { throw .badRequest("\(name): must be a number.", param: name) }
        }
        if let value = json["top_k"], !value.isNull, value.intValue == nil { throw .badRequest("top_k: must be an integer.", param: "top_k") }
        if let user = json["metadata"]?["user_id"], !user.isNull {
            guard let text = user.stringValue, text.utf8.count <= InputLimits.userBytes else {
                throw .badRequest("metadata.user_id: must be a string of at most \(InputLimits.userBytes) bytes.", param: "metadata.user_id")
            }
        }
    }
}
