/// Fetches one provider's model list with a user's (or the system's) key and maps it to catalogue rows.
/// Which endpoint and format depends on the provider: OpenRouter's priced list, AiHubMix's rich
/// catalogue (falling back to its plain `/v1/models`), and the direct providers' list endpoints.
public struct CatalogueFetcher: Sendable {
    public var upstream: UpstreamClient
    public var prices: DirectPriceTable
    public var timeouts: UpstreamTimeouts
    /// A 5,000-model OpenRouter list is about 5 MB; refuse anything absurd rather than buffer it.
    static let bodyLimit = 64 << 20
    /// Paged lists (Anthropic, Gemini) stop here even if the provider keeps answering `has_more`.
    static let maxPages = 50

    public init(
        upstream: UpstreamClient = .shared, prices: DirectPriceTable = DirectPriceTable(),
        timeouts: UpstreamTimeouts = UpstreamTimeouts(connectMilliseconds: 5_000, firstByteMilliseconds: 30_000, idleMilliseconds: 30_000)
    ) {
        self.upstream = upstream
        self.prices = prices
        self.timeouts = timeouts
    }

    /// Timeouts from `GATEWAY_SYNC_TIMEOUT_MS` (first byte and idle; default 30 s).
    public static func fromEnvironment(_ environment: [String: String]) -> CatalogueFetcher {
        var fetcher = CatalogueFetcher()
        if let value = environment["GATEWAY_SYNC_TIMEOUT_MS"].flatMap(Int.init), (1...3_600_000).contains(value) {
            fetcher.timeouts.firstByteMilliseconds = value
            fetcher.timeouts.idleMilliseconds = value
            fetcher.timeouts.connectMilliseconds = min(fetcher.timeouts.connectMilliseconds, value)
        }
        return fetcher
    }

    public func listing(_ provider: CatalogueProvider, apiKey: String, settings: JSONValue) async throws(CatalogueFetchError) -> CatalogueListing {
        let context = Context(provider: provider, apiKey: apiKey)
        switch (provider.name, provider.apiStandard) {
        case ("openrouter", _):
            let body = try await context.json(get(join(provider.baseURL, "/models"), bearer: apiKey), using: self)
            return CatalogueListing(models: try context.parsing { try OpenRouterModelList.parse(body) })
        case ("aihubmix", _):
            return try await aiHubMix(context, settings: settings)
        case (_, .anthropic):
            return CatalogueListing(
                models: try await paged(context) { cursor in
                    var url = join(AnthropicAdapter.base(provider.baseURL), "/v1/models") + "?limit=1000"
                    if let cursor { url += "&after_id=" + QueryEscaping.escape(cursor) }
                    return (
                        UpstreamRequest(
                            method: "GET", url: url,
                            headers: [(name: "x-api-key", value: apiKey), (name: "anthropic-version", value: AnthropicAdapter.version)],
                            timeouts: timeouts), { try AnthropicModelList.parse($0, prices: prices) }
                    )
                })
        case (_, .gemini):
            return CatalogueListing(
                models: try await paged(context) { cursor in
                    var url = join(provider.baseURL, "/models") + "?pageSize=1000"
                    if let cursor { url += "&pageToken=" + QueryEscaping.escape(cursor) }
                    return (
                        UpstreamRequest(method: "GET", url: url, headers: [(name: "x-goog-api-key", value: apiKey)], timeouts: timeouts),
                        { try GeminiModelList.parse($0, prices: prices) }
                    )
                })
        case (_, .openai):
            let body = try await context.json(get(join(provider.baseURL, "/models"), bearer: apiKey), using: self)
            let table = provider.kind == .direct ? prices : nil
            return CatalogueListing(models: try context.parsing { try OpenAIModelList.parse(body, provider: provider.name, prices: table) })
        }
    }

