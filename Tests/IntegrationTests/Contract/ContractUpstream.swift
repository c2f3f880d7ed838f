import Foundation
import TestSupport

/// Every provider of the catalogue on one mock upstream, so that nothing schemathesis makes the
/// gateway do leaves this machine: OpenAI, Anthropic and Gemini as `ThreeProviderMock` answers them,
/// OpenRouter and AiHubMix (`/openrouter/v1`, `/aihubmix/v1`) as OpenAI-compatible ones, and each
/// provider's model list in its own format, so that syncs, discovery and key tests succeed.
enum ContractUpstream {
    /// Where each catalogue entry points, under the mock's base URL.
    static let basePaths = [
        "openai": "/openai/v1", "anthropic": "/anthropic", "google": "/gemini/v1beta", "openrouter": "/openrouter/v1",
        "aihubmix": "/aihubmix/v1",
    ]

    static func start() throws -> MockUpstream {
        try MockUpstream { request in reply(request) }
    }

    static func reply(_ request: MockUpstream.Received) -> MockUpstream.Reply {
        let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.path
        if request.method == "GET", path.hasSuffix("/models") {
            if path.hasPrefix("/anthropic") { return .json(status: 200, body: anthropicModels) }
            if path.hasPrefix("/gemini") { return .json(status: 200, body: geminiModels) }
            return .json(status: 200, body: openAIModels)
        }
        if path.hasPrefix("/openrouter") || path.hasPrefix("/aihubmix") {
            return ThreeProviderMock.openAI(request, json: request.json, stream: request.json?["stream"]?.boolValue == true)
        }
        return ThreeProviderMock.reply(request)
    }

    /// OpenAI's list, with the OpenRouter and AiHubMix fields their parsers read (names, prices per token, context).
    static let openAIModels = """
        {"object":"list","data":[\
        {"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"openai","name":"GPT-4o mini",\
        "pricing":{"prompt":"0.00000015","completion":"0.0000006"},"context_length":128000},\
        {"id":"text-embedding-3-small","object":"model","created":1705948997,"owned_by":"openai"}]}
        """
    static let anthropicModels = """
        {"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}],\
        "has_more":false,"first_id":"claude-sonnet-4-5","last_id":"claude-sonnet-4-5"}
        """
    static let geminiModels = """
        {"models":[{"name":"models/gemini-2.5-flash","displayName":"Gemini 2.5 Flash","inputTokenLimit":1048576,\
        "outputTokenLimit":65536,"supportedGenerationMethods":["generateContent","countTokens"]}]}
        """
}
