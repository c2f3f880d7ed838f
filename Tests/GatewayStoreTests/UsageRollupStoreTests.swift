import Foundation
import GatewayStore
import Synchronization
import TestSupport
import XCTest

/// The usage rollup on both backends: kept exact by every insert (equal to a rebuild from the raw rows),
/// and budget admission serialised per user across connections.
final class UsageRollupStoreTests: XCTestCase {
    private let alice = Fixtures.alice, service = Fixtures.service

    func testTheRollupKeptOnInsertEqualsTheRawRowsOnSQLite() throws { try theRollupKeptOnInsertEqualsTheRawRows(try StoreBackends.required(.sqlite)) }

    func testTheRollupKeptOnInsertEqualsTheRawRowsOnPostgreSQL() throws {
        try theRollupKeptOnInsertEqualsTheRawRows(try StoreBackends.required(.postgres))
    }

    private func theRollupKeptOnInsertEqualsTheRawRows(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        var expected = UsageAggregate()
        for index in 0..<200 {
            let record = UsageRecord(
                id: UUID().uuidString, userID: alice.userID, providerID: index % 3 == 0 ? "openai" : "openrouter",
                modelRequested: "m\(index % 4)", promptTokens: index, completionTokens: index * 2, cachedTokens: index % 5,
                reasoningTokens: index % 7, costUSD: index % 6 == 0 ? nil : Double(index) * 0.001,
                latencyMs: index % 9 == 0 ? nil : index * 13, ttftMs: index % 2 == 0 ? index : nil,
                status: index % 10 == 0 ? .error : .success, createdAt: 1_700_000_000_000 + Int64(index) * 97_000)
            try store.recordUsage(alice, record)
            expected.requests += 1
            expected.errors += record.status == .success ? 0 : 1
            expected.promptTokens += record.promptTokens
            expected.completionTokens += record.completionTokens
            expected.costUSD += record.costUSD ?? 0
            if let latency = record.latencyMs {
                expected.latencySum += latency
                expected.latencyCount += 1
            }
        }
        // A management request's row is not chat usage.
        try store.recordUsage(
            alice,
            UsageRecord(
                id: UUID().uuidString, userID: alice.userID, function: "providers", status: .success,
                createdAt: 1_700_000_000_000))
        let filter = UsageStatsFilter(range: TimeRange(start: 1_699_999_200_000, end: 1_700_100_000_000))
        let total = try XCTUnwrap(try store.usageAggregates(alice, filter, by: .total).first?.usage, name)
        XCTAssertEqual(total.requests, expected.requests, name)
        XCTAssertEqual(total.errors, expected.errors, name)
        XCTAssertEqual(total.promptTokens, expected.promptTokens, name)
        XCTAssertEqual(total.completionTokens, expected.completionTokens, name)
        XCTAssertEqual(total.latencySum, expected.latencySum, name)
        XCTAssertEqual(total.latencyCount, expected.latencyCount, name)
        XCTAssertEqual(total.costUSD, expected.costUSD, accuracy: 1e-9, name)
        XCTAssertEqual(total.histogram.reduce(0, +), expected.latencyCount, name)
        XCTAssertEqual(try store.usageAggregates(alice, filter, by: .model).map(\.key), ["m0", "m1", "m2", "m3"], name)
        XCTAssertEqual(try store.usageAggregates(alice, filter, by: .provider).map(\.usage.requests).reduce(0, +), 200, name)
        XCTAssertEqual(try store.usageAggregates(Fixtures.bob, filter, by: .total).count, 0, "bob sees none of it (\(name))")
        let incremental = try store.usageAggregates(alice, filter, by: .bucket)
        XCTAssertThrowsError(try store.rebuildUsageRollup(alice), "users cannot (\(name))")
        try store.rebuildUsageRollup(service)
        let rebuilt = try store.usageAggregates(alice, filter, by: .bucket)
        // Equal but for the order in which floating-point costs were summed.
        func exactPart(_ groups: [UsageGroup]) -> [UsageGroup] {
            groups.map {
                var group = $0
                group.usage.costUSD = 0
                return group
            }
        }
        XCTAssertEqual(exactPart(rebuilt), exactPart(incremental), "a rebuild from the raw rows changes nothing (\(name))")
        for (left, right) in zip(rebuilt, incremental) { XCTAssertEqual(left.usage.costUSD, right.usage.costUSD, accuracy: 1e-9, name) }
        XCTAssertThrowsError(try store.usageAggregates(Fixtures.bob, UsageStatsFilter(scope: .allUsers, range: filter.range), by: .total), name)
    }

    func testConcurrentAdmissionsOnSeparateConnectionsNeverPassTheLimitOnSQLite() throws {
        try concurrentAdmissionsOnSeparateConnectionsNeverPassTheLimit(try StoreBackends.required(.sqlite))
    }

    func testConcurrentAdmissionsOnSeparateConnectionsNeverPassTheLimitOnPostgreSQL() throws {
        try concurrentAdmissionsOnSeparateConnectionsNeverPassTheLimit(try StoreBackends.required(.postgres))
    }

    private func concurrentAdmissionsOnSeparateConnectionsNeverPassTheLimit(_ subject: StoreUnderTest) throws {
        let name = "\(subject.backend)"
        _ = try subject.store.saveBudget(alice, UsageBudget(id: UUID().uuidString, userID: alice.userID, requestsPerMinute: 3))
        let admitted = Mutex(0)
        let alice = self.alice, url = subject.url
        DispatchQueue.concurrentPerform(iterations: 10) { _ in
            do {
                let store = try StoreFactory.open(try DatabaseURL(parsing: url))
                var accepted = false
                _ = try store.admitRequest(alice, reservationID: UUID().uuidString, modelRequested: nil, now: 1_800_000_000_000) { states in
                    accepted = states.allSatisfy { $0.consumption.minuteRequests < ($0.budget.requestsPerMinute ?? .max) }
                    return accepted
                }
                if accepted { admitted.withLock { $0 += 1 } }
            } catch {
                XCTFail("\(error) (\(name))")
            }
        }
        XCTAssertEqual(admitted.withLock { $0 }, 3, "each admission sees the others' reservations (\(name))")
    }
}
