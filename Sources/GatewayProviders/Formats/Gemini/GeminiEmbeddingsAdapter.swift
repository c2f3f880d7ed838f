import FunctionRuntime
import GatewayStore

/// Gemini `models/{model}:batchEmbedContents`: one request per input text, vectors back in
/// OpenAI's shape. Gemini reports no token usage for embeddings: the count is the gateway's
/// estimate (`EmbeddingsResult.reported` is false). Token-id input has no Gemini equivalent.
struct GeminiEmbeddingsAdapter: EmbeddingsAdapter {
    let settings: ProviderSettings

    func makeRequest(_ request: EmbeddingsRequest, model: String, provider: CatalogueProvider, apiKey: String) throws(APIError) -> UpstreamRequest {
        guard case .texts(let texts) = request.input else {
            throw .badRequest("Gemini embeds text only: send 'input' as a string or an array of strings.", param: "input")
        }
        let name = "models/" + GeminiAdapter.modelPath(model)
        let requests = texts.map { text -> JSONValue in
            var entry: [String: JSONValue] = ["model": .string(name), "content": ["parts": [["text": .string(text)]]]]
            if let dimensions = request.dimensions { entry["outputDimensionality"] = .int(dimensions) }
            return .object(entry)
        }
        return UpstreamRequest(
            url: OpenAICompatibleAdapter.join(provider.baseURL, "/\(name):batchEmbedContents"),
            headers: [(name: "x-goog-api-key", value: apiKey), (name: "Content-Type", value: "application/json")],
            body: JSONValue.object(["requests": .array(requests)]).serialized(), timeouts: settings.timeouts)
    }

    func translateResponse(_ body: [UInt8], request: EmbeddingsRequest, model: String) throws -> EmbeddingsResult {
        guard let embeddings = (try? JSONValue.parse(body))?["embeddings"]?.arrayValue else {
            throw UpstreamStreamError(
                message: "Gemini answered with something that is not a batchEmbedContents response.", code: "bad_upstream_response")
        }
        let vectors = embeddings.map { ($0["values"]?.arrayValue ?? []).compactMap(\.doubleValue) }
        var tokens = 0
        if case .texts(let texts) = request.input { tokens = texts.reduce(0) { $0 + ($1.unicodeScalars.count + 3) / 4 } }
        let list = EmbeddingVectors.list(vectors, model: model, promptTokens: tokens, base64: request.base64)
        return EmbeddingsResult(body: list.serialized(), promptTokens: tokens, reported: false)
    }
}
