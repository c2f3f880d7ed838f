import Foundation
import Gateway
import GatewayStore
import TestSupport
import XCTest

/// Every request that reached a function leaves exactly one usage row, whatever the database or the
/// process does: requests are refused (503, Retry-After) rather than served unmetered, rows that could
/// not be written are written later, and requests of a process that died are recovered.
final class UsageDurabilityTests: XCTestCase {
    private let service = Caller(userID: "service", role: .serviceRole)

    private func connectedBed(_ mode: ChatTestbed.Mode, databaseURL: String? = nil) throws -> (ChatTestbed, MockUpstream) {
        try ChatTestbed.connectedToOpenAIMock(mode, databaseURL: databaseURL, chunks: 100)
    }

    private func assertRefusedAsUnavailable(
        _ result: CGIInvocation.Result, codes: Set<String>, _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(result.head?.status, 503, "\(what): \(result.text)", file: file, line: line)
        XCTAssertNotNil(result.head?.headers["Retry-After"] ?? result.head?.headers["retry-after"], "\(what): Retry-After", file: file, line: line)
        let code = (result.json?["error"] as? [String: Any])?["code"] as? String ?? ""
        XCTAssertTrue(codes.contains(code), "\(what): \(code)", file: file, line: line)
    }

    /// The served requests' rows are there; a refused request's row, if its process could keep it until
    /// the database came back (a worker does, a CGI process gives up after about 2 s), says why it was refused.
    private func assertEveryServedRequestHasItsRow(
        _ bed: ChatTestbed, served: Int, refusedCodes: Set<String>, _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        // A worker writes a row just after its answer: wait (a little) for the served ones.
        var rows = try bed.rows()
        let deadline = Date().addingTimeInterval(5)
        while rows.filter({ $0.status == .success }).count < served, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            rows = try bed.rows()
        }
        XCTAssertEqual(rows.filter { $0.status == .success }.count, served, "\(what): \(rows.map { $0.errorCode ?? "ok" })", file: file, line: line)
        for row in rows where row.status != .success {
            XCTAssertTrue(
                row.status == .error && refusedCodes.contains(row.errorCode ?? ""), "\(what): \(row.errorCode ?? "")", file: file, line: line)
        }
    }

    /// Fills a volume to the last byte; the filler's path.
    private func fill(_ volume: String) throws -> String {
        let path = "\(volume)/filler"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw TestFailure("cannot create \(path)") }
        defer { close(fd) }
        for size in [1 << 20, 4096, 1] {
            let block = [UInt8](repeating: 0, count: size)
            while write(fd, block, size) == size {}
        }
        return path
    }

    /// The SQLite volume full: requests are refused while it lasts, served again by themselves after,
    /// and nothing is served meanwhile without its row. (A reader holds a snapshot, as a long
    /// statistics query would, so that SQLite must grow its log instead of reusing it.)
    func testRequestsAreRefusedWhileTheDatabaseCannotBeWrittenAndServedAgainAfterUnderCGI() throws {
        try requestsAreRefusedWhileTheDatabaseCannotBeWrittenAndServedAgainAfter(.cgi)
    }

    func testRequestsAreRefusedWhileTheDatabaseCannotBeWrittenAndServedAgainAfterUnderFastCGI() throws {
        try requestsAreRefusedWhileTheDatabaseCannotBeWrittenAndServedAgainAfter(.fastcgi)
    }

    private func requestsAreRefusedWhileTheDatabaseCannotBeWrittenAndServedAgainAfter(_ mode: ChatTestbed.Mode) throws {
        try XCTSkipIf(GatewayTestEnvironment.backend == .postgres, "the SQLite volume; PostgreSQL outages have their own test")
        let volume = try temporaryDirectory("volume")
        guard SystemTool.run("/bin/mount", ["-t", "tmpfs", "-o", "size=32m", "tmpfs", volume]) else {
            if SystemTool.runningInCI { XCTFail("cannot mount a tmpfs (CI runs as root)") }
            throw XCTSkip("mounting a volume needs root")
        }
        defer { _ = SystemTool.run("/bin/umount", ["-l", volume]) }
        let url = "sqlite://\(volume)/gateway.db"
        let (bed, _) = try connectedBed(mode, databaseURL: url)
        XCTAssertEqual(try bed.chat(ChatTestbed.request("gpt-4o-mini")).head?.status, 200)
        _ = try bed.rows(waitingFor: 1)

        // SQLite writes its log from the start again once a checkpoint has copied all of it back and no reader
        // needs it, in the file's old space: the log is emptied first, and a write after the reader's snapshot,
        // which no checkpoint may copy back while the reader lasts, keeps it from starting over. Every write
        // after that needs new space. (Without both, the worker's checkpointer sometimes freed the old space in
        // time, and the first requests were served in it.)
        let writer = try SQLiteConnection(path: "\(volume)/gateway.db")
        try writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let reader = try SQLiteConnection(path: "\(volume)/gateway.db")
        try reader.execute("BEGIN")
        _ = try reader.query("SELECT COUNT(*) AS n FROM aggregator_usage_logs")
        try writer.execute("CREATE TABLE log_pin (x INTEGER); INSERT INTO log_pin VALUES (1)")
        let filler = try fill(volume)
        var refused = 0
        for index in 0..<5 {
            let result = try bed.chat(ChatTestbed.request("gpt-4o-mini"))
            if result.head?.status == 503 { refused += 1 }
            assertRefusedAsUnavailable(result, codes: ["usage_log_unavailable", "database_unavailable"], "\(mode) volume full #\(index)")
        }
        XCTAssertEqual(refused, 5)
        unlink(filler)
        try reader.execute("COMMIT")
        let resumed = try bed.chat(ChatTestbed.request("gpt-4o-mini"))
        XCTAssertEqual(resumed.head?.status, 200, "\(mode): served again as soon as writes succeed: \(resumed.text)")
        try assertEveryServedRequestHasItsRow(bed, served: 2, refusedCodes: ["usage_log_unavailable", "database_unavailable"], "\(mode)")
    }

    /// PostgreSQL stopped under a running worker: 503 database_unavailable with Retry-After (not 500),
    /// and the first request after the restart is served.
    func testAPostgreSQLOutageIs503AndTheFirstRequestAfterTheRestartIsServedUnderCGI() throws {
        try aPostgreSQLOutageIs503AndTheFirstRequestAfterTheRestartIsServed(.cgi)
    }

    func testAPostgreSQLOutageIs503AndTheFirstRequestAfterTheRestartIsServedUnderFastCGI() throws {
        try aPostgreSQLOutageIs503AndTheFirstRequestAfterTheRestartIsServed(.fastcgi)
    }

    private func aPostgreSQLOutageIs503AndTheFirstRequestAfterTheRestartIsServed(_ mode: ChatTestbed.Mode) throws {
        guard let server = try PostgresTestServer.dedicated() else { throw XCTSkip("PostgreSQL is not installed") }
        let (bed, _) = try connectedBed(mode, databaseURL: try server.createDatabase())
        XCTAssertEqual(try bed.chat(ChatTestbed.request("gpt-4o-mini")).head?.status, 200)
        server.stop()
        for index in 0..<5 {
            assertRefusedAsUnavailable(
                try bed.chat(ChatTestbed.request("gpt-4o-mini")), codes: ["database_unavailable"], "\(mode) outage #\(index)")
        }
        try server.start()
        let resumed = try bed.chat(ChatTestbed.request("gpt-4o-mini"))
        XCTAssertEqual(resumed.head?.status, 200, "\(mode): no failure after the restart: \(resumed.text)")
        try assertEveryServedRequestHasItsRow(bed, served: 2, refusedCodes: ["database_unavailable"], "\(mode)")
    }

    /// A worker killed (SIGKILL) during 20 streams: every client's response ends at once, and as a failure
    /// (cut, never a `[DONE]`); the rows committed before stay as they were; local-runner starts the worker
    /// again, which serves the next request and turns the 20 requests into `process_died` rows, once each.
    func testRequestsOfAWorkerKilledMidStreamBecomeProcessDiedRows() throws {
        let (bed, _) = try connectedBed(.fastcgi)
        XCTAssertEqual(try bed.chat(ChatTestbed.request("gpt-4o-mini")).head?.status, 200)
        let committed = try bed.rows(waitingFor: 1)
        XCTAssertEqual(committed.count, 1)
        let streams = 20
        let group = DispatchGroup()
        let endpoint = try bed.endpoint()
        let collected = Collected<BoundedResponse>()
        for _ in 0..<streams {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                // The mock's streams last 10 s: a response still open at 20 s is a hang.
                guard let response = try? endpoint.chat(ChatTestbed.request("gpt-4o-mini", stream: true), within: 20) else { return }
                collected.append(response)
            }
        }
        let host = ProcessIdentity.current.host
        var inFlight: [InFlightRequest] = []
        let deadline = Date().addingTimeInterval(10)
        while inFlight.count < streams, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            inFlight = try bed.store.inFlightRequests(service, host: host, hostBefore: .max, anyHostBefore: 0, limit: 100)
        }
        XCTAssertEqual(inFlight.count, streams, "all streams in flight")
        let pids = Set(inFlight.compactMap { Int32($0.process.split(separator: "/")[1]) })
        XCTAssertEqual(pids.count, 1, "one worker serves them")
        for pid in pids { kill(pid, SIGKILL) }
        let killedAt = Date()

        // The first request after the kill that is served (while local-runner restarts the worker, requests may fail).
        var refusedMeanwhile = 0
        var servedAfter: Double?
        while servedAfter == nil, Date().timeIntervalSince(killedAt) < 15 {
            if try bed.boundedChat(ChatTestbed.request("gpt-4o-mini"), within: 10).status == 200 {
                servedAfter = Date().timeIntervalSince(killedAt)
            } else {
                refusedMeanwhile += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        XCTAssertNotNil(servedAfter, "local-runner started the worker again, and it serves")
        XCTAssertEqual(group.wait(timeout: .now() + 25), .success, "the clients' connections end")

        let responses = collected.all
        XCTAssertEqual(responses.count, streams, "every client had an answer")
        let endedAfterKill = responses.map { $0.endedAt.timeIntervalSince(killedAt) }
        for (response, seconds) in zip(responses, endedAfterKill) {
            XCTAssertFalse(response.timedOut, "a client's stream never ended")
            XCTAssertLessThan(seconds, 5, "a client's stream ended \(seconds) s after the kill")
            XCTAssertFalse(response.events.contains("[DONE]"), "a killed stream must not end as a complete one")
            // A stream under way is cut (no last chunk); one whose head had not left the worker yet gets local-runner's error answer.
            if response.status == 200 {
                XCTAssertFalse(response.endedCleanly, "the client sees the stream cut, not ended: \(response.text.suffix(200))")
            } else {
                XCTAssertGreaterThanOrEqual(response.status ?? 0, 500, response.text)
                XCTAssertNotNil(response.errorCode, "an error answer: \(response.text)")
            }
        }

        let rows = try bed.rows(waitingFor: streams + 2, seconds: 15)
        let recovered = rows.filter { $0.status != .success }
        XCTAssertEqual(recovered.count, streams, "the new worker recovered every request")
        XCTAssertEqual(Set(recovered.map(\.id)), Set(inFlight.map(\.id)), "as the very requests, once each")
        XCTAssertTrue(recovered.allSatisfy { $0.status == .error && $0.errorCode == "process_died" }, "\(recovered.map { $0.errorCode ?? "" })")
        for row in committed { XCTAssertEqual(rows.first { $0.id == row.id }, row, "a row committed before the kill is unchanged") }
        XCTAssertEqual(try bed.store.inFlightRequests(service, host: host, hostBefore: .max, anyHostBefore: .max, limit: 100).count, 0)
        print(
            "figure: worker killed during \(streams) streams: every stream cut within \(twoDecimals(endedAfterKill.max() ?? -1)) s of the kill, "
                + "none with [DONE] (\(responses.filter { $0.status == 200 }.count) cut mid-stream, "
                + "\(responses.filter { $0.status != 200 }.count) answered \(Set(responses.compactMap { $0.status == 200 ? nil : $0.status }).sorted()) before their head); "
                + "first request served \(twoDecimals(servedAfter ?? -1)) s after the kill (\(refusedMeanwhile) refused meanwhile)")
    }
}
