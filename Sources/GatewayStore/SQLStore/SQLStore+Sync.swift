import FunctionRuntime

/// The catalogue sync's write: one transaction per provider and owner, so a reader sees the old
/// list or the new one, never half of each. Two syncs of the same list serialise (SQLite's write
/// lock; an advisory lock on PostgreSQL), so the second one sees the first one's rows and counts nothing twice.
extension SQLStore {
    package func syncModels(
        _ caller: Caller, providerID: String, ownerUserID: String, listing: CatalogueListing,
        userProviderID: String?
    ) throws -> CatalogueSyncCounts {
        if ownerUserID.isEmpty {
            try SQLStore.requireService(caller, "sync the shared model catalogue")
        } else if !caller.isService && ownerUserID != caller.userID {
            throw StoreError.forbidden("another user's models")
        }
        let now = SQLStore.now()
        return try write(caller) { db in
            if db.backend == .postgres {
                try db.query(
                    "SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(\("catalogue-sync|\(providerID)|\(ownerUserID)")))) AS lock")
            }
            let stored = try SQLStore.ownedModels(db, providerID: providerID, ownerUserID: ownerUserID)
            let diff = CatalogueDiff(stored: stored, listing: listing)
            for var model in diff.added {
                model.id = SQLStore.newID()
                model.providerID = providerID
                model.ownerUserID = ownerUserID
                model.lastSeenAt = now
                try db.query(
                    """
                    INSERT INTO aggregator_models (\(CatalogueModel.columns.list), created_at, updated_at)
                    VALUES (\(list: model.sqlValues), \(now), \(now))
                    """)
            }
            for model in diff.updated {
                try db.query(
                    """
                    UPDATE aggregator_models SET display_name = \(model.displayName), model_type = \(model.modelType),
                        capabilities = \(model.capabilities), context_window = \(model.contextWindow),
                        max_output_tokens = \(model.maxOutputTokens), input_price = \(model.inputPrice), output_price = \(model.outputPrice),
                        cache_read_price = \(model.cacheReadPrice), cache_write_price = \(model.cacheWritePrice),
                        request_price = \(model.requestPrice), released_at = \(model.releasedAt), description = \(model.description),
                        is_available = TRUE, last_seen_at = \(now), updated_at = \(now)
                    WHERE id = \(model.id)
                    """)
            }
            for model in diff.removed {
                try db.query("UPDATE aggregator_models SET is_available = FALSE, updated_at = \(now) WHERE id = \(model.id)")
            }
            // Unchanged rows were still seen now: one statement instead of one per row.
            try db.query(
                """
                UPDATE aggregator_models SET last_seen_at = \(now)
                WHERE provider_id = \(providerID) AND owner_user_id = \(ownerUserID) AND source = 'sync' AND is_available = TRUE
                """)
            let total =
                try db.query(
                    """
                    SELECT COUNT(*) AS n FROM aggregator_models
                    WHERE provider_id = \(providerID) AND owner_user_id = \(ownerUserID) AND source = 'sync' AND is_available = TRUE
                    """
                ).first?.column("n") ?? 0
            if let userProviderID {
                try db.query("UPDATE user_api_providers SET last_synced_at = \(now), updated_at = \(now) WHERE id = \(userProviderID)")
            }
            return CatalogueSyncCounts(added: diff.added.count, updated: diff.updated.count, removed: diff.removed.count, total: total)
        }
    }

    /// The rows of one provider and owner, as a sync or a discovery compares them.
    package func ownedModels(_ caller: Caller, providerID: String, ownerUserID: String) throws -> [CatalogueModel] {
        if !caller.isService && !ownerUserID.isEmpty && ownerUserID != caller.userID { throw StoreError.forbidden("another user's models") }
        return try read(caller) { db in try SQLStore.ownedModels(db, providerID: providerID, ownerUserID: ownerUserID) }
    }

    static func ownedModels(_ db: any SQLDatabase, providerID: String, ownerUserID: String) throws -> [CatalogueModel] {
        try db.query(
            "SELECT \(CatalogueModel.columns.list) FROM aggregator_models WHERE provider_id = \(providerID) AND owner_user_id = \(ownerUserID)"
        ).map(CatalogueModel.init(row:))
    }
}