    /// The rich catalogue first; when it is missing, refused or malformed, the plain OpenAI list (ids only).
    func aiHubMix(_ context: Context, settings: JSONValue) async throws(CatalogueFetchError) -> CatalogueListing {
        let provider = context.provider
        let unit = Price.Unit(rawValue: settings["price_unit"]?.stringValue ?? provider.settings["price_unit"]?.stringValue ?? "") ?? .perMillion
        let richURL = provider.settings["catalogue_url"]?.stringValue ?? Self.aiHubMixCatalogueURL(provider.baseURL)
        do {
            let body = try await context.json(get(richURL, bearer: context.apiKey), using: self)
            return CatalogueListing(models: try context.parsing { try AiHubMixModelList.parse(body, unit: unit) })
        } catch  where error.code != "invalid_provider_key" {
            let body = try await context.json(get(join(provider.baseURL, "/models"), bearer: context.apiKey), using: self)
            return CatalogueListing(
                models: try context.parsing { try OpenAIModelList.parse(body, provider: provider.name, prices: nil) },
                isPartial: true)
        }
    }

    /// `https://aihubmix.com/v1` -> `https://aihubmix.com/api/v1/models`.
    static func aiHubMixCatalogueURL(_ baseURL: String) -> String {
        var base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base + "/api/v1/models"
    }

    func paged(_ context: Context, page: (String?) -> (UpstreamRequest, (JSONValue) throws -> ModelListPage))
        async throws(CatalogueFetchError) -> [CatalogueModel]
    {
        var models: [CatalogueModel] = []
        var cursor: String?
        for _ in 0..<Self.maxPages {
            let (request, parse) = page(cursor)
            let body = try await context.json(request, using: self)
            let result = try context.parsing { try parse(body) }
            models += result.models
            guard let next = result.next, next != cursor else { break }
            cursor = next
        }
        return models
    }

    func get(_ url: String, bearer apiKey: String) -> UpstreamRequest {
        UpstreamRequest(method: "GET", url: url, headers: [(name: "Authorization", value: "Bearer \(apiKey)")], timeouts: timeouts)
    }

    func join(_ base: String, _ path: String) -> String { OpenAICompatibleAdapter.join(base, path) }

    /// One fetch's provider and key, for error messages that never contain the key.
    struct Context {
        let provider: CatalogueProvider
        let apiKey: String

        func json(_ request: UpstreamRequest, using fetcher: CatalogueFetcher) async throws(CatalogueFetchError) -> JSONValue {
            let response: UpstreamResponse
            do {
                response = try await fetcher.upstream.fetch(request, limit: CatalogueFetcher.bodyLimit)
            } catch let error as UpstreamError {
                let code = (error == .firstByteTimeout || error == .idleTimeout) ? "upstream_timeout" : "provider_unreachable"
                throw CatalogueFetchError(code: code, message: UpstreamErrors.redact("\(provider.name): \(error)", apiKey: apiKey))
            } catch {
                throw CatalogueFetchError(code: "provider_unreachable", message: "\(provider.name) could not be reached")
            }
            guard (200..<300).contains(response.status) else {
                let mapped = UpstreamErrors.map(
                    status: response.status, body: response.body, headers: response.headers,
                    provider: provider.name, apiKey: apiKey)
                let code = response.status == 401 || response.status == 403 ? "invalid_provider_key" : "upstream_error"
                throw CatalogueFetchError(code: code, message: mapped.message, status: response.status)
            }
            guard !response.truncated else {
                throw CatalogueFetchError(
                    code: "malformed_response", message: "\(provider.name) sent a model list over \(CatalogueFetcher.bodyLimit >> 20) MiB")
            }
            do {
                // A listing is stored and shown later without the key at hand: mask the key in it now.
                return try JSONValue.parse(SecretRedactor([apiKey]).redact(response.body))
            } catch {
                throw CatalogueFetchError(code: "malformed_response", message: "\(provider.name) sent a model list that is not JSON")
            }
        }

        func parsing<T>(_ body: () throws -> T) throws(CatalogueFetchError) -> T {
            do {
                return try body()
            } catch {
                throw CatalogueFetchError(code: "malformed_response", message: UpstreamErrors.redact("\(error)", apiKey: apiKey))
            }
        }
    }
}

/// Why a provider's list could not be fetched; `message` never contains the key.
public struct CatalogueFetchError: Error, Sendable, Equatable {
    /// `invalid_provider_key`, `provider_unreachable`, `upstream_timeout`, `upstream_error`, `malformed_response`.
    public var code: String
    public var message: String
    public var status: Int?

    public init(code: String, message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }
}
