import FunctionRuntime
import GatewayProviders
import GatewayStore

/// The fields of a custom model (`POST /models`) or a change to one (`PUT /models/{id}`).
struct ModelFields {
    var provider: String?
    var modelID: String?
    /// A PUT's `"display_name": null` drops the name (a custom row's, or the caller's override).
    var displayName: Patch<String> = .absent
    var modelType: ModelType?
    var capabilities: [Capability]?
    var contextWindow: Int?
    var maxOutputTokens: Int?
    /// The `pricing` keys the body names (`input`, `cache_read`...); `null` drops that price.
    var prices: [String: Patch<Double>] = [:]
    var enabled: Bool?

    init(_ body: [UInt8]) throws {
        let body = try ModelBody.decode(body)
        /// The field with its value checked; `null` stays `null` (only `display_name` gives it a meaning).
        func checked(_ field: Patch<String>, _ key: String, limit: Int = 200) throws -> Patch<String> {
            guard case .value(let string) = field else { return field }
            guard !string.isEmpty, string.utf8.count <= limit else { throw APIError.badRequest(ModelBody.requirement(of: key), param: key) }
            return field
        }
        func text(_ field: Patch<String>, _ key: String) throws -> String? { try checked(field, key).value }
        func count(_ value: Int?, _ key: String) throws -> Int? {
            guard let value else { return nil }
            guard (1...1_000_000_000).contains(value) else { throw APIError.badRequest(ModelBody.requirement(of: key), param: key) }
            return value
        }
        provider = try text(body.provider, "provider") ?? text(body.providerID, "provider_id")
        modelID = try text(body.modelID, "model_id")
        displayName = try checked(body.displayName, "display_name")
        if let name = try text(body.modelType, "model_type") {
            guard let type = ModelType(rawValue: name) else {
                let types = ModelType.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.badRequest("'model_type' must be one of \(types).", param: "model_type")
            }
            modelType = type
        }
        if let names = body.capabilities {
            guard names.count <= 20 else { throw APIError.badRequest(ModelBody.requirement(of: "capabilities"), param: "capabilities") }
            capabilities = names.map(Capability.init(rawValue:))
        }
        contextWindow = try count(body.contextWindow, "context_window")
        maxOutputTokens = try count(body.maxOutputTokens, "max_output_tokens")
        if let pricing = body.pricing {
            for key in ModelBody.Pricing.CodingKeys.allCases {
                let param = "pricing.\(key.rawValue)", price = pricing[key]
                if case .value(let number) = price, !(number >= 0 && number < 1_000_000) {
                    throw APIError.badRequest(ModelBody.requirement(of: param), param: param)
                }
                if !price.isAbsent { prices[key.rawValue] = price }
            }
        }
        enabled = body.enabled
    }

    /// Applies the row fields (custom models).
    func apply(to model: inout CatalogueModel) {
        model.displayName = displayName.applied(to: model.displayName)
        if let modelType { model.modelType = modelType }
        if let capabilities { model.capabilities = capabilities }
        if let contextWindow { model.contextWindow = contextWindow }
        if let maxOutputTokens { model.maxOutputTokens = maxOutputTokens }
        func price(_ key: String, _ current: Double?) -> Double? { (prices[key] ?? .absent).applied(to: current) }
        model.inputPrice = price("input", model.inputPrice)
        model.outputPrice = price("output", model.outputPrice)
        model.cacheReadPrice = price("cache_read", model.cacheReadPrice)
        model.cacheWritePrice = price("cache_write", model.cacheWritePrice)
        model.requestPrice = price("per_request", model.requestPrice)
    }
}
