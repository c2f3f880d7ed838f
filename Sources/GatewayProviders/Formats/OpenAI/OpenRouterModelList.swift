import FunctionRuntime
import GatewayStore

/// OpenRouter `GET /api/v1/models`: prices are decimal strings in USD per token, `"-1"` means
/// variable; older responses lack `input_modalities`, `supported_parameters` and cache prices.
package enum OpenRouterModelList {
    package static func parse(_ body: JSONValue, classifier: ModelClassifier = ModelClassifier()) throws -> [CatalogueModel] {
        try body.listArray("data", provider: "openrouter").compactMap { (item: JSONValue) -> CatalogueModel? in
            guard let id = item["id"]?.stringValue, !id.isEmpty else { return nil }
            let architecture = item["architecture"]
            let modality = architecture?["modality"]?.stringValue ?? ""
            let modalitySides = modality.split(separator: ">").map { String($0.filter { $0 != "-" && $0 != " " }) }
            let inputs =
                architecture?["input_modalities"]?.arrayValue?.compactMap(\.stringValue)
                ?? modalitySides.first.map { $0.split(separator: "+").map(String.init) }
            let outputs =
                architecture?["output_modalities"]?.arrayValue?.compactMap(\.stringValue)
                ?? (modalitySides.count > 1 ? modalitySides[1].split(separator: "+").map(String.init) : nil)
            let parameters = item["supported_parameters"]?.arrayValue?.compactMap(\.stringValue)
            let pricing = item["pricing"]
            var declared = ModelClassifier.Declared()
            if let outputs, !outputs.isEmpty {
                declared.type = outputs.contains("text") ? .chat : outputs.contains("image") ? .image : outputs.contains("audio") ? .audio : nil
            }
            if let inputs, !inputs.isEmpty { declared.vision = inputs.contains("image") }
            if let parameters {
                declared.tools = parameters.contains("tools")
                declared.reasoning = parameters.contains("reasoning") || parameters.contains("include_reasoning")
                declared.jsonMode = parameters.contains("response_format") || parameters.contains("structured_outputs")
            }
            if let reasoningPrice = pricing?["internal_reasoning"], case .perMillion(let value)? = Price.parse(reasoningPrice, unit: .perToken),
                value > 0
            {
                declared.reasoning = true
            }
            var (type, capabilities) = classifier.classify(id, declared: declared)
            var model = CatalogueModel.listed(id, type: type, capabilities: capabilities)
            model.displayName = item["name"]?.stringValue
            model.description = item["description"]?.stringValue
            model.contextWindow = item["context_length"]?.positiveInt ?? item["top_provider"]?["context_length"]?.positiveInt
            model.maxOutputTokens = item["top_provider"]?["max_completion_tokens"]?.positiveInt
            model.releasedAt = item["created"]?.intValue.flatMap { (0...4_102_444_800).contains($0) ? Int64($0) * 1000 : nil }
            var variable = false
            func price(_ key: String, unit: Price.Unit = .perToken) -> Double? {
                switch Price.parse(pricing?[key], unit: unit) {
                case .perMillion(let value)?: return value
                case .variable?:
                    variable = true
                    return nil
                case nil: return nil
                }
            }
            model.inputPrice = price("prompt")
            model.outputPrice = price("completion")
            model.cacheReadPrice = price("input_cache_read")
            model.cacheWritePrice = price("input_cache_write")
            // `request` is USD per request already; keep it as it is.
            if case .perMillion(let perRequest)? = Price.parse(pricing?["request"], unit: .perMillion), perRequest > 0 {
                model.requestPrice = perRequest
            }
            if variable {
                capabilities.append(.variablePricing)
                model.capabilities = capabilities
            }
            return model
        }
    }
}
