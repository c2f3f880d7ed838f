import Foundation
import FunctionHost
import GatewayStore
import TestSupport
import XCTest

/// Many CGI processes write at once: no row is lost and no busy error reaches anyone.
final class StoreConcurrencyTests: XCTestCase {
    static let processes = 32, rowsEach = 50

    func testThirtyTwoProcessesInsertingFiftyUsageRowsEachLoseNothingOnSQLite() throws {
        try thirtyTwoProcessesInsertingFiftyUsageRowsEachLoseNothing(try StoreBackends.required(.sqlite))
    }

    func testThirtyTwoProcessesInsertingFiftyUsageRowsEachLoseNothingOnPostgreSQL() throws {
        try thirtyTwoProcessesInsertingFiftyUsageRowsEachLoseNothing(try StoreBackends.required(.postgres))
    }

    private func thirtyTwoProcessesInsertingFiftyUsageRowsEachLoseNothing(_ subject: StoreUnderTest) throws {
        let started = Date()
        let children = try (0..<Self.processes).map { index in
            try ChildProcess.spawn(
                executable: BuildProducts.path("store-probe"), arguments: ["user-\(index % 4)", String(Self.rowsEach)],
                environment: ProcessInfo.processInfo.environment.merging(["GATEWAY_DATABASE_URL": subject.url]) { $1 },
                stdio: .inherit)
        }
        let statuses = children.map { $0.wait() }
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(statuses, Array(repeating: 0, count: Self.processes), "every process finished without an error (\(subject.backend))")

        let rows = try subject.store.usage(Fixtures.service, UsageFilter(scope: .allUsers, limit: 10_000))
        XCTAssertEqual(rows.count, Self.processes * Self.rowsEach, "\(subject.backend)")
        XCTAssertEqual(Set(rows.map(\.id)).count, rows.count, "\(subject.backend)")
        let total = Self.processes * Self.rowsEach
        print(
            String(
                format: "figure: %@: %d processes x %d usage rows = %d rows in %.2f s (%.0f rows/s, process start included)",
                subject.backend.rawValue, Self.processes, Self.rowsEach, total, seconds, Double(total) / seconds))
    }
}
