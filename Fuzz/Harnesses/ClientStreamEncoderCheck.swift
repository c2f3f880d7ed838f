import FunctionRuntime
import GatewayProviders
import GatewayStore

/// Chunks through each client API's stream encoder (chat completions, Anthropic Messages,
/// Responses): what goes on the wire parses back into the same events, and each API's framing
/// holds (Messages: blocks open and close in turn with increasing indexes; Responses: sequence
/// numbers count up from 0).
enum ClientStreamEncoderCheck {
    static let formats: [any ClientFormat] = [ChatCompletionsFormat(), MessagesFormat(), ResponsesFormat(request: [:])]

    static func run(_ chunks: [ChatChunk], failed: Bool, usage: TokenUsage) {
        for format in formats {
            let encoder = format.makeStreamEncoder(model: "m")
            var events = chunks.flatMap(encoder.encode)
            let error = APIError(status: 502, message: "upstream failed", code: "upstream_error")
            events += failed ? encoder.fail(error, usage: usage) : encoder.finish(usage: usage)
            var parser = SSEParser()
            let wire = Array(events.map(\.wire).joined().utf8)
            let parsed = parser.feed(wire) + parser.flush()
            let survived = parsed.count == events.count && zip(parsed, events).allSatisfy { $0.event == $1.event && $0.data == $1.data }
            check(survived, "\(format.api) events do not survive the wire")
            switch format.api {
            case .messages: checkMessagesFraming(events)
            case .responses: checkResponsesFraming(events)
            default: break
            }
        }
    }

    private static func checkMessagesFraming(_ events: [ServerSentEvent]) {
        var open: Int?
        var last = -1
        for event in events {
            let data = try? JSONValue.parse(event.data)
            check(data?["type"]?.stringValue == event.event, "a Messages event whose type is not its name")
            let index = data?["index"]?.intValue
            switch event.event {
            case "content_block_start":
                check(open == nil, "a block starts while another is open")
                check(index == last + 1, "block \(index ?? -1) follows block \(last)")
                open = index
                last = index ?? last
            case "content_block_delta":
                check(open != nil && index == open, "a delta outside its block")
            case "content_block_stop":
                check(open != nil && index == open, "a block stops that is not open")
                open = nil
            case "message_delta", "message_stop":
                check(open == nil, "the message ends with a block open")
            default:
                break
            }
        }
    }

    private static func checkResponsesFraming(_ events: [ServerSentEvent]) {
        for (number, event) in events.enumerated() {
            let data = try? JSONValue.parse(event.data)
            check(data?["type"]?.stringValue == event.event, "a Responses event whose type is not its name")
            check(data?["sequence_number"]?.intValue == number, "event \(number) has sequence number \(data?["sequence_number"] ?? .null)")
        }
    }
}
