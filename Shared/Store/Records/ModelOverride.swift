/// A user's own view of a catalogue model (`model_overrides`): hide it, rename it, or price it
/// differently (a negotiated rate). Kept apart from the synced row so a sync never undoes it.
public struct ModelOverride: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var providerID: String
    public var modelID: String
    public var isEnabled: Bool
    public var displayName: String?
    /// USD per 1M tokens.
    public var inputPrice: Double?
    public var outputPrice: Double?

    public init(
        id: String, userID: String, providerID: String, modelID: String, isEnabled: Bool = true,
        displayName: String? = nil, inputPrice: Double? = nil, outputPrice: Double? = nil
    ) {
        self.id = id
        self.userID = userID
        self.providerID = providerID
        self.modelID = modelID
        self.isEnabled = isEnabled
        self.displayName = displayName
        self.inputPrice = inputPrice
        self.outputPrice = outputPrice
    }

    /// `model` as this user sees it.
    public func applied(to model: CatalogueModel) -> CatalogueModel {
        var model = model
        if let displayName { model.displayName = displayName }
        if let inputPrice { model.inputPrice = inputPrice }
        if let outputPrice { model.outputPrice = outputPrice }
        return model
    }
}
