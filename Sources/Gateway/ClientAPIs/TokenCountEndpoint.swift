import FunctionRuntime
import GatewayProviders
import GatewayStore

/// `POST /v1/messages/count_tokens`: Anthropic's own count when an Anthropic key can serve the
/// model, else the gateway's estimate (`TokenEstimate`, over system, messages, thinking and tools),
/// marked with `X-Token-Count: estimate`. Counting is free upstream, so its usage row has no tokens.
struct TokenCountEndpoint {
    var upstream: any UpstreamTransport = UpstreamClient.shared
    var modelRouter: ModelRouter
    var settings: ProviderSettings

    func handle(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) async throws {
        context.usage.update { $0.api = .countTokens }
        let messages = try MessagesRequest(body: request.body, headers: request.headers, countingTokens: true)
        context.usage.update { $0.modelRequested = messages.chat.model }
        let (router, caller, model, cache) = (modelRouter, context.caller, messages.chat.model, context.services.routingCache)
        let plan = try await context.withStore { try router.plan(model, caller: caller, store: $0, cache: cache) }
        let anthropic = AnthropicFormat().standard
        if let candidate = plan.candidates.first(where: { $0.provider.apiStandard == anthropic }),
            let count = try await anthropicCount(messages, candidate: candidate, context: context)
        {
            try writer.respond(json: ["input_tokens": .int(count)], headers: ["X-Token-Count": "provider"])
            return
        }
        try writer.respond(json: ["input_tokens": .int(Self.estimate(messages))], headers: ["X-Token-Count": "estimate"])
    }

    /// Anthropic's count, or nil when Anthropic could not be asked (the estimate answers then).
    /// A request Anthropic refuses is the client's error, answered as such.
    private func anthropicCount(_ messages: MessagesRequest, candidate: RouteCandidate, context: FunctionContext) async throws -> Int? {
        guard let apiKey = try? context.sealer().open(candidate.userProvider) else { return nil }
        var body = messages.json
        for field in ["max_tokens", "stream", "temperature", "top_p", "top_k", "stop_sequences", "metadata"] { body[field] = nil }
        let native = AnthropicNativeRequest(body: body, version: messages.version, beta: messages.beta, path: "/v1/messages/count_tokens")
        context.usage.update {
            $0.providerID = candidate.provider.id
            $0.userProviderID = candidate.userProvider.id
            $0.providersTried = [candidate.provider.name]
        }
        let response: UpstreamResponse
        do {
            response = try await upstream.fetch(
                native.upstreamRequest(model: candidate.upstreamModel, provider: candidate.provider, apiKey: apiKey, settings: settings),
                limit: 1 << 20)
        } catch {
            return nil
        }
        if response.status == 200, let count = (try? JSONValue.parse(response.body))?["input_tokens"]?.intValue { return count }
        if response.status == 429 || response.status >= 500 { return nil }
        throw UpstreamErrors.map(
            status: response.status, body: response.body, headers: response.headers, provider: candidate.provider.name, apiKey: apiKey)
    }

    /// System, messages (with their thinking blocks, which the chat translation leaves out) and tool definitions.
    static func estimate(_ messages: MessagesRequest) -> Int {
        var tokens = TokenEstimate.promptTokens(messages.chat.messages)
        for message in messages.json["messages"]?.arrayValue ?? [] {
            for block in message["content"]?.arrayValue ?? [] where block["type"]?.stringValue == "thinking" {
                tokens += TokenEstimate.textTokens(block["thinking"]?.stringValue ?? "")
            }
        }
        if let tools = messages.json["tools"]?.arrayValue, !tools.isEmpty {
            tokens += TokenEstimate.textTokens(JSONValue.array(tools).serializedString)
        }
        return tokens
    }
}
