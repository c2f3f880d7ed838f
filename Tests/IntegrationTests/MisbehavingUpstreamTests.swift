import Foundation
import TestSupport
import XCTest

/// Upstreams that answer, then misbehave: one that goes on trickling a byte a minute, one that sends
/// an event far larger than any real one. Either way the client's stream ends, well-formed, with an
/// error in its API's format within a bound, the row says why, and a worker is none the worse.
final class MisbehavingUpstreamTests: XCTestCase {
    private let model = "gpt-4o-mini"

    func testAnUpstreamThatTricklesIsGivenUpOnAfterTheIdleTimeoutUnderCGI() throws {
        try anUpstreamThatTricklesIsGivenUpOnAfterTheIdleTimeout(.cgi)
    }

    func testAnUpstreamThatTricklesIsGivenUpOnAfterTheIdleTimeoutUnderFastCGI() throws {
        try anUpstreamThatTricklesIsGivenUpOnAfterTheIdleTimeout(.fastcgi)
    }

    private func anUpstreamThatTricklesIsGivenUpOnAfterTheIdleTimeout(_ mode: ChatTestbed.Mode) throws {
        let bed = try ChatTestbed(mode, extraEnvironment: ["GATEWAY_UPSTREAM_IDLE_TIMEOUT_MS": "600"])
        let opening = ProviderWire.openAIStream(["Hel"], model: model, prompt: 5, completion: 1, cut: true)
        let mock = try MockUpstream { _ in .trickle(events: opening, byteEveryMs: 60_000) }
        defer { mock.stop() }
        try bed.connect("openai", to: mock.baseURL + "/v1")

        let response = try bed.boundedChat(ChatTestbed.request(model, stream: true), within: 20)
        XCTAssertFalse(response.timedOut, "\(mode): the stream never ended")
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertLessThan(response.seconds, 5, "\(mode): a 600 ms idle timeout took \(response.seconds) s")
        XCTAssertTrue(response.endedCleanly, "\(mode): the stream is ended, not cut")
        assertEndsWithAnOpenAIErrorEvent(response, code: "upstream_timeout", "\(mode)")
        XCTAssertEqual(ChatTestbed.content(ofStream: response.events), "Hel", "what came before the stall reached the client")
        let row = try XCTUnwrap(try bed.rows(waitingFor: 1).first)
        XCTAssertEqual(row.status, .upstreamAborted)
        XCTAssertEqual(row.errorCode, "upstream_timeout")
        print(
            "figure: trickling upstream (\(mode)): stream ended with upstream_timeout after \(twoDecimals(response.seconds)) s (idle timeout 0.6 s)")
    }

    func testAStreamEventLargerThanTheLimitEndsTheStreamWithAnErrorUnderCGI() throws {
        try aStreamEventLargerThanTheLimitEndsTheStreamWithAnError(.cgi)
    }

    func testAStreamEventLargerThanTheLimitEndsTheStreamWithAnErrorUnderFastCGI() throws {
        try aStreamEventLargerThanTheLimitEndsTheStreamWithAnError(.fastcgi)
    }

    private func aStreamEventLargerThanTheLimitEndsTheStreamWithAnError(_ mode: ChatTestbed.Mode) throws {
        let bed = try ChatTestbed(mode)
        let huge = String(repeating: "x", count: 10 << 20)
        let mock = try MockUpstream { request in
            request.json?["stream"]?.boolValue == true
                ? .stream(events: ProviderWire.openAIStream(["a", huge, "b"], model: "gpt-4o-mini", prompt: 5, completion: 3))
                : .json(status: 200, body: ProviderWire.openAICompletion("ok", model: "gpt-4o-mini", prompt: 5, completion: 2))
        }
        defer { mock.stop() }
        try bed.connect("openai", to: mock.baseURL + "/v1")
        XCTAssertEqual(try bed.boundedChat(ChatTestbed.request(model), within: 15).status, 200)
        let worker = bed.workerPID()
        let rssBefore = worker.flatMap(residentKilobytes)

        let response = try bed.boundedChat(ChatTestbed.request(model, stream: true), within: 30)
        XCTAssertFalse(response.timedOut, "\(mode): the stream never ended")
        XCTAssertEqual(response.status, 200)
        XCTAssertLessThan(response.seconds, 10, "\(mode): \(response.seconds) s for a 10 MB event")
        XCTAssertTrue(response.endedCleanly, "\(mode): the stream is ended, not cut")
        XCTAssertLessThan(response.body.count, 1 << 20, "\(mode): the oversized event was not relayed")
        assertEndsWithAnOpenAIErrorEvent(response, code: "bad_upstream_response", "\(mode)")
        let rows = try bed.rows(waitingFor: 2)
        let row = try XCTUnwrap(rows.first { $0.status != .success }, "\(rows.map(\.status))")
        XCTAssertEqual(row.status, .upstreamAborted)
        XCTAssertEqual(row.errorCode, "bad_upstream_response")
        var figure =
            "figure: 10 MiB stream event (\(mode)): error event after \(twoDecimals(response.seconds)) s, \(response.body.count) bytes to the client"

        if mode == .fastcgi {
            let after = try bed.boundedChat(ChatTestbed.request(model), within: 15)
            XCTAssertEqual(after.status, 200, "the worker keeps serving: \(after.text)")
            XCTAssertEqual(bed.workerPID(), worker, "the same worker")
            let before = try XCTUnwrap(rssBefore), now = try XCTUnwrap(worker.flatMap(residentKilobytes))
            // The parser holds at most 8 MiB of an event: whatever else that costs, far from the 10 MiB line kept several times over.
            XCTAssertLessThan(now - before, 48 * 1024, "worker RSS grew from \(before) kB to \(now) kB")
            figure += ", worker RSS \(before / 1024) -> \(now / 1024) MiB"
        }
        print(figure)
    }

