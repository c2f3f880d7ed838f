import FunctionRuntime
import GatewayStore

extension APIStandard {
    /// Anthropic Messages.
    package static let anthropic: APIStandard = "anthropic"
}

/// Anthropic Messages: translated from and to OpenAI chat completions; the model list is paged.
package struct AnthropicFormat: WireFormat {
    package var standard: APIStandard { .anthropic }
    package var features: [String] { ["prompt_caching", "reasoning"] }
    package var directProvider: DirectProviderRule { DirectProviderRule(name: "anthropic") { $0.hasPrefix("claude-") } }
    package var listPrices: [String: DirectPriceTable.Entry] { AnthropicListPrices.table }

    package var seedCatalogue: [CatalogueProvider] {
        [
            CatalogueProvider(
                id: "anthropic", name: "anthropic", displayName: "Anthropic", kind: .direct, apiStandard: .anthropic,
                baseURL: "https://api.anthropic.com", documentationURL: "https://docs.anthropic.com")
        ]
    }

    package init() {}

    package func adapter(settings: ProviderSettings) -> any ProviderAdapter { AnthropicAdapter(settings: settings) }

    /// `GET /v1/models?limit=1000`, paged by `after_id`; priced from the direct table.
    package func listModels(
        _ provider: CatalogueProvider, apiKey: String, settings: JSONValue, fetcher: CatalogueFetcher
    ) async throws(CatalogueFetchError) -> CatalogueListing {
        try await fetcher.pagedListing(
            CatalogueFetcher.Context(provider: provider, apiKey: apiKey),
            url: fetcher.join(AnthropicAdapter.base(provider.baseURL), "/v1/models") + "?limit=1000", cursorParameter: "after_id",
            headers: [(name: "x-api-key", value: apiKey), (name: "anthropic-version", value: AnthropicAdapter.version)]
        ) { try AnthropicModelList.parse($0, prices: fetcher.prices) }
    }
}
