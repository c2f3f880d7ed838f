import FunctionRuntime
import GatewayStore

/// Gemini `GET /v1beta/models`: `models[{name: "models/…", displayName, inputTokenLimit, outputTokenLimit,
/// supportedGenerationMethods, thinking?}]`, paged by `nextPageToken`.
package enum GeminiModelList {
    package static func parse(_ body: JSONValue, prices: DirectPriceTable, classifier: ModelClassifier = ModelClassifier()) throws -> ModelListPage {
        let models: [CatalogueModel] = try body.listArray("models", provider: "google").compactMap { (item: JSONValue) -> CatalogueModel? in
            guard let name = item["name"]?.stringValue, !name.isEmpty else { return nil }
            let id = name.hasPrefix("models/") ? String(name.dropFirst(7)) : name
            let methods = item["supportedGenerationMethods"]?.arrayValue?.compactMap(\.stringValue) ?? []
            var declared = ModelClassifier.Declared()
            if methods.contains("generateContent") {
                declared.type = .chat
            } else if methods.contains("embedContent") || methods.contains("embedText") {
                declared.type = .embedding
            } else if methods.contains("predict") || methods.contains("predictLongRunning") {
                declared.type = id.contains("veo") ? .video : .image
            }
            declared.reasoning = item["thinking"]?.boolValue
            let (type, capabilities) = classifier.classify(id, declared: declared)
            var model = CatalogueModel.listed(id, type: type, capabilities: capabilities)
            model.displayName = item["displayName"]?.stringValue
            model.description = item["description"]?.stringValue
            model.contextWindow = item["inputTokenLimit"]?.positiveInt
            model.maxOutputTokens = item["outputTokenLimit"]?.positiveInt
            model.apply(prices.price(for: id))
            return model
        }
        let token = body["nextPageToken"]?.stringValue
        return ModelListPage(models: models, next: token?.isEmpty == false ? token : nil)
    }
}
