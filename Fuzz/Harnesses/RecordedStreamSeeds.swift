/// Seeds from the provider streams recorded in Tests/Fixtures/recorded: each translator gets its
/// own format's streams, the SSE parser all of them. Streams over `maximumBytes` are cut after the
/// last whole event that fits: seeds stay small, and libFuzzer's inputs short.
enum RecordedStreamSeeds {
    static let maximumBytes = 8192

    static let translators: [(prefix: String, harness: String)] = [
        ("openai-", "translator-openai"), ("openrouter-", "translator-openai"),
        ("anthropic-", "translator-anthropic"), ("gemini-", "translator-gemini"),
    ]

    static func all(fixtures: String) -> [(harness: String, name: String, bytes: [UInt8])] {
        var seeds: [(harness: String, name: String, bytes: [UInt8])] = []
        for (prefix, harness) in translators {
            for name in fixtureNames.filter({ $0.hasPrefix(prefix) }) {
                let stream = truncated(SeedWriter.read("\(fixtures)/\(name).sse"))
                // 0: the stream in one piece; 7: pieces of 1 to 7 bytes, with include_usage.
                seeds.append((harness, name, [0] + stream))
                seeds.append((harness, name + "-in-pieces", [7] + stream))
                seeds.append(("sse-parser", name, [13] + stream))
                if let payload = firstJSONPayload(stream) { seeds.append(("json-parser", name, payload)) }
            }
        }
        return seeds
    }

    /// The recordings, by name (no directory listing: the seeds must not depend on what else is there).
    static let fixtureNames = [
        "anthropic-stream-cache-tokens-web-search", "anthropic-stream-error-overloaded", "anthropic-stream-text-after-tool-result",
        "anthropic-stream-thinking-tool-use-split-json", "anthropic-stream-thinking-tool-use", "anthropic-stream-tool-use-split-json",
        "gemini-stream-function-call-thought-signature", "gemini-stream-function-call", "gemini-stream-thinking",
        "openai-chat-stream-parallel-tool-calls", "openai-chat-stream-reasoning-usage", "openai-chat-stream-tool-call-args-split",
        "openai-chat-stream-tool-calls-reasoning", "openrouter-chat-stream-midstream-error", "openrouter-chat-stream-processing-cost",
        "openrouter-chat-stream-reasoning",
    ]

    /// The first `data:` line's JSON object, as a JSON seed.
    static func firstJSONPayload(_ stream: [UInt8]) -> [UInt8]? {
        for line in stream.split(separator: 10) where line.starts(with: Array("data: {".utf8)) {
            return Array(line.dropFirst(6).filter { $0 != 13 })
        }
        return nil
    }

    /// The stream up to the end of its last whole event within `maximumBytes` (LF or CRLF framing).
    static func truncated(_ stream: [UInt8]) -> [UInt8] {
        guard stream.count > maximumBytes else { return stream }
        var end = 0
        for index in 1..<maximumBytes where stream[index] == 10 {
            if stream[index - 1] == 10 || (index >= 3 && stream[index - 1] == 13 && stream[index - 2] == 10) { end = index + 1 }
        }
        return Array(stream[..<end])
    }
}
