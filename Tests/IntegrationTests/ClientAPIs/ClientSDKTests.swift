import Foundation
import FunctionRuntime
import GatewayStore
import TestSupport
import XCTest

/// The official Anthropic and OpenAI Python SDKs against local-runner, each client API through
/// each upstream format (`ThreeProviderMock`), and the usage rows they leave.
final class ClientSDKTests: XCTestCase {
    func testTheAnthropicSDKWorksThroughEveryUpstreamFormat() throws {
        let world = try ClientAPITestbed()
        let output = try PythonSDK.runScript(
            "anthropic_sdk_check.py", [world.baseURL, world.bed.token], log: "\(world.bed.gateway.directory)/anthropic-sdk.log")
        XCTAssertTrue(output.contains("anthropic sdk"), output)
        print("figure: \(output.split(separator: "\n").last ?? "")")

        let rows = try world.bed.rows(waitingFor: 35)
        XCTAssertEqual(rows.count, 35, "one row per request the script made (the 401 has no user)")
        XCTAssertEqual(rows.filter { $0.api == .countTokens }.count, 3)
        XCTAssertEqual(rows.filter { $0.api == .chat }.count, 1, "the model list")
        XCTAssertEqual(rows.filter { $0.api == .messages }.count, 31)
        XCTAssertTrue(rows.filter { $0.api == .countTokens }.allSatisfy { $0.promptTokens == 0 && ($0.costUSD ?? 0) == 0 })
        assertTextRowsAreExact(rows, api: .messages)
        let overloaded = rows.filter { $0.modelRequested == "claude-overloaded" }
        XCTAssertEqual(overloaded.map(\.status).sorted { $0.rawValue < $1.rawValue }, [.error, .upstreamAborted])
    }

    func testTheOpenAISDKsChatResponsesAndEmbeddingsWorkThroughEveryUpstreamFormat() throws {
        let world = try ClientAPITestbed()
        let output = try PythonSDK.runScript(
            "openai_client_apis_check.py", [world.baseURL, world.bed.token], log: "\(world.bed.gateway.directory)/responses-sdk.log")
        XCTAssertTrue(output.contains("openai chat, responses and embeddings"), output)
        print("figure: \(output.split(separator: "\n").last ?? "")")

        // chat 3 x 3; responses: text 3 x 2, tools 3 x (2 + 2), errors 3; embeddings 2 x 2, the chat model refused for embeddings.
        let rows = try world.bed.rows(waitingFor: 35)
        XCTAssertEqual(rows.count, 35)
        XCTAssertEqual(rows.filter { $0.api == .chat }.count, 9)
        XCTAssertEqual(rows.filter { $0.api == .responses }.count, 21)
        let embeddings = rows.filter { $0.api == .embeddings }
        XCTAssertEqual(embeddings.count, 5)
        for row in embeddings where row.status == .success {
            XCTAssertGreaterThan(row.promptTokens, 0)
            XCTAssertEqual(row.costUSD ?? -1, Double(row.promptTokens) * ClientAPITestbed.prices.input / 1_000_000, accuracy: 1e-12)
        }
        XCTAssertEqual(embeddings.filter { $0.modelRequested == "text-embedding-3-small" }.map(\.promptTokens), [7, 7])
        assertTextRowsAreExact(rows, api: .responses)
        assertTextRowsAreExact(rows, api: .chat)
    }

    /// The text answers (30 prompt tokens, 12 completion tokens upstream), in whichever API they went
    /// out: tokens, cached and reasoning tokens and cost as each upstream counted them.
    private func assertTextRowsAreExact(_ rows: [UsageRecord], api: ClientAPI, file: StaticString = #filePath, line: UInt = #line) {
        let text = rows.filter { $0.api == api && $0.status == .success && $0.finishReason == "stop" && $0.completionTokens == 12 }
        XCTAssertGreaterThanOrEqual(
            text.count, 6, "\(rows.map { ($0.modelRequested, $0.finishReason, $0.completionTokens) })", file: file, line: line)
        for row in text {
            let model = row.modelRequested ?? ""
            let anthropic = model.hasPrefix("claude")
            XCTAssertEqual(row.promptTokens, 30, model, file: file, line: line)
            let cached = anthropic ? 6 : 8
            let written = anthropic ? 4 : 0
            XCTAssertEqual(row.cachedTokens, cached, model, file: file, line: line)
            XCTAssertEqual(row.reasoningTokens, anthropic ? 0 : 5, model, file: file, line: line)
            let cost = ClientAPITestbed.cost(uncached: 30 - cached - written, cacheRead: cached, cacheWrite: written, completion: 12)
            XCTAssertEqual(row.costUSD ?? -1, cost, accuracy: 1e-12, model, file: file, line: line)
            XCTAssertEqual(row.costSource, .catalogue, model, file: file, line: line)
        }
    }
}
