import FunctionRuntime
import GatewayProviders
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `POST /v1/embeddings`: routed like chat (aliases, aggregators, the direct provider, budgets), to
/// the candidates whose catalogue lists the model as an embedding model and whose format has
/// embeddings; falls back on connection failures, 429 and 5xx. The usage row holds the prompt
/// tokens and their cost at the catalogue's input price.
struct EmbeddingsEndpoint {
    var upstream: any UpstreamTransport = UpstreamClient.shared
    var modelRouter: ModelRouter
    var settings: ProviderSettings
    var retry: RetryPolicy

    func handle(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) async throws {
        let started = MonotonicClock.nanoseconds()
        let usage = context.usage
        usage.update { $0.api = .embeddings }
        let embeddings = try EmbeddingsRequest(body: request.body)
        usage.update { $0.modelRequested = embeddings.model }
        let settings = settings
        let model = embeddings.model
        let admitted = try await FallbackLoop.admittedCandidates(model, router: modelRouter, context: context, writer: writer) { candidates in
            let embeddable = candidates.filter { Self.adapter(for: $0, settings: settings) != nil }
            guard !embeddable.isEmpty else {
                throw APIError(
                    status: 404,
                    message: "The model '\(model)' is not listed as an embedding model by any provider you can use"
                        + " (\(candidates.map(\.provider.name).joined(separator: ", "))).",
                    code: "model_not_found", param: "model")
            }
            return embeddable
        }
        try await FallbackLoop(retry: retry).run(admitted, started: started, context: context) { candidate, apiKey in
            guard let adapter = Self.adapter(for: candidate, settings: settings) else { return .retryable(.internalError, retryAfterSeconds: nil) }
            return try await attempt(
                embeddings, candidate: candidate, adapter: adapter, apiKey: apiKey, started: started, context: context, writer: writer)
        }
    }

    /// The candidate's embeddings adapter, when it lists the model as an embedding model and its wire format has one.
    private static func adapter(for candidate: RouteCandidate, settings: ProviderSettings) -> (any EmbeddingsAdapter)? {
        guard candidate.model?.modelType == .embedding else { return nil }
        return WireFormats.format(candidate.provider.apiStandard)?.embeddings(settings: settings)
    }

    private func attempt(
        _ embeddings: EmbeddingsRequest, candidate: RouteCandidate, adapter: any EmbeddingsAdapter, apiKey: String, started: UInt64,
        context: FunctionContext, writer: ResponseWriter
    ) async throws -> FallbackLoop.Outcome {
        let upstreamRequest = try adapter.makeRequest(embeddings, model: candidate.upstreamModel, provider: candidate.provider, apiKey: apiKey)
        let response: UpstreamResponse
        do {
            response = try await upstream.fetch(upstreamRequest, limit: 256 << 20)
        } catch let error as UpstreamError {
            return .retryable(ChatCompletionHandler.httpError(error, provider: candidate.provider.name), retryAfterSeconds: nil)
        }
        context.usage.update { $0.upstreamRequestID = ChatCompletionHandler.requestID(response.headers) }
        guard (200..<300).contains(response.status) else {
            let error = UpstreamErrors.map(
                status: response.status, body: response.body, headers: response.headers, provider: candidate.provider.name, apiKey: apiKey)
            guard response.status == 429 || response.status >= 500 else { throw error }
            return .retryable(error, retryAfterSeconds: response.headers["retry-after"].flatMap(Double.init))
        }
        let result: EmbeddingsResult
        do {
            result = try adapter.translateResponse(response.body, request: embeddings, model: candidate.upstreamModel)
        } catch let error as UpstreamStreamError {
            throw APIError(status: 502, message: UpstreamErrors.redact(error.message, apiKey: apiKey), code: error.code)
        }
        var tokens = TokenUsage()
        tokens.promptTokens = result.promptTokens
        tokens.reported = true
        let cost = CostCalculator.cost(tokens, model: candidate.model)
        context.usage.update {
            $0.modelServed = candidate.upstreamModel
            $0.promptTokens = result.promptTokens
            $0.costUSD = cost?.usd
            $0.costSource = cost?.source
            $0.latencyMs = Int((MonotonicClock.nanoseconds() - started) / 1_000_000)
        }
        try writer.respond(json: result.body)
        return .answered
    }
}
