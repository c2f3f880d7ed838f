import FunctionRuntime
import GatewayStore

/// A validated Anthropic Messages request (`POST /v1/messages`), kept as the client sent it for an
/// Anthropic upstream and translated into the internal chat request for every other.
package struct MessagesRequest: Sendable {
    package var json: [String: JSONValue]
    package var chat: ChatRequest
    /// `anthropic-version` and `anthropic-beta` as the client sent them: forwarded to Anthropic only.
    package var version: String?
    package var beta: String?

    /// `count_tokens` takes the Messages body without `max_tokens`.
    package init(body: [UInt8], headers: HTTPHeaders, countingTokens: Bool = false) throws(APIError) {
        guard !body.isEmpty else { throw .badRequest("The request body is empty: send a JSON Messages request.", code: "invalid_json") }
        guard case .object(let json)? = try? JSONValue.parse(body) else {
            throw .badRequest("The request body must be a JSON object.", code: "invalid_json")
        }
        try MessagesValidation.check(json, countingTokens: countingTokens)
        self.json = json
        var translated = MessagesTranslation.chatObject(json)
        if countingTokens { translated["max_tokens"] = nil }
        chat = try ChatRequest(object: translated, extensions: MessagesTranslation.extensions(json))
        version = headers["anthropic-version"]
        beta = headers["anthropic-beta"]
    }

    /// The request for an Anthropic upstream: the client's body with the upstream's model name.
    package var native: AnthropicNativeRequest {
        AnthropicNativeRequest(body: json, version: version, beta: beta, path: "/v1/messages")
    }
}
