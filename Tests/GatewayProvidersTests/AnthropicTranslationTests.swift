import FunctionRuntime
import GatewayProviders
import GatewayStore
import XCTest

/// The OpenAI -> Anthropic request translation beyond plain text: tools, tool results, images, stops.
final class AnthropicTranslationTests: XCTestCase {
    private let provider = CatalogueProvider(
        id: "anthropic", name: "anthropic", displayName: "Anthropic", kind: .direct,
        apiStandard: .anthropic, baseURL: "https://api.anthropic.com")

    func testToolsToolCallsToolResultsImagesAndStopsAreTranslated() throws {
        let body = #"""
            {"model":"claude-sonnet-4","max_completion_tokens":300,"stop":"END","tool_choice":"required",
             "tools":[{"type":"function","function":{"name":"weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "messages":[
              {"role":"system","content":"One."},{"role":"developer","content":"Two."},
              {"role":"user","content":[{"type":"text","text":"Look"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"rain"},
              {"role":"user","content":"And?"}]}
            """#
        let chat = try ChatRequest(body: Array(body.utf8))
        let request = try AnthropicAdapter().makeRequest(chat, model: "claude-sonnet-4", provider: provider, apiKey: "sk-ant-test")
        XCTAssertEqual(request.url, "https://api.anthropic.com/v1/messages")
        let json = try JSONValue.parse(request.body)
        XCTAssertEqual(json["system"], "One.\n\nTwo.")
        XCTAssertEqual(json["max_tokens"], 300)
        XCTAssertEqual(json["stop_sequences"], ["END"])
        XCTAssertEqual(json["tool_choice"], ["type": "any"])
        XCTAssertEqual(json["tools"]?[0]?["name"], "weather")
        XCTAssertEqual(json["tools"]?[0]?["input_schema"]?["type"], "object")
        let messages = try XCTUnwrap(json["messages"]?.arrayValue)
        XCTAssertEqual(
            messages.compactMap { $0["role"]?.stringValue }, ["user", "assistant", "user"],
            "roles alternate: the tool result and the next user turn merge")
        XCTAssertEqual(messages[0]["content"]?[1]?["source"], ["type": "base64", "media_type": "image/png", "data": "iVBOR"])
        XCTAssertEqual(messages[1]["content"]?[0]?["type"], "tool_use")
        XCTAssertEqual(messages[1]["content"]?[0]?["input"], ["city": "Oslo"])
        XCTAssertEqual(messages[2]["content"]?[0]?["type"], "tool_result")
        XCTAssertEqual(messages[2]["content"]?[0]?["tool_use_id"], "call_1")
        XCTAssertEqual(messages[2]["content"]?[1]?["text"], "And?")
    }

    func testAToolUseAnswerBecomesOpenAIToolCalls() throws {
        let chat = try ChatRequest(body: Array(#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#.utf8))
        let answer =
            #"{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Oslo"}}],"stop_reason":"tool_use","usage":{"input_tokens":5,"output_tokens":3}}"#
        let translated = try AnthropicAdapter().translateResponse(Array(answer.utf8), chat: chat, model: "m")
        XCTAssertEqual(translated.finishReason, "tool_calls")
        let call = translated.body["choices"]?[0]?["message"]?["tool_calls"]?[0]
        XCTAssertEqual(call?["function"]?["name"], "weather")
        XCTAssertEqual(call?["function"]?["arguments"], #"{"city":"Oslo"}"#)
        XCTAssertEqual(translated.body["choices"]?[0]?["message"]?["content"], .null)
    }
}
