import FunctionRuntime
import GatewayProviders
import GatewayStore
import Testing

/// Every recorded upstream stream, through its upstream translator and then each client API's
/// encoder: what an Anthropic Messages client and a Responses client put together from the events
/// is what the provider sent (text, every tool call's complete arguments, the stop reason, usage),
/// and the events come in the order and framing each API defines.
struct ClientStreamEncoderTests {
    typealias Recording = RecordedStreamTests.Recording

    /// Events as a client's SSE reader sees them: name and parsed data.
    static func encode(_ recording: Recording, _ format: any ClientFormat) throws -> (
        events: [(name: String?, data: JSONValue)], translated: RecordedStreamTests.Translated
    ) {
        let translated = try RecordedStreamTests.translate(recording)
        let encoder = format.makeStreamEncoder(model: "m")
        var events = translated.chunks.flatMap(encoder.encode)
        events +=
            translated.failedInBand
            ? encoder.fail(APIError(status: 502, message: "upstream failed", code: "upstream_error"), usage: translated.usage)
            : encoder.finish(usage: translated.usage)
        let wire = events.map(\.wire).joined()
        var parser = SSEParser()
        let parsed = parser.feed(Array(wire.utf8)) + parser.flush()
        return (try parsed.map { ($0.event, try JSONValue.parse(Array($0.data.utf8))) }, translated)
    }

    @Test(arguments: RecordedStreamTests.recordings)
    func anAnthropicClientReassemblesWhatTheProviderSent(_ recording: Recording) throws {
        let (events, translated) = try Self.encode(recording, MessagesFormat())
        // Framing: `event:` repeats the data's type; message_start first; blocks open and close in turn.
        for event in events { #expect(event.name == event.data["type"]?.stringValue) }
        if recording.failsInBand {
            // As Anthropic itself does, an error may come before message_start.
            #expect(events.last?.name == "error")
            #expect(events.last?.data["error"]?["type"]?.stringValue == "api_error")
            return
        }
        #expect(events.first?.name == "message_start")
        #expect(events.suffix(2).map(\.name) == ["message_delta", "message_stop"])
        var openIndex: Int?
        var lastIndex = -1
        var text = ""
        var tools: [(name: String, json: String)] = []
        for event in events {
            switch event.name {
            case "content_block_start":
                #expect(openIndex == nil, "a block starts while another is open")
                let index = try #require(event.data["index"]?.intValue)
                #expect(index == lastIndex + 1)
                openIndex = index
                lastIndex = index
                if event.data["content_block"]?["type"]?.stringValue == "tool_use" {
                    #expect(event.data["content_block"]?["input"] == [:])
                    tools.append((event.data["content_block"]?["name"]?.stringValue ?? "", ""))
                }
            case "content_block_delta":
                #expect(event.data["index"]?.intValue == openIndex)
                let delta = event.data["delta"]
                switch delta?["type"]?.stringValue {
                case "text_delta": text += delta?["text"]?.stringValue ?? ""
                case "input_json_delta": tools[tools.count - 1].json += delta?["partial_json"]?.stringValue ?? ""
                default: break
                }
            case "content_block_stop":
                #expect(event.data["index"]?.intValue == openIndex)
                openIndex = nil
            default: break
            }
        }
        #expect(openIndex == nil)
        #expect(text.utf8.count == recording.text.bytes)
        #expect(tools.map(\.name) == recording.toolCalls.map(\.name))
        for (tool, expected) in zip(tools, recording.toolCalls) {
            // An empty input_json is an empty input: the SDKs read it as {}.
            let input = tool.json.isEmpty ? [:] : try JSONValue.parse(Array(tool.json.utf8))
            #expect(input == expected.arguments, "input of \(tool.name): \(tool.json)")
        }
        let delta = try #require(events.first { $0.name == "message_delta" }?.data)
        let expectedStop: String =
            switch recording.finishReason {
            case "tool_calls": "tool_use"
            case "length": "max_tokens"
            default: "end_turn"
            }
        #expect(delta["delta"]?["stop_reason"]?.stringValue == expectedStop)
        // Anthropic's input count leaves out cache reads and writes; the sum is the provider's prompt.
        let usage = try #require(delta["usage"])
        let input =
            (usage["input_tokens"]?.intValue ?? 0) + (usage["cache_read_input_tokens"]?.intValue ?? 0)
            + (usage["cache_creation_input_tokens"]?.intValue ?? 0)
        #expect(input == translated.usage.promptTokens)
        #expect(usage["output_tokens"]?.intValue == translated.usage.completionTokens)
    }

    @Test(arguments: RecordedStreamTests.recordings)
    func aResponsesClientReassemblesWhatTheProviderSent(_ recording: Recording) throws {
        let (events, translated) = try Self.encode(recording, ResponsesFormat(request: [:]))
        #expect(events.map { $0.data["sequence_number"]?.intValue } == events.indices.map { $0 })
        for event in events { #expect(event.name == event.data["type"]?.stringValue) }
        #expect(events.prefix(2).map(\.name) == ["response.created", "response.in_progress"])
        let last = try #require(events.last)
        if recording.failsInBand {
            #expect(last.name == "response.failed")
            #expect(last.data["response"]?["status"]?.stringValue == "failed")
            return
        }
        #expect(last.name == (recording.finishReason == "length" ? "response.incomplete" : "response.completed"))
        let text = events.filter { $0.name == "response.output_text.delta" }.compactMap { $0.data["delta"]?.stringValue }.joined()
        #expect(text.utf8.count == recording.text.bytes)
        let output = last.data["response"]?["output"]?.arrayValue ?? []
        let calls = output.filter { $0["type"]?.stringValue == "function_call" }
        #expect(calls.map { $0["name"]?.stringValue ?? "" } == recording.toolCalls.map(\.name))
        for (call, expected) in zip(calls, recording.toolCalls) {
            let arguments = call["arguments"]?.stringValue ?? ""
            let parsed = arguments.isEmpty ? [:] : try JSONValue.parse(Array(arguments.utf8))
            #expect(parsed == expected.arguments, "arguments of \(call["name"]?.stringValue ?? ""): \(arguments)")
            #expect(call["call_id"]?.stringValue?.isEmpty == false)
        }
        // The final output lists the streamed items, in the order they were added.
        let added = events.filter { $0.name == "response.output_item.added" }.compactMap { $0.data["item"]?["id"]?.stringValue }
        #expect(output.compactMap { $0["id"]?.stringValue } == added)
        let usage = last.data["response"]?["usage"]
        #expect(usage?["input_tokens"]?.intValue == translated.usage.promptTokens)
        #expect(usage?["input_tokens_details"]?["cached_tokens"]?.intValue == translated.usage.cachedTokens)
        #expect(usage?["output_tokens_details"]?["reasoning_tokens"]?.intValue == translated.usage.reasoningTokens)
    }
}
