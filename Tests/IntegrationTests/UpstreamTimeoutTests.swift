import Foundation
import TestSupport
import XCTest

/// `GATEWAY_UPSTREAM_FIRST_BYTE_TIMEOUT_MS` is gateway-wide: an upstream of every wire format that
/// never answers is given up on after it (the Anthropic and Gemini adapters once ignored it and
/// waited for the two-minute default).
final class UpstreamTimeoutTests: XCTestCase {
    private func assertGivesUpAfterTheConfiguredTimeout(
        provider: String, base: String, model: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let bed = try ChatTestbed(extraEnvironment: ["GATEWAY_UPSTREAM_FIRST_BYTE_TIMEOUT_MS": "400"])
        let silent = try MockUpstream { _ in .hang }
        try bed.connect(provider, to: silent.baseURL + base)
        let started = Date()
        let result = try bed.chat(ChatTestbed.request(model))
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(result.head?.status, 504, result.text, file: file, line: line)
        XCTAssertTrue(result.text.contains(#""code":"upstream_timeout""#), result.text, file: file, line: line)
        XCTAssertLessThan(seconds, 5, "\(provider) waited \(seconds) s for a 400 ms first-byte timeout", file: file, line: line)
        XCTAssertEqual(silent.requests.count, 1, "the request reached the silent upstream", file: file, line: line)
        XCTAssertEqual(try bed.rows().first?.errorCode, "upstream_timeout", file: file, line: line)
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
}
