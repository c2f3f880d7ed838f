import FunctionRuntime
import GatewayStore

/// The registry of wire formats. Adding a format is a folder under `Formats/` and a line here.
package enum WireFormats {
    package static let all: [any WireFormat] = [OpenAIFormat(), AnthropicFormat(), GeminiFormat()]

    private static let byStandard = Dictionary(uniqueKeysWithValues: all.map { ($0.standard, $0) })

    /// The format a catalogue entry speaks; nil for an `api_standard` this build does not know
    /// (a row written by a newer gateway).
    package static func format(_ standard: APIStandard) -> (any WireFormat)? { byStandard[standard] }

    /// The `api_standard` values a catalogue entry may take, for validation and error messages.
    package static var standards: [APIStandard] { all.map(\.standard) }

    /// The direct provider a model name belongs to: an explicit `openai/`, `anthropic/`, `google/`
    /// prefix first, then each provider's own naming (`gpt-*`, `claude-*`, `gemini-*`).
    package static func directProvider(for model: String) -> String? {
        for format in all where model.hasPrefix(format.directProvider.name + "/") { return format.directProvider.name }
        let lower = model.lowercased()
        return all.first { $0.directProvider.ownsName(lower) }?.directProvider.name
    }

    /// Every format's direct list prices, in one table (merged once: price tables are built per request).
    package static let listPrices: [String: DirectPriceTable.Entry] =
        all.reduce(into: [:]) { table, format in table.merge(format.listPrices) { first, _ in first } }

    /// The catalogue the gateway starts with.
    package static var seedCatalogue: [CatalogueProvider] { all.flatMap(\.seedCatalogue) }
}
