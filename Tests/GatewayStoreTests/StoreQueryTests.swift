import Foundation
import GatewayStore
import TestSupport
import XCTest

/// The queries the original design wrote as SQL functions, and the other store behaviour.
final class StoreQueryTests: XCTestCase {
    private let alice = Fixtures.alice, bob = Fixtures.bob, service = Fixtures.service

    func testMigrationsFromEmptyThenReRunIsANoOpOnSQLite() throws { try migrationsFromEmptyThenReRunIsANoOp(try StoreBackends.required(.sqlite)) }

    func testMigrationsFromEmptyThenReRunIsANoOpOnPostgreSQL() throws {
        try migrationsFromEmptyThenReRunIsANoOp(try StoreBackends.required(.postgres))
    }

    private func migrationsFromEmptyThenReRunIsANoOp(_ subject: StoreUnderTest) throws {
        // `fresh` migrated once already.
        XCTAssertEqual(try subject.store.appliedMigrations(), [1, 2, 3, 4, 5, 6, 7, 8], "\(subject.backend)")
        XCTAssertEqual(try subject.store.migrate(), [], "\(subject.backend)")
        let second = try StoreFactory.open(try DatabaseURL(parsing: subject.url))
        XCTAssertEqual(try second.migrate(), [], "another process finds it done too (\(subject.backend))")
        XCTAssertEqual(try second.catalogueProviders(alice).count, 5, "\(subject.backend)")
    }

    func testTheCatalogueKeepsAnyAPIStandardTheRegistryMayNameOnSQLite() throws {
        try theCatalogueKeepsAnyAPIStandardTheRegistryMayName(try StoreBackends.required(.sqlite))
    }

    func testTheCatalogueKeepsAnyAPIStandardTheRegistryMayNameOnPostgreSQL() throws {
        try theCatalogueKeepsAnyAPIStandardTheRegistryMayName(try StoreBackends.required(.postgres))
    }

    private func theCatalogueKeepsAnyAPIStandardTheRegistryMayName(_ subject: StoreUnderTest) throws {
        let entry = CatalogueProvider(
            id: "future", name: "future", displayName: "Future", kind: .direct, apiStandard: "future-format",
            baseURL: "https://future.example/v1")
        try subject.store.saveCatalogueProvider(service, entry)
        XCTAssertEqual(try subject.store.catalogueProvider(alice, id: "future"), entry, "\(subject.backend)")
    }

    func testAFunctionRefusesADatabaseThatIsNotMigrated() throws {
        let path = try temporaryDirectory("unmigrated") + "/gateway.db"
        XCTAssertThrowsError(try StoreFactory.openForFunctions(environment: ["GATEWAY_DATABASE_URL": "sqlite://\(path)"])) { error in
            XCTAssertEqual(error as? StoreError, .notMigrated(have: 0, need: 8))
        }
    }

    func testTheSameKeyTwiceIsADuplicateForThatUserOnlyOnSQLite() throws {
        try theSameKeyTwiceIsADuplicateForThatUserOnly(try StoreBackends.required(.sqlite))
    }

    func testTheSameKeyTwiceIsADuplicateForThatUserOnlyOnPostgreSQL() throws {
        try theSameKeyTwiceIsADuplicateForThatUserOnly(try StoreBackends.required(.postgres))
    }

    private func theSameKeyTwiceIsADuplicateForThatUserOnly(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        try store.insertUserProvider(alice, Fixtures.key(alice, hash: "k:same"))
        XCTAssertThrowsError(try store.insertUserProvider(alice, Fixtures.key(alice, provider: "aihubmix", hash: "k:same"))) { error in
            guard case .duplicate = error as? StoreError else { return XCTFail("\(error) (\(name))") }
        }
        XCTAssertTrue(try store.userHasKey(alice, hashes: ["old:x", "k:same"]), name)
        XCTAssertFalse(try store.userHasKey(bob, hashes: ["k:same"]), name)
        try store.insertUserProvider(bob, Fixtures.key(bob, hash: "k:same"))
    }

