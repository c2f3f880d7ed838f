import Foundation
import FunctionRuntime
import GatewayStore
import Synchronization
import TestSupport
import XCTest

/// Several gateway hosts on one PostgreSQL, as deployed: a database host and two gateway hosts, each a
/// network namespace with its own address and host name on a bridge, each gateway host running nginx
/// (the shipped FastCGI template) and a v1-chat FastCGI worker. The test process is the clients, on
/// the bridge. One user's budget and rate limit hold across both hosts; one host killed mid-run leaves
/// the other serving; every answered request has its row.
final class MultiHostTests: XCTestCase {
    /// One gateway host: nginx and the worker, and a mock OpenAI upstream on the host's own loopback
    /// (the catalogue's base URL, `http://127.0.0.1:9000/v1`, is the same for every host).
    private struct GatewayHost {
        var host: TestNetwork.Host
        var processes: [ManagedProcess]
        var client: HTTPTestClient { HTTPTestClient(host: host.address, port: 8080) }
    }

    private struct Outcome {
        var host: Int
        var status: Int
        /// A 200 whose stream ended as a stream ends (`[DONE]`): the client has its answer.
        var answered: Bool
        var requestID: String?
    }

    private var network: TestNetwork!
    private var database: PostgresTestServer!
    private var bed: ChatTestbed!
    private var gateways: [GatewayHost] = []

    override func setUpWithError() throws {
        // PostgreSQL either way: the run's second pass (every function on PostgreSQL) has nothing to add.
        try XCTSkipIf(GatewayTestEnvironment.backend == .postgres, "runs in the first pass; its hosts share a PostgreSQL of their own")
        do {
            network = try TestNetwork()
        } catch let refused as TestNetwork.Unavailable {
            print("figure: multi-host test skipped: \(refused)")
            throw XCTSkip("network namespaces are not available here: \(refused)")
        }
        database = try PostgresTestServer.on(try network.addHost("db"))
        bed = try ChatTestbed(databaseURL: try database.createDatabase())
        try bed.connect("openai", to: "http://127.0.0.1:9000/v1")
        // 32 tokens a request (12 + 20) at $1,000 per million: $0.032 each, which budgets are counted in.
        try bed.listModel("gpt-4o-mini", on: "openai", input: 1_000, output: 1_000)
        gateways = try ["gw-a", "gw-b"].map(startGateway)
    }

    override func tearDown() {
        for gateway in gateways { gateway.processes.reversed().forEach { $0.stop() } }
        gateways = []
        bed = nil
        database = nil
        network = nil
    }

    private func startGateway(_ name: String) throws -> GatewayHost {
        let host = try network.addHost(name)
        let directory = try temporaryDirectory("host-\(name)")
        var environment = ProcessInfo.processInfo.environment.merging(bed.gateway.variables) { $1 }
        environment["GATEWAY_LOG_LEVEL"] = "info"
        func start(_ executable: String, _ arguments: [String], log: String) throws -> ManagedProcess {
            let (command, commandArguments) = host.command(executable, arguments)
            return try ManagedProcess(command, commandArguments, environment: environment, logPath: "\(directory)/\(log).log")
        }
        // 20 chunks 20 ms apart: a stream is in flight for about 0.4 s.
        var processes = [try start(BuildProducts.path("bench-fixture"), ["upstream", "9000", "20"], log: "upstream")]
        processes.append(try start(BuildProducts.path("v1-chat"), ["--fastcgi", "\(directory)/v1-chat.sock"], log: "v1-chat"))
        try ManagedProcess.waitUntilAccepting(.unix(path: "\(directory)/v1-chat.sock"))
        let configuration = WebServerConfiguration(
            server: .nginx, contract: .fastcgi, directory: directory, port: 8080,
            values: ["@FUNCTIONS@": "v1-chat", "@SOCKET_DIR@": directory, "@CONSOLE_DIR@": WebServerDeployment.consoleDirectory],
            apacheUser: nil, address: host.address)
        try configuration.write()
        processes.append(try start(try WebServerDeployment.tool("nginx"), configuration.arguments, log: "nginx"))
        try ManagedProcess.waitUntilAccepting(.tcp(host: host.address, port: 8080))
        return GatewayHost(host: host, processes: processes)
    }

    /// `clientsPerHost` clients on each host, each sending streamed chats one after another until it
    /// has sent `requestsPerClient` or `seconds` have passed; `during` runs meanwhile.
    private func load(
        clientsPerHost: Int, requestsPerClient: Int = .max, seconds: Double = 60, during: () -> Void = {}
    ) -> [Outcome] {
        let outcomes = Mutex<[Outcome]>([])
        let group = DispatchGroup()
        let deadline = Date().addingTimeInterval(seconds)
        let body = Array(ChatTestbed.request("gpt-4o-mini", stream: true).utf8)
        let headers = ["Authorization": "Bearer \(bed.token)", "Content-Type": "application/json"]
        for (index, gateway) in gateways.enumerated() {
            for _ in 0..<clientsPerHost {
                group.enter()
                let client = gateway.client
                Thread.detachNewThread {
                    defer { group.leave() }
                    var sent = 0
                    while sent < requestsPerClient, Date() < deadline {
                        sent += 1
                        let outcome: Outcome
                        if let response = try? client.request("POST", "/functions/v1/v1-chat/v1/chat/completions", headers: headers, body: body) {
                            let answered = response.status == 200 && response.events.last?.data == "[DONE]"
                            outcome = Outcome(host: index, status: response.status, answered: answered, requestID: response.headers["x-request-id"])
                        } else {
                            outcome = Outcome(host: index, status: 0, answered: false, requestID: nil)
                            usleep(20_000)  // a host that is gone refuses at once: do not spin
                        }
                        outcomes.withLock { $0.append(outcome) }
                    }
                }
            }
        }
        during()
        XCTAssertEqual(group.wait(timeout: .now() + seconds + 30), .success, "every client's requests ended")
        return outcomes.withLock { $0 }
    }

