import Foundation
import GatewayStore
import TestSupport
import XCTest

/// `writeUsage`, the group commit behind every request's in-flight registration and usage row, on both
/// backends: one transaction for many requests, where a write that is refused leaves the others written.
final class GroupCommitStoreTests: XCTestCase {
    private let alice = Fixtures.alice, bob = Fixtures.bob, service = Fixtures.service

    private func request(_ id: String, _ user: Caller) -> InFlightRequest {
        InFlightRequest(id: id, userID: user.userID, function: "v1-chat", createdAt: 1_000, host: "test-host", process: "1/1")
    }

    private func row(_ id: String, _ user: Caller) -> UsageRecord {
        UsageRecord(id: id, userID: user.userID, function: "v1-chat", promptTokens: 3, completionTokens: 4, status: .success, createdAt: 1_000)
    }

    func testABatchWritesEveryUsersRegistrationsAndRowsOnSQLite() throws {
        try aBatchWritesEveryUsersRegistrationsAndRows(try StoreBackends.required(.sqlite))
    }

    func testABatchWritesEveryUsersRegistrationsAndRowsOnPostgreSQL() throws {
        try aBatchWritesEveryUsersRegistrationsAndRows(try StoreBackends.required(.postgres))
    }

    private func aBatchWritesEveryUsersRegistrationsAndRows(_ subject: StoreUnderTest) throws {
        let store = subject.store
        try store.beginRequest(alice, request("a-1", alice))
        let results = try store.writeUsage(
            service,
            [
                UsageWrite(.finish(row("a-1", alice)), writer: alice), UsageWrite(.begin(request("b-1", bob)), writer: bob),
                UsageWrite(.begin(request("a-2", alice)), writer: alice),
            ])
        XCTAssertEqual(results.filter { (try? $0.get()) == nil }.count, 0, "\(subject.backend): \(results)")
        XCTAssertEqual(try store.usage(alice, UsageFilter()).map(\.id), ["a-1"], "\(subject.backend): the row")
        let inFlight = try store.inFlightRequests(service, host: "test-host", hostBefore: .max, anyHostBefore: 0, limit: 10)
        XCTAssertEqual(Set(inFlight.map(\.id)), ["b-1", "a-2"], "\(subject.backend): the row replaced its registration; the others are in flight")
        let filter = UsageStatsFilter(range: TimeRange(start: 0, end: 900_000))
        XCTAssertEqual(try store.usageAggregates(alice, filter, by: .total).first?.usage.promptTokens, 3, "\(subject.backend): rolled up")
    }

    func testARefusedWriteLeavesTheOthersOfItsBatchWrittenOnSQLite() throws {
        try aRefusedWriteLeavesTheOthersOfItsBatchWritten(try StoreBackends.required(.sqlite))
    }

    func testARefusedWriteLeavesTheOthersOfItsBatchWrittenOnPostgreSQL() throws {
        try aRefusedWriteLeavesTheOthersOfItsBatchWritten(try StoreBackends.required(.postgres))
    }

    private func aRefusedWriteLeavesTheOthersOfItsBatchWritten(_ subject: StoreUnderTest) throws {
        let store = subject.store
        try store.recordUsage(alice, row("done", alice))
        let results = try store.writeUsage(
            service,
            [
                UsageWrite(.finish(row("before", alice)), writer: alice),
                UsageWrite(.finish(row("done", alice)), writer: alice),  // written already: a duplicate
                UsageWrite(.finish(row("bobs", bob)), writer: alice),  // another user's row
                UsageWrite(.finish(row("after", alice)), writer: alice),
            ])
        XCTAssertNil(try? results[1].get(), "\(subject.backend): the duplicate is refused")
        XCTAssertThrowsError(try results[1].get()) { error in
            guard case StoreError.duplicate = error else { return XCTFail("\(subject.backend): \(error)") }
        }
        XCTAssertThrowsError(try results[2].get(), "\(subject.backend): a row of another user is refused") { error in
            XCTAssertEqual(error as? StoreError, .forbidden("usage for another user"))
        }
        XCTAssertNoThrow(try results[0].get(), "\(subject.backend)")
        XCTAssertNoThrow(try results[3].get(), "\(subject.backend)")
        XCTAssertEqual(Set(try store.usage(alice, UsageFilter()).map(\.id)), ["done", "before", "after"], "\(subject.backend)")
        XCTAssertEqual(try store.usage(bob, UsageFilter()).count, 0, "\(subject.backend)")
    }

    func testOnlyTheServiceRoleWritesABatchOnSQLite() throws {
        let store = try StoreBackends.required(.sqlite).store
        XCTAssertThrowsError(try store.writeUsage(alice, [UsageWrite(.begin(request("x", alice)), writer: alice)])) { error in
            guard case StoreError.forbidden = error else { return XCTFail("\(error)") }
        }
    }
}
