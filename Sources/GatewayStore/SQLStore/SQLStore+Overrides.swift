/// Custom model rows and per-user overrides of catalogue rows.
extension SQLStore {
    /// A model row the caller can see (shared, or its own), with the caller's override applied.
    package func model(_ caller: Caller, id: String) throws -> CatalogueModel? {
        try read(caller) { db in
            guard
                let model = try db.query(
                    """
                    SELECT \(CatalogueModel.columns.list) FROM aggregator_models WHERE id = \(id) AND (owner_user_id = '' OR owner_user_id = \(caller.userID) OR \(caller.isService))
                    """
                ).first.map(CatalogueModel.init(row:))
            else { return nil }
            return try SQLStore.applyingOverrides([model], db, caller).first
        }
    }

    /// Removes a custom row the caller owns (the service role: any custom row).
    package func deleteModel(_ caller: Caller, id: String) throws -> Bool {
        try write(caller) { db in
            !(try db.query(
                """
                DELETE FROM aggregator_models WHERE id = \(id) AND source = 'custom' AND (owner_user_id = \(caller.userID) OR \(caller.isService)) RETURNING id
                """
            ).isEmpty)
        }
    }

    package func modelOverrides(_ caller: Caller) throws -> [ModelOverride] {
        try read(caller) { db in
            try db.query("SELECT \(ModelOverride.columns.list) FROM model_overrides WHERE user_id = \(caller.userID) ORDER BY provider_id, model_id")
                .map(ModelOverride.init(row:))
        }
    }

    /// Upserts the caller's override for (provider, model).
    package func saveModelOverride(_ caller: Caller, _ override: ModelOverride) throws -> ModelOverride {
        guard override.userID == caller.userID else { throw StoreError.forbidden("another user's overrides") }
        let now = SQLStore.now()
        return try write(caller) { db in
            try db.query(
                """
                INSERT INTO model_overrides (\(ModelOverride.columns.list), created_at, updated_at)
                VALUES (\(list: override.sqlValues), \(now), \(now))
                ON CONFLICT (user_id, provider_id, model_id) DO UPDATE SET is_enabled = excluded.is_enabled,
                    display_name = excluded.display_name, input_price = excluded.input_price,
                    output_price = excluded.output_price, updated_at = excluded.updated_at
                RETURNING \(ModelOverride.columns.list)
                """
            ).first.map(ModelOverride.init(row:)) ?? override
        }
    }

    package func deleteModelOverride(_ caller: Caller, providerID: String, modelID: String) throws -> Bool {
        try write(caller) { db in
            !(try db.query(
                "DELETE FROM model_overrides WHERE user_id = \(caller.userID) AND provider_id = \(providerID) AND model_id = \(modelID) RETURNING id"
            ).isEmpty)
        }
    }

    /// The caller's overrides applied to `models`: names and prices replaced, `isEnabled` set.
    static func applyingOverrides(_ models: [CatalogueModel], _ db: any SQLDatabase, _ caller: Caller) throws -> [CatalogueModel] {
        guard !models.isEmpty, !caller.userID.isEmpty else { return models }
        let overrides = try db.query("SELECT \(ModelOverride.columns.list) FROM model_overrides WHERE user_id = \(caller.userID)")
            .map(ModelOverride.init(row:))
        guard !overrides.isEmpty else { return models }
        let byKey = Dictionary(overrides.map { ($0.providerID + "\u{0}" + $0.modelID, $0) }, uniquingKeysWith: { first, _ in first })
        return models.map { model in
            guard let override = byKey[model.providerID + "\u{0}" + model.modelID] else { return model }
            var applied = override.applied(to: model)
            applied.isEnabled = override.isEnabled
            return applied
        }
    }
}
