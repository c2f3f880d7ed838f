import FunctionRuntime
import GatewayStore

/// A Messages (or `count_tokens`) request for an Anthropic upstream, as the client sent it: only the
/// model name changes, `anthropic-beta` is passed on, and thinking blocks that did not come from
/// Anthropic (no signature) are dropped, since Anthropic refuses to replay them. Signed ones are
/// never edited.
package struct AnthropicNativeRequest: NativeUpstreamRequest {
    package var body: [String: JSONValue]
    package var version: String?
    package var beta: String?
    package var path: String

    package init(body: [String: JSONValue], version: String?, beta: String?, path: String) {
        self.body = body
        self.version = version
        self.beta = beta
        self.path = path
    }

    package var standard: APIStandard { AnthropicFormat().standard }

    package func upstreamRequest(model: String, provider: CatalogueProvider, apiKey: String, settings: ProviderSettings) -> UpstreamRequest {
        var body = self.body
        body["model"] = .string(model)
        if let messages = body["messages"]?.arrayValue { body["messages"] = .array(messages.map(Self.withoutForeignThinking)) }
        var headers = [
            (name: "x-api-key", value: apiKey), (name: "anthropic-version", value: version ?? AnthropicAdapter.version),
            (name: "Content-Type", value: "application/json"),
        ]
        if let beta, !beta.isEmpty { headers.append((name: "anthropic-beta", value: beta)) }
        if body["stream"]?.boolValue == true { headers.append((name: "Accept", value: "text/event-stream")) }
        return UpstreamRequest(
            url: OpenAICompatibleAdapter.join(AnthropicAdapter.base(provider.baseURL), path), headers: headers,
            body: JSONValue.object(body).serialized(), timeouts: settings.timeouts)
    }

    static func withoutForeignThinking(_ message: JSONValue) -> JSONValue {
        guard var object = message.objectValue, let blocks = object["content"]?.arrayValue else { return message }
        let kept = blocks.filter { block in
            guard block["type"]?.stringValue == "thinking" else { return true }
            return !(block["signature"]?.stringValue ?? "").isEmpty
        }
        guard kept.count != blocks.count else { return message }
        object["content"] = .array(kept)
        return .object(object)
    }
}
