import FunctionRuntime
import GatewayProviders
import GatewayStore

/// A cheap authenticated call (the provider's model list): validates a key before it is stored
/// and backs `POST /{id}/test`. The outcome never contains the key.
struct ProviderPing {
    var upstream: any UpstreamTransport = UpstreamClient.shared

    struct Outcome {
        var ok: Bool
        /// The provider's HTTP status; `nil` when it could not be reached.
        var status: Int?
        var latencyMs: Int
        /// How many models the list named, when it was one.
        var modelsAvailable: Int?
        /// Why not ok, as the error the caller gets: 400 `invalid_provider_key` for a refused key,
        /// 502 `provider_unreachable`, or the provider's own error mapped.
        var error: APIError?
    }

    func ping(_ apiKey: String, provider: CatalogueProvider, settings: ProviderSettings) async -> Outcome {
        guard let format = WireFormats.format(provider.apiStandard) else {
            let error = APIError(
                status: 502, message: "\(provider.name) speaks '\(provider.apiStandard.rawValue)', which this gateway does not know.",
                code: "unsupported_api_standard")
            return Outcome(ok: false, status: nil, latencyMs: 0, modelsAvailable: nil, error: error)
        }
        var request = format.adapter(settings: settings).listModelsRequest(provider: provider, apiKey: apiKey)
        request.timeouts = UpstreamTimeouts(connectMilliseconds: 5_000, firstByteMilliseconds: 15_000, idleMilliseconds: 15_000)
        let started = MonotonicClock.nanoseconds()
        func elapsed() -> Int { Int((MonotonicClock.nanoseconds() - started) / 1_000_000) }
        let response: UpstreamResponse
        do {
            response = try await upstream.fetch(request, limit: 16 << 20)
        } catch {
            let reason = (error as? UpstreamError).map { ": \($0)" } ?? "."
            return Outcome(
                ok: false, status: nil, latencyMs: elapsed(), modelsAvailable: nil,
                error: APIError(status: 502, message: "\(provider.name) could not be reached\(reason)", code: "provider_unreachable"))
        }
        let latency = elapsed()
        if (200..<300).contains(response.status) {
            let list = try? JSONValue.parse(response.body)
            let count = (list?["data"] ?? list?["models"])?.arrayValue?.count
            return Outcome(ok: true, status: response.status, latencyMs: latency, modelsAvailable: count, error: nil)
        }
        let mapped = UpstreamErrors.map(
            status: response.status, body: response.body, headers: response.headers,
            provider: provider.name, apiKey: apiKey)
        let error =
            response.status == 401 || response.status == 403
            ? APIError(status: 400, message: "The key was refused. " + mapped.message, code: "invalid_provider_key", param: "api_key")
            : mapped
        return Outcome(ok: false, status: response.status, latencyMs: latency, modelsAvailable: nil, error: error)
    }
}
