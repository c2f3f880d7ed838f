import Foundation
import GatewayStore
import TestSupport
import XCTest

/// The routing change counter a worker's routing cache relies on, on both backends: it moves with a
/// change to every table routing reads, whoever makes it, and not with a request's usage row.
final class RoutingVersionStoreTests: XCTestCase {
    private let alice = Fixtures.alice, service = Fixtures.service

    func testTheCounterMovesWithEveryRoutingTableAndNotWithUsageOnSQLite() throws {
        try theCounterMovesWithEveryRoutingTableAndNotWithUsage(try StoreBackends.required(.sqlite))
    }

    func testTheCounterMovesWithEveryRoutingTableAndNotWithUsageOnPostgreSQL() throws {
        try theCounterMovesWithEveryRoutingTableAndNotWithUsage(try StoreBackends.required(.postgres))
    }

    private func theCounterMovesWithEveryRoutingTableAndNotWithUsage(_ subject: StoreUnderTest) throws {
        let store = subject.store
        var last = try store.routingVersion(alice)
        func assertMoved(_ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let now = try store.routingVersion(alice)
            XCTAssertGreaterThan(now, last, "\(subject.backend): \(what)", file: file, line: line)
            last = now
        }
        var openrouter = try XCTUnwrap(try store.catalogueProvider(service, id: "openrouter"))
        openrouter.baseURL = "http://127.0.0.1:9/v1"
        try store.saveCatalogueProvider(service, openrouter)
        try assertMoved("a catalogue entry changed")
        let key = UserProvider(
            id: "key-1", userID: alice.userID, providerID: "openrouter", apiKeyEncrypted: "sealed", apiKeyHash: "hash", apiKeyLast4: "1234")
        try store.insertUserProvider(alice, key)
        try assertMoved("a key was added")
        _ = try store.updateUserProvider(alice, id: key.id, UserProviderChange(isActive: false))
        try assertMoved("a key was switched off (by its owner: the counter is everyone's to move)")
        try store.saveModel(service, CatalogueModel(id: "m-1", providerID: "openrouter", modelID: "some/model"))
        try assertMoved("a model row was added")
        _ = try store.saveModelOverride(alice, ModelOverride(id: "o-1", userID: alice.userID, providerID: "openrouter", modelID: "some/model"))
        try assertMoved("an override was saved")
        _ = try store.saveAlias(alice, ModelAlias(id: "a-1", userID: alice.userID, alias: "fast", modelID: "some/model"))
        try assertMoved("an alias was saved")
        _ = try store.deleteAlias(alice, named: "fast")
        try assertMoved("an alias was removed")

        try store.beginRequest(alice, InFlightRequest(id: "r-1", userID: alice.userID, function: "v1-chat", createdAt: 1, host: "h", process: "p"))
        try store.recordUsage(alice, UsageRecord(id: "r-1", userID: alice.userID, status: .success, createdAt: 1))
        XCTAssertEqual(try store.routingVersion(alice), last, "\(subject.backend): a request's rows leave it where it was")
    }
}
