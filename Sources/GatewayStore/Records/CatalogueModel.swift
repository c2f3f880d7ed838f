/// A model a provider serves (`aggregator_models`). Prices are USD per 1M tokens
/// (`requestPrice` per request). `ownerUserID` is empty for the shared catalogue.
package struct CatalogueModel: Sendable, Equatable {
    /// `sync` rows are owned by the catalogue sync (marked unavailable when they leave the provider's list);
    /// `custom` rows are a user's own entries, which a sync never touches.
    package enum Source: String, Sendable { case sync, custom }

    package var id: String
    package var providerID: String
    package var ownerUserID: String
    package var modelID: String
    package var displayName: String?
    package var modelType: ModelType
    package var capabilities: [Capability]
    package var contextWindow: Int?
    package var maxOutputTokens: Int?
    package var inputPrice: Double?
    package var outputPrice: Double?
    package var cacheReadPrice: Double?
    package var cacheWritePrice: Double?
    package var requestPrice: Double?
    package var isAvailable: Bool
    package var lastSeenAt: Int64?
    package var source: Source
    /// When the provider released the model (Unix ms), if it says.
    package var releasedAt: Int64?
    package var description: String?
    /// False when the caller's override hides it; not a column of `aggregator_models`.
    package var isEnabled = true

    package init(
        id: String, providerID: String, ownerUserID: String = "", modelID: String, displayName: String? = nil,
        modelType: ModelType = .chat, capabilities: [Capability] = [], contextWindow: Int? = nil, maxOutputTokens: Int? = nil,
        inputPrice: Double? = nil, outputPrice: Double? = nil, cacheReadPrice: Double? = nil, cacheWritePrice: Double? = nil,
        requestPrice: Double? = nil, isAvailable: Bool = true, lastSeenAt: Int64? = nil,
        source: Source = .sync, releasedAt: Int64? = nil, description: String? = nil
    ) {
        self.id = id
        self.providerID = providerID
        self.ownerUserID = ownerUserID
        self.modelID = modelID
        self.displayName = displayName
        self.modelType = modelType
        self.capabilities = capabilities
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.inputPrice = inputPrice
        self.outputPrice = outputPrice
        self.cacheReadPrice = cacheReadPrice
        self.cacheWritePrice = cacheWritePrice
        self.requestPrice = requestPrice
        self.isAvailable = isAvailable
        self.lastSeenAt = lastSeenAt
        self.source = source
        self.releasedAt = releasedAt
        self.description = description
    }
}

/// What a model does, as the catalogue and the `models` function name it.
package enum ModelType: String, Sendable, CaseIterable {
    case chat, embedding, image, audio, moderation, video, rerank
}

/// One thing a model can do. The gateway's classifier and the providers' lists use the ones
/// below; a user's custom model may declare others (the set is open, as the API has always taken
/// any string up to the limits), which are stored and shown as given.
package struct Capability: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral {
    package var rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { rawValue = value }

    package static let vision: Capability = "vision"
    package static let tools: Capability = "tools"
    package static let streaming: Capability = "streaming"
    package static let reasoning: Capability = "reasoning"
    package static let jsonMode: Capability = "json_mode"
    /// The price depends on the request (OpenRouter's `"-1"`, `openrouter/auto`).
    package static let variablePricing: Capability = "variable_pricing"
}
