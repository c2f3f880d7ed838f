import FunctionRuntime
import GatewayProviders
import GatewayStore

/// The fields of a custom model (`POST /models`) or a change to one (`PUT /models/{id}`).
struct ModelFields {
    var provider: String?
    var modelID: String?
    var displayName: String?
    var modelType: String?
    var capabilities: [String]?
    var contextWindow: Int?
    var maxOutputTokens: Int?
    var prices: [String: Double] = [:]
    var enabled: Bool?
    /// `"display_name": null` or `"pricing": {"input": null}` in a PUT: drop the override.
    var cleared: Set<String> = []

    static let priceKeys = ["input", "output", "cache_read", "cache_write", "per_request"]

    init(_ body: [UInt8]) throws {
        guard case .object(let json)? = try? JSONValue.parse(body) else {
            throw APIError.badRequest("The request body must be a JSON object.", code: "invalid_json")
        }
        func text(_ key: String, limit: Int = 200) throws -> String? {
            guard let value = json[key] else { return nil }
            if value.isNull {
                cleared.insert(key)
                return nil
            }
            guard let string = value.stringValue, !string.isEmpty, string.utf8.count <= limit else {
                throw APIError.badRequest("'\(key)' must be a non-empty string of at most \(limit) bytes.", param: key)
            }
            return string
        }
        func count(_ key: String) throws -> Int? {
            guard let value = json[key], !value.isNull else { return nil }
            guard let number = value.intValue, (1...1_000_000_000).contains(number) else {
                throw APIError.badRequest("'\(key)' must be an integer from 1 to 1000000000.", param: key)
            }
            return number
        }
        provider = try text("provider") ?? text("provider_id")
        modelID = try text("model_id")
        displayName = try text("display_name")
        if let type = try text("model_type") {
            guard ModelClassifier.types.contains(type) else {
                throw APIError.badRequest("'model_type' must be one of \(ModelClassifier.types.joined(separator: ", ")).", param: "model_type")
            }
            modelType = type
        }
        if let value = json["capabilities"], !value.isNull {
            guard let items = value.arrayValue, items.count <= 20, let names = Optional(items.compactMap(\.stringValue)), names.count == items.count
            else {
                throw APIError.badRequest("'capabilities' must be an array of strings.", param: "capabilities")
            }
            capabilities = names
        }
        contextWindow = try count("context_window")
        maxOutputTokens = try count("max_output_tokens")
        if let pricing = json["pricing"], !pricing.isNull {
            guard let object = pricing.objectValue else { throw APIError.badRequest("'pricing' must be an object.", param: "pricing") }
            for (key, value) in object {
                guard Self.priceKeys.contains(key) else {
                    throw APIError.badRequest(
                        "'pricing' takes \(Self.priceKeys.joined(separator: ", ")) in USD per 1M tokens.", param: "pricing.\(key)")
                }
                if value.isNull {
                    cleared.insert("pricing.\(key)")
                    continue
                }
                guard let number = value.doubleValue, number >= 0, number < 1_000_000 else {
                    throw APIError.badRequest("'pricing.\(key)' must be a non-negative number (USD per 1M tokens).", param: "pricing.\(key)")
                }
                prices[key] = number
            }
        }
        if let value = json["enabled"], !value.isNull {
            guard let flag = value.boolValue else { throw APIError.badRequest("'enabled' must be true or false.", param: "enabled") }
            enabled = flag
        }
    }

    /// Applies the row fields (custom models).
    func apply(to model: inout CatalogueModel) {
        if let displayName { model.displayName = displayName } else if cleared.contains("display_name") { model.displayName = nil }
        if let modelType { model.modelType = modelType }
        if let capabilities { model.capabilities = capabilities }
        if let contextWindow { model.contextWindow = contextWindow }
        if let maxOutputTokens { model.maxOutputTokens = maxOutputTokens }
        func price(_ key: String, _ current: Double?) -> Double? { prices[key] ?? (cleared.contains("pricing.\(key)") ? nil : current) }
        model.inputPrice = price("input", model.inputPrice)
        model.outputPrice = price("output", model.outputPrice)
        model.cacheReadPrice = price("cache_read", model.cacheReadPrice)
        model.cacheWritePrice = price("cache_write", model.cacheWritePrice)
        model.requestPrice = price("per_request", model.requestPrice)
    }
}
