import Foundation
import FunctionRuntime
import TestSupport
import XCTest

/// v1-chat as a real CGI process against mock upstreams speaking each provider's wire format.
final class ChatFunctionTests: XCTestCase {
    private func json(_ result: CGIInvocation.Result) throws -> JSONValue { try JSONValue.parse(result.body) }

    func testNonStreamingAnswersOfEachWireFormatComeBackAsOpenAIAndAreLoggedExactlyUnderCGI() throws {
        try nonStreamingAnswersOfEachWireFormatComeBackAsOpenAIAndAreLoggedExactly(.cgi)
    }

    func testNonStreamingAnswersOfEachWireFormatComeBackAsOpenAIAndAreLoggedExactlyUnderFastCGI() throws {
        try nonStreamingAnswersOfEachWireFormatComeBackAsOpenAIAndAreLoggedExactly(.fastcgi)
    }

    private func nonStreamingAnswersOfEachWireFormatComeBackAsOpenAIAndAreLoggedExactly(_ mode: ChatTestbed.Mode) throws {
        let bed = try ChatTestbed(mode)
        let mock = try MockUpstream { request in
            switch request.path {
            case "/v1/chat/completions":
                .json(
                    status: 200,
                    body: ProviderWire.openAICompletion("from openai", model: "gpt-4o-mini", prompt: 1000, completion: 200, cached: 400))
            case "/v1/messages":
                .json(
                    status: 200,
                    body: ProviderWire.anthropicMessage(
                        "from claude", model: "claude-3-5-haiku-20241022", input: 100, output: 50, cacheRead: 900, cacheWrite: 10))
            default: .json(status: 200, body: ProviderWire.geminiResponse("from gemini", prompt: 300, candidates: 40, thoughts: 60, cached: 100))
            }
        }
        try bed.connect("openai", to: mock.baseURL + "/v1")
        try bed.connect("anthropic", to: mock.baseURL)
        try bed.connect("google", to: mock.baseURL + "/v1beta")
        try bed.listModel("gpt-4o-mini", on: "openai", input: 0.15, output: 0.6, cacheRead: 0.075)
        try bed.listModel("claude-3-5-haiku-20241022", on: "anthropic", input: 0.8, output: 4, cacheRead: 0.08)
        try bed.listModel("gemini-2.0-flash", on: "google", input: 0.1, output: 0.4, cacheRead: 0.025)

        let openai = try bed.chat(ChatTestbed.request("gpt-4o-mini"))
        XCTAssertEqual(openai.head?.status, 200, openai.text)
        XCTAssertEqual(try json(openai)["choices"]?[0]?["message"]?["content"], "from openai")
        let claude = try bed.chat(ChatTestbed.request("claude-3-5-haiku-20241022"))
        XCTAssertEqual(claude.head?.status, 200, claude.text)
        let claudeJSON = try json(claude)
        XCTAssertEqual(claudeJSON["object"], "chat.completion")
        XCTAssertEqual(claudeJSON["choices"]?[0]?["message"]?["content"], "from claude")
        XCTAssertEqual(claudeJSON["choices"]?[0]?["finish_reason"], "stop")
        XCTAssertEqual(claudeJSON["usage"]?["prompt_tokens"], 1010, "input + cache reads + cache writes")
        let gemini = try bed.chat(ChatTestbed.request("gemini-2.0-flash"))
        XCTAssertEqual(gemini.head?.status, 200, gemini.text)
        XCTAssertEqual(try json(gemini)["choices"]?[0]?["message"]?["content"], "from gemini")
        XCTAssertEqual(try json(gemini)["usage"]?["completion_tokens"], 100, "candidates + thoughts")

        // What went upstream, in each format.
        let sent = Dictionary(grouping: mock.requests, by: \.path)
        let anthropicBody = try XCTUnwrap(sent["/v1/messages"]?.first)
        XCTAssertEqual(anthropicBody.headers["x-api-key"], ChatTestbed.apiKey)
        XCTAssertEqual(anthropicBody.headers["anthropic-version"], "2023-06-01")
        XCTAssertEqual(anthropicBody.json?["system"], "Be brief.")
        XCTAssertEqual(anthropicBody.json?["max_tokens"], 4096)
        XCTAssertEqual(anthropicBody.json?["messages"]?[0]?["role"], "user")
        let geminiBody = try XCTUnwrap(sent["/v1beta/models/gemini-2.0-flash:generateContent"]?.first)
        XCTAssertEqual(geminiBody.headers["x-goog-api-key"], ChatTestbed.apiKey)
        XCTAssertEqual(geminiBody.json?["systemInstruction"]?["parts"]?[0]?["text"], "Be brief.")
        XCTAssertEqual(sent["/v1/chat/completions"]?.first?.headers["authorization"], "Bearer \(ChatTestbed.apiKey)")

        let rows = Dictionary(uniqueKeysWithValues: try bed.rows(waitingFor: 3).map { ($0.providerID ?? "", $0) })
        let openaiRow = try XCTUnwrap(rows["openai"])
        XCTAssertEqual([openaiRow.promptTokens, openaiRow.completionTokens, openaiRow.cachedTokens], [1000, 200, 400])
        // (1000 - 400) x 0.15 + 400 x 0.075 + 200 x 0.6, per 1M
        let openaiCost: Double = (600 * 0.15 + 400 * 0.075 + 200 * 0.6) / 1e6
        XCTAssertEqual(openaiRow.costUSD ?? 0, openaiCost, accuracy: 1e-12)
        XCTAssertEqual(openaiRow.costSource, .catalogue)
        XCTAssertEqual(openaiRow.status, .success)
        let claudeRow = try XCTUnwrap(rows["anthropic"])
        XCTAssertEqual([claudeRow.promptTokens, claudeRow.completionTokens, claudeRow.cachedTokens], [1010, 50, 900])
        // 100 uncached x 0.8 + 900 x 0.08 + 10 cache writes x 0.8 (no write price: input) + 50 x 4
        let claudeCost: Double = (100 * 0.8 + 900 * 0.08 + 10 * 0.8 + 50 * 4) / 1e6
        XCTAssertEqual(claudeRow.costUSD ?? 0, claudeCost, accuracy: 1e-12)
        let geminiRow = try XCTUnwrap(rows["google"])
        XCTAssertEqual(
            [geminiRow.promptTokens, geminiRow.completionTokens, geminiRow.cachedTokens, geminiRow.reasoningTokens], [300, 100, 100, 60])
        let geminiCost: Double = (200 * 0.1 + 100 * 0.025 + 100 * 0.4) / 1e6
        XCTAssertEqual(geminiRow.costUSD ?? 0, geminiCost, accuracy: 1e-12)
        XCTAssertEqual(geminiRow.upstreamRequestID, "resp-1")
        XCTAssertFalse(try String(contentsOfFile: bed.logPath, encoding: .utf8).contains(ChatTestbed.apiKey))
    }

