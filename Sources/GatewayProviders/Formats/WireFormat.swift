import FunctionRuntime
import GatewayStore

/// Everything the gateway needs from one upstream wire format. Each format lives in its own folder
/// under `Formats/` and is listed once in `WireFormats.all`; nothing else names a format.
package protocol WireFormat: Sendable {
    /// The catalogue's `api_standard` for providers that speak this format.
    var standard: APIStandard { get }

    /// What the gateway does with this format beyond chat, streaming, tools, vision and model sync,
    /// as shown in the catalogue (`prompt_caching`, `reasoning`).
    var features: [String] { get }

    /// The direct provider that speaks this format natively, and the model names that belong to it.
    var directProvider: DirectProviderRule { get }

    /// List prices for the direct provider's models, which its own model list does not carry.
    var listPrices: [String: DirectPriceTable.Entry] { get }

    /// The catalogue entries the gateway starts with (inserted once; later edits are kept).
    var seedCatalogue: [CatalogueProvider] { get }

    /// Chat translation (request, response, stream) and the cheap authenticated call that validates a key.
    func adapter(settings: ProviderSettings) -> any ProviderAdapter

    /// Embeddings, for formats that have them.
    func embeddings(settings: ProviderSettings) -> (any EmbeddingsAdapter)?

    /// A provider's model list as catalogue rows. `settings` are the user's key settings.
    func listModels(
        _ provider: CatalogueProvider, apiKey: String, settings: JSONValue, fetcher: CatalogueFetcher
    ) async throws(CatalogueFetchError) -> CatalogueListing
}

extension WireFormat {
    package func embeddings(settings: ProviderSettings) -> (any EmbeddingsAdapter)? { nil }
}

/// Which model names a direct provider serves: an explicit `name/` prefix, or its own naming.
package struct DirectProviderRule: Sendable {
    /// The catalogue name of the direct provider (`openai`, `anthropic`, `google`).
    package var name: String
    /// True when a lowercased model name follows this provider's naming (`claude-*`).
    package var ownsName: @Sendable (String) -> Bool

    package init(name: String, ownsName: @escaping @Sendable (String) -> Bool) {
        self.name = name
        self.ownsName = ownsName
    }
}
