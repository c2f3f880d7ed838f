extension SQLStore {
    public func catalogueProviders(_ caller: Caller) throws -> [CatalogueProvider] {
        try read(caller) { db in
            try db.query("SELECT \(Columns.catalogueProvider) FROM api_providers ORDER BY name", []).map(CatalogueProvider.init(row:))
        }
    }

    public func catalogueProvider(_ caller: Caller, id: String) throws -> CatalogueProvider? {
        try read(caller) { db in
            try db.query("SELECT \(Columns.catalogueProvider) FROM api_providers WHERE id = ?", [.text(id)])
                .first.map(CatalogueProvider.init(row:))
        }
    }

    public func saveCatalogueProvider(_ caller: Caller, _ provider: CatalogueProvider) throws {
        try SQLStore.requireService(caller, "change the provider catalogue")
        try write(caller) { db in
            try db.query(
                """
                INSERT INTO api_providers (\(Columns.catalogueProvider)) VALUES (\(Columns.placeholders(Columns.catalogueProvider)))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, display_name = excluded.display_name,
                    provider_type = excluded.provider_type, api_standard = excluded.api_standard, base_url = excluded.base_url,
                    features = excluded.features, settings = excluded.settings, documentation_url = excluded.documentation_url,
                    is_active = excluded.is_active, updated_at = ?
                """, provider.values + [.integer(SQLStore.now())])
        }
    }
}
