import FunctionRuntime
import GatewayStore

/// Fetches one provider's model list with a user's (or the system's) key and maps it to catalogue rows.
/// Which endpoint and parser is the provider's wire format's business (`WireFormat.listModels`);
/// this holds what they share: limits, timeouts, paging and errors that never contain the key.
package struct CatalogueFetcher: Sendable {
    package var upstream: any UpstreamTransport
    package var prices: DirectPriceTable
    package var timeouts: UpstreamTimeouts
    /// A 5,000-model OpenRouter list is about 5 MB; refuse anything absurd rather than buffer it.
    static let bodyLimit = 64 << 20
    /// Paged lists (Anthropic, Gemini) stop here even if the provider keeps answering `has_more`.
    static let maxPages = 50

    package init(
        upstream: any UpstreamTransport = UpstreamClient.shared, prices: DirectPriceTable = DirectPriceTable(),
        timeouts: UpstreamTimeouts = UpstreamTimeouts(connectMilliseconds: 5_000, firstByteMilliseconds: 30_000, idleMilliseconds: 30_000)
    ) {
        self.upstream = upstream
        self.prices = prices
        self.timeouts = timeouts
    }

    /// Timeouts from `GATEWAY_SYNC_TIMEOUT_MS` (first byte and idle; default 30 s).
    package static func fromEnvironment(_ environment: [String: String]) -> CatalogueFetcher {
        var fetcher = CatalogueFetcher()
        if let value = environment["GATEWAY_SYNC_TIMEOUT_MS"].flatMap(Int.init), (1...3_600_000).contains(value) {
            fetcher.timeouts.firstByteMilliseconds = value
            fetcher.timeouts.idleMilliseconds = value
            fetcher.timeouts.connectMilliseconds = min(fetcher.timeouts.connectMilliseconds, value)
        }
        return fetcher
    }

    /// The provider's model list, fetched and parsed by the provider's wire format.
    package func listing(_ provider: CatalogueProvider, apiKey: String, settings: JSONValue) async throws(CatalogueFetchError) -> CatalogueListing {
        guard let format = WireFormats.format(provider.apiStandard) else {
            throw CatalogueFetchError(
                code: "unsupported_api_standard",
                message: "\(provider.name) speaks '\(provider.apiStandard.rawValue)', which this gateway does not know")
        }
        return try await format.listModels(provider, apiKey: apiKey, settings: settings, fetcher: self)
    }

    /// A `GET` of `path` under the provider's base URL with the key as a bearer token, parsed as JSON.
    func bearerJSON(_ context: Context, path: String) async throws(CatalogueFetchError) -> JSONValue {
        try await context.json(get(join(context.provider.baseURL, path), bearer: context.apiKey), using: self)
    }

    /// A list the provider pages: `url` is the first page, each next one adds `&<cursorParameter>=<cursor>`
    /// with the cursor the previous page gave, until a page gives none (or the same one again).
    func pagedListing(
        _ context: Context, url: String, cursorParameter: String, headers: [(name: String, value: String)],
        parse: (JSONValue) throws -> ModelListPage
    ) async throws(CatalogueFetchError) -> CatalogueListing {
        var models: [CatalogueModel] = []
        var cursor: String?
        for _ in 0..<Self.maxPages {
            let page = cursor.map { url + "&\(cursorParameter)=" + QueryEscaping.escape($0) } ?? url
            let request = UpstreamRequest(method: "GET", url: page, headers: headers, timeouts: timeouts)
            let body = try await context.json(request, using: self)
            let result = try context.parsing { try parse(body) }
            models += result.models
            guard let next = result.next, next != cursor else { break }
            cursor = next
        }
        return CatalogueListing(models: models)
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
package struct CatalogueFetchError: Error, Sendable, Equatable {
    /// `invalid_provider_key`, `provider_unreachable`, `upstream_timeout`, `upstream_error`, `malformed_response`.
    package var code: String
    package var message: String
    package var status: Int?

    package init(code: String, message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }
}
