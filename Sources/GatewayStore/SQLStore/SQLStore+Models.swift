extension SQLStore {
    package func saveModel(_ caller: Caller, _ model: CatalogueModel) throws {
        if model.ownerUserID.isEmpty {
            try SQLStore.requireService(caller, "change the shared model catalogue")
        } else if !caller.isService && model.ownerUserID != caller.userID {
            throw StoreError.forbidden("another user's models")
        }
        let now = SQLStore.now()
        try write(caller) { db in
            try db.query(
                """
                INSERT INTO aggregator_models (\(CatalogueModel.columns.list), created_at, updated_at)
                VALUES (\(list: model.sqlValues), \(now), \(now))
                ON CONFLICT (provider_id, owner_user_id, model_id) DO UPDATE SET display_name = excluded.display_name,
                    model_type = excluded.model_type, capabilities = excluded.capabilities, context_window = excluded.context_window,
                    max_output_tokens = excluded.max_output_tokens, input_price = excluded.input_price,
                    output_price = excluded.output_price, cache_read_price = excluded.cache_read_price,
                    cache_write_price = excluded.cache_write_price, request_price = excluded.request_price,
                    is_available = excluded.is_available, last_seen_at = excluded.last_seen_at, released_at = excluded.released_at,
                    description = excluded.description, source = excluded.source, updated_at = excluded.updated_at
                """)
        }
    }

    /// A provider's models the caller can see: the shared ones and the caller's own.
    package func models(_ caller: Caller, providerID: String) throws -> [CatalogueModel] {
        try read(caller) { db in
            try db.query(
                """
                SELECT \(CatalogueModel.columns.list) FROM aggregator_models
                WHERE provider_id = \(providerID) AND (owner_user_id = '' OR owner_user_id = \(caller.userID)) ORDER BY model_id, owner_user_id
                """
            ).map(CatalogueModel.init(row:))
        }
    }

    package func availableModels(_ caller: Caller, includeDisabled: Bool) throws -> [ProviderModels] {
        try read(caller) { db in
            let providers = try SQLStore.activeRoutes(db, caller)
            guard !providers.isEmpty else { return [] }
            let ids = Array(Set(providers.map(\.userProvider.providerID))).sorted()
            let models = try db.query(
                """
                SELECT \(CatalogueModel.columns.list) FROM aggregator_models
                WHERE provider_id IN (\(list: ids)) AND (owner_user_id = '' OR owner_user_id = \(caller.userID))
                ORDER BY provider_id, model_id
                """
            ).map(CatalogueModel.init(row:))
            let visible = try SQLStore.applyingOverrides(SQLStore.preferringOwnRows(models).filter(\.isAvailable), db, caller)
                .filter { includeDisabled || $0.isEnabled }
            let byProvider = Dictionary(grouping: visible, by: \.providerID)
            return providers.map { route in
                ProviderModels(
                    provider: route.provider, userProvider: route.userProvider,
                    models: byProvider[route.provider.id] ?? [])
            }
        }
    }

    package func routingVersion(_ caller: Caller) throws -> Int64 {
        try read(caller) { db in try db.query("SELECT version FROM routing_version WHERE id = 1").first?.column("version") ?? 0 }
    }

    package func providerConfiguration(_ caller: Caller, model: String) throws -> [ProviderRoute] {
        try read(caller) { db in
            let routes = try SQLStore.activeRoutes(db, caller)
            let rows = try db.query(
                """
                SELECT \(CatalogueModel.columns.list) FROM aggregator_models
                WHERE model_id = \(model) AND (owner_user_id = '' OR owner_user_id = \(caller.userID))
                """
            ).map(CatalogueModel.init(row:))
            // The caller's own row decides first (a model its key no longer lists hides the shared row), then its override.
            let usable = try SQLStore.applyingOverrides(SQLStore.preferringOwnRows(rows).filter(\.isAvailable), db, caller)
                .filter(\.isEnabled)
            let byProvider = Dictionary(grouping: usable, by: \.providerID).compactMapValues(\.first)
            return routes.compactMap { route in
                guard let row = byProvider[route.provider.id] else { return nil }
                return ProviderRoute(provider: route.provider, userProvider: route.userProvider, model: row)
            }
        }
    }

    /// The caller's active keys for active providers, in routing order.
    static func activeRoutes(_ db: any SQLDatabase, _ caller: Caller) throws -> [ProviderRoute] {
        let keys = try db.query(
            """
            SELECT \(UserProvider.columns.list) FROM user_api_providers WHERE user_id = \(caller.userID) AND is_active = TRUE ORDER BY \(routingOrder)
            """
        ).map(UserProvider.init(row:))
        let catalogue = Dictionary(
            uniqueKeysWithValues: try db.query("SELECT \(CatalogueProvider.columns.list) FROM api_providers WHERE is_active = TRUE")
                .map(CatalogueProvider.init(row:)).map { ($0.id, $0) })
        return keys.compactMap { key in
            catalogue[key.providerID].map { ProviderRoute(provider: $0, userProvider: key, model: nil) }
        }
    }

    /// A user's own row for a model overrides the shared one of the same provider and id.
    static func preferringOwnRows(_ models: [CatalogueModel]) -> [CatalogueModel] {
        var chosen: [String: CatalogueModel] = [:]
        var order: [String] = []
        for model in models {
            let key = model.providerID + "\u{0}" + model.modelID
            if let existing = chosen[key] {
                if existing.ownerUserID.isEmpty && !model.ownerUserID.isEmpty { chosen[key] = model }
            } else {
                chosen[key] = model
                order.append(key)
            }
        }
        return order.compactMap { chosen[$0] }
    }
}
