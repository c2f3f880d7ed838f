/// The catalogue sync's write: one transaction per provider and owner, so a reader sees the old
/// list or the new one, never half of each. Two syncs of the same list serialise (SQLite's write
/// lock; an advisory lock on PostgreSQL), so the second one sees the first one's rows and counts nothing twice.
extension SQLStore {
    public func syncModels(_ caller: Caller, providerID: String, ownerUserID: String, listing: CatalogueListing,
                           userProviderID: String?) throws -> CatalogueSyncCounts {
        if ownerUserID.isEmpty {
            try SQLStore.requireService(caller, "sync the shared model catalogue")
        } else if !caller.isService && ownerUserID != caller.userID {
            throw StoreError.forbidden("another user's models")
        }
        let now = SQLStore.now()
        return try write(caller) { db in
            if db.backend == .postgres {
                try db.query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(?))) AS lock",
                             [.text("catalogue-sync|\(providerID)|\(ownerUserID)")])
            }
            let stored = try db.query("""
                SELECT \(Columns.model) FROM aggregator_models WHERE provider_id = ? AND owner_user_id = ?
                """, [.text(providerID), .text(ownerUserID)]).map(CatalogueModel.init(row:))
            let byModelID = Dictionary(stored.map { ($0.modelID, $0) }, uniquingKeysWith: { first, _ in first })
            var counts = CatalogueSyncCounts()
            var seen = Set<String>()
            for var model in listing.models where seen.insert(model.modelID).inserted {
                model.providerID = providerID
                model.ownerUserID = ownerUserID
                model.source = .sync
                model.isAvailable = true
                model.lastSeenAt = now
                guard let existing = byModelID[model.modelID] else {
                    model.id = SQLStore.newID()
                    try db.query("""
                        INSERT INTO aggregator_models (\(Columns.model), created_at, updated_at)
                        VALUES (\(Columns.placeholders(Columns.model)), ?, ?)
                        """, model.values + [.integer(now), .integer(now)])
                    counts.added += 1
                    continue
                }
                // A user's own custom entry of the same id is theirs: the sync leaves it alone.
                if existing.source == .custom { continue }
                if listing.isPartial { model = model.fillingGaps(from: existing) }
                model.id = existing.id
                if model.sameDetails(as: existing) && existing.isAvailable { continue }
                try db.query("""
                    UPDATE aggregator_models SET display_name = ?, model_type = ?, capabilities = ?, context_window = ?,
                        max_output_tokens = ?, input_price = ?, output_price = ?, cache_read_price = ?, cache_write_price = ?,
                        request_price = ?, released_at = ?, description = ?, is_available = TRUE, last_seen_at = ?, updated_at = ?
                    WHERE id = ?
                    """, model.detailValues + [.integer(now), .integer(now), .text(existing.id)])
                counts.updated += 1
            }
            let gone = stored.filter { $0.source == .sync && $0.isAvailable && !seen.contains($0.modelID) }
            for model in gone {
                try db.query("UPDATE aggregator_models SET is_available = FALSE, updated_at = ? WHERE id = ?",
                             [.integer(now), .text(model.id)])
            }
            counts.removed = gone.count
            // Unchanged rows were still seen now: one statement instead of one per row.
            try db.query("""
                UPDATE aggregator_models SET last_seen_at = ?
                WHERE provider_id = ? AND owner_user_id = ? AND source = 'sync' AND is_available = TRUE
                """, [.integer(now), .text(providerID), .text(ownerUserID)])
            counts.total = try db.query("""
                SELECT COUNT(*) AS n FROM aggregator_models
                WHERE provider_id = ? AND owner_user_id = ? AND source = 'sync' AND is_available = TRUE
                """, [.text(providerID), .text(ownerUserID)]).first?.int("n") ?? 0
            if let userProviderID {
                try db.query("UPDATE user_api_providers SET last_synced_at = ?, updated_at = ? WHERE id = ?",
                             [.integer(now), .integer(now), .text(userProviderID)])
            }
            return counts
        }
    }
}

extension CatalogueModel {
    /// The columns a sync refreshes, in the order of its UPDATE.
    var detailValues: [SQLValue] {
        [SQLValue(displayName), .text(modelType), JSONValue.array(capabilities.map { .string($0) }).sqlText,
         SQLValue(contextWindow), SQLValue(maxOutputTokens), SQLValue(inputPrice), SQLValue(outputPrice),
         SQLValue(cacheReadPrice), SQLValue(cacheWritePrice), SQLValue(requestPrice), SQLValue(releasedAt), SQLValue(description)]
    }

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
