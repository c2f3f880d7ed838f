/// A user's own view of a catalogue model (`model_overrides`): hide it, rename it, or price it
/// differently (a negotiated rate). Kept apart from the synced row so a sync never undoes it.
package struct ModelOverride: Sendable, Equatable {
    package var id: String
    package var userID: String
    package var providerID: String
    package var modelID: String
    package var isEnabled: Bool
    package var displayName: String?
    /// USD per 1M tokens.
    package var inputPrice: Double?
    package var outputPrice: Double?

    package init(
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
    package func applied(to model: CatalogueModel) -> CatalogueModel {
        var model = model
        if let displayName { model.displayName = displayName }
        if let inputPrice { model.inputPrice = inputPrice }
        if let outputPrice { model.outputPrice = outputPrice }
        return model
    }
}
