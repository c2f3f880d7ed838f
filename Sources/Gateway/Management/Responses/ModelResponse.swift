import FunctionRuntime
import GatewayStore

/// A catalogue model, as the `providers` and `models` functions answer with it.
package struct ModelResponse: JSONResponse {
    var id: String
    var providerID: String
    var modelID: String
    /// The model id when the catalogue has no name for it.
    var displayName: String
    @NullWhenAbsent var description: String?
    var modelType: String
    var capabilities: [String]
    @NullWhenAbsent var contextWindow: Int?
    @NullWhenAbsent var maxOutputTokens: Int?
    var pricing: Pricing
    var isAvailable: Bool
    var enabled: Bool
    var source: String
    /// `shared` (the catalogue) or `user` (the caller's own row).
    var scope: String
    @NullWhenAbsent var releasedAt: Int64?
    @NullWhenAbsent var lastSeenAt: Int64?
    /// The provider's name, in answers that list several providers' models.
    var provider: String?

    /// USD per 1M tokens (`per_request`: per request).
    struct Pricing: Encodable {
        var unit = "usd_per_1m_tokens"
        @NullWhenAbsent var input: Double?
        @NullWhenAbsent var output: Double?
        @NullWhenAbsent var cacheRead: Double?
        @NullWhenAbsent var cacheWrite: Double?
        @NullWhenAbsent var perRequest: Double?
        /// The price depends on the request.
        var variable: Bool

        enum CodingKeys: String, CodingKey {
            case unit, input, output, variable
            case cacheRead = "cache_read"
            case cacheWrite = "cache_write"
            case perRequest = "per_request"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, description, capabilities, pricing, enabled, source, scope, provider
        case providerID = "provider_id"
        case modelID = "model_id"
        case displayName = "display_name"
        case modelType = "model_type"
        case contextWindow = "context_window"
        case maxOutputTokens = "max_output_tokens"
        case isAvailable = "is_available"
        case releasedAt = "released_at"
        case lastSeenAt = "last_seen_at"
    }

    package init(_ model: CatalogueModel, providerName: String? = nil) {
        id = model.id
        providerID = model.providerID
        modelID = model.modelID
        displayName = model.displayName ?? model.modelID
        description = model.description
        modelType = model.modelType.rawValue
        capabilities = model.capabilities.map(\.rawValue)
        contextWindow = model.contextWindow
        maxOutputTokens = model.maxOutputTokens
        pricing = Pricing(
            input: model.inputPrice, output: model.outputPrice, cacheRead: model.cacheReadPrice, cacheWrite: model.cacheWritePrice,
            perRequest: model.requestPrice, variable: model.capabilities.contains(.variablePricing))
        isAvailable = model.isAvailable
        enabled = model.isEnabled
        source = model.source.rawValue
        scope = model.ownerUserID.isEmpty ? "shared" : "user"
        releasedAt = model.releasedAt
        lastSeenAt = model.lastSeenAt
        provider = providerName
    }
}
