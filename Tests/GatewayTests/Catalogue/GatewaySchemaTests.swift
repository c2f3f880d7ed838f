import Gateway
import GatewayProviders
import GatewayStore
import TestSupport
import Testing

/// The catalogue every gateway starts with comes from the wire-format registry, once.
@Suite struct GatewaySchemaTests {
    static let backends: [StoreBackend] = [.sqlite, .postgres]

    /// A migrated, unseeded database of `backend`.
    static func unseeded(_ backend: StoreBackend) throws -> SQLStore {
        let url: String
        switch backend {
        case .sqlite: url = "sqlite://\(try temporaryDirectory("schema"))/gateway.db"
        case .postgres: url = try PostgresTestServer.required().createDatabase()
        }
        let store = try StoreFactory.open(try DatabaseURL(parsing: url))
        _ = try store.migrate()
        return store
    }

    @Test(arguments: backends)
    func preparingADatabaseSeedsEveryFormatsCatalogueEntries(_ backend: StoreBackend) throws {
        let store = try Self.unseeded(backend)
        let outcome = try GatewaySchema.prepare(store)
        #expect(outcome.migrations.isEmpty)
        #expect(Set(outcome.seeded) == Set(WireFormats.seedCatalogue.map(\.id)))
        let stored = try store.catalogueProviders(Fixtures.alice)
        #expect(stored.map(\.name) == ["aihubmix", "anthropic", "google", "openai", "openrouter"])
        #expect(stored.first { $0.name == "openrouter" }?.baseURL == "https://openrouter.ai/api/v1")
        #expect(stored.first { $0.name == "anthropic" }?.apiStandard == .anthropic)
        #expect(stored.first { $0.name == "google" }?.kind == .direct)
    }

    @Test(arguments: backends)
    func preparingAgainKeepsTheOperatorsEdits(_ backend: StoreBackend) throws {
        let store = try Self.unseeded(backend)
        try GatewaySchema.prepare(store)
        var openrouter = try #require(try store.catalogueProvider(Fixtures.service, id: "openrouter"))
        openrouter.baseURL = "https://openrouter.internal.example/api/v1"
        openrouter.isActive = false
        try store.saveCatalogueProvider(Fixtures.service, openrouter)

        let again = try GatewaySchema.prepare(store)
        #expect(again.migrations.isEmpty && again.seeded.isEmpty)
        #expect(try store.catalogueProvider(Fixtures.service, id: "openrouter") == openrouter)
        #expect(try store.catalogueProviders(Fixtures.alice).count == WireFormats.seedCatalogue.count)
    }
}
