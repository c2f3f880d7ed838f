/// One provider's model list as a sync fetched it.
package struct CatalogueListing: Sendable {
    package var models: [CatalogueModel]
    /// The list carries ids only (a plain `/v1/models` fallback): fields it lacks keep their stored values
    /// instead of being cleared.
    package var isPartial: Bool

    package init(models: [CatalogueModel], isPartial: Bool = false) {
        self.models = models
        self.isPartial = isPartial
    }
}

/// What one sync changed for one provider and owner.
package struct CatalogueSyncCounts: Sendable, Equatable {
    /// Models not stored before.
    package var added = 0
    /// Stored models whose details changed, or that came back after being unavailable.
    package var updated = 0
    /// Models that left the provider's list and are now marked unavailable.
    package var removed = 0
    /// Available models after the sync.
    package var total = 0

    package init(added: Int = 0, updated: Int = 0, removed: Int = 0, total: Int = 0) {
        self.added = added
        self.updated = updated
        self.removed = removed
        self.total = total
    }
}
