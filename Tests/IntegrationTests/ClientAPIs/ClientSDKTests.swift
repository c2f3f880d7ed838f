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
        // The text answers, in whichever API they went out: tokens and cost as the upstream counted them.
        let text = rows.filter { $0.api == .messages && $0.status == .success && $0.finishReason == "stop" && $0.completionTokens == 12 }
        XCTAssertGreaterThanOrEqual(text.count, 6, "\(rows.map { ($0.modelRequested, $0.finishReason, $0.completionTokens) })")
        for row in text {
            XCTAssertEqual(row.promptTokens, 30, "\(row.modelRequested ?? "")")
            let cached = row.modelRequested == "claude-sonnet-4-5" ? 6 : 8
            let written = row.modelRequested == "claude-sonnet-4-5" ? 4 : 0
            XCTAssertEqual(row.cachedTokens, cached, "\(row.modelRequested ?? "")")
            let cost = ClientAPITestbed.cost(uncached: 30 - cached - written, cacheRead: cached, cacheWrite: written, completion: 12)
            XCTAssertEqual(row.costUSD ?? -1, cost, accuracy: 1e-12, "\(row.modelRequested ?? "")")
        }
        let overloaded = rows.filter { $0.modelRequested == "claude-overloaded" }
        XCTAssertEqual(overloaded.map(\.status).sorted { $0.rawValue < $1.rawValue }, [.error, .upstreamAborted])
    }

    func testTheOpenAISDKsResponsesAndEmbeddingsWorkThroughEveryUpstreamFormat() throws {
        let world = try ClientAPITestbed()
        let output = try PythonSDK.runScript(
            "openai_responses_check.py", [world.baseURL, world.bed.token], log: "\(world.bed.gateway.directory)/responses-sdk.log")
        XCTAssertTrue(output.contains("openai responses and embeddings"), output)
        print("figure: \(output.split(separator: "\n").last ?? "")")

        // text 3 x 2, tools 3 x (2 + 2), errors 3, embeddings 2 x 2, the chat model refused for embeddings.
        let rows = try world.bed.rows(waitingFor: 26)
        XCTAssertEqual(rows.count, 26)
        XCTAssertEqual(rows.filter { $0.api == .responses }.count, 21)
        let embeddings = rows.filter { $0.api == .embeddings }
        XCTAssertEqual(embeddings.count, 5)
        for row in embeddings where row.status == .success {
            XCTAssertGreaterThan(row.promptTokens, 0)
            XCTAssertEqual(row.costUSD ?? -1, Double(row.promptTokens) * ClientAPITestbed.prices.input / 1_000_000, accuracy: 1e-12)
        }
        XCTAssertEqual(embeddings.filter { $0.modelRequested == "text-embedding-3-small" }.map(\.promptTokens), [7, 7])
        let text = rows.filter { $0.api == .responses && $0.finishReason == "stop" && $0.completionTokens == 12 }
        XCTAssertGreaterThanOrEqual(text.count, 6)
        for row in text { XCTAssertEqual(row.promptTokens, 30, "\(row.modelRequested ?? "")") }
    }
}
