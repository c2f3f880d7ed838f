import Foundation
import FunctionRuntime
import TestSupport
import XCTest

/// v1-chat behind local-runner, as CGI processes and as a FastCGI worker: answers, streams,
/// and what happens when the client hangs up in the middle of a stream.
final class ChatThroughRunnerTests: XCTestCase {
    private var runner: ManagedProcess?

    override func tearDown() {
        runner?.stop()
    }

    private func serve(_ bed: ChatTestbed, mode: String) throws -> HTTPTestClient {
        runner?.stop()
        let port = try Socket.freeLoopbackPort()
        let environment = ProcessInfo.processInfo.environment.merging(bed.gateway.variables) { $1 }
        runner = try ManagedProcess(
            BuildProducts.path("local-runner"),
            ["serve", "--port", String(port), "--mode", mode, "--data-dir", "\(bed.gateway.directory)/.data"],
            environment: environment, logPath: "\(bed.gateway.directory)/runner-\(mode).log")
        try ManagedProcess.waitUntilAccepting(.tcp(host: "127.0.0.1", port: port))
        return HTTPTestClient(port: port)
    }

    func testAnswersAndStreamsUnderBothContractsUnderCGI() throws { try answersAndStreamsUnderBothContracts("cgi") }

    func testAnswersAndStreamsUnderBothContractsUnderFastCGI() throws { try answersAndStreamsUnderBothContracts("fastcgi") }

    private func answersAndStreamsUnderBothContracts(_ mode: String) throws {
        let bed = try ChatTestbed()
        let mock = try MockUpstream { request in
            request.json?["stream"] == true
                ? .stream(events: ProviderWire.openAIStream(["a", "b", "c"], model: "gpt-4o", prompt: 3, completion: 3), delayMs: 150)
                : .json(status: 200, body: ProviderWire.openAICompletion("plain", model: "gpt-4o", prompt: 2, completion: 1))
        }
        try bed.connect("openai", to: mock.baseURL + "/v1")
        let client = try serve(bed, mode: mode)
        let headers = ["Authorization": "Bearer \(bed.token)", "Content-Type": "application/json"]
        let plain = try client.request(
            "POST", "/functions/v1/v1-chat/v1/chat/completions", headers: headers,
            body: Array(ChatTestbed.request("gpt-4o").utf8))
        XCTAssertEqual(plain.status, 200, "\(mode): \(plain.text)")
        let streamed = try client.request(
            "POST", "/functions/v1/v1-chat/v1/chat/completions", headers: headers,
            body: Array(ChatTestbed.request("gpt-4o", stream: true).utf8))
        let events = streamed.events
        XCTAssertEqual(
            events.compactMap { try? JSONValue.parse($0.data) }.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined(),
            "abc", mode)
        XCTAssertEqual(events.last?.data, "[DONE]", mode)
        // Unbuffered: the first content arrived well before the last.
        if let first = events.first(where: { $0.data.contains(#""content":"a""#) }), let last = events.last {
            XCTAssertGreaterThan(last.receivedAtMs - first.receivedAtMs, 250, "\(mode): the stream was buffered")
        }
        XCTAssertEqual(try bed.rows(waitingFor: 2).count, 2, mode)
    }

    func testClientDisconnectMidStreamClosesTheUpstreamPromptlyAndIsLoggedClientAbortedUnderCGI() throws {
        try clientDisconnectMidStreamClosesTheUpstreamPromptlyAndIsLoggedClientAborted("cgi")
    }

    func testClientDisconnectMidStreamClosesTheUpstreamPromptlyAndIsLoggedClientAbortedUnderFastCGI() throws {
        try clientDisconnectMidStreamClosesTheUpstreamPromptlyAndIsLoggedClientAborted("fastcgi")
    }

    private func clientDisconnectMidStreamClosesTheUpstreamPromptlyAndIsLoggedClientAborted(_ mode: String) throws {
        let bed = try ChatTestbed()
        let pieces = (1...400).map { "p\($0)" }
        let mock = try MockUpstream { _ in
            .stream(events: ProviderWire.openAIStream(pieces, model: "gpt-4o", prompt: 3, completion: 400), delayMs: 25)
        }
        try bed.connect("openai", to: mock.baseURL + "/v1")
        let client = try serve(bed, mode: mode)
        _ = try client.request(
            "POST", "/functions/v1/v1-chat/v1/chat/completions",
            headers: ["Authorization": "Bearer \(bed.token)", "Content-Type": "application/json"],
            body: Array(ChatTestbed.request("gpt-4o", stream: true).utf8), closeAfterBytes: 1500)
        let hungUp = Date()
        while mock.abandonedStreams == 0, Date().timeIntervalSince(hungUp) < 5 { usleep(10_000) }
        let seconds = Date().timeIntervalSince(hungUp)
        XCTAssertEqual(mock.abandonedStreams, 1, "\(mode): the upstream connection was not closed")
        XCTAssertLessThan(seconds, 2.5, "\(mode): the upstream transfer ran on for \(seconds)s")
        print(String(format: "figure: %@: upstream closed %.0f ms after the client hung up", mode, seconds * 1000))
        let rows = try bed.rows(waitingFor: 1)
        XCTAssertEqual(rows.map(\.status), [.clientAborted], mode)
        XCTAssertEqual(rows.first?.errorCode, "client_disconnected", mode)
    }
}
