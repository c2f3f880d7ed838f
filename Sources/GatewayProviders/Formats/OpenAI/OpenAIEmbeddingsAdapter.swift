import FunctionRuntime
import GatewayStore

/// OpenAI-compatible `POST /embeddings`: the request passes with the upstream's model name, the
/// answer comes back as it was (base64 included), read for its usage.
struct OpenAIEmbeddingsAdapter: EmbeddingsAdapter {
    let settings: ProviderSettings

    func makeRequest(_ request: EmbeddingsRequest, model: String, provider: CatalogueProvider, apiKey: String) throws(APIError) -> UpstreamRequest {
        var body = request.json
        body["model"] = .string(model)
        return UpstreamRequest(
            url: OpenAICompatibleAdapter.join(provider.baseURL, "/embeddings"),
            headers: [(name: "Authorization", value: "Bearer \(apiKey)"), (name: "Content-Type", value: "application/json")],
            body: JSONValue.object(body).serialized(), timeouts: settings.timeouts)
    }

    func translateResponse(_ body: [UInt8], request: EmbeddingsRequest, model: String) throws -> EmbeddingsResult {
        guard let json = try? JSONValue.parse(body), json["data"]?.arrayValue != nil else {
            throw UpstreamStreamError(message: "The upstream answered with something that is not an embeddings list.", code: "bad_upstream_response")
        }
        let tokens = json["usage"]?["prompt_tokens"]?.tokenCount
        return EmbeddingsResult(body: body, promptTokens: tokens ?? 0, reported: tokens != nil)
    }
}
