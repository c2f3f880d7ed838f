import FunctionRuntime

/// Internal chunks -> Anthropic's event stream: `message_start`, then one content block at a time
/// (`content_block_start`, deltas, `content_block_stop`), `message_delta` with the stop reason and
/// usage, `message_stop`. Tool-call arguments become `input_json_delta`s whether the upstream sent
/// them in pieces, whole, or only with its last chunk, so the client's `tool_use.input` is complete.
final class MessagesStreamEncoder: ClientStreamEncoder {
    private enum Block: Equatable {
        case text
        case thinking
        case tool(index: Int)
    }

    private let model: String
    private var started = false
    private var open: Block?
    private var blockIndex = -1
    /// Tool calls seen, by their chat index: a later piece of a closed call has nowhere to go.
    private var toolsSeen: Set<Int> = []
    private var finishReason: String?
    private var id = MessagesFormat.identifier("msg_")

    init(model: String) { self.model = model }

    func encode(_ chunk: ChatChunk) -> [ServerSentEvent] {
        var events = start(chunk)
        if let reason = chunk.finishReason { finishReason = reason }
        guard let delta = chunk.delta else { return events }
        if let reasoning = delta["reasoning_content"]?.stringValue ?? delta["reasoning"]?.stringValue, !reasoning.isEmpty {
            events += switchTo(.thinking, startBlock: ["type": "thinking", "thinking": "", "signature": ""])
            events.append(self.delta(["type": "thinking_delta", "thinking": .string(reasoning)]))
        }
        if let text = delta["content"]?.stringValue, !text.isEmpty {
            events += switchTo(.text, startBlock: ["type": "text", "text": ""])
            events.append(self.delta(["type": "text_delta", "text": .string(text)]))
        }
        for call in delta["tool_calls"]?.arrayValue ?? [] {
            let index = call["index"]?.intValue ?? 0
            if open != .tool(index: index), !toolsSeen.contains(index) {
                toolsSeen.insert(index)
                events += switchTo(
                    .tool(index: index),
                    startBlock: [
                        "type": "tool_use", "id": .string(call["id"]?.stringValue ?? MessagesFormat.identifier("toolu_")),
                        "name": call["function"]?["name"] ?? "", "input": [:],
                    ])
            }
            if open == .tool(index: index), let piece = call["function"]?["arguments"]?.stringValue, !piece.isEmpty {
                events.append(self.delta(["type": "input_json_delta", "partial_json": .string(piece)]))
            }
        }
        return events
    }

    func finish(usage: TokenUsage) -> [ServerSentEvent] {
        var events = start(nil) + close()
        events.append(
            event(
                "message_delta",
                [
                    "delta": ["stop_reason": MessagesFormat.stopReason(finishReason ?? "stop"), "stop_sequence": .null],
                    "usage": MessagesFormat.usage(usage),
                ]))
        events.append(event("message_stop", [:]))
        return events
    }

    func fail(_ error: APIError, usage: TokenUsage) -> [ServerSentEvent] {
        let (_, type) = MessagesFormat.errorType(error)
        return [ServerSentEvent(event: "error", data: MessagesFormat.errorBody(type: type, message: error.message).serializedString)]
    }

    private func start(_ chunk: ChatChunk?) -> [ServerSentEvent] {
        guard !started else { return [] }
        started = true
        if let upstream = chunk?.json["id"]?.stringValue { id = MessagesFormat.messageID(upstream) }
        let message: JSONValue = [
            "id": .string(id), "type": "message", "role": "assistant", "model": .string(chunk?.json["model"]?.stringValue ?? model),
            "content": [], "stop_reason": .null, "stop_sequence": .null,
            "usage": ["input_tokens": 0, "output_tokens": 0],
        ]
        return [event("message_start", ["message": message])]
    }

    private func switchTo(_ block: Block, startBlock: JSONValue) -> [ServerSentEvent] {
        guard open != block else { return [] }
        var events = close()
        blockIndex += 1
        open = block
        events.append(event("content_block_start", ["index": .int(blockIndex), "content_block": startBlock]))
        return events
    }

    private func close() -> [ServerSentEvent] {
        guard open != nil else { return [] }
        open = nil
        return [event("content_block_stop", ["index": .int(blockIndex)])]
    }

    private func delta(_ delta: JSONValue) -> ServerSentEvent {
        event("content_block_delta", ["index": .int(blockIndex), "delta": delta])
    }

    private func event(_ name: String, _ fields: [String: JSONValue]) -> ServerSentEvent {
        var object = fields
        object["type"] = .string(name)
        return ServerSentEvent(event: name, data: JSONValue.object(object).serializedString)
    }
}
