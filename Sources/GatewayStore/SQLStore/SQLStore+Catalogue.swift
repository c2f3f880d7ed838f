extension SQLStore {
    package func catalogueProviders(_ caller: Caller) throws -> [CatalogueProvider] {
        try read(caller) { db in
            try db.query("SELECT \(CatalogueProvider.columns.list) FROM api_providers ORDER BY name").map(CatalogueProvider.init(row:))
        }
    }

    package func catalogueProvider(_ caller: Caller, id: String) throws -> CatalogueProvider? {
        try read(caller) { db in
            try db.query("SELECT \(CatalogueProvider.columns.list) FROM api_providers WHERE id = \(id)")
                .first.map(CatalogueProvider.init(row:))
        }
    }

    package func saveCatalogueProvider(_ caller: Caller, _ provider: CatalogueProvider) throws {
        try SQLStore.requireService(caller, "change the provider catalogue")
        try write(caller) { db in
            try db.query(
                """
                INSERT INTO api_providers (\(CatalogueProvider.columns.list)) VALUES (\(list: provider.sqlValues))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, display_name = excluded.display_name,
                    provider_type = excluded.provider_type, api_standard = excluded.api_standard, base_url = excluded.base_url,
                    features = excluded.features, settings = excluded.settings, documentation_url = excluded.documentation_url,
                    is_active = excluded.is_active, updated_at = \(SQLStore.now())
                """)
        }
    }

    /// Inserts the catalogue entries that are missing, by id, and returns their ids. An entry that
    /// exists is left as it is: a service-role edit (a base URL, a deactivation) outlives every restart.
    @discardableResult
    package func seedCatalogue(_ providers: [CatalogueProvider]) throws -> [String] {
        try write(Caller.gateway) { db in
            var inserted: [String] = []
            for provider in providers {
                let rows = try db.query(
                    """
                    INSERT INTO api_providers (\(CatalogueProvider.columns.list)) VALUES (\(list: provider.sqlValues))
                    ON CONFLICT (id) DO NOTHING RETURNING id
                    """)
                if !rows.isEmpty { inserted.append(provider.id) }
            }
            return inserted
        }
    }
}
