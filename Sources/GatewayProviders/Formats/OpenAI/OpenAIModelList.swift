import FunctionRuntime
import GatewayStore

/// The plain OpenAI list (`GET /v1/models`: `id`, `created`, `owned_by`), served by OpenAI and as
/// AiHubMix's fallback. Ids only: type and capabilities come from the name, prices from the table.
package enum OpenAIModelList {
    package static func parse(
        _ body: JSONValue, provider: String, prices: DirectPriceTable?,
        classifier: ModelClassifier = ModelClassifier()
    ) throws -> [CatalogueModel] {
        try body.listArray("data", provider: provider).compactMap { (item: JSONValue) -> CatalogueModel? in
            guard let id = item["id"]?.stringValue, !id.isEmpty else { return nil }
            let (type, capabilities) = classifier.classify(id)
            var model = CatalogueModel.listed(id, type: type, capabilities: capabilities)
            model.releasedAt = item["created"]?.intValue.flatMap { (0...4_102_444_800).contains($0) ? Int64($0) * 1000 : nil }
            model.apply(prices?.price(for: id))
            return model
        }
    }
}
