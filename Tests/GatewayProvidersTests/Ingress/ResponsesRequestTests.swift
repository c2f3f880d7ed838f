import FunctionRuntime
import GatewayProviders
import Testing

/// OpenAI Responses requests -> the internal chat request.
struct ResponsesRequestTests {
    static func request(_ body: String) throws -> ResponsesRequest { try ResponsesRequest(body: Array(body.utf8)) }

    @Test func itemsBecomeMessagesWithCallsAndOutputsPairedByCallID() throws {
        let responses = try Self.request(
            #"{"model":"m","instructions":"Be brief.","store":false,"input":[{"role":"user","content":[{"type":"input_text","text":"Go"}]},{"type":"reasoning","id":"rs_1","encrypted_content":"xyz","summary":[]},{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Calling."}]},{"type":"function_call","id":"fc_1","call_id":"call_A","name":"f","arguments":"{\"x\":1}"},{"type":"function_call","id":"fc_2","call_id":"call_B","name":"g","arguments":"{}"},{"type":"function_call_output","call_id":"call_A","output":"one"},{"type":"function_call_output","call_id":"call_B","output":"two"}]}"#
        )
        #expect(
            responses.chat.messages == [
                ["role": "system", "content": "Be brief."],
                ["role": "user", "content": "Go"],
                [
                    "role": "assistant", "content": "Calling.",
                    "tool_calls": [
                        ["id": "call_A", "type": "function", "function": ["name": "f", "arguments": #"{"x":1}"#]],
                        ["id": "call_B", "type": "function", "function": ["name": "g", "arguments": "{}"]],
                    ],
                ],
                ["role": "tool", "tool_call_id": "call_A", "content": "one"],
                ["role": "tool", "tool_call_id": "call_B", "content": "two"],
            ])
    }

    @Test func toolsEffortFormatAndLimitsMapToChatFields() throws {
        let responses = try Self.request(
            #"{"model":"m","input":"Hi","max_output_tokens":99,"reasoning":{"effort":"high"},"text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}},"tools":[{"type":"function","name":"f","parameters":{"type":"object"},"strict":true},{"type":"web_search"}],"tool_choice":{"type":"function","name":"f"}}"#
        )
        #expect(responses.chat.maxTokens == 99)
        #expect(responses.chat.json["reasoning_effort"] == "high")
        #expect(
            responses.chat.json["response_format"] == [
                "type": "json_schema", "json_schema": ["name": "answer", "schema": ["type": "object"], "strict": true],
            ])
        #expect(responses.chat.json["tools"] == [["type": "function", "function": ["name": "f", "parameters": ["type": "object"], "strict": true]]])
        #expect(responses.chat.json["tool_choice"] == ["type": "function", "function": ["name": "f"]])
    }

    @Test(arguments: [
        (#"{"model":"m","input":"Hi","previous_response_id":"resp_1"}"#, "stored_responses_unsupported"),
        (#"{"model":"m","input":"Hi","store":true}"#, "stored_responses_unsupported"),
        (#"{"model":"m","input":"Hi","conversation":"conv_1"}"#, "stored_responses_unsupported"),
        (#"{"model":"m"}"#, "invalid_request"),
        (#"{"model":"m","input":[{"type":"computer_call"}]}"#, "invalid_request"),
        (#"{"model":"m","input":[{"type":"function_call","name":"f"}]}"#, "invalid_request"),
        (#"{"input":"Hi"}"#, "invalid_request"),
    ])
    func whatCannotBeAnsweredStatelesslyOrIsInvalidIsA400(_ body: String, _ code: String) throws {
        do {
            _ = try Self.request(body)
            Issue.record("accepted: \(body)")
        } catch let error as APIError {
            #expect(error.status == 400)
            #expect(error.code == code)
        } catch {
            Issue.record("not an APIError: \(error)")
        }
    }
}
