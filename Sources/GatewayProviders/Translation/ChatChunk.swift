import FunctionRuntime

/// One `chat.completion.chunk`: the internal stream representation every upstream translator
/// produces and every client API encoder consumes. A chunk passed through from an OpenAI-compatible
/// upstream keeps its original text, so the chat API relays it byte for byte.
package struct ChatChunk: Sendable {
    package var json: JSONValue
    private var original: String?

    package init(_ json: JSONValue) {
        self.json = json
        self.original = nil
    }

    /// A chunk as the upstream sent it: `text` is `json` serialized by someone else. Text on several
    /// lines (an event of several `data:` lines) is serialized again: a chunk goes out as one `data:` line.
    package init(passedThrough text: String, parsed json: JSONValue) {
        self.json = json
        self.original = text.utf8.contains { $0 == 10 || $0 == 13 } ? nil : text
    }

    /// The chunk as a `data:` payload.
    package var text: String { original ?? json.serializedString }

    /// The chunk's first choice's delta (`choices[0].delta`), absent for the usage-only chunk.
    package var delta: JSONValue? { json["choices"]?[0]?["delta"] }
    package var finishReason: String? { json["choices"]?[0]?["finish_reason"]?.stringValue }
}
