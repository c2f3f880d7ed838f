import FunctionRuntime

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Internal chunks -> the Responses event stream: `response.created`, `response.in_progress`, then
/// per output item `output_item.added`, its deltas and `.done` events, and `response.completed`
/// (or `.incomplete`, `.failed`) with the response object rebuilt from the items streamed. Every
/// event carries an increasing `sequence_number`.
final class ResponsesStreamEncoder: ClientStreamEncoder {
    private enum OpenItem {
        case message(id: String, text: String)
        case functionCall(chatIndex: Int, id: String, callID: String, name: String, arguments: String)
    }

    private let format: ResponsesFormat
    private var model: String
    private let responseID = ResponsesFormat.identifier("resp_")
    private let createdAt = Int(Date().timeIntervalSince1970)
    private var sequence = 0
    private var started = false
    private var open: OpenItem?
    private var output: [JSONValue] = []
    private var toolsSeen: Set<Int> = []
    private var finishReason: String?

    init(format: ResponsesFormat, model: String) {
        self.format = format
        self.model = model
    }

    func encode(_ chunk: ChatChunk) -> [ServerSentEvent] {
        var events = start(chunk)
        if let reason = chunk.finishReason { finishReason = reason }
        guard let delta = chunk.delta else { return events }
        if let text = delta["content"]?.stringValue, !text.isEmpty {
            if case .message(let id, let sofar) = open {
                open = .message(id: id, text: sofar + text)
                events.append(
                    event("response.output_text.delta", ["item_id": .string(id), "content_index": 0, "delta": .string(text), "logprobs": []]))
            } else {
                events += close()
                let id = ResponsesFormat.identifier("msg_")
                open = .message(id: id, text: text)
                events.append(
                    event(
                        "response.output_item.added",
                        ["item": ["type": "message", "id": .string(id), "status": "in_progress", "role": "assistant", "content": []]]))
                events.append(
                    event(
                        "response.content_part.added",
                        ["item_id": .string(id), "content_index": 0, "part": ["type": "output_text", "text": "", "annotations": []]]))
                events.append(
                    event("response.output_text.delta", ["item_id": .string(id), "content_index": 0, "delta": .string(text), "logprobs": []]))
            }
        }
        for call in delta["tool_calls"]?.arrayValue ?? [] {
            let index = call["index"]?.intValue ?? 0
            let piece = call["function"]?["arguments"]?.stringValue ?? ""
            if case .functionCall(index, let id, let callID, let name, let arguments) = open {
                open = .functionCall(chatIndex: index, id: id, callID: callID, name: name, arguments: arguments + piece)
                if !piece.isEmpty {
                    events.append(event("response.function_call_arguments.delta", ["item_id": .string(id), "delta": .string(piece)]))
                }
                continue
            }
            guard !toolsSeen.contains(index) else { continue }
            toolsSeen.insert(index)
            events += close()
            let id = ResponsesFormat.identifier("fc_")
            let callID = call["id"]?.stringValue ?? ResponsesFormat.identifier("call_")
            let name = call["function"]?["name"]?.stringValue ?? ""
            open = .functionCall(chatIndex: index, id: id, callID: callID, name: name, arguments: piece)
            events.append(
                event(
                    "response.output_item.added",
                    ["item": ResponsesFormat.functionCallItem(id: id, callID: callID, name: name, arguments: "", status: "in_progress")]))
            if !piece.isEmpty { events.append(event("response.function_call_arguments.delta", ["item_id": .string(id), "delta": .string(piece)])) }
        }
        return events
    }

    func finish(usage: TokenUsage) -> [ServerSentEvent] {
        var events = start(nil) + close()
        let incomplete = finishReason == "length"
        let response = format.response(
            id: responseID, model: model, status: incomplete ? "incomplete" : "completed", output: output, usage: usage, createdAt: createdAt)
        events.append(event(incomplete ? "response.incomplete" : "response.completed", ["response": response], outputIndex: false))
        return events
    }

    func fail(_ error: APIError, usage: TokenUsage) -> [ServerSentEvent] {
        var events = start(nil) + close()
        let response = format.response(
            id: responseID, model: model, status: "failed", output: output, usage: usage, error: error, createdAt: createdAt)
        events.append(event("response.failed", ["response": response], outputIndex: false))
        return events
    }

    private func start(_ chunk: ChatChunk?) -> [ServerSentEvent] {
        guard !started else { return [] }
        started = true
        if let served = chunk?.json["model"]?.stringValue { model = served }
        let response = format.response(id: responseID, model: model, status: "in_progress", output: [], usage: nil, createdAt: createdAt)
        return [
            event("response.created", ["response": response], outputIndex: false),
            event("response.in_progress", ["response": response], outputIndex: false),
        ]
    }

    /// Ends the open item: its `.done` events, and it joins the output the final response lists.
    private func close() -> [ServerSentEvent] {
        guard let item = open else { return [] }
        open = nil
        var events: [ServerSentEvent] = []
        let done: JSONValue
        switch item {
        case .message(let id, let text):
            done = ResponsesFormat.messageItem(id: id, text: text, status: "completed")
            events.append(event("response.output_text.done", ["item_id": .string(id), "content_index": 0, "text": .string(text), "logprobs": []]))
            events.append(
                event(
                    "response.content_part.done",
                    ["item_id": .string(id), "content_index": 0, "part": ["type": "output_text", "text": .string(text), "annotations": []]]))
        case .functionCall(_, let id, let callID, let name, let arguments):
            done = ResponsesFormat.functionCallItem(id: id, callID: callID, name: name, arguments: arguments, status: "completed")
            events.append(
                event("response.function_call_arguments.done", ["item_id": .string(id), "name": .string(name), "arguments": .string(arguments)]))
        }
        events.append(event("response.output_item.done", ["item": done]))
        output.append(done)
        return events
    }

    private func event(_ type: String, _ fields: [String: JSONValue], outputIndex: Bool = true) -> ServerSentEvent {
        var object = fields
        object["type"] = .string(type)
        object["sequence_number"] = .int(sequence)
        if outputIndex { object["output_index"] = .int(output.count) }
        sequence += 1
        return ServerSentEvent(event: type, data: JSONValue.object(object).serializedString)
    }
}
