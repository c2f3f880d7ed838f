import Foundation
import FunctionHost
import FunctionRuntime
import Synchronization
import TestSupport
import XCTest

/// v1-chat as a FastCGI worker, straight from many clients without KEEP_CONN (nginx's default): no
/// request is cut, and every one leaves one `success` row. (About 1 in 1,000 to 5,000 was cut when a
/// late `shutdown` hit the descriptor number `accept` had just given the next connection.)
final class FastCGIConcurrencyTests: XCTestCase {
    func testThousandsOfConcurrentChatsWithoutKeepConnAreAllServedAndLogged() throws {
        let gateway = try GatewayTestEnvironment(label: "fcgi-concurrency")
        let mock = try MockUpstream { _ in
            .json(status: 200, body: ProviderWire.openAICompletion("ok", model: "gpt-4o-mini", prompt: 3, completion: 1))
        }
        let bed = try ChatTestbed(.cgi, databaseURL: gateway.databaseURL)
        try bed.connect("openai", to: mock.baseURL + "/v1")
        try bed.listModel("gpt-4o-mini", on: "openai")
        let address = SocketAddress.unix(path: "\(gateway.directory)/chat.sock")
        let worker = try ManagedProcess(
            BuildProducts.path("v1-chat"), ["--fastcgi", address.description],
            environment: ProcessInfo.processInfo.environment.merging(bed.gateway.variables) { $1 },
            logPath: "\(gateway.directory)/worker.log")
        defer { worker.stop() }
        try ManagedProcess.waitUntilAccepting(address)

        let body = Array(ChatTestbed.request("gpt-4o-mini").utf8)
        let params = [
            ("REQUEST_METHOD", "POST"), ("PATH_INFO", "/v1/chat/completions"), ("CONTENT_TYPE", "application/json"),
            ("CONTENT_LENGTH", String(body.count)), ("HTTP_AUTHORIZATION", "Bearer \(bed.token)"),
        ]
        let clients = 16, perClient = 300
        let served = Mutex(0), failures = Mutex<[String]>([])
        let deadline = Date().addingTimeInterval(90)
        DispatchQueue.concurrentPerform(iterations: clients) { _ in
            for _ in 0..<perClient where Date() < deadline {
                do {
                    let connection = try FastCGIClientConnection(address: address)
                    try connection.sendRequest(params: params, body: body)
                    let response = try connection.readResponse()
                    if response.end?.protocolStatus == 0, String(decoding: response.stdout.prefix(16), as: UTF8.self).hasPrefix("Status: 200") {
                        served.withLock { $0 += 1 }
                    } else {
                        failures.withLock { $0.append("cut after \(response.stdout.count) bytes") }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [], "no request was cut")
        XCTAssertEqual(served.withLock { $0 }, clients * perClient)
        let rows = try bed.rows(waitingFor: clients * perClient, seconds: 10)
        XCTAssertEqual(rows.count, clients * perClient, "one row per request")
        XCTAssertEqual(rows.filter { $0.status == .success }.count, clients * perClient, "every row success")
    }
}