    func testAvailableModelsAreGroupedByTheCallersActiveProvidersOnSQLite() throws {
        try availableModelsAreGroupedByTheCallersActiveProviders(try StoreBackends.required(.sqlite))
    }

    func testAvailableModelsAreGroupedByTheCallersActiveProvidersOnPostgreSQL() throws {
        try availableModelsAreGroupedByTheCallersActiveProviders(try StoreBackends.required(.postgres))
    }

    private func availableModelsAreGroupedByTheCallersActiveProviders(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        try seedModels(store)
        try store.insertUserProvider(alice, Fixtures.key(alice, provider: "openrouter", priority: 2))
        try store.insertUserProvider(alice, Fixtures.key(alice, provider: "aihubmix", priority: 1))
        let disabled = Fixtures.key(alice, provider: "openai")
        try store.insertUserProvider(alice, disabled)
        _ = try store.updateUserProvider(alice, id: disabled.id, UserProviderChange(isActive: false))

        let groups = try store.availableModels(alice)
        XCTAssertEqual(groups.map(\.provider.id), ["aihubmix", "openrouter"], "priority order, inactive left out (\(name))")
        XCTAssertEqual(groups[0].models.map(\.modelID), ["gpt-4o"], name)
        XCTAssertEqual(
            groups[1].models.map(\.modelID), ["anthropic/claude-sonnet-4", "openai/gpt-4o"],
            "an unavailable model is left out (\(name))")
        XCTAssertEqual(groups[1].models.last?.inputPrice, 2.5, name)
        XCTAssertEqual(groups[1].models.first?.capabilities, ["vision", "tools"], name)
        XCTAssertEqual(try store.availableModels(bob), [], name)
    }

    func testProviderConfigurationOrdersByPriorityThenHealthAndPrefersOwnModelRowsOnSQLite() throws {
        try providerConfigurationOrdersByPriorityThenHealthAndPrefersOwnModelRows(try StoreBackends.required(.sqlite))
    }

    func testProviderConfigurationOrdersByPriorityThenHealthAndPrefersOwnModelRowsOnPostgreSQL() throws {
        try providerConfigurationOrdersByPriorityThenHealthAndPrefersOwnModelRows(try StoreBackends.required(.postgres))
    }

    private func providerConfigurationOrdersByPriorityThenHealthAndPrefersOwnModelRows(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        try seedModels(store)
        try store.saveModel(service, CatalogueModel(id: "a-gpt", providerID: "aihubmix", modelID: "openai/gpt-4o", inputPrice: 2.0))
        try store.saveModel(
            alice,
            CatalogueModel(
                id: "own", providerID: "aihubmix", ownerUserID: alice.userID,
                modelID: "openai/gpt-4o", inputPrice: 1.0))
        try store.insertUserProvider(alice, Fixtures.key(alice, provider: "openrouter", priority: 1, health: .unhealthy))
        try store.insertUserProvider(alice, Fixtures.key(alice, provider: "aihubmix", priority: 1, health: .healthy))

        let routes = try store.providerConfiguration(alice, model: "openai/gpt-4o")
        XCTAssertEqual(routes.map(\.provider.id), ["aihubmix", "openrouter"], "same priority: the healthy one first (\(name))")
        XCTAssertEqual(routes.first?.model?.inputPrice, 1.0, "alice's own row wins over the shared one (\(name))")
        XCTAssertEqual(try store.providerConfiguration(alice, model: "openai/o1-retired"), [], "unavailable (\(name))")
        XCTAssertEqual(try store.providerConfiguration(bob, model: "openai/gpt-4o"), [], name)
        XCTAssertEqual(try store.models(bob, providerID: "aihubmix").map(\.id), ["a1", "a-gpt"], "bob never sees alice's row (\(name))")
    }

    func testProviderCostsSumPerProviderWithinTheRangeOnSQLite() throws {
        try providerCostsSumPerProviderWithinTheRange(try StoreBackends.required(.sqlite))
    }

    func testProviderCostsSumPerProviderWithinTheRangeOnPostgreSQL() throws {
        try providerCostsSumPerProviderWithinTheRange(try StoreBackends.required(.postgres))
    }

