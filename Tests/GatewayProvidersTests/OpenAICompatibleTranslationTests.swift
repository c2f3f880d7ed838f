import FunctionRuntime
import GatewayProviders
import GatewayStore
import XCTest

/// OpenAI-compatible upstreams (OpenAI, OpenRouter, AiHubMix): the client's body passes through with
/// the upstream's model name, usage is always asked for, and a 200 carrying an error is an error.
final class OpenAICompatibleTranslationTests: XCTestCase {
    private func provider(_ name: String) -> CatalogueProvider {
        CatalogueProvider(id: name, name: name, displayName: name, kind: .aggregator, apiStandard: .openai, baseURL: "https://up.example/api/v1/")
    }

    private func chat(_ body: String) throws -> ChatRequest { try ChatRequest(body: Array(body.utf8)) }

    func testTheUpstreamsModelNameReplacesTheClientsAndEverythingElsePassesThrough() throws {
        let chat = try chat(
            #"{"model":"fast","temperature":0.2,"seed":7,"tools":[{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"hi"}]}"#
        )
        let request = try OpenAICompatibleAdapter().makeRequest(chat, model: "openai/gpt-4o-mini", provider: provider("openai"), apiKey: "sk-x")
        XCTAssertEqual(request.url, "https://up.example/api/v1/chat/completions")
        XCTAssertTrue(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer sk-x" })
        var expected = chat.json
        expected["model"] = "openai/gpt-4o-mini"
        XCTAssertEqual(try JSONValue.parse(request.body), .object(expected))
    }

    func testAStreamAlwaysAsksForUsage() throws {
        let chat = try chat(#"{"model":"m","stream":true,"stream_options":{"include_usage":false},"messages":[{"role":"user","content":"hi"}]}"#)
        let request = try OpenAICompatibleAdapter().makeRequest(chat, model: "m", provider: provider("openai"), apiKey: "k")
        XCTAssertEqual(try JSONValue.parse(request.body)["stream_options"], ["include_usage": true])
        XCTAssertTrue(request.headers.contains { $0.name == "Accept" && $0.value == "text/event-stream" })
        XCTAssertFalse(chat.includeUsage, "the usage chunk is dropped again on the way back")
    }

    func testOnlyOpenRouterGetsTheAttributionHeaders() throws {
        let adapter = OpenAICompatibleAdapter(settings: ProviderSettings(openRouterReferer: "https://app.example", openRouterTitle: "App"))
        let chat = try chat(#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#)
        let openRouter = try adapter.makeRequest(chat, model: "m", provider: provider("openrouter"), apiKey: "k").headers.map(\.name)
        let openAI = try adapter.makeRequest(chat, model: "m", provider: provider("openai"), apiKey: "k").headers.map(\.name)
        XCTAssertTrue(openRouter.contains("HTTP-Referer") && openRouter.contains("X-OpenRouter-Title"), "\(openRouter)")
        XCTAssertFalse(openAI.contains("HTTP-Referer") || openAI.contains("X-OpenRouter-Title"), "\(openAI)")
    }

    func testA200WithAnErrorBodyIsAnErrorNotACompletion() throws {
        let chat = try chat(#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#)
        XCTAssertThrowsError(
            try OpenAICompatibleAdapter().translateResponse(
                Array(#"{"error":{"message":"No endpoints found","code":404}}"#.utf8), chat: chat, model: "m")
        ) { error in
            XCTAssertEqual((error as? UpstreamStreamError)?.code, "upstream_error")
        }
    }

    func testACompletionsUsageIsRead() throws {
        let chat = try chat(#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#)
        let answer = #"""
            {"id":"gen-1","model":"openai/gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":8},"completion_tokens_details":{"reasoning_tokens":1},"cost":0.00002}}
            """#
        let translated = try OpenAICompatibleAdapter().translateResponse(Array(answer.utf8), chat: chat, model: "m")
        XCTAssertEqual(
            [translated.usage.promptTokens, translated.usage.completionTokens, translated.usage.cachedTokens, translated.usage.reasoningTokens],
            [12, 3, 8, 1])
        XCTAssertEqual(translated.usage.reportedCost, 0.00002)
        XCTAssertEqual(translated.finishReason, "stop")
        XCTAssertEqual(translated.servedModel, "openai/gpt-4o-mini")
    }

    /// Found by Fuzz/ (translator-openai): a chunk passed through byte for byte kept the line break
    /// between its `data:` lines, and went out as a `data:` line and a stray line no client parses.
    func testAnUpstreamEventOfSeveralDataLinesIsRelayedOnOneLine() throws {
        let chat = try chat(#"{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        let translator = OpenAICompatibleAdapter().makeStreamTranslator(chat: chat, model: "m")
        var parser = SSEParser()
        let events = parser.feed(Array("data: {\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\"hi\"}}]\r\ndata: }\n\n".utf8))
        let chunks = try events.flatMap(translator.translate)
        XCTAssertEqual(chunks.count, 1)
        let text = try XCTUnwrap(chunks.first?.text)
        XCTAssertFalse(text.contains("\n") || text.contains("\r"), text)
        XCTAssertEqual(try JSONValue.parse(text), ["id": "x", "choices": [["delta": ["content": "hi"]]]])
    }
}
