import Foundation
import FunctionHost
import Gateway
import GatewayStore
import Logging
import TestSupport
import XCTest

/// In-flight requests on both backends: a dead process's become exactly one `process_died` row each;
/// live ones, and those of this very process, are left alone.
final class InFlightRecoveryStoreTests: XCTestCase {
    private let alice = Fixtures.alice
    private let logger = Logger(label: "test")

    /// A process that existed and has exited: its identity can never be running again.
    private func deadProcess() throws -> String {
        let child = try ChildProcess.spawn(executable: "/bin/sleep", arguments: ["30"], environment: [:])
        var key: String?
        for _ in 0..<100 where key == nil {
            key = ProcessIdentity.processKey(of: child.pid)
            usleep(5_000)
        }
        child.signal(SIGKILL)
        child.wait()
        return try XCTUnwrap(key)
    }

    private func inFlight(_ id: String, process: String, host: String = ProcessIdentity.current.host, at time: Int64) -> InFlightRequest {
        InFlightRequest(id: id, userID: alice.userID, function: "v1-chat", createdAt: time, host: host, process: process)
    }

    func testRequestsOfADeadProcessBecomeOneProcessDiedRowEachOnSQLite() throws {
        try requestsOfADeadProcessBecomeOneProcessDiedRowEach(try StoreBackends.required(.sqlite))
    }

    func testRequestsOfADeadProcessBecomeOneProcessDiedRowEachOnPostgreSQL() throws {
        try requestsOfADeadProcessBecomeOneProcessDiedRowEach(try StoreBackends.required(.postgres))
    }

    private func requestsOfADeadProcessBecomeOneProcessDiedRowEach(_ subject: StoreUnderTest) throws {
        let store = subject.store, now = Int64(Date().timeIntervalSince1970 * 1000)
        let dead = try deadProcess()
        for index in 0..<3 { try store.beginRequest(alice, inFlight("dead-\(index)", process: dead, at: now - 5_000)) }
        let log = UsageLog(logger: logger)
        XCTAssertEqual(try log.recoverDeadRequests(store: store, now: now), 3, "\(subject.backend)")
        XCTAssertEqual(try log.recoverDeadRequests(store: store, now: now), 0, "\(subject.backend): exactly once")
        let rows = try store.usage(alice, UsageFilter())
        XCTAssertEqual(Set(rows.map(\.id)), ["dead-0", "dead-1", "dead-2"], "\(subject.backend)")
        XCTAssertTrue(rows.allSatisfy { $0.status == .error && $0.errorCode == "process_died" && $0.function == "v1-chat" }, "\(subject.backend)")
        XCTAssertEqual(rows.first?.createdAt, now - 5_000, "\(subject.backend): at the time the request arrived")
    }

    func testRequestsOfLiveProcessesAreLeftInFlightOnSQLite() throws {
        try requestsOfLiveProcessesAreLeftInFlight(try StoreBackends.required(.sqlite))
    }

    func testRequestsOfLiveProcessesAreLeftInFlightOnPostgreSQL() throws {
        try requestsOfLiveProcessesAreLeftInFlight(try StoreBackends.required(.postgres))
    }

    private func requestsOfLiveProcessesAreLeftInFlight(_ subject: StoreUnderTest) throws {
        let store = subject.store, now = Int64(Date().timeIntervalSince1970 * 1000)
        let parent = try XCTUnwrap(ProcessIdentity.processKey(of: getppid()))
        try store.beginRequest(alice, inFlight("live-other", process: parent, at: now - 5_000))
        let log = UsageLog(logger: logger)
        XCTAssertEqual(try log.recoverDeadRequests(store: store, now: now), 0, "\(subject.backend): its process runs")
        XCTAssertEqual(try store.usage(alice, UsageFilter()).count, 0, "\(subject.backend)")
    }

    func testAnotherHostsRequestsAreRecoveredOnlyOnceStaleOnSQLite() throws {
        try anotherHostsRequestsAreRecoveredOnlyOnceStale(try StoreBackends.required(.sqlite))
    }

    func testAnotherHostsRequestsAreRecoveredOnlyOnceStaleOnPostgreSQL() throws {
        try anotherHostsRequestsAreRecoveredOnlyOnceStale(try StoreBackends.required(.postgres))
    }

    private func anotherHostsRequestsAreRecoveredOnlyOnceStale(_ subject: StoreUnderTest) throws {
        let store = subject.store, now = Int64(Date().timeIntervalSince1970 * 1000)
        try store.beginRequest(alice, inFlight("elsewhere-young", process: "boot/1/1", host: "other-host", at: now - 60_000))
        try store.beginRequest(alice, inFlight("elsewhere-old", process: "boot/1/1", host: "other-host", at: now - 7_200_000))
        let log = UsageLog(staleAfterMilliseconds: 3_600_000, logger: logger)
        XCTAssertEqual(try log.recoverDeadRequests(store: store, now: now), 1, "\(subject.backend)")
        XCTAssertEqual(try store.usage(alice, UsageFilter()).map(\.id), ["elsewhere-old"], "\(subject.backend)")
    }

    func testTheRequestsUsageRowReplacesItsInFlightRowAndBudgetsCountOnlyAdmittedOnesOnSQLite() throws {
        try theRequestsUsageRowReplacesItsInFlightRowAndBudgetsCountOnlyAdmittedOnes(try StoreBackends.required(.sqlite))
    }

    func testTheRequestsUsageRowReplacesItsInFlightRowAndBudgetsCountOnlyAdmittedOnesOnPostgreSQL() throws {
        try theRequestsUsageRowReplacesItsInFlightRowAndBudgetsCountOnlyAdmittedOnes(try StoreBackends.required(.postgres))
    }

    private func theRequestsUsageRowReplacesItsInFlightRowAndBudgetsCountOnlyAdmittedOnes(_ subject: StoreUnderTest) throws {
        let store = subject.store, now = Int64(Date().timeIntervalSince1970 * 1000)
        try store.beginRequest(alice, inFlight("r1", process: ProcessIdentity.current.process, at: now))
        _ = try store.saveBudget(alice, UsageBudget(id: UUID().uuidString, userID: alice.userID, providerID: "", requestsPerMinute: 1))
        let states = try store.admitRequest(alice, reservationID: "r2", modelRequested: "m", now: now) { _ in true }
        XCTAssertEqual(states.first?.consumption.minuteRequests, 0, "\(subject.backend): r1 is in flight but was never admitted")
        let after = try store.budgetStates(alice, userID: alice.userID, now: now)
        XCTAssertEqual(after.first?.consumption.minuteRequests, 1, "\(subject.backend): r2 was admitted and counts")
        try store.recordUsage(alice, UsageRecord(id: "r1", userID: alice.userID, status: .success, createdAt: now))
        // r1's in-flight row went with its usage row: this process no longer has it, and nothing is recovered twice.
        XCTAssertEqual(try UsageLog(logger: logger).recoverDeadRequests(store: store, now: now + 1), 0, "\(subject.backend)")
        XCTAssertEqual(try store.usage(alice, UsageFilter()).map(\.id), ["r1"], "\(subject.backend)")
    }
}
