import Foundation
import GatewayStore
import TestSupport
import XCTest

/// User A can never list, read, update or delete user B's rows through any store method.
final class StoreTenancyTests: XCTestCase {
    private let alice = Fixtures.alice, bob = Fixtures.bob, service = Fixtures.service

    func testProvidersOfAnotherUserCannotBeListedReadUpdatedOrDeletedOnSQLite() throws {
        try providersOfAnotherUserCannotBeListedReadUpdatedOrDeleted(try StoreBackends.required(.sqlite))
    }

    func testProvidersOfAnotherUserCannotBeListedReadUpdatedOrDeletedOnPostgreSQL() throws {
        try providersOfAnotherUserCannotBeListedReadUpdatedOrDeleted(try StoreBackends.required(.postgres))
    }

    private func providersOfAnotherUserCannotBeListedReadUpdatedOrDeleted(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        let key = Fixtures.key(alice)
        try store.insertUserProvider(alice, key)

        XCTAssertEqual(try store.userProviders(alice).map(\.id), [key.id], name)
        XCTAssertEqual(try store.userProviders(bob).map(\.id), [], name)
        XCTAssertNil(try store.userProvider(bob, id: key.id), name)
        XCTAssertNil(try store.updateUserProvider(bob, id: key.id, UserProviderChange(priority: 9, isActive: false)), name)
        XCTAssertFalse(try store.deleteUserProvider(bob, id: key.id), name)
        XCTAssertThrowsError(try store.userProviders(bob, scope: .user(alice.userID)), name)
        XCTAssertThrowsError(try store.userProviders(bob, scope: .allUsers), name)
        XCTAssertThrowsError(try store.insertUserProvider(bob, Fixtures.key(alice)), "a key planted in another user's name")

        let unchanged = try XCTUnwrap(try store.userProvider(alice, id: key.id), name)
        XCTAssertEqual(unchanged.priority, 0, name)
        XCTAssertTrue(unchanged.isActive, name)
        XCTAssertEqual(try store.userProviders(service, scope: .allUsers).count, 1, "the service role sees every user (\(name))")

        XCTAssertEqual(try store.updateUserProvider(alice, id: key.id, UserProviderChange(priority: 3))?.priority, 3, name)
        XCTAssertTrue(try store.deleteUserProvider(alice, id: key.id), name)
        XCTAssertNil(try store.userProvider(alice, id: key.id), name)
    }

    func testAliasesOfAnotherUserAreInvisibleAndOwnAliasesHideGlobalOnesOnSQLite() throws {
        try aliasesOfAnotherUserAreInvisibleAndOwnAliasesHideGlobalOnes(try StoreBackends.required(.sqlite))
    }

    func testAliasesOfAnotherUserAreInvisibleAndOwnAliasesHideGlobalOnesOnPostgreSQL() throws {
        try aliasesOfAnotherUserAreInvisibleAndOwnAliasesHideGlobalOnes(try StoreBackends.required(.postgres))
    }

    private func aliasesOfAnotherUserAreInvisibleAndOwnAliasesHideGlobalOnes(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        _ = try store.saveAlias(service, ModelAlias(id: "g1", userID: "", alias: "fast", modelID: "openai/gpt-4o-mini"))
        _ = try store.saveAlias(alice, ModelAlias(id: "a1", userID: alice.userID, alias: "fast", modelID: "anthropic/claude-haiku"))
        _ = try store.saveAlias(alice, ModelAlias(id: "a2", userID: alice.userID, alias: "mine", modelID: "x/y"))

        XCTAssertEqual(try store.alias(alice, named: "fast")?.modelID, "anthropic/claude-haiku", name)
        XCTAssertEqual(try store.alias(bob, named: "fast")?.modelID, "openai/gpt-4o-mini", "bob sees the global alias (\(name))")
        XCTAssertNil(try store.alias(bob, named: "mine"), name)
        XCTAssertEqual(try store.aliases(bob).map(\.alias), ["fast"], name)
        XCTAssertEqual(try store.aliases(alice).map(\.modelID), ["anthropic/claude-haiku", "x/y"], name)

        XCTAssertFalse(try store.deleteAlias(bob, named: "mine"), name)
        XCTAssertFalse(try store.deleteAlias(bob, named: "fast"), "bob cannot delete the global alias (\(name))")
        XCTAssertThrowsError(try store.saveAlias(bob, ModelAlias(id: "b1", userID: alice.userID, alias: "mine", modelID: "evil")), name)
        XCTAssertThrowsError(try store.saveAlias(bob, ModelAlias(id: "b2", userID: "", alias: "fast", modelID: "evil")), name)
        XCTAssertEqual(try store.alias(alice, named: "mine")?.modelID, "x/y", name)

        XCTAssertTrue(try store.deleteAlias(alice, named: "fast"), name)
        XCTAssertEqual(try store.alias(alice, named: "fast")?.modelID, "openai/gpt-4o-mini", "the global alias shows again (\(name))")
    }

