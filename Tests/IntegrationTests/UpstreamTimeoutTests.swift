import Foundation
import TestSupport
import XCTest

/// `GATEWAY_UPSTREAM_FIRST_BYTE_TIMEOUT_MS` is gateway-wide: an upstream of every wire format that
/// never answers is given up on after it (the Anthropic and Gemini adapters once ignored it and
/// waited for the two-minute default).
final class UpstreamTimeoutTests: XCTestCase {
    private func assertGivesUpAfterTheConfiguredTimeout(
        provider: String, base: String, model: String, stream: Bool = false, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let bed = try ChatTestbed(extraEnvironment: ["GATEWAY_UPSTREAM_FIRST_BYTE_TIMEOUT_MS": "400"])
        let silent = try MockUpstream { _ in .hang }
        try bed.connect(provider, to: silent.baseURL + base)
        let result = try bed.boundedChat(ChatTestbed.request(model, stream: stream), within: 20)
        let seconds = result.seconds
        XCTAssertFalse(result.timedOut, "\(provider): no answer within 20 s", file: file, line: line)
        XCTAssertEqual(result.status, 504, result.text, file: file, line: line)
        XCTAssertEqual(result.errorCode, "upstream_timeout", result.text, file: file, line: line)
        XCTAssertLessThan(seconds, 5, "\(provider) waited \(seconds) s for a 400 ms first-byte timeout", file: file, line: line)
        XCTAssertEqual(silent.requests.count, 1, "the request reached the silent upstream", file: file, line: line)
        XCTAssertEqual(try bed.rows().first?.errorCode, "upstream_timeout", file: file, line: line)
        print(
            "figure: silent \(provider) upstream\(stream ? ", streaming request" : ""): 504 upstream_timeout after \(twoDecimals(seconds)) s (first-byte timeout 0.4 s)"
        )
    }

    func testAnOpenAICompatibleUpstreamThatNeverAnswersTimesOut() throws {
        try assertGivesUpAfterTheConfiguredTimeout(provider: "openai", base: "/v1", model: "gpt-4o")
    }

    func testAnAnthropicUpstreamThatNeverAnswersTimesOut() throws {
        try assertGivesUpAfterTheConfiguredTimeout(provider: "anthropic", base: "", model: "claude-sonnet-4-20250514")
    }

    func testAGeminiUpstreamThatNeverAnswersTimesOut() throws {
        try assertGivesUpAfterTheConfiguredTimeout(provider: "google", base: "/v1beta", model: "gemini-2.0-flash")
    }

    /// Nothing has gone to the client before the upstream's head: a streaming request gets the same 504 as JSON.
    func testAStreamingRequestToAnUpstreamThatNeverAnswersTimesOut() throws {
        try assertGivesUpAfterTheConfiguredTimeout(provider: "openai", base: "/v1", model: "gpt-4o", stream: true)
    }
}
