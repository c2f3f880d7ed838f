import FunctionRuntime
import GatewayStore

/// One page of a provider's model list, mapped to catalogue rows.
package struct ModelListPage: Sendable {
    package var models: [CatalogueModel]
    /// The cursor for the next page (Anthropic `last_id` when `has_more`, Gemini `nextPageToken`).
    package var next: String?

    package init(models: [CatalogueModel], next: String? = nil) {
        self.models = models
        self.next = next
    }
}

/// The body was not the list the provider documents.
package struct ModelListFormatError: Error, Sendable, CustomStringConvertible {
    package var description: String
}

extension CatalogueModel {
    /// A row for a listing: ids are given by the store, the owner and provider by the sync.
    static func listed(_ modelID: String, type: ModelType, capabilities: [Capability]) -> CatalogueModel {
        CatalogueModel(id: "", providerID: "", modelID: modelID, modelType: type, capabilities: capabilities)
    }

    mutating func apply(_ entry: DirectPriceTable.Entry?) {
        guard let entry else { return }
        inputPrice = inputPrice ?? entry.input
        outputPrice = outputPrice ?? entry.output
        cacheReadPrice = cacheReadPrice ?? entry.cacheRead
        cacheWritePrice = cacheWritePrice ?? entry.cacheWrite
        contextWindow = contextWindow ?? entry.contextWindow
        maxOutputTokens = maxOutputTokens ?? entry.maxOutputTokens
    }
}

extension JSONValue {
    /// The `data` / `models` array of a list body, or a format error naming what was missing.
    func listArray(_ key: String, provider: String) throws -> [JSONValue] {
        guard let items = self[key]?.arrayValue else {
            throw ModelListFormatError(description: "\(provider) returned a model list without a '\(key)' array")
        }
        return items
    }

    /// A positive integer, whether the provider sent a number or a numeric string.
    var positiveInt: Int? {
        // Above 1e9 is no real context window or output limit: a broken listing, ignored.
        if let value = intValue { return (1...1_000_000_000).contains(value) ? value : nil }
        if let text = stringValue, let value = Int(text) { return (1...1_000_000_000).contains(value) ? value : nil }
        return nil
    }
}
