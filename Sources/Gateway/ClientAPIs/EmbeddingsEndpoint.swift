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
        let store = try context.store()
        let plan = try modelRouter.plan(embeddings.model, caller: context.caller, store: store)
        let embeddable = plan.candidates.compactMap { candidate -> (RouteCandidate, any EmbeddingsAdapter)? in
            guard candidate.model?.modelType == .embedding,
                let adapter = WireFormats.format(candidate.provider.apiStandard)?.embeddings(settings: settings)
            else { return nil }
            return (candidate, adapter)
        }
        guard !embeddable.isEmpty else {
            throw APIError(
                status: 404,
                message: "The model '\(embeddings.model)' is not listed as an embedding model by any provider you can use"
                    + " (\(plan.candidates.map(\.provider.name).joined(separator: ", "))).",
                code: "model_not_found", param: "model")
        }
        let gate = try BudgetGate.check(
            store: store, caller: context.caller, reservationID: usage.record.id, model: embeddings.model,
            now: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
        if let alert = gate.alert { writer.addHeaderToResponse(BudgetGate.alertHeader, alert) }
        let allowed = embeddable.filter { gate.blockedProviders[$0.0.provider.id] == nil }
        if allowed.isEmpty, let blocked = gate.blockedProviders[embeddable[0].0.provider.id] { throw blocked }
        let sealer = try context.sealer()

        var lastError: APIError?
        var retryAfter: Double?
        var tried: [String] = []
        for (index, (candidate, adapter)) in allowed.enumerated() {
            if index > 0 {
                let delay = retry.delayMilliseconds(beforeAttempt: index, retryAfterSeconds: retryAfter)
                guard Int((MonotonicClock.nanoseconds() - started) / 1_000_000) + delay < retry.budgetMilliseconds else { break }
                try await Task.sleep(for: .milliseconds(delay))
            }
            tried.append(candidate.provider.name)
            usage.update {
                $0.providerID = candidate.provider.id
                $0.userProviderID = candidate.userProvider.id
                $0.attempts = tried.count
                $0.providersTried = tried
            }
            guard let apiKey = try? sealer.open(candidate.userProvider) else {
                lastError = APIError(
                    status: 500, message: "Your \(candidate.provider.name) key could not be read; add it again.", code: "provider_key_unreadable")
                continue
            }
            let upstreamRequest = try adapter.makeRequest(embeddings, model: candidate.upstreamModel, provider: candidate.provider, apiKey: apiKey)
            let response: UpstreamResponse
            do {
                response = try await upstream.fetch(upstreamRequest, limit: 256 << 20)
            } catch let error as UpstreamError {
                lastError = ChatCompletionHandler.httpError(error, provider: candidate.provider.name)
                continue
            }
            usage.update { $0.upstreamRequestID = ChatCompletionHandler.requestID(response.headers) }
            guard (200..<300).contains(response.status) else {
                let error = UpstreamErrors.map(
                    status: response.status, body: response.body, headers: response.headers, provider: candidate.provider.name, apiKey: apiKey)
                guard response.status == 429 || response.status >= 500 else { throw error }
                lastError = error
                retryAfter = response.headers["retry-after"].flatMap(Double.init)
                continue
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
            usage.update {
                $0.modelServed = candidate.upstreamModel
                $0.promptTokens = result.promptTokens
                $0.costUSD = cost?.usd
                $0.costSource = cost?.source
                $0.latencyMs = Int((MonotonicClock.nanoseconds() - started) / 1_000_000)
            }
            try writer.respond(json: result.body)
            return
        }
        throw lastError ?? APIError(status: 502, message: "No provider could be reached.", code: "upstream_unreachable")
    }
}
