import FunctionRuntime

/// A validated OpenAI chat completion request: the internal request every client API is turned
/// into. The original JSON is kept: OpenAI-compatible upstreams get it back nearly untouched, so
/// fields the gateway does not know still pass.
package struct ChatRequest: Sendable {
    package var json: [String: JSONValue]
    package var model: String
    package var messages: [JSONValue]
    package var stream: Bool
    /// The client asked for the final usage chunk (`stream_options.include_usage`).
    package var includeUsage: Bool
    /// `max_completion_tokens`, else `max_tokens`.
    package var maxTokens: Int?
    /// Settings another client API carries that chat completions has no field for; each adapter
    /// passes them on where its upstream can take them.
    package var extensions = Extensions()

    package struct Extensions: Sendable, Equatable {
        /// Anthropic's `top_k`.
        package var topK: Int?
        /// Anthropic's `thinking.budget_tokens`.
        package var thinkingBudget: Int?
        /// The request was translated from another client API: it holds only fields the gateway wrote.
        package var translated = false

        package init(topK: Int? = nil, thinkingBudget: Int? = nil, translated: Bool = false) {
            self.topK = topK
            self.thinkingBudget = thinkingBudget
            self.translated = translated
        }
    }

    /// The largest `max_tokens` passed on: every upstream takes a 32-bit count.
    package static let maxTokensLimit = Int(Int32.max)

    package init(body: [UInt8]) throws(APIError) {
        guard !body.isEmpty else { throw .badRequest("The request body is empty: send a JSON chat completion request.", code: "invalid_json") }
        guard let parsed = try? JSONValue.parse(body) else {
            throw .badRequest("The request body is not valid JSON.", code: "invalid_json")
        }
        guard case .object(let json) = parsed else { throw .badRequest("The request body must be a JSON object.", code: "invalid_json") }
        try self.init(object: json)
    }

    /// Validates a chat completion object, the client's or one translated from another client API.
    package init(object json: [String: JSONValue], extensions: Extensions = Extensions()) throws(APIError) {
        self.extensions = extensions
        guard let model = json["model"]?.stringValue, !model.isEmpty else {
            throw .badRequest("'model' is required and must be a non-empty string.", code: "invalid_request", param: "model")
        }
        try InputLimits.checked(model, param: "model", limit: InputLimits.modelBytes)
        if let user = json["user"], !user.isNull {
            guard let text = user.stringValue, text.utf8.count <= InputLimits.userBytes else {
                throw .badRequest("'user' must be a string of at most \(InputLimits.userBytes) bytes.", code: "invalid_request", param: "user")
            }
        }
        if let metadata = json["metadata"], !metadata.isNull { try InputLimits.metadata(metadata) }
        guard let messages = json["messages"]?.arrayValue else {
            throw .badRequest("'messages' is required and must be an array.", code: "invalid_request", param: "messages")
        }
        guard !messages.isEmpty else { throw .badRequest("'messages' must not be empty.", code: "invalid_request", param: "messages") }
        for (index, message) in messages.enumerated() {
            guard let role = message["role"]?.stringValue, ["system", "developer", "user", "assistant", "tool", "function"].contains(role) else {
                throw .badRequest(
                    "messages[\(index)].role must be one of system, developer, user, assistant, tool.",
                    code: "invalid_request", param: "messages[\(index)].role")
            }
            if let content = message["content"], !content.isNull, content.stringValue == nil, content.arrayValue == nil {
                throw .badRequest(
                    "messages[\(index)].content must be a string or an array of content parts.",
                    code: "invalid_request", param: "messages[\(index)].content")
            }
        }
        if let stream = json["stream"], !stream.isNull, stream.boolValue == nil {
            throw .badRequest("'stream' must be a boolean.", code: "invalid_request", param: "stream")
        }
        for name in ["temperature", "top_p"] {
            if let value = json[name], !value.isNull, value.doubleValue == nil {
                throw .badRequest("'\(name)' must be a number.", code: "invalid_request", param: name)
            }
        }
        var maxTokens: Int?
        for name in ["max_tokens", "max_completion_tokens"] {
            guard let value = json[name], !value.isNull else { continue }
            guard let number = value.intValue, (1...Self.maxTokensLimit).contains(number) else {
                throw .badRequest("'\(name)' must be an integer from 1 to \(Self.maxTokensLimit).", code: "invalid_request", param: name)
            }
            if name == "max_completion_tokens" || maxTokens == nil { maxTokens = number }
        }
        self.json = json
        self.model = model
        self.messages = messages
        self.stream = json["stream"]?.boolValue ?? false
        self.includeUsage = json["stream_options"]?["include_usage"]?.boolValue ?? false
        self.maxTokens = maxTokens
    }

    /// `stop` as a list (OpenAI allows a string or an array).
    package var stopSequences: [String] {
        if let single = json["stop"]?.stringValue { return [single] }
        return json["stop"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The text of a message's content (a string, or the text parts of an array).
    package static func text(of content: JSONValue?) -> String {
        if let text = content?.stringValue { return text }
        return (content?.arrayValue ?? []).compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined()
    }
}