    private func saveBudget(_ budget: UsageBudget) throws {
        _ = try bed.store.saveBudget(bed.user, budget)
    }

    func testOneUsersRateLimitHoldsExactlyAcrossBothHosts() throws {
        try saveBudget(UsageBudget(id: "limit", userID: bed.user.userID, requestsPerMinute: 24))
        let outcomes = load(clientsPerHost: 4, requestsPerClient: 6)
        let served = outcomes.filter { $0.status == 200 }
        print(
            "figure: rate limit 24/min, 48 requests through 2 hosts x 4 clients: \(served.count) served, "
                + "\(outcomes.filter { $0.status == 429 }.count) refused, by host \(Set(served.map(\.host)).sorted().map { h in served.filter { $0.host == h }.count })"
        )
        XCTAssertEqual(served.count, 24, "the request limit is never overshot, nor refused early: \(outcomes.map(\.status))")
        XCTAssertEqual(outcomes.filter { $0.status == 429 }.count, 24)
        XCTAssertEqual(Set(served.map(\.host)), [0, 1], "both hosts served")
        XCTAssertTrue(served.allSatisfy(\.answered))
    }

    func testOneUsersSpendingBudgetIsOvershotOnlyByRequestsInFlight() throws {
        let costPerRequest = 0.032  // 12 prompt + 20 completion tokens at $1,000 per million
        let budget = 0.3  // used up by the 10th request
        let clients = 8
        try saveBudget(UsageBudget(id: "budget", userID: bed.user.userID, monthlyBudgetUSD: budget))
        let outcomes = load(clientsPerHost: clients / 2, requestsPerClient: 5)
        let served = outcomes.filter { $0.status == 200 }.count
        let spent = try bed.store.usage(bed.user, UsageFilter(limit: 1_000)).compactMap(\.costUSD).reduce(0, +)
        print(
            String(
                format: "figure: budget $%.3f across 2 hosts x 4 clients: %d served, $%.3f spent (bound: budget + %d in flight)", budget, served,
                spent, clients - 1))
        XCTAssertGreaterThanOrEqual(served, 10, "nothing is refused before the budget is used up")
        XCTAssertLessThanOrEqual(served, 10 + clients - 1, "overshot only by the requests already in flight: \(outcomes.map(\.status))")
        XCTAssertLessThanOrEqual(spent, budget + Double(clients) * costPerRequest + 1e-9)
        XCTAssertTrue(outcomes.allSatisfy { [200, 429].contains($0.status) }, "\(outcomes.map(\.status))")
    }

    func testAHostKilledMidRunLeavesTheOtherServingAndEveryAnsweredRequestItsRow() throws {
        var killedAt = Date.distantFuture
        let outcomes = load(clientsPerHost: 4, seconds: 4) {
            Thread.sleep(forTimeInterval: 1.5)
            killedAt = Date()
            for process in gateways[0].processes { process.child.signal(SIGKILL) }
        }
        let survivor = outcomes.filter { $0.host == 1 }, killed = outcomes.filter { $0.host == 0 }
        let survivorAnswered = survivor.filter(\.answered)
        print(
            "figure: host killed at 1.5 s of 4 s: survivor answered \(survivorAnswered.count) of \(survivor.count); "
                + "killed host answered \(killed.filter(\.answered).count), \(killed.filter { $0.status == 0 }.count) refused or cut")
        XCTAssertTrue(survivor.allSatisfy(\.answered), "the other host kept serving: \(survivor.map(\.status))")
        XCTAssertGreaterThan(survivorAnswered.count, 20, "it served on after the kill at \(killedAt)")
        XCTAssertGreaterThan(killed.filter { !$0.answered }.count, 0, "the killed host stopped answering")

        // The survivor writes each row just after its answer: wait for them, then count.
        let answeredIDs = Set(outcomes.filter(\.answered).compactMap(\.requestID))
        var rows: [UsageRecord] = []
        let deadline = Date().addingTimeInterval(10)
        repeat {
            rows = try bed.store.usage(bed.user, UsageFilter(limit: 100_000))
            if Set(survivorAnswered.compactMap(\.requestID)).isSubset(of: Set(rows.map(\.id))) { break }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        let inFlight = try bed.store.inFlightRequests(bed.service, host: "gw-a", hostBefore: .max, anyHostBefore: .max, limit: 1_000)
        let succeeded = Set(rows.filter { $0.status == .success }.map(\.id))
        XCTAssertEqual(rows.count, Set(rows.map(\.id)).count, "one row per request")
        XCTAssertTrue(Set(survivorAnswered.compactMap(\.requestID)).isSubset(of: succeeded), "every request the survivor answered has its row")
        // The killed host's requests: answered and written, or still registered in flight (a later
        // `process_died` row once they are stale), never neither.
        let unaccounted = answeredIDs.subtracting(succeeded).subtracting(inFlight.map(\.id))
        XCTAssertEqual(unaccounted, [], "answered requests with neither a row nor an in-flight registration")
        XCTAssertEqual(succeeded.count, answeredIDs.count - answeredIDs.intersection(inFlight.map(\.id)).count, "rows = answered requests")
        XCTAssertTrue(inFlight.allSatisfy { $0.host == "gw-a" }, "only the killed host's requests are left in flight")
        print(
            "figure: rows \(rows.count) (\(succeeded.count) success), answered \(answeredIDs.count), left in flight on the killed host \(inFlight.count)"
        )
    }
}
