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
    package var modelType: String
    package var capabilities: [String]
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
        modelType: String = "chat", capabilities: [String] = [], contextWindow: Int? = nil, maxOutputTokens: Int? = nil,
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
