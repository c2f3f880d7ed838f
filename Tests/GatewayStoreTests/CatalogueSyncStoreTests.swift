import Foundation
import GatewayStore
import Synchronization
import TestSupport
import XCTest

/// `syncModels`: upsert, unavailable-not-deleted, idempotence, owner scoping, concurrent syncs,
/// and the per-user overrides that routing honours.
final class CatalogueSyncStoreTests: XCTestCase {
    private let alice = Fixtures.alice, bob = Fixtures.bob, service = Fixtures.service

    private func listing(_ ids: [String], price: Double = 1) -> CatalogueListing {
        CatalogueListing(
            models: ids.map {
                CatalogueModel(id: "", providerID: "", modelID: $0, capabilities: ["streaming"], inputPrice: price, outputPrice: price * 2)
            })
    }

    func testASyncUpsertsMarksMissingModelsUnavailableAndIsIdempotentOnSQLite() throws {
        try aSyncUpsertsMarksMissingModelsUnavailableAndIsIdempotent(try StoreBackends.required(.sqlite))
    }

    func testASyncUpsertsMarksMissingModelsUnavailableAndIsIdempotentOnPostgreSQL() throws {
        try aSyncUpsertsMarksMissingModelsUnavailableAndIsIdempotent(try StoreBackends.required(.postgres))
    }

    private func aSyncUpsertsMarksMissingModelsUnavailableAndIsIdempotent(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        let key = Fixtures.key(alice, provider: "openrouter")
        try store.insertUserProvider(alice, key)
        let first = try store.syncModels(
            alice, providerID: "openrouter", ownerUserID: alice.userID,
            listing: listing(["a", "b", "c"]), userProviderID: key.id)
        XCTAssertEqual(first, CatalogueSyncCounts(added: 3, updated: 0, removed: 0, total: 3), name)
        XCTAssertNotNil(try store.userProvider(alice, id: key.id)?.lastSyncedAt, name)

        let again = try store.syncModels(
            alice, providerID: "openrouter", ownerUserID: alice.userID, listing: listing(["a", "b", "c"]), userProviderID: nil)
        XCTAssertEqual(again, CatalogueSyncCounts(added: 0, updated: 0, removed: 0, total: 3), "idempotent (\(name))")

        let changed = try store.syncModels(
            alice, providerID: "openrouter", ownerUserID: alice.userID,
            listing: listing(["a", "b"], price: 3), userProviderID: nil)
        XCTAssertEqual(changed, CatalogueSyncCounts(added: 0, updated: 2, removed: 1, total: 2), name)
        let rows = try store.models(alice, providerID: "openrouter")
        XCTAssertEqual(rows.count, 3, "'c' is kept for usage history (\(name))")
        XCTAssertEqual(rows.first { $0.modelID == "c" }?.isAvailable, false, name)
        XCTAssertEqual(rows.first { $0.modelID == "a" }?.inputPrice, 3, name)
        XCTAssertTrue(try store.providerConfiguration(alice, model: "c").isEmpty, "an unavailable model is not routed (\(name))")

        let back = try store.syncModels(
            alice, providerID: "openrouter", ownerUserID: alice.userID,
            listing: listing(["a", "b", "c"], price: 3), userProviderID: nil)
        XCTAssertEqual(back, CatalogueSyncCounts(added: 0, updated: 1, removed: 0, total: 3), "'c' came back (\(name))")
        XCTAssertEqual(try store.providerConfiguration(alice, model: "c").count, 1, name)
        XCTAssertEqual(try store.models(bob, providerID: "openrouter").count, 0, "alice's rows are hers (\(name))")
    }

    func testOnlyTheServiceRoleSyncsTheSharedCatalogueOrAnotherUsersRowsOnSQLite() throws {
        try onlyTheServiceRoleSyncsTheSharedCatalogueOrAnotherUsersRows(try StoreBackends.required(.sqlite))
    }

