import Foundation
import Gateway
import GatewayStore
import Synchronization
import TestSupport
import XCTest

/// How a FastCGI worker uses its store: on a thread of its own (a request waiting for the database does
/// not hold one of the Swift concurrency pool's threads, which the streams in progress need), and
/// group-committed (rows queued for a batch are written before a worker told to stop exits).
final class WorkerStoreTests: XCTestCase {
    private func streamingBed(databaseURL: String? = nil) throws -> (ChatTestbed, MockUpstream) {
        let (bed, mock) = try ChatTestbed.connectedToOpenAIMock(.fastcgi, databaseURL: databaseURL, chunks: 60)
        XCTAssertEqual(try bed.chat(ChatTestbed.request("gpt-4o-mini")).head?.status, 200, "the worker is up")
        return (bed, mock)
    }

    private static func post(_ client: HTTPTestClient, token: String, stream: Bool) throws -> HTTPTestClient.TimedResponse {
        try client.request(
            "POST", "/functions/v1/v1-chat/v1/chat/completions",
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
            body: Array(ChatTestbed.request("gpt-4o-mini", stream: stream).utf8))
    }

    /// Another process holds SQLite's write lock for 3 s while a stream (a chunk every 100 ms) is in
    /// progress and four more requests arrive, each waiting to register in flight: more waiters than
    /// the pool has threads. The stream's chunks keep coming meanwhile, and the four are served after.
    func testAStreamKeepsFlowingWhileAnotherProcessHoldsSQLitesWriteLock() throws {
        try XCTSkipIf(GatewayTestEnvironment.backend == .postgres, "SQLite's write lock")
        let path = "\(try temporaryDirectory("write-lock"))/gateway.db"
        let (bed, _) = try streamingBed(databaseURL: "sqlite://\(path)")
        let client = try bed.runnerClient()
        let token = bed.token
        let finished = DispatchGroup()
        let stream = Mutex<HTTPTestClient.TimedResponse?>(nil)
        let waiters = Mutex<[Int]>([])
        finished.enter()
        Thread.detachNewThread {
            defer { finished.leave() }
            let response = try? Self.post(client, token: token, stream: true)
            stream.withLock { $0 = response }
        }
        Thread.sleep(forTimeInterval: 1)

        let holder = try SQLiteConnection(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        let heldFrom = epochMilliseconds()
        for _ in 0..<4 {
            finished.enter()
            Thread.detachNewThread {
                defer { finished.leave() }
                let status = (try? Self.post(client, token: token, stream: false))?.status ?? 0
                waiters.withLock { $0.append(status) }
            }
        }
        Thread.sleep(forTimeInterval: 3)
        let heldUntil = epochMilliseconds()
        try holder.execute("COMMIT")
        XCTAssertEqual(finished.wait(timeout: .now() + 30), .success, "the stream and the waiting requests end")

        let events = try XCTUnwrap(stream.withLock { $0 }, "the stream answered").events
        XCTAssertEqual(events.last?.data, "[DONE]", "the stream completed")
        // From 0.5 s into the hold (the waiters are queued by then) to its end: about 25 chunks at 100 ms.
        let during = events.map(\.receivedAtMs).filter { $0 >= heldFrom + 500 && $0 <= heldUntil }
        XCTAssertGreaterThanOrEqual(during.count, 15, "chunks arrived while the lock was held: \(during.count)")
        let gaps = zip(during.dropFirst(), during).map { $0 - $1 }
        XCTAssertLessThan(gaps.max() ?? .max, 1_000, "no pause of a second or more in the stream: \(gaps)")
        XCTAssertEqual(waiters.withLock { $0 }, [200, 200, 200, 200], "the requests that waited for the lock were served after it")
        XCTAssertEqual(try bed.rows(waitingFor: 6).count, 6, "and every request has its row")
    }

    /// Eight clients keep a worker busy; it is told to stop (SIGTERM) mid-run. Every answer a client
    /// received has exactly its own row, a success, written before the worker exited (none is left for
    /// recovery as `process_died`), and local-runner's new worker serves the requests after.
    func testAWorkerStoppedUnderLoadLeavesTheRowOfEveryRequestItAnswered() throws {
        let (bed, _) = try streamingBed()
        let client = try bed.runnerClient()
        let token = bed.token
        let pid = try XCTUnwrap(bed.workerPID(), "the v1-chat worker's pid")
        let answered = Mutex<[(status: Int, id: String?)]>([])
        let stop = Atomic(false)
        let clients = DispatchGroup()
        for _ in 0..<8 {
            clients.enter()
            Thread.detachNewThread {
                defer { clients.leave() }
                while !stop.load(ordering: .relaxed) {
                    guard let response = try? Self.post(client, token: token, stream: false) else { continue }
                    answered.withLock { $0.append((response.status, response.headers["x-request-id"])) }
                }
            }
        }
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertEqual(kill(pid, SIGTERM), 0)
        let deadline = Date().addingTimeInterval(15)
        while (bed.workerPID() ?? pid) == pid, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertNotEqual(bed.workerPID() ?? pid, pid, "local-runner started a new worker")
        Thread.sleep(forTimeInterval: 1)
        stop.store(true, ordering: .relaxed)
        XCTAssertEqual(clients.wait(timeout: .now() + 30), .success)

        let served = answered.withLock { $0 }.filter { $0.status == 200 }
        let ids = served.compactMap(\.id)
        XCTAssertEqual(ids.count, served.count, "every answer names its usage row")
        XCTAssertGreaterThan(served.count, 50, "the worker was under load: \(served.count) answers")
        let rows = try bed.rows(waitingFor: ids.count + 1)
        let byID = Dictionary(grouping: rows, by: \.id)
        let missing = ids.filter { byID[$0] == nil }
        XCTAssertEqual(missing.count, 0, "answered requests without a row: \(missing.count) of \(ids.count)")
        XCTAssertTrue(ids.allSatisfy { byID[$0]?.count == 1 && byID[$0]?.first?.status == .success }, "each answered request has one success row")
        XCTAssertEqual(rows.filter { $0.errorCode == "process_died" }.count, 0, "nothing was left for recovery")
        let inFlight = try bed.store.inFlightRequests(
            bed.service, host: ProcessIdentity.current.host, hostBefore: .max, anyHostBefore: .max, limit: 10)
        XCTAssertEqual(inFlight.count, 0, "no request is left in flight")
    }

    /// Eight streams in progress when the worker is told to stop, and another process holds SQLite's
    /// write lock until a second after the last stream ended: the eight rows are queued when the worker
    /// has drained. It writes them (once the lock is free) before it exits, so none is recovered as `process_died`.
    func testRowsStillQueuedWhenAStoppedWorkerHasDrainedAreWrittenBeforeItExits() throws {
        try XCTSkipIf(GatewayTestEnvironment.backend == .postgres, "SQLite's write lock")
        let path = "\(try temporaryDirectory("queued-at-exit"))/gateway.db"
        let (bed, _) = try streamingBed(databaseURL: "sqlite://\(path)")
        let client = try bed.runnerClient()
        let token = bed.token
        let pid = try XCTUnwrap(bed.workerPID(), "the v1-chat worker's pid")
        let streams = 8
        let answers = Mutex<[HTTPTestClient.TimedResponse]>([])
        let clients = DispatchGroup()
        for _ in 0..<streams {
            clients.enter()
            Thread.detachNewThread {
                defer { clients.leave() }
                if let response = try? Self.post(client, token: token, stream: true) { answers.withLock { $0.append(response) } }
            }
        }
        let host = ProcessIdentity.current.host
        let deadline = Date().addingTimeInterval(10)
        while try bed.store.inFlightRequests(bed.service, host: host, hostBefore: .max, anyHostBefore: 0, limit: 100).count < streams,
            Date() < deadline
        {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let holder = try SQLiteConnection(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        XCTAssertEqual(kill(pid, SIGTERM), 0)
        XCTAssertEqual(clients.wait(timeout: .now() + 12), .success, "the streams end while the lock is held")
        Thread.sleep(forTimeInterval: 1)
        try holder.execute("COMMIT")

        let served = answers.withLock { $0 }
        XCTAssertEqual(served.count, streams)
        XCTAssertTrue(served.allSatisfy { $0.events.last?.data == "[DONE]" }, "every stream was answered to its end")
        let ids = served.compactMap { $0.headers["x-request-id"] }
        XCTAssertEqual(ids.count, streams)
        let rows = try bed.rows(waitingFor: streams + 1, seconds: 10)
        let byID = Dictionary(grouping: rows, by: \.id)
        XCTAssertTrue(
            ids.allSatisfy { byID[$0]?.count == 1 && byID[$0]?.first?.status == .success },
            "each stream has its success row: \(ids.map { byID[$0]?.first?.errorCode ?? byID[$0]?.first?.status.rawValue ?? "none" })")
    }

    /// The worker keeps its routing plans between requests; a change another process makes (here the
    /// test's own store: an alias removed, then added back to another model, then the key switched off)
    /// is seen by the worker's next request.
    func testARoutingChangeMadeByAnotherProcessIsSeenByTheWorkersNextRequest() throws {
        let (bed, mock) = try streamingBed()
        try bed.listModel("gpt-4o", on: "openai")
        _ = try bed.store.saveAlias(bed.user, ModelAlias(id: UUID().uuidString, userID: bed.user.userID, alias: "fast", modelID: "gpt-4o-mini"))
        func served(_ model: String) throws -> (status: Int?, code: String?) {
            let result = try bed.chat(ChatTestbed.request(model))
            return (result.head?.status, (result.json?["error"] as? [String: Any])?["code"] as? String)
        }
        XCTAssertEqual(try served("fast").status, 200)
        XCTAssertEqual(try served("fast").status, 200, "served again (from the kept plan)")

        XCTAssertTrue(try bed.store.deleteAlias(bed.user, named: "fast"))
        XCTAssertEqual(try served("fast").code, "model_not_found", "the removed alias is gone at once")
        _ = try bed.store.saveAlias(bed.user, ModelAlias(id: UUID().uuidString, userID: bed.user.userID, alias: "fast", modelID: "gpt-4o"))
        XCTAssertEqual(try served("fast").status, 200, "the alias is back")
        XCTAssertEqual(mock.requests.last?.json?["model"]?.stringValue, "gpt-4o", "as the model it stands for now")

        let key = try XCTUnwrap(try bed.store.userProviders(bed.user).first)
        _ = try bed.store.updateUserProvider(bed.user, id: key.id, UserProviderChange(isActive: false))
        XCTAssertEqual(try served("gpt-4o-mini").code, "model_not_found", "the switched-off key is not used")
    }
}