    func testAnAnswerLargerThanTheLimitIsA502UnderCGI() throws {
        try anAnswerLargerThanTheLimitIsA502(.cgi)
    }

    func testAnAnswerLargerThanTheLimitIsA502UnderFastCGI() throws {
        try anAnswerLargerThanTheLimitIsA502(.fastcgi)
    }

    /// A non-streamed answer is held whole to be translated: one of 40 MiB is given up on at the limit (32 MiB).
    private func anAnswerLargerThanTheLimitIsA502(_ mode: ChatTestbed.Mode) throws {
        let bed = try ChatTestbed(mode)
        let huge = String(repeating: "x", count: 40 << 20)
        let mock = try MockUpstream { request in
            .json(
                status: 200,
                body: ProviderWire.openAICompletion(
                    request.json?["user"]?.stringValue == "huge" ? huge : "ok", model: "gpt-4o-mini", prompt: 5, completion: 2))
        }
        defer { mock.stop() }
        try bed.connect("openai", to: mock.baseURL + "/v1")
        XCTAssertEqual(try bed.boundedChat(ChatTestbed.request(model), within: 15).status, 200)
        let worker = bed.workerPID()
        let rssBefore = worker.flatMap(residentKilobytes)

        let request = #"{"model":"gpt-4o-mini","user":"huge","messages":[{"role":"user","content":"Hi"}]}"#
        let response = try bed.boundedChat(request, within: 30)
        XCTAssertFalse(response.timedOut, "\(mode): no answer")
        XCTAssertEqual(response.status, 502, "\(mode): \(response.text.prefix(300))")
        XCTAssertEqual(response.errorCode, "bad_upstream_response")
        XCTAssertLessThan(response.body.count, 4096, "\(mode): nothing of the answer was relayed")
        let rows = try bed.rows(waitingFor: 2)
        let row = try XCTUnwrap(rows.first { $0.status != .success }, "\(rows.map(\.status))")
        XCTAssertEqual(row.errorCode, "bad_upstream_response")
        var figure = "figure: 40 MiB answer (\(mode)): 502 after \(twoDecimals(response.seconds)) s"
        if mode == .fastcgi {
            XCTAssertEqual(try bed.boundedChat(ChatTestbed.request(model), within: 15).status, 200, "the worker keeps serving")
            XCTAssertEqual(bed.workerPID(), worker, "the same worker")
            let before = try XCTUnwrap(rssBefore), now = try XCTUnwrap(worker.flatMap(residentKilobytes))
            XCTAssertLessThan(now - before, 96 * 1024, "worker RSS grew from \(before) kB to \(now) kB")
            figure += ", worker RSS \(before / 1024) -> \(now / 1024) MiB"
        }
        print(figure)
    }

    /// A Messages stream passed through from Anthropic byte for byte: the oversized event is held back
    /// whole (the client never gets part of it) and an Anthropic `error` event ends the stream instead.
    func testAPassedThroughEventLargerThanTheLimitIsReplacedByAnErrorEvent() throws {
        let bed = try ChatTestbed(.cgi)
        let huge = String(repeating: "x", count: 10 << 20)
        let claude = "claude-sonnet-4-20250514"
        let mock = try MockUpstream { _ in .stream(events: ProviderWire.anthropicStream(["a", huge, "b"], model: claude, input: 5, output: 3)) }
        defer { mock.stop() }
        try bed.connect("anthropic", to: mock.baseURL)
        let body = #"{"model":"\#(claude)","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#

        let response = try bed.boundedChat(body, path: "/v1/messages", within: 30)
        XCTAssertFalse(response.timedOut, "the stream never ended")
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertLessThan(response.body.count, 1 << 20, "no part of the oversized event was relayed")
        XCTAssertTrue(response.text.contains(#"{"type":"text_delta","text":"a"}"#), "the events before it were")
        let lastEvent = response.text.components(separatedBy: "\n\n").last { !$0.isEmpty } ?? ""
        XCTAssertTrue(lastEvent.hasPrefix("event: error\ndata: "), "an Anthropic error event ends the stream: \(lastEvent.prefix(300))")
        XCTAssertTrue(lastEvent.contains(#""type":"error""#), String(lastEvent.prefix(300)))
        XCTAssertEqual(try bed.rows(waitingFor: 1).first?.errorCode, "bad_upstream_response")
        print(
            "figure: 10 MiB passed-through Messages event: error event after \(twoDecimals(response.seconds)) s, \(response.body.count) bytes to the client"
        )
    }

    private func assertEndsWithAnOpenAIErrorEvent(
        _ response: BoundedResponse, code: String, _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let events = response.events
        XCTAssertEqual(events.last, "[DONE]", "\(what): ends as an OpenAI stream ends", file: file, line: line)
        let error = events.dropLast().last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual((error?["error"] as? [String: Any])?["code"] as? String, code, "\(what): \(events.suffix(2))", file: file, line: line)
    }
}

/// VmRSS of a process, in kB.
func residentKilobytes(_ pid: pid_t) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
    return line.flatMap { Int($0.split(separator: " ")[1]) }
}

/// Seconds with two decimals, for `figure:` lines.
func twoDecimals(_ value: Double) -> String { String(format: "%.2f", value) }
