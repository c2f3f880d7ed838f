import FunctionRuntime
import GatewayStore

extension APIStandard {
    /// OpenAI chat completions: OpenAI itself and the aggregators (OpenRouter, AiHubMix).
    package static let openai: APIStandard = "openai"
}

/// OpenAI chat completions, spoken by OpenAI and by both aggregators. Requests pass through with
/// the upstream model name; each aggregator has its own model list endpoint.
package struct OpenAIFormat: WireFormat {
    package var standard: APIStandard { .openai }
    package var features: [String] { [] }

    /// `gpt-*`, `chatgpt-*`, `text-embedding-*` and the `o1`/`o3`/`o4…` reasoning models.
    package var directProvider: DirectProviderRule {
        DirectProviderRule(name: "openai") { name in
            name.hasPrefix("gpt-") || name.hasPrefix("chatgpt-") || name.hasPrefix("text-embedding-")
                || (name.first == "o" && name.dropFirst().first?.isNumber == true)
        }
    }

    package var listPrices: [String: DirectPriceTable.Entry] { OpenAIListPrices.table }

    package var seedCatalogue: [CatalogueProvider] {
        [
            CatalogueProvider(
                id: "aihubmix", name: "aihubmix", displayName: "AiHubMix", kind: .aggregator, apiStandard: .openai,
                baseURL: "https://aihubmix.com/v1", documentationURL: "https://doc.aihubmix.com"),
            CatalogueProvider(
                id: "openrouter", name: "openrouter", displayName: "OpenRouter", kind: .aggregator, apiStandard: .openai,
                baseURL: "https://openrouter.ai/api/v1", documentationURL: "https://openrouter.ai/docs"),
            CatalogueProvider(
                id: "openai", name: "openai", displayName: "OpenAI", kind: .direct, apiStandard: .openai,
                baseURL: "https://api.openai.com/v1", documentationURL: "https://platform.openai.com/docs"),
        ]
    }

    package init() {}

    package func adapter(settings: ProviderSettings) -> any ProviderAdapter { OpenAICompatibleAdapter(settings: settings) }

    package func embeddings(settings: ProviderSettings) -> (any EmbeddingsAdapter)? { OpenAIEmbeddingsAdapter(settings: settings) }

    /// OpenRouter's priced list, AiHubMix's rich catalogue (falling back to its plain list), or the plain
    /// `/models` list priced from the direct table when the provider is a direct one.
    package func listModels(
        _ provider: CatalogueProvider, apiKey: String, settings: JSONValue, fetcher: CatalogueFetcher
    ) async throws(CatalogueFetchError) -> CatalogueListing {
        let context = CatalogueFetcher.Context(provider: provider, apiKey: apiKey)
        switch provider.name {
        case "openrouter":
            let body = try await fetcher.bearerJSON(context, path: "/models")
            return CatalogueListing(models: try context.parsing { try OpenRouterModelList.parse(body) })
        case "aihubmix":
            return try await aiHubMix(context, settings: settings, fetcher: fetcher)
        default:
            let body = try await fetcher.bearerJSON(context, path: "/models")
            let table = provider.kind == .direct ? fetcher.prices : nil
            return CatalogueListing(models: try context.parsing { try OpenAIModelList.parse(body, provider: provider.name, prices: table) })
        }
    }

    /// The rich catalogue first; when it is missing, refused or malformed, the plain OpenAI list (ids only).
    func aiHubMix(_ context: CatalogueFetcher.Context, settings: JSONValue, fetcher: CatalogueFetcher) async throws(CatalogueFetchError)
        -> CatalogueListing
    {
        let provider = context.provider
        let unit = Price.Unit(rawValue: settings["price_unit"]?.stringValue ?? provider.settings["price_unit"]?.stringValue ?? "") ?? .perMillion
        let richURL = provider.settings["catalogue_url"]?.stringValue ?? Self.aiHubMixCatalogueURL(provider.baseURL)
        do {
            let body = try await context.json(fetcher.get(richURL, bearer: context.apiKey), using: fetcher)
            return CatalogueListing(models: try context.parsing { try AiHubMixModelList.parse(body, unit: unit) })
        } catch  where error.code != "invalid_provider_key" {
            let body = try await fetcher.bearerJSON(context, path: "/models")
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
}
