/// What a listing changes against the stored `sync` rows of one provider and owner. Shared by the
/// sync (which writes it) and discovery (which only shows it).
package struct CatalogueDiff: Sendable {
    /// New rows (no id yet).
    package var added: [CatalogueModel] = []
    /// Stored rows with their new details (ids kept); includes rows coming back from unavailable.
    package var updated: [CatalogueModel] = []
    /// Stored available rows the listing no longer names.
    package var removed: [CatalogueModel] = []
    /// Rows the listing names with nothing to change.
    package var unchanged = 0

    package init(stored: [CatalogueModel], listing: CatalogueListing) {
        let byModelID = Dictionary(stored.map { ($0.modelID, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        for var model in listing.models where seen.insert(model.modelID).inserted {
            model.source = .sync
            model.isAvailable = true
            guard let existing = byModelID[model.modelID] else {
                added.append(model)
                continue
            }
            // A user's own custom entry of the same id is theirs: the sync leaves it alone.
            if existing.source == .custom { continue }
            if listing.isPartial { model = model.fillingGaps(from: existing) }
            model.id = existing.id
            model.providerID = existing.providerID
            model.ownerUserID = existing.ownerUserID
            if model.sameDetails(as: existing) && existing.isAvailable {
                unchanged += 1
            } else {
                updated.append(model)
            }
        }
        removed = stored.filter { $0.source == .sync && $0.isAvailable && !seen.contains($0.modelID) }
    }
}

extension CatalogueModel {
    func sameDetails(as other: CatalogueModel) -> Bool {
        displayName == other.displayName && modelType == other.modelType && capabilities == other.capabilities
            && contextWindow == other.contextWindow && maxOutputTokens == other.maxOutputTokens
            && inputPrice == other.inputPrice && outputPrice == other.outputPrice && cacheReadPrice == other.cacheReadPrice
            && cacheWritePrice == other.cacheWritePrice && requestPrice == other.requestPrice
            && releasedAt == other.releasedAt && description == other.description
    }

    /// An id-only listing keeps what a richer sync stored before.
    func fillingGaps(from stored: CatalogueModel) -> CatalogueModel {
        var model = self
        model.displayName = displayName ?? stored.displayName
        model.contextWindow = contextWindow ?? stored.contextWindow
        model.maxOutputTokens = maxOutputTokens ?? stored.maxOutputTokens
        model.inputPrice = inputPrice ?? stored.inputPrice
        model.outputPrice = outputPrice ?? stored.outputPrice
        model.cacheReadPrice = cacheReadPrice ?? stored.cacheReadPrice
        model.cacheWritePrice = cacheWritePrice ?? stored.cacheWritePrice
        model.requestPrice = requestPrice ?? stored.requestPrice
        model.releasedAt = releasedAt ?? stored.releasedAt
        model.description = description ?? stored.description
        if capabilities.isEmpty { model.capabilities = stored.capabilities }
        return model
    }
}
