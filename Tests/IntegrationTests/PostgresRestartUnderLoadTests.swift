import Foundation
import TestSupport
import XCTest

/// PostgreSQL restarted while clients keep sending: the requests during the outage are refused
/// (503 `database_unavailable`, Retry-After; never a 500, never a hang), serving resumes by itself once
/// the server is back (the same worker: nothing restarts it), and every request served has exactly one row.
final class PostgresRestartUnderLoadTests: XCTestCase {
    private let clients = 4
    private let outageSeconds = 2.0

    /// One client request and its outcome.
    private struct Outcome {
        var response: BoundedResponse
        /// The mock's tag in the answer ("req-17"), which the row keeps as its upstream request id.
        var tag: String?
    }

    func testRequestsDuringAPostgreSQLRestartUnderLoadAreRefusedAndServingResumesUnderCGI() throws {
        try requestsDuringAPostgreSQLRestartUnderLoadAreRefusedAndServingResumes(.cgi)
    }

    func testRequestsDuringAPostgreSQLRestartUnderLoadAreRefusedAndServingResumesUnderFastCGI() throws {
        try requestsDuringAPostgreSQLRestartUnderLoadAreRefusedAndServingResumes(.fastcgi)
    }

    private func requestsDuringAPostgreSQLRestartUnderLoadAreRefusedAndServingResumes(_ mode: ChatTestbed.Mode) throws {
        guard let server = try PostgresTestServer.dedicated() else { throw XCTSkip("PostgreSQL is not installed") }
        let bed = try ChatTestbed(mode, databaseURL: try server.createDatabase())
        let mock = try MockUpstream.tagging()
        defer { mock.stop() }
        try bed.connect("openai", to: mock.baseURL + "/v1")
        XCTAssertEqual(try bed.boundedChat(ChatTestbed.request("gpt-4o-mini"), within: 15).status, 200)
        let worker = bed.workerPID()

        let endpoint = try bed.endpoint()
        let outcomes = Collected<Outcome>()
        let stop = Observed()
        let group = DispatchGroup()
        for _ in 0..<clients {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                while stop.value == nil {
                    // As a web server does, the next request goes as soon as an answer is complete.
                    guard let response = try? endpoint.chat(ChatTestbed.request("gpt-4o-mini"), within: 15, waitingForExit: false) else {
                        continue
                    }
                    let tag = (response.json?["choices"] as? [[String: Any]])?.first.flatMap {
                        ($0["message"] as? [String: Any])?["content"] as? String
                    }
                    outcomes.append(Outcome(response: response, tag: tag))
                    if response.status != 200 { Thread.sleep(forTimeInterval: 0.05) }
                }
            }
        }
        Thread.sleep(forTimeInterval: 1)
        server.stop()
        Thread.sleep(forTimeInterval: outageSeconds)
        try server.start()
        let upAt = Date()
        let recoveryDeadline = upAt.addingTimeInterval(15)
        var recovered: Date?
        while recovered == nil, Date() < recoveryDeadline {
            Thread.sleep(forTimeInterval: 0.02)
            recovered = outcomes.all.filter { $0.response.status == 200 && $0.response.endedAt > upAt }.map(\.response.endedAt).min()
        }
        Thread.sleep(forTimeInterval: 1)
        stop.set("stop")
        XCTAssertEqual(group.wait(timeout: .now() + 20), .success, "the clients' requests end")

        let all = outcomes.all
        let served = all.filter { $0.response.status == 200 }
        let refused = all.filter { $0.response.status != 200 }
        XCTAssertNotNil(recovered, "\(mode): served again within 15 s of the restart")
        XCTAssertGreaterThan(refused.count, 0, "\(mode): the outage was seen")
        for outcome in all {
            XCTAssertFalse(outcome.response.timedOut, "\(mode): a request hung")
            XCTAssertLessThan(outcome.response.seconds, 10, "\(mode): a request took \(outcome.response.seconds) s")
        }
        for outcome in refused {
            let response = outcome.response
            XCTAssertEqual(response.status, 503, "\(mode): never a 500: \(response.text)")
            XCTAssertEqual(response.errorCode, "database_unavailable", "\(mode): \(response.text)")
            XCTAssertNotNil(response.headers["retry-after"], "\(mode): Retry-After")
        }
        if mode == .fastcgi { XCTAssertEqual(bed.workerPID(), worker, "the worker recovered by itself, not by a restart") }
        try assertEachServedRequestHasExactlyOneRow(bed, served: served.compactMap(\.tag), mode)
        let recoverySeconds = recovered.map { $0.timeIntervalSince(upAt) } ?? -1
        print(
            "figure: PostgreSQL restarted under \(clients) clients (\(mode)): \(all.count) requests, \(refused.count) refused with 503, "
                + "first 200 \(twoDecimals(recoverySeconds)) s after the server was up again (outage \(twoDecimals(outageSeconds)) s)")
    }

    /// The warm-up's row and one success row per served request, found by the tag its answer carried;
    /// the other rows (a worker keeps a refused request's row until the database is back) say why it was refused.
    private func assertEachServedRequestHasExactlyOneRow(
        _ bed: ChatTestbed, served tags: [String], _ mode: ChatTestbed.Mode, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var rows = try bed.rows()
        let deadline = Date().addingTimeInterval(10)
        while rows.filter({ $0.status == .success }).count < tags.count + 1, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            rows = try bed.rows()
        }
        XCTAssertEqual(Set(tags).count, tags.count, "\(mode): each answer is its own request", file: file, line: line)
        XCTAssertEqual(rows.filter { $0.status == .success }.count, tags.count + 1, "\(mode): one success row per 200", file: file, line: line)
        for tag in tags {
            XCTAssertEqual(rows.filter { $0.upstreamRequestID == tag }.count, 1, "\(mode): the row of \(tag)", file: file, line: line)
        }
        for row in rows where row.status != .success {
            XCTAssertTrue(
                row.status == .error && ["database_unavailable", "usage_log_unavailable"].contains(row.errorCode ?? ""),
                "\(mode): \(row.status) \(row.errorCode ?? "")", file: file, line: line)
        }
    }
}

extension MockUpstream {
    /// An OpenAI upstream whose every answer carries its own tag (`req-N`), as its content and as its
    /// `x-request-id` (which the usage row keeps): an answer the client got can be matched to its row. It takes
    /// a quarter of a second to answer.
    static func tagging() throws -> MockUpstream {
        let counter = Collected<Int>()
        return try MockUpstream { _ in
            // A quarter of a second upstream: some requests are always under way when the database goes away.
            usleep(250_000)
            let tag = "req-\(counter.append(0))"
            return .json(
                status: 200, body: ProviderWire.openAICompletion(tag, model: "gpt-4o-mini", prompt: 5, completion: 2), headers: ["x-request-id": tag])
        }
    }
}
