import Foundation
import GatewayStore
import TestSupport
import XCTest

/// `usage_metrics`, what `/metrics` reads: every usage row adds to its series in the row's own
/// transaction, on both backends; only the service role reads it; rebuilding from the rows gives the same.
final class UsageMetricsStoreTests: XCTestCase {
    private let alice = Fixtures.alice, bob = Fixtures.bob, service = Fixtures.service

    private func chat(
        _ id: String, _ user: Caller, status: UsageRecord.Status = .success, code: String? = nil, tried: [String] = ["openai"],
        latency: Int? = 40, ttft: Int? = nil
    ) -> UsageRecord {
        UsageRecord(
            id: id, userID: user.userID, providerID: tried.isEmpty ? nil : "openai", function: "v1-chat", api: .chat,
            modelRequested: "gpt-4o-mini", modelServed: tried.isEmpty ? nil : "gpt-4o-mini-2024-07-18", promptTokens: 10,
            completionTokens: 5, cachedTokens: 2, reasoningTokens: 1, costUSD: 0.25, latencyMs: latency, ttftMs: ttft, status: status,
            errorCode: code, providersTried: tried, createdAt: 1_000)
    }

    private func write(_ store: SQLStore) throws {
        try store.recordUsage(alice, chat("a1", alice, ttft: 12))
        try store.recordUsage(bob, chat("b1", bob, latency: 300, ttft: 150))
        try store.recordUsage(alice, chat("a2", alice, status: .error, code: "budget_exceeded", tried: []))
        try store.recordUsage(alice, chat("a3", alice, status: .error, code: "rate_limited", tried: []))
        try store.recordUsage(bob, chat("b2", bob, status: .error, code: "rate_limited"))
        try store.recordUsage(
            bob, UsageRecord(id: "b3", userID: bob.userID, function: "models", status: .error, errorCode: "invalid_json", createdAt: 1_000))
    }

    private func series(_ metrics: UsageMetrics, _ function: String, _ status: String, _ errorType: String) -> UsageMetrics.Series? {
        metrics.series.first { $0.function == function && $0.status == status && $0.errorType == errorType }
    }

    func testEveryRowAddsToTheSeriesOfItsLabelsOnSQLite() throws {
        try everyRowAddsToTheSeriesOfItsLabels(try StoreBackends.required(.sqlite))
    }

    func testEveryRowAddsToTheSeriesOfItsLabelsOnPostgreSQL() throws {
        try everyRowAddsToTheSeriesOfItsLabels(try StoreBackends.required(.postgres))
    }

    private func everyRowAddsToTheSeriesOfItsLabels(_ subject: StoreUnderTest) throws {
        try write(subject.store)
        let metrics = try subject.store.usageMetrics(service, perUser: false)
        let backend = "\(subject.backend)"
        let succeeded = try XCTUnwrap(series(metrics, "v1-chat", "success", ""), backend)
        XCTAssertEqual(succeeded.providerID, "openai", backend)
        XCTAssertEqual(succeeded.model, "gpt-4o-mini-2024-07-18", "\(backend): the model a provider served")
        XCTAssertEqual(succeeded.usage.requests, 2, backend)
        XCTAssertEqual(succeeded.usage.promptTokens, 20, backend)
        XCTAssertEqual(succeeded.usage.reasoningTokens, 2, backend)
        XCTAssertEqual(succeeded.usage.costUSD, 0.5, accuracy: 1e-9, backend)
        XCTAssertEqual(succeeded.usage.latencySum, 340, backend)
        XCTAssertEqual(succeeded.usage.histogram[LatencyHistogram.bucket(forMilliseconds: 300)], 1, backend)
        XCTAssertEqual(succeeded.usage.ttftCount, 2, backend)
        XCTAssertEqual(succeeded.ttftHistogram[LatencyHistogram.bucket(forMilliseconds: 150)], 1, backend)

        let budget = try XCTUnwrap(series(metrics, "v1-chat", "error", "policy_budget_exceeded"), backend)
        XCTAssertEqual(budget.model, "", "\(backend): no provider was asked, so no model label (it is the caller's text)")
        XCTAssertEqual(budget.usage.errors, 1, backend)
        XCTAssertEqual(series(metrics, "v1-chat", "error", "policy_rate_limited")?.usage.requests, 1, "\(backend): the gateway's own limit")
        XCTAssertEqual(series(metrics, "v1-chat", "error", "provider_rate_limited")?.usage.requests, 1, "\(backend): a provider's 429")
        XCTAssertEqual(series(metrics, "models", "error", "caller_invalid_json")?.usage.requests, 1, backend)
        XCTAssertEqual(metrics.series.map(\.usage.requests).reduce(0, +), 6, backend)
        XCTAssertNil(metrics.users, "\(backend): no user totals unless asked for")
    }

    func testOnlyTheServiceRoleReadsTheMetricsOnSQLite() throws {
        try onlyTheServiceRoleReadsTheMetrics(try StoreBackends.required(.sqlite))
    }

    func testOnlyTheServiceRoleReadsTheMetricsOnPostgreSQL() throws {
        try onlyTheServiceRoleReadsTheMetrics(try StoreBackends.required(.postgres))
    }

    private func onlyTheServiceRoleReadsTheMetrics(_ subject: StoreUnderTest) throws {
        try write(subject.store)
        XCTAssertThrowsError(try subject.store.usageMetrics(alice, perUser: false), "\(subject.backend)")
    }

    func testRebuildingFromTheRowsGivesTheSameSeriesOnSQLite() throws {
        try rebuildingFromTheRowsGivesTheSameSeries(try StoreBackends.required(.sqlite))
    }

    func testRebuildingFromTheRowsGivesTheSameSeriesOnPostgreSQL() throws {
        try rebuildingFromTheRowsGivesTheSameSeries(try StoreBackends.required(.postgres))
    }

    /// The migration's backfill (SQL) and every request's upsert (Swift) label and count alike.
    private func rebuildingFromTheRowsGivesTheSameSeries(_ subject: StoreUnderTest) throws {
        try write(subject.store)
        try subject.store.recordUsage(
            alice, UsageRecord(id: "x", userID: alice.userID, status: .upstreamAborted, errorCode: "something_new", createdAt: 1))
        let written = try subject.store.usageMetrics(service, perUser: false)
        XCTAssertNotNil(series(written, "v1-chat", "upstream_aborted", "provider_other"), "\(subject.backend): an unknown code")
        try subject.store.rebuildUsageRollup(service)
        XCTAssertEqual(try subject.store.usageMetrics(service, perUser: false), written, "\(subject.backend)")
    }

    func testEachUsersChatTotalsWhenAskedForOnSQLite() throws {
        try eachUsersChatTotalsWhenAskedFor(try StoreBackends.required(.sqlite))
    }

    func testEachUsersChatTotalsWhenAskedForOnPostgreSQL() throws {
        try eachUsersChatTotalsWhenAskedFor(try StoreBackends.required(.postgres))
    }

    private func eachUsersChatTotalsWhenAskedFor(_ subject: StoreUnderTest) throws {
        try write(subject.store)
        let users = try XCTUnwrap(try subject.store.usageMetrics(service, perUser: true).users)
        XCTAssertEqual(users.map(\.userID), [alice.userID, bob.userID], "\(subject.backend)")
        XCTAssertEqual(users.map(\.usage.requests), [3, 2], "\(subject.backend): chat requests only")
        XCTAssertEqual(users.map(\.usage.errors), [2, 1], "\(subject.backend)")
    }
}
