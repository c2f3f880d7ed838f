import FunctionRuntime
import GatewayProviders
import GatewayStore
import Testing

/// Anthropic Messages requests -> the internal chat request (for non-Anthropic upstreams) and the
/// native request (for Anthropic).
struct MessagesRequestTests {
    static func request(_ body: String, headers: HTTPHeaders = [:]) throws -> MessagesRequest {
        try MessagesRequest(body: Array(body.utf8), headers: headers)
    }

    @Test func systemBlocksBecomeOneSystemMessageWithoutCacheControl() throws {
        let messages = try Self.request(
            #"{"model":"m","max_tokens":10,"system":[{"type":"text","text":"A","cache_control":{"type":"ephemeral","ttl":"1h"}},{"type":"text","text":"B"}],"messages":[{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]}]}"#
        )
        #expect(messages.chat.messages == [["role": "system", "content": "A\n\nB"], ["role": "user", "content": "Hi"]])
        #expect(!JSONValue.object(messages.chat.json).serializedString.contains("cache_control"))
    }

    @Test func toolResultsBecomeToolMessagesAheadOfTheUsersText() throws {
        let messages = try Self.request(
            #"{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Go"},{"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"text","text":"Calling."},{"type":"tool_use","id":"toolu_1","name":"f","input":{"x":1}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":[{"type":"text","text":"boom"}]},{"type":"text","text":"Now?"}]}]}"#
        )
        #expect(
            messages.chat.messages == [
                ["role": "user", "content": "Go"],
                [
                    "role": "assistant", "content": "Calling.",
                    "tool_calls": [["id": "toolu_1", "type": "function", "function": ["name": "f", "arguments": #"{"x":1}"#]]],
                ],
                ["role": "tool", "tool_call_id": "toolu_1", "content": "Error: boom"],
                ["role": "user", "content": "Now?"],
            ])
    }

    @Test func clientToolsAndToolChoiceTranslateAndServerToolsStayBehind() throws {
        let messages = try Self.request(
            #"{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"f","description":"F","input_schema":{"type":"object"}},{"type":"web_search_20250305","name":"web_search"}],"tool_choice":{"type":"any","disable_parallel_tool_use":true},"stop_sequences":["END"]}"#
        )
        #expect(
            messages.chat.json["tools"] == [["type": "function", "function": ["name": "f", "description": "F", "parameters": ["type": "object"]]]])
        #expect(messages.chat.json["tool_choice"] == "required")
        #expect(messages.chat.json["parallel_tool_calls"] == false)
        #expect(messages.chat.stopSequences == ["END"])
    }

    @Test func thinkingTopKAndTheUserTravelToTheUpstreamAdapters() throws {
        let messages = try Self.request(
            #"{"model":"m","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":2048},"top_k":5,"metadata":{"user_id":"u-1"},"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#
        )
        #expect(messages.chat.extensions == ChatRequest.Extensions(topK: 5, thinkingBudget: 2048, translated: true))
        #expect(messages.chat.json["user"] == "u-1")
        #expect(messages.chat.stream)
        #expect(messages.chat.maxTokens == 4096)
    }

    @Test(arguments: [
        (#"{"model":"m","messages":[{"role":"user","content":"Hi"}]}"#, "max_tokens"),
        (#"{"max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}"#, "model"),
        (#"{"model":"m","max_tokens":5,"messages":[]}"#, "messages"),
        (#"{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"Hi"}]}"#, "messages.0.role"),
        (#"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"text":"no type"}]}]}"#, "messages.0.content.0"),
        (#"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"}],"tool_choice":{"type":"tool"}}"#, "tool_choice"),
        ("[1]", nil),
    ])
    func invalidRequestsAreRefusedWithTheFieldNamed(_ body: String, _ param: String?) throws {
        #expect(throws: APIError.self) { try Self.request(body) }
        do {
            _ = try Self.request(body)
        } catch let error as APIError {
            #expect(error.status == 400)
            #expect(error.param == param)
        } catch {
            Issue.record("not an APIError: \(error)")
        }
    }

    @Test func theNativeRequestKeepsTheBodyDropsUnsignedThinkingAndForwardsBeta() throws {
        let messages = try Self.request(
            #"{"model":"alias","max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"mine","signature":"sig"},{"type":"thinking","thinking":"foreign","signature":""},{"type":"text","text":"ok","cache_control":{"type":"ephemeral"}}]},{"role":"user","content":"Hi"}]}"#,
            headers: ["anthropic-version": "2023-06-01", "anthropic-beta": "interleaved-thinking-2025-05-14"])
        let provider = CatalogueProvider(
            id: "anthropic", name: "anthropic", displayName: "A", kind: .direct, apiStandard: .anthropic, baseURL: "https://api.anthropic.com")
        let request = messages.native.upstreamRequest(model: "claude-x", provider: provider, apiKey: "k", settings: ProviderSettings())
        #expect(request.url == "https://api.anthropic.com/v1/messages")
        #expect(request.headers.contains { $0.name == "anthropic-beta" && $0.value == "interleaved-thinking-2025-05-14" })
        let body = try JSONValue.parse(request.body)
        #expect(body["model"] == "claude-x")
        #expect(
            body["messages"]?[0]?["content"]
                == [
                    ["type": "thinking", "thinking": "mine", "signature": "sig"],
                    ["type": "text", "text": "ok", "cache_control": ["type": "ephemeral"]],
                ])
    }

    @Test(arguments: [
        (400, "invalid_request_error"), (401, "authentication_error"), (403, "permission_error"), (404, "not_found_error"),
        (413, "request_too_large"), (429, "rate_limit_error"), (500, "api_error"), (502, "api_error"), (504, "api_error"),
    ])
    func errorsTakeAnthropicsShapeAndType(_ status: Int, _ type: String) throws {
        let answer = MessagesFormat().errorResponse(APIError(status: status, message: "why"))
        #expect(answer.status == status)
        #expect(try JSONValue.parse(answer.body) == ["type": "error", "error": ["type": .string(type), "message": "why"]])
    }

    @Test func anOverloadedUpstreamIs529OverloadedError() throws {
        let answer = MessagesFormat().errorResponse(APIError(status: 503, message: "busy", code: "upstream_overloaded"))
        #expect(answer.status == 529)
        #expect(try JSONValue.parse(answer.body)["error"]?["type"] == "overloaded_error")
    }
}
