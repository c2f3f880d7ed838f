/// Checks a key with a cheap authenticated call (the provider's model list) before it is stored.
struct ProviderKeyValidation {
    var upstream: UpstreamClient = .shared

    enum Outcome {
        case valid(latencyMs: Int)
        case rejected(HTTPError)
    }

    func check(_ apiKey: String, provider: CatalogueProvider, settings: ProviderSettings) async -> Outcome {
        let adapter = ProviderAdapters.adapter(for: provider, settings: settings)
        var request = adapter.listModelsRequest(provider: provider, apiKey: apiKey)
        request.timeouts = UpstreamTimeouts(connectMilliseconds: 5_000, firstByteMilliseconds: 15_000, idleMilliseconds: 15_000)
        let started = MonotonicClock.nanoseconds()
        let response: UpstreamResponse
        do {
            response = try await upstream.fetch(request, limit: 65_536)
        } catch let error as UpstreamError {
            return .rejected(HTTPError(status: 502, message: "\(provider.name) could not be reached to check the key: \(error)",
                                       code: "provider_unreachable"))
        } catch {
            return .rejected(HTTPError(status: 502, message: "\(provider.name) could not be reached to check the key.", code: "provider_unreachable"))
        }
        let latency = Int((MonotonicClock.nanoseconds() - started) / 1_000_000)
        let status = response.status
        if (200..<300).contains(status) { return .valid(latencyMs: latency) }
        let mapped = UpstreamErrors.map(status: status, body: response.body, headers: response.headers, provider: provider.name, apiKey: apiKey)
        if status == 401 || status == 403 {
            return .rejected(HTTPError(status: 400, message: "The key was refused. " + mapped.message, code: "invalid_provider_key", param: "api_key"))
        }
        return .rejected(mapped)
    }
}
