/// A model a provider serves (`aggregator_models`). Prices are USD per 1M tokens
/// (`requestPrice` per request). `ownerUserID` is empty for the shared catalogue.
public struct CatalogueModel: Sendable, Equatable {
    /// `sync` rows are owned by the catalogue sync (marked unavailable when they leave the provider's list);
    /// `custom` rows are a user's own entries, which a sync never touches.
    public enum Source: String, Sendable { case sync, custom }

    public var id: String
    public var providerID: String
    public var ownerUserID: String
    public var modelID: String
    public var displayName: String?
    public var modelType: String
    public var capabilities: [String]
    public var contextWindow: Int?
    public var maxOutputTokens: Int?
    public var inputPrice: Double?
    public var outputPrice: Double?
    public var cacheReadPrice: Double?
    public var cacheWritePrice: Double?
    public var requestPrice: Double?
    public var isAvailable: Bool
    public var lastSeenAt: Int64?
    public var source: Source
    /// When the provider released the model (Unix ms), if it says.
    public var releasedAt: Int64?
    public var description: String?
    /// False when the caller's override hides it; not a column of `aggregator_models`.
    public var isEnabled = true

    public init(
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