    private func providerCostsSumPerProviderWithinTheRange(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        try store.recordUsage(alice, Fixtures.usage(alice, provider: "openrouter", at: 1_000, cost: 0.25, prompt: 100, completion: 10))
        try store.recordUsage(
            alice, Fixtures.usage(alice, provider: "openrouter", at: 1_500, cost: 0.5, status: .error, prompt: 1, completion: 0))
        try store.recordUsage(alice, Fixtures.usage(alice, provider: "aihubmix", at: 1_999, cost: 1.0))
        try store.recordUsage(alice, Fixtures.usage(alice, provider: "openrouter", at: 2_000, cost: 8.0))
        try store.recordUsage(bob, Fixtures.usage(bob, provider: "openrouter", at: 1_200, cost: 4.0))

        let range = TimeRange(start: 1_000, end: 2_000)
        let costs = try store.providerCosts(alice, providerID: nil, range: range)
        XCTAssertEqual(costs.map(\.providerID), ["aihubmix", "openrouter"], name)
        let openrouter = try XCTUnwrap(costs.last)
        XCTAssertEqual(openrouter.requests, 2, name)
        XCTAssertEqual(openrouter.errors, 1, name)
        XCTAssertEqual(openrouter.promptTokens, 101, name)
        XCTAssertEqual(openrouter.completionTokens, 10, name)
        XCTAssertEqual(openrouter.costUSD, 0.75, accuracy: 1e-12, name)
        XCTAssertEqual(try store.providerCosts(alice, providerID: "aihubmix", range: range).map(\.costUSD), [1.0], name)
        let everyone = try store.providerCosts(service, providerID: "openrouter", range: range, scope: .allUsers)
        XCTAssertEqual(everyone.first?.costUSD ?? 0, 4.75, accuracy: 1e-12, name)
    }

    func testUsageRowsRoundTripEveryColumnOnSQLite() throws { try usageRowsRoundTripEveryColumn(try StoreBackends.required(.sqlite)) }

    func testUsageRowsRoundTripEveryColumnOnPostgreSQL() throws { try usageRowsRoundTripEveryColumn(try StoreBackends.required(.postgres)) }

    private func usageRowsRoundTripEveryColumn(_ subject: StoreUnderTest) throws {
        let record = UsageRecord(
            id: "u1", userID: alice.userID, providerID: "anthropic", userProviderID: "p1", function: "v1-chat",
            modelRequested: "fast", modelServed: "claude-3-5-haiku-20241022", promptTokens: 1200, completionTokens: 300,
            cachedTokens: 1000, reasoningTokens: 7, costUSD: 0.000123, costSource: .catalogue, latencyMs: 812, ttftMs: 140,
            status: .clientAborted, errorCode: "client_disconnected", finishReason: "stop", upstreamRequestID: "msg_01",
            attempts: 2, providersTried: ["openrouter", "anthropic"], createdAt: 1_764_000_000_123)
        try subject.store.recordUsage(alice, record)
        XCTAssertEqual(try subject.store.usageRecord(alice, id: "u1"), record, "\(subject.backend)")
    }

    private func seedModels(_ store: SQLStore) throws {
        try store.saveModel(
            service,
            CatalogueModel(
                id: "o1", providerID: "openrouter", modelID: "openai/gpt-4o",
                capabilities: ["vision"], contextWindow: 128_000, inputPrice: 2.5, outputPrice: 10))
        try store.saveModel(
            service,
            CatalogueModel(
                id: "o2", providerID: "openrouter", modelID: "anthropic/claude-sonnet-4",
                capabilities: ["vision", "tools"], inputPrice: 3, outputPrice: 15))
        try store.saveModel(service, CatalogueModel(id: "o3", providerID: "openrouter", modelID: "openai/o1-retired", isAvailable: false))
        try store.saveModel(service, CatalogueModel(id: "a1", providerID: "aihubmix", modelID: "gpt-4o"))
        try store.saveModel(service, CatalogueModel(id: "d1", providerID: "openai", modelID: "gpt-4o"))
    }
}