    func testOnlyTheServiceRoleSyncsTheSharedCatalogueOrAnotherUsersRowsOnPostgreSQL() throws {
        try onlyTheServiceRoleSyncsTheSharedCatalogueOrAnotherUsersRows(try StoreBackends.required(.postgres))
    }

    private func onlyTheServiceRoleSyncsTheSharedCatalogueOrAnotherUsersRows(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        for owner in ["", bob.userID] {
            XCTAssertThrowsError(
                try store.syncModels(alice, providerID: "openrouter", ownerUserID: owner, listing: listing(["x"]), userProviderID: nil)
            ) {
                guard case .forbidden = $0 as? StoreError else { return XCTFail("\($0) (\(name))") }
            }
        }
        XCTAssertEqual(
            try store.syncModels(service, providerID: "openrouter", ownerUserID: "", listing: listing(["x"]), userProviderID: nil).added, 1, name)
        XCTAssertEqual(try store.models(bob, providerID: "openrouter").map(\.modelID), ["x"], "shared rows are visible to all (\(name))")
    }

    func testASyncLeavesAUsersCustomModelOfTheSameIdAloneOnSQLite() throws {
        try aSyncLeavesAUsersCustomModelOfTheSameIdAlone(try StoreBackends.required(.sqlite))
    }

    func testASyncLeavesAUsersCustomModelOfTheSameIdAloneOnPostgreSQL() throws {
        try aSyncLeavesAUsersCustomModelOfTheSameIdAlone(try StoreBackends.required(.postgres))
    }

    private func aSyncLeavesAUsersCustomModelOfTheSameIdAlone(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        try store.saveModel(
            alice,
            CatalogueModel(
                id: UUID().uuidString, providerID: "openrouter", ownerUserID: alice.userID, modelID: "mine",
                displayName: "Mine", inputPrice: 9, source: .custom))
        let counts = try store.syncModels(
            alice, providerID: "openrouter", ownerUserID: alice.userID, listing: listing(["a"]), userProviderID: nil)
        XCTAssertEqual(counts.removed, 0, "a custom row is not the sync's to remove (\(name))")
        _ = try store.syncModels(
            alice, providerID: "openrouter", ownerUserID: alice.userID, listing: listing(["a", "mine"]), userProviderID: nil)
        let mine = try XCTUnwrap(try store.models(alice, providerID: "openrouter").first { $0.modelID == "mine" })
        XCTAssertEqual(mine.inputPrice, 9, name)
        XCTAssertEqual(mine.source, .custom, name)
    }

    func testAnIdOnlyListingKeepsThePricesARicherSyncStoredOnSQLite() throws {
        try anIdOnlyListingKeepsThePricesARicherSyncStored(try StoreBackends.required(.sqlite))
    }

    func testAnIdOnlyListingKeepsThePricesARicherSyncStoredOnPostgreSQL() throws {
        try anIdOnlyListingKeepsThePricesARicherSyncStored(try StoreBackends.required(.postgres))
    }

    private func anIdOnlyListingKeepsThePricesARicherSyncStored(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        _ = try store.syncModels(alice, providerID: "aihubmix", ownerUserID: alice.userID, listing: listing(["a"], price: 2), userProviderID: nil)
        let idsOnly = CatalogueListing(models: [CatalogueModel(id: "", providerID: "", modelID: "a")], isPartial: true)
        XCTAssertEqual(
            try store.syncModels(alice, providerID: "aihubmix", ownerUserID: alice.userID, listing: idsOnly, userProviderID: nil).updated, 0, name
        )
        XCTAssertEqual(try store.models(alice, providerID: "aihubmix").first?.inputPrice, 2, name)
    }

    func testTwoSyncsOfTheSameProviderAtOnceNeitherDuplicateNorDoubleCountOnSQLite() throws {
        try twoSyncsOfTheSameProviderAtOnceNeitherDuplicateNorDoubleCount(try StoreBackends.required(.sqlite))
    }

