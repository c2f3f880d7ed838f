import Foundation
import FunctionRuntime
import GatewayProviders
import TestSupport
import XCTest

final class UpstreamClientTests: XCTestCase {
    private func collect(_ stream: AsyncThrowingStream<UpstreamEvent, any Error>) async throws -> (
        status: Int, headers: [String: String], body: String, pieces: Int
    ) {
        var status = 0, headers: [String: String] = [:], body: [UInt8] = [], pieces = 0
        for try await event in stream {
            switch event {
            case .head(let code, let fields):
                status = code
                headers = fields
            case .body(let bytes):
                body += bytes
                pieces += 1
            }
        }
        return (status, headers, String(decoding: body, as: UTF8.self), pieces)
    }

    func testPostsTheBodyAndHeadersAndReusesTheConnection() async throws {
        let mock = try MockUpstream { _ in .json(status: 200, body: #"{"ok":true}"#, headers: ["X-Request-Id": "req-1"]) }
        let client = UpstreamClient()
        for _ in 0..<3 {
            let response = try await collect(
                client.stream(
                    UpstreamRequest(
                        url: mock.baseURL + "/v1/chat/completions",
                        headers: [("Authorization", "Bearer sk-x"), ("Content-Type", "application/json")],
                        body: Array(#"{"model":"m"}"#.utf8))))
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.body, #"{"ok":true}"#)
            XCTAssertEqual(response.headers["x-request-id"], "req-1")
        }
        XCTAssertEqual(mock.requests.count, 3)
        XCTAssertEqual(mock.requests.first?.headers["authorization"], "Bearer sk-x")
        XCTAssertEqual(mock.requests.first?.json?["model"], "m")
        XCTAssertEqual(mock.connectionsAccepted, 1, "pooled handles keep the connection alive")
    }

    func testStreamsPiecesAsTheyArrive() async throws {
        let mock = try MockUpstream { _ in .stream(events: (1...5).map { "data: \($0)\n\n" }, delayMs: 40) }
        var arrivals: [UInt64] = []
        for try await event in UpstreamClient().stream(UpstreamRequest(url: mock.baseURL + "/s")) {
            if case .body = event { arrivals.append(MonotonicClock.nanoseconds()) }
        }
        XCTAssertEqual(arrivals.count, 5, "one piece per upstream chunk, not one buffered body")
        XCTAssertGreaterThan(arrivals.last! - arrivals.first!, 100_000_000)
    }

    func testARefusedConnectionIsAConnectFailure() async throws {
        let port = try Socket.freeLoopbackPort()
        do {
            _ = try await collect(UpstreamClient().stream(UpstreamRequest(url: "http://127.0.0.1:\(port)/")))
            XCTFail("expected an error")
        } catch let error as UpstreamError {
            guard case .connectFailed = error else { return XCTFail("\(error)") }
        }
    }

    func testAnUpstreamThatNeverAnswersTimesOutBeforeTheFirstByte() async throws {
        let mock = try MockUpstream { _ in .hang }
        let started = Date()
        do {
            _ = try await collect(
                UpstreamClient().stream(
                    UpstreamRequest(
                        url: mock.baseURL + "/", timeouts: UpstreamTimeouts(firstByteMilliseconds: 300))))
            XCTFail("expected a timeout")
        } catch let error as UpstreamError {
            XCTAssertEqual(error, .firstByteTimeout)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }

    func testStoppingEarlyAbortsTheTransferPromptly() async throws {
        let mock = try MockUpstream { _ in .stream(events: (1...200).map { "data: \($0)\n\n" }, delayMs: 20) }
        var seen = 0
        for try await event in UpstreamClient().stream(UpstreamRequest(url: mock.baseURL + "/s")) {
            if case .body = event { seen += 1 }
            if seen == 3 { break }
        }
        let deadline = Date().addingTimeInterval(3)
        while mock.abandonedStreams == 0, Date() < deadline { usleep(20_000) }
        XCTAssertEqual(mock.abandonedStreams, 1, "the upstream saw the connection close")
    }
}
