import FunctionRuntime
import GatewayStore

extension APIStandard {
    /// Google's Gemini API (`generateContent`).
    package static let gemini: APIStandard = "gemini"
}

/// Google Gemini's `generateContent` / `streamGenerateContent`: translated from and to OpenAI chat
/// completions; the model list is paged.
package struct GeminiFormat: WireFormat {
    package var standard: APIStandard { .gemini }
    package var features: [String] { ["reasoning"] }

    package var directProvider: DirectProviderRule {
        DirectProviderRule(name: "google") { $0.hasPrefix("gemini-") || $0.hasPrefix("models/gemini-") }
    }

    package var listPrices: [String: DirectPriceTable.Entry] { GeminiListPrices.table }

    package var seedCatalogue: [CatalogueProvider] {
        [
            CatalogueProvider(
                id: "google", name: "google", displayName: "Google Gemini", kind: .direct, apiStandard: .gemini,
                baseURL: "https://generativelanguage.googleapis.com/v1beta", documentationURL: "https://ai.google.dev/gemini-api/docs")
        ]
    }

    package init() {}

    package func adapter(settings: ProviderSettings) -> any ProviderAdapter { GeminiAdapter(settings: settings) }

    package func embeddings(settings: ProviderSettings) -> (any EmbeddingsAdapter)? { GeminiEmbeddingsAdapter(settings: settings) }

    /// `GET /models?pageSize=1000`, paged by `pageToken`; priced from the direct table.
    package func listModels(
        _ provider: CatalogueProvider, apiKey: String, settings: JSONValue, fetcher: CatalogueFetcher
    ) async throws(CatalogueFetchError) -> CatalogueListing {
        try await fetcher.pagedListing(
            CatalogueFetcher.Context(provider: provider, apiKey: apiKey),
            url: fetcher.join(provider.baseURL, "/models") + "?pageSize=1000", cursorParameter: "pageToken",
            headers: [(name: "x-goog-api-key", value: apiKey)]
        ) { try GeminiModelList.parse($0, prices: fetcher.prices) }
    }
}