    func testStreamingAnswersAreTranslatedChunkByChunkAndUsageIsLoggedUnderCGI() throws {
        try streamingAnswersAreTranslatedChunkByChunkAndUsageIsLogged(.cgi)
    }

    func testStreamingAnswersAreTranslatedChunkByChunkAndUsageIsLoggedUnderFastCGI() throws {
        try streamingAnswersAreTranslatedChunkByChunkAndUsageIsLogged(.fastcgi)
    }

    private func streamingAnswersAreTranslatedChunkByChunkAndUsageIsLogged(_ mode: ChatTestbed.Mode) throws {
        let bed = try ChatTestbed(mode)
        let mock = try MockUpstream { request in
            switch request.path {
            case "/api/v1/chat/completions":
                .stream(events: ProviderWire.openAIStream(["Hel", "lo"], model: "openai/gpt-4o", prompt: 12, completion: 2, cost: 0.0042))
            case "/v1/messages":
                .stream(events: ProviderWire.anthropicStream(["Bon", "jour"], model: "claude-sonnet-4", input: 20, output: 7, cacheRead: 5))
            default:
                .stream(events: ProviderWire.geminiStream(["Ha", "llo"], prompt: 9, candidates: 3, thoughts: 4))
            }
        }
        try bed.connect("openrouter", to: mock.baseURL + "/api/v1")
        try bed.connect("anthropic", to: mock.baseURL)
        try bed.connect("google", to: mock.baseURL + "/v1beta")
        try bed.listModel("openai/gpt-4o", on: "openrouter", input: 2.5, output: 10)

        let openrouter = try bed.chat(ChatTestbed.request("openai/gpt-4o", stream: true))
        XCTAssertEqual(openrouter.head?.status, 200, openrouter.text)
        XCTAssertEqual(openrouter.head?.headers["Content-Type"], "text/event-stream; charset=utf-8")
        let events = ChatTestbed.events(openrouter)
        XCTAssertEqual(ChatTestbed.content(ofStream: events), "Hello")
        XCTAssertEqual(events.last, "[DONE]")
        XCTAssertFalse(events.contains { $0.contains(#""choices":[]"#) }, "the usage chunk is stripped when the client did not ask for it")
        XCTAssertEqual(mock.requests.first?.json?["stream_options"]?["include_usage"], true, "asked for upstream anyway")
        XCTAssertEqual(mock.requests.first?.headers["x-openrouter-title"], "LLM Gateway", "OpenRouter attribution")

        let claude = try bed.chat(ChatTestbed.request("claude-sonnet-4", stream: true, includeUsage: true))
        let claudeEvents = ChatTestbed.events(claude)
        XCTAssertEqual(ChatTestbed.content(ofStream: claudeEvents), "Bonjour")
        XCTAssertEqual(claudeEvents.last, "[DONE]")
        let usageChunk = try XCTUnwrap(claudeEvents.compactMap { try? JSONValue.parse($0) }.first { $0["usage"]?["completion_tokens"] != nil })
        XCTAssertEqual(usageChunk["usage"]?["completion_tokens"], 7, "message_delta's total is assigned, not added to message_start's 1")
        XCTAssertEqual(usageChunk["usage"]?["prompt_tokens"], 25)
        XCTAssertTrue(claudeEvents.contains { $0.contains(#""finish_reason":"length""#) }, "max_tokens -> length")

        let gemini = try bed.chat(ChatTestbed.request("gemini-2.0-flash", stream: true))
        XCTAssertEqual(ChatTestbed.content(ofStream: ChatTestbed.events(gemini)), "Hallo")
        XCTAssertTrue(mock.requests.contains { $0.path == "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse" })

        let rows = Dictionary(uniqueKeysWithValues: try bed.rows(waitingFor: 3).map { ($0.providerID ?? "", $0) })
        XCTAssertEqual(rows["openrouter"]?.costUSD, 0.0042, "the provider's own cost wins")
        XCTAssertEqual(rows["openrouter"]?.costSource, .provider)
        XCTAssertEqual(rows["openrouter"]?.completionTokens, 2)
        XCTAssertNotNil(rows["openrouter"]?.ttftMs)
        XCTAssertEqual([rows["anthropic"]?.promptTokens, rows["anthropic"]?.completionTokens, rows["anthropic"]?.cachedTokens], [25, 7, 5])
        XCTAssertEqual(rows["anthropic"]?.finishReason, "length")
        XCTAssertEqual([rows["google"]?.promptTokens, rows["google"]?.completionTokens, rows["google"]?.reasoningTokens], [9, 7, 4])
        XCTAssertTrue(rows.values.allSatisfy { $0.status == .success })
    }

    func testFallbackOn500And429RefusedConnectionAndFirstByteTimeoutThenTheNextCandidateAnswers() throws {
        let closedPort = try Socket.freeLoopbackPort()
        for failure in ["500", "429", "refused", "timeout"] {
            let bed = try ChatTestbed(extraEnvironment: ["GATEWAY_UPSTREAM_FIRST_BYTE_TIMEOUT_MS": "300"])
            let bad = try MockUpstream { _ in
                switch failure {
                case "429": .json(status: 429, body: #"{"error":{"message":"slow down","code":429}}"#, headers: ["Retry-After": "0"])
                case "timeout": .hang
                default: .json(status: 500, body: #"{"error":{"message":"boom"}}"#)
                }
            }
            let good = try MockUpstream { _ in .json(status: 200, body: ProviderWire.openAICompletion("second", model: "m", prompt: 1, completion: 1))
            }
            try bed.connect("openrouter", to: failure == "refused" ? "http://127.0.0.1:\(closedPort)/api/v1" : bad.baseURL + "/api/v1", priority: 1)
            try bed.connect("aihubmix", to: good.baseURL + "/v1", priority: 2)
            try bed.listModel("shared/model", on: "openrouter")
            try bed.listModel("shared/model", on: "aihubmix")

            let result = try bed.chat(ChatTestbed.request("shared/model"))
            XCTAssertEqual(result.head?.status, 200, "\(failure): \(result.text)")
            XCTAssertEqual(try json(result)["choices"]?[0]?["message"]?["content"], "second", failure)
            let row = try XCTUnwrap(try bed.rows().first)
            XCTAssertEqual(row.attempts, 2, failure)
            XCTAssertEqual(row.providersTried, ["openrouter", "aihubmix"], failure)
            XCTAssertEqual(row.providerID, "aihubmix", failure)
            XCTAssertEqual(row.status, .success, failure)
        }
    }

    func testWhenEveryCandidateFailsTheLastErrorIsAnsweredAndABadKeyIsNotRetriedUnderCGI() throws {
        try whenEveryCandidateFailsTheLastErrorIsAnsweredAndABadKeyIsNotRetried(.cgi)
    }

    func testWhenEveryCandidateFailsTheLastErrorIsAnsweredAndABadKeyIsNotRetriedUnderFastCGI() throws {
        try whenEveryCandidateFailsTheLastErrorIsAnsweredAndABadKeyIsNotRetried(.fastcgi)
    }

    private func whenEveryCandidateFailsTheLastErrorIsAnsweredAndABadKeyIsNotRetried(_ mode: ChatTestbed.Mode) throws {
        let bed = try ChatTestbed(mode)
        let limited = try MockUpstream { _ in
            .json(status: 429, body: #"{"error":{"message":"rate limited for key \#(ChatTestbed.apiKey)"}}"#, headers: ["Retry-After": "7"])
        }
        try bed.connect("openrouter", to: limited.baseURL + "/api/v1", priority: 1)
        try bed.connect("aihubmix", to: limited.baseURL + "/v1", priority: 2)
        try bed.listModel("shared/model", on: "openrouter")
        try bed.listModel("shared/model", on: "aihubmix")
        let result = try bed.chat(ChatTestbed.request("shared/model"))
        XCTAssertEqual(result.head?.status, 429, result.text)
        XCTAssertEqual(result.head?.headers["Retry-After"], "7")
        XCTAssertFalse(result.text.contains(ChatTestbed.apiKey), "the key is redacted from the upstream's message")
        XCTAssertTrue(result.text.contains("[redacted]"), result.text)
        XCTAssertEqual(limited.requests.count, 2)

        let other = try ChatTestbed(mode)
        let rejecting = try MockUpstream { _ in .json(status: 401, body: #"{"error":{"message":"Incorrect API key","code":"invalid_api_key"}}"#) }
        let never = try MockUpstream { _ in .json(status: 200, body: ProviderWire.openAICompletion("x", model: "m", prompt: 1, completion: 1)) }
        try other.connect("openrouter", to: rejecting.baseURL + "/api/v1", priority: 1)
        try other.connect("aihubmix", to: never.baseURL + "/v1", priority: 2)
        try other.listModel("shared/model", on: "openrouter")
        try other.listModel("shared/model", on: "aihubmix")
        let refused = try other.chat(ChatTestbed.request("shared/model"))
        XCTAssertEqual(refused.head?.status, 401, refused.text)
        XCTAssertEqual((refused.json?["error"] as? [String: Any])?["code"] as? String, "invalid_provider_key")
        XCTAssertEqual(never.requests.count, 0, "a rejected key is not retried elsewhere")
        XCTAssertEqual(try other.rows(waitingFor: 1).first?.errorCode, "invalid_provider_key")
    }

    func testAStreamCutMidwayEndsWithAnErrorEventAndDoneAndIsMarkedUnderCGI() throws {
        try aStreamCutMidwayEndsWithAnErrorEventAndDoneAndIsMarked(.cgi)
    }

    func testAStreamCutMidwayEndsWithAnErrorEventAndDoneAndIsMarkedUnderFastCGI() throws {
        try aStreamCutMidwayEndsWithAnErrorEventAndDoneAndIsMarked(.fastcgi)
    }

    private func aStreamCutMidwayEndsWithAnErrorEventAndDoneAndIsMarked(_ mode: ChatTestbed.Mode) throws {
        let bed = try ChatTestbed(mode)
        let mock = try MockUpstream { _ in
            .stream(events: ProviderWire.openAIStream(["par", "tial"], model: "gpt-4o", prompt: 5, completion: 2, cut: true))
        }
        try bed.connect("openai", to: mock.baseURL + "/v1")
        let result = try bed.chat(ChatTestbed.request("gpt-4o", stream: true))
        let events = ChatTestbed.events(result)
        XCTAssertEqual(ChatTestbed.content(ofStream: events), "partial")
        XCTAssertEqual(events.last, "[DONE]")
        XCTAssertTrue(events.dropLast().last?.contains("upstream_stream_cut") == true, "\(events)")
        let row = try XCTUnwrap(try bed.rows(waitingFor: 1).first)
        XCTAssertEqual(row.status, .upstreamAborted)
        XCTAssertEqual(row.errorCode, "upstream_stream_cut")
        XCTAssertNil(row.costUSD, "no usage was reported: nothing is estimated")
    }

    func testMalformedRequestsGetTheRight4xxAndOneRowEach() throws {
        let bed = try ChatTestbed()
        let cases: [(String, Int, String)] = [
            ("not json", 400, "invalid_json"),
            (#"{"model":"gpt-4o"}"#, 400, "invalid_request"),
            (#"{"model":"gpt-4o","messages":[]}"#, 400, "invalid_request"),
            (#"{"model":42,"messages":[{"role":"user","content":"hi"}]}"#, 400, "invalid_request"),
            (#"{"model":"gpt-4o","messages":[{"role":"wizard","content":"hi"}]}"#, 400, "invalid_request"),
            (#"{"model":"gpt-4o","stream":"yes","messages":[{"role":"user","content":"hi"}]}"#, 400, "invalid_request"),
            (#"{"model":"gpt-4o","max_tokens":-1,"messages":[{"role":"user","content":"hi"}]}"#, 400, "invalid_request"),
            (#"{"model":"nobody-serves-this","messages":[{"role":"user","content":"hi"}]}"#, 404, "model_not_found"),
        ]
        for (body, status, code) in cases {
            let result = try bed.chat(body)
            XCTAssertEqual(result.status, 0, "no crash: \(body)")
            XCTAssertEqual(result.head?.status, status, "\(body): \(result.text)")
            XCTAssertEqual((result.json?["error"] as? [String: Any])?["code"] as? String, code, body)
        }
        let missingAuth = try bed.chat(ChatTestbed.request("gpt-4o"), token: "")
        XCTAssertEqual(missingAuth.head?.status, 401)
        XCTAssertEqual(try bed.rows().count, cases.count, "one row per authenticated request")
        XCTAssertTrue(try bed.rows().allSatisfy { $0.status == .error && $0.errorCode != nil })
        let notFound = try bed.chat(#"{"model":"nobody-serves-this","messages":[{"role":"user","content":"hi"}]}"#)
        XCTAssertTrue(notFound.text.contains("no providers are configured"), notFound.text)
    }

    func testABodyOverTheLimitIsA413ThatStillLeavesTheCallersRowUnderCGI() throws { try aBodyOverTheLimitIsA413ThatStillLeavesTheCallersRow(.cgi) }

    func testABodyOverTheLimitIsA413ThatStillLeavesTheCallersRowUnderFastCGI() throws {
        try aBodyOverTheLimitIsA413ThatStillLeavesTheCallersRow(.fastcgi)
    }

    private func aBodyOverTheLimitIsA413ThatStillLeavesTheCallersRow(_ mode: ChatTestbed.Mode) throws {
        let bed = try ChatTestbed(mode, extraEnvironment: ["GATEWAY_MAX_BODY_BYTES": "2000"])
        let huge = #"{"model":"gpt-4o","messages":[{"role":"user","content":""# + String(repeating: "x", count: 5000) + #""}]}"#
        let result = try bed.chat(huge)
        XCTAssertEqual(result.head?.status, 413, "\(mode): \(result.text)")
        XCTAssertEqual((result.json?["error"] as? [String: Any])?["code"] as? String, "request_too_large", "\(mode)")
        let rows = try bed.rows(waitingFor: 1)
        XCTAssertEqual(rows.count, 1, "\(mode)")
        XCTAssertEqual(rows.first?.errorCode, "request_too_large", "\(mode)")
    }

    func testWithAggregatorsDisabledOnlyDirectProvidersAreTried() throws {
        let bed = try ChatTestbed(extraEnvironment: ["GATEWAY_AGGREGATORS_ENABLED": "false"])
        let aggregator = try MockUpstream { _ in
            .json(status: 200, body: ProviderWire.openAICompletion("aggregated", model: "m", prompt: 1, completion: 1))
        }
        let direct = try MockUpstream { _ in
            .json(status: 200, body: ProviderWire.openAICompletion("direct", model: "gpt-4o", prompt: 1, completion: 1))
        }
        try bed.connect("openrouter", to: aggregator.baseURL + "/api/v1")
        try bed.connect("openai", to: direct.baseURL + "/v1")
        try bed.listModel("openai/gpt-4o", on: "openrouter")
        try bed.listModel("meta/llama-3", on: "openrouter")

        let routed = try bed.chat(ChatTestbed.request("openai/gpt-4o"))
        XCTAssertEqual(try json(routed)["choices"]?[0]?["message"]?["content"], "direct", routed.text)
        XCTAssertEqual(direct.requests.first?.json?["model"], "gpt-4o", "the openai/ prefix is removed for the direct provider")
        let onlyAggregated = try bed.chat(ChatTestbed.request("meta/llama-3"))
        XCTAssertEqual(onlyAggregated.head?.status, 404)
        XCTAssertTrue(onlyAggregated.text.contains("aggregators are disabled"), onlyAggregated.text)
        XCTAssertEqual(aggregator.requests.count, 0)
    }

    func testTheModelListHasTheCallersRoutableModelsInOpenAIFormat() throws {
        let bed = try ChatTestbed()
        try bed.connect("openrouter", to: "http://127.0.0.1:9/api/v1")
        try bed.listModel("openai/gpt-4o", on: "openrouter")
        try bed.listModel("anthropic/claude-sonnet-4", on: "aihubmix")
        var variables = bed.gateway.variables
        variables["REQUEST_METHOD"] = "GET"
        variables["PATH_INFO"] = "/v1/models"
        variables["HTTP_AUTHORIZATION"] = "Bearer \(bed.token)"
        let result = try CGIInvocation(executable: BuildProducts.path("v1-chat"), environment: variables).run()
        let list = try JSONValue.parse(result.body)
        XCTAssertEqual(list["object"], "list")
        XCTAssertEqual(
            list["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, ["openai/gpt-4o"], "only the providers the caller has keys for")
        XCTAssertEqual(list["data"]?[0]?["owned_by"], "openrouter")
    }
}
