import FunctionRuntime
import GatewayStore

/// AiHubMix's rich catalogue (`GET /api/v1/models`): `model_id`, `types`, comma-separated
/// `features` and `input_modalities`, `context_length`, `max_output`, `pricing{input, output, cache_read, cache_write}`
/// as numbers in the provider's configured unit.
package enum AiHubMixModelList {
    package static func parse(_ body: JSONValue, unit: Price.Unit, classifier: ModelClassifier = ModelClassifier()) throws -> [CatalogueModel] {
        if body["success"]?.boolValue == false {
            throw ModelListFormatError(description: "aihubmix refused the catalogue request: \(body["message"]?.stringValue ?? "no reason given")")
        }
        return try body.listArray("data", provider: "aihubmix").compactMap { (item: JSONValue) -> CatalogueModel? in
            guard let id = (item["model_id"] ?? item["id"])?.stringValue, !id.isEmpty else { return nil }
            let features = list(item["features"])
            let inputs = list(item["input_modalities"])
            var declared = ModelClassifier.Declared()
            switch item["types"]?.stringValue?.lowercased() {
            case "llm"?: declared.type = .chat
            case "image_generation"?, "image"?: declared.type = .image
            case "video"?, "video_generation"?: declared.type = .video
            case "embedding"?, "embeddings"?: declared.type = .embedding
            case "audio"?, "tts"?, "stt"?: declared.type = .audio
            default: break
            }
            if !inputs.isEmpty { declared.vision = inputs.contains("image") }
            if !features.isEmpty {
                declared.tools = features.contains("tools") || features.contains("function_calling")
                declared.reasoning = features.contains("thinking") || features.contains("reasoning")
                declared.jsonMode = features.contains("structured_outputs") || features.contains("json_mode")
            }
            let (type, capabilities) = classifier.classify(id, declared: declared)
            var model = CatalogueModel.listed(id, type: type, capabilities: capabilities)
            let description = item["desc"]?.stringValue ?? ""
            model.description = description.isEmpty ? nil : description
            model.contextWindow = item["context_length"]?.positiveInt
            model.maxOutputTokens = item["max_output"]?.positiveInt
            let pricing = item["pricing"]
            func price(_ key: String) -> Double? {
                if case .perMillion(let value)? = Price.parse(pricing?[key], unit: unit) { return value }
                return nil
            }
            model.inputPrice = price("input")
            model.outputPrice = price("output")
            model.cacheReadPrice = price("cache_read")
            model.cacheWritePrice = price("cache_write")
            return model
        }
    }

    /// `"thinking, tools"` -> `["thinking", "tools"]`; tolerates an array too.
    static func list(_ value: JSONValue?) -> [String] {
        if let items = value?.arrayValue { return items.compactMap { $0.stringValue?.lowercased() } }
        return (value?.stringValue ?? "").split(separator: ",").map { $0.trimmingCharacters(in: " ").lowercased() }.filter { !$0.isEmpty }
    }
}