    func testUsageOfAnotherUserCannotBeListedReadOrWrittenOnSQLite() throws {
        try usageOfAnotherUserCannotBeListedReadOrWritten(try StoreBackends.required(.sqlite))
    }

    func testUsageOfAnotherUserCannotBeListedReadOrWrittenOnPostgreSQL() throws {
        try usageOfAnotherUserCannotBeListedReadOrWritten(try StoreBackends.required(.postgres))
    }

    private func usageOfAnotherUserCannotBeListedReadOrWritten(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let record = Fixtures.usage(alice, at: now)
        try store.recordUsage(alice, record)

        XCTAssertEqual(try store.usage(alice, UsageFilter()).map(\.id), [record.id], name)
        XCTAssertEqual(try store.usageRecord(alice, id: record.id), record, name)
        XCTAssertEqual(try store.usage(bob, UsageFilter()).count, 0, name)
        XCTAssertNil(try store.usageRecord(bob, id: record.id), name)
        XCTAssertEqual(try store.providerCosts(bob, providerID: nil, range: TimeRange(start: 0, end: now + 1)), [], name)
        XCTAssertThrowsError(try store.usage(bob, UsageFilter(scope: .user(alice.userID))), name)
        XCTAssertThrowsError(try store.usage(bob, UsageFilter(scope: .allUsers)), name)
        XCTAssertThrowsError(try store.recordUsage(bob, Fixtures.usage(alice, at: now)), name)
        XCTAssertEqual(try store.usage(service, UsageFilter(scope: .allUsers)).count, 1, name)
    }

    func testAuditEntriesAreVisibleToTheirSubjectOnlyOnSQLite() throws {
        try auditEntriesAreVisibleToTheirSubjectOnly(try StoreBackends.required(.sqlite))
    }

    func testAuditEntriesAreVisibleToTheirSubjectOnlyOnPostgreSQL() throws {
        try auditEntriesAreVisibleToTheirSubjectOnly(try StoreBackends.required(.postgres))
    }

    private func auditEntriesAreVisibleToTheirSubjectOnly(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        try store.recordAudit(
            alice,
            AuditEntry(
                id: UUID().uuidString, actorUserID: alice.userID, actorRole: "authenticated", subjectUserID: alice.userID,
                action: "create", entity: "user_api_providers", entityID: "p1", after: ["priority": 1], createdAt: 1))
        XCTAssertEqual(try store.auditEntries(alice).map(\.action), ["create"], name)
        XCTAssertEqual(try store.auditEntries(alice).first?.after, ["priority": 1], name)
        XCTAssertEqual(try store.auditEntries(bob).count, 0, name)
        XCTAssertThrowsError(
            try store.recordAudit(
                bob,
                AuditEntry(
                    id: UUID().uuidString, actorUserID: alice.userID, actorRole: "authenticated", subjectUserID: alice.userID,
                    action: "forged", entity: "x", entityID: nil, createdAt: 2)), name)
    }

    func testOnlyTheServiceRoleWritesTheSharedCatalogueOnSQLite() throws {
        try onlyTheServiceRoleWritesTheSharedCatalogue(try StoreBackends.required(.sqlite))
    }

    func testOnlyTheServiceRoleWritesTheSharedCatalogueOnPostgreSQL() throws {
        try onlyTheServiceRoleWritesTheSharedCatalogue(try StoreBackends.required(.postgres))
    }

    private func onlyTheServiceRoleWritesTheSharedCatalogue(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        var openrouter = try XCTUnwrap(try store.catalogueProvider(alice, id: "openrouter"), name)
        XCTAssertEqual(openrouter.baseURL, "https://openrouter.ai/api/v1", name)
        openrouter.baseURL = "https://attacker.example/v1"
        XCTAssertThrowsError(try store.saveCatalogueProvider(alice, openrouter), name)
        XCTAssertThrowsError(try store.saveModel(alice, CatalogueModel(id: "m", providerID: "openrouter", modelID: "x")), name)
        XCTAssertEqual(try store.catalogueProvider(bob, id: "openrouter")?.baseURL, "https://openrouter.ai/api/v1", name)

        openrouter.baseURL = "http://127.0.0.1:9/v1"
        try store.saveCatalogueProvider(service, openrouter)
        XCTAssertEqual(try store.catalogueProvider(bob, id: "openrouter")?.baseURL, "http://127.0.0.1:9/v1", name)
        XCTAssertEqual(try store.catalogueProviders(bob).map(\.name), ["aihubmix", "anthropic", "google", "openai", "openrouter"], name)
    }
}