    func testTwoSyncsOfTheSameProviderAtOnceNeitherDuplicateNorDoubleCountOnPostgreSQL() throws {
        try twoSyncsOfTheSameProviderAtOnceNeitherDuplicateNorDoubleCount(try StoreBackends.required(.postgres))
    }

    private func twoSyncsOfTheSameProviderAtOnceNeitherDuplicateNorDoubleCount(_ subject: StoreUnderTest) throws {
        let name = "\(subject.backend)"
        let ids = (0..<300).map { "model-\($0)" }
        let results = Mutex<[CatalogueSyncCounts]>([])
        let service = self.service, rows = listing(ids)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                // A store per thread: separate connections, as separate processes would have.
                let store = try StoreFactory.open(try DatabaseURL(parsing: subject.url))
                let counts = try store.syncModels(service, providerID: "openrouter", ownerUserID: "", listing: rows, userProviderID: nil)
                results.withLock { $0.append(counts) }
            } catch {
                XCTFail("\(error) (\(name))")
            }
        }
        let counts = results.withLock { $0 }
        XCTAssertEqual(counts.map(\.added).reduce(0, +), 300, "each model added exactly once (\(name))")
        XCTAssertEqual(counts.map(\.total), [300, 300, 300, 300], name)
        XCTAssertEqual(try subject.store.models(service, providerID: "openrouter").count, 300, name)
    }

    func testAnOverrideHidesRenamesAndRepricesOnSQLite() throws { try anOverrideHidesRenamesAndReprices(try StoreBackends.required(.sqlite)) }

    func testAnOverrideHidesRenamesAndRepricesOnPostgreSQL() throws { try anOverrideHidesRenamesAndReprices(try StoreBackends.required(.postgres)) }

    private func anOverrideHidesRenamesAndReprices(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        try store.insertUserProvider(alice, Fixtures.key(alice, provider: "openrouter"))
        try store.insertUserProvider(bob, Fixtures.key(bob, provider: "openrouter"))
        _ = try store.syncModels(service, providerID: "openrouter", ownerUserID: "", listing: listing(["a", "b"]), userProviderID: nil)
        _ = try store.saveModelOverride(
            alice,
            ModelOverride(
                id: UUID().uuidString, userID: alice.userID, providerID: "openrouter", modelID: "a",
                displayName: "Cheap A", inputPrice: 0.5))
        _ = try store.saveModelOverride(
            alice, ModelOverride(id: UUID().uuidString, userID: alice.userID, providerID: "openrouter", modelID: "b", isEnabled: false))
        XCTAssertEqual(try store.providerConfiguration(alice, model: "a").first?.model?.inputPrice, 0.5, name)
        XCTAssertEqual(try store.providerConfiguration(alice, model: "a").first?.model?.displayName, "Cheap A", name)
        XCTAssertTrue(try store.providerConfiguration(alice, model: "b").isEmpty, "disabled for alice (\(name))")
        XCTAssertEqual(try store.providerConfiguration(bob, model: "b").count, 1, "bob is unaffected (\(name))")
        XCTAssertEqual(try store.providerConfiguration(bob, model: "a").first?.model?.inputPrice, 1, name)
        XCTAssertEqual(try store.availableModels(alice).first?.models.map(\.modelID), ["a"], name)
        XCTAssertEqual(try store.availableModels(alice, includeDisabled: true).first?.models.map(\.isEnabled), [true, false], name)
        XCTAssertThrowsError(
            try store.saveModelOverride(bob, ModelOverride(id: "x", userID: alice.userID, providerID: "openrouter", modelID: "a")), name)
        XCTAssertTrue(try store.deleteModelOverride(alice, providerID: "openrouter", modelID: "b"), name)
        XCTAssertEqual(try store.providerConfiguration(alice, model: "b").count, 1, name)
    }
}
