import FunctionRuntime
import GatewayStore

/// Anthropic `GET /v1/models`: `data[{id, display_name, created_at}]`, paged by `has_more` / `last_id`.
package enum AnthropicModelList {
    package static func parse(_ body: JSONValue, prices: DirectPriceTable, classifier: ModelClassifier = ModelClassifier()) throws -> ModelListPage {
        let models: [CatalogueModel] = try body.listArray("data", provider: "anthropic").compactMap { (item: JSONValue) -> CatalogueModel? in
            guard let id = item["id"]?.stringValue, !id.isEmpty else { return nil }
            // Claude chat models take images and tools from Claude 3 on; JSON mode is not an Anthropic feature.
            let (type, capabilities) = classifier.classify(id, declared: ModelClassifier.Declared(type: .chat, jsonMode: false))
            var model = CatalogueModel.listed(id, type: type, capabilities: capabilities)
            model.displayName = item["display_name"]?.stringValue
            model.releasedAt = item["created_at"]?.stringValue.flatMap(ISO8601Milliseconds.parse)
            model.apply(prices.price(for: id))
            return model
        }
        let next = body["has_more"]?.boolValue == true ? body["last_id"]?.stringValue : nil
        return ModelListPage(models: models, next: next)
    }
}
