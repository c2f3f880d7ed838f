import Foundation
import FunctionRuntime
import TestSupport

/// One mock upstream that is three providers, each in its own wire format under its own prefix:
/// Anthropic at `/anthropic`, OpenAI at `/openai/v1`, Gemini at `/gemini/v1beta`. It answers as the
/// real APIs do, from the recorded streams where one fits:
/// - a request with tools and no tool result yet -> a tool call (recorded: Anthropic `compute_fib`
///   with thinking, its arguments split over input_json_deltas; OpenAI `get_weather`, arguments over 6
///   chunks; Gemini `get_capital`, arguments whole). `gpt-4o-whole` sends OpenAI's arguments in one
///   chunk, `gpt-4o-late` only with the finish chunk;
/// - a request whose last turn is a tool result -> "The answer is ready." (text);
/// - anything else -> "Hello from <provider>.", with fixed usage (see `Usage`);
/// - Anthropic `claude-overloaded` -> 529 (or, streaming, the recorded in-band overloaded_error);
///   `claude-ratelimited` -> 429; `count_tokens` -> 321; OpenAI `gpt-4o-fails` -> the recorded
///   OpenRouter stream that fails mid-way.
/// Embeddings: OpenAI `/embeddings` (usage 7 tokens), Gemini `batchEmbedContents` (no usage).
enum ThreeProviderMock {
    /// Usage of the text answers: prompt 30 (OpenAI: 8 of them cached; Anthropic: 20 + 6 read + 4 written), completion 12.
    enum Usage {
        static let prompt = 30
        static let completion = 12
    }

    static func start() throws -> MockUpstream {
        try MockUpstream { request in reply(request) }
    }

    static func reply(_ request: MockUpstream.Received) -> MockUpstream.Reply {
        let json = request.json
        let stream = json?["stream"]?.boolValue == true || request.path.contains(":streamGenerateContent")
        if request.path.hasPrefix("/anthropic") { return anthropic(request, json: json, stream: stream) }
        if request.path.hasPrefix("/openai") { return openAI(request, json: json, stream: stream) }
        if request.path.hasPrefix("/gemini") { return gemini(request, json: json, stream: stream) }
        return .json(status: 404, body: #"{"error":{"message":"no such mock route"}}"#)
    }

    // MARK: Anthropic

    static func anthropic(_ request: MockUpstream.Received, json: JSONValue?, stream: Bool) -> MockUpstream.Reply {
        if request.path.hasSuffix("/v1/messages/count_tokens") { return .json(status: 200, body: #"{"input_tokens":321}"#) }
        let model = json?["model"]?.stringValue ?? ""
        if model == "claude-ratelimited" {
            return .json(
                status: 429,
                body: #"{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit"}}"#)
        }
        if model == "claude-overloaded" {
            if stream { return .stream(events: recorded("anthropic-stream-error-overloaded.sse")) }
            return .json(status: 529, body: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
        }
        let messages = json?["messages"]?.arrayValue ?? []
        let lastBlocks = messages.last?["content"]?.arrayValue ?? []
        let answered = lastBlocks.contains { $0["type"]?.stringValue == "tool_result" }
        if json?["tools"] != nil, !answered {
            if stream { return .stream(events: recorded("anthropic-stream-thinking-tool-use-split-json.sse")) }
            return .json(
                status: 200,
                body:
                    #"{"id":"msg_01tool","type":"message","role":"assistant","model":"\#(model)","content":[{"type":"thinking","thinking":"Use the tool.","signature":"EqQBCkgIBxABGAIiQ"},{"type":"tool_use","id":"toolu_01A","name":"compute_fib","input":{"n":100}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":20,"output_tokens":12,"cache_read_input_tokens":6,"cache_creation_input_tokens":4}}"#
            )
        }
        let text = answered ? "The answer is ready." : "Hello from anthropic."
        if stream {
            var events = ProviderWire.anthropicStream(
                text.split(separator: " ").map { String($0) + " " }, model: model, input: 20, output: Usage.completion, cacheRead: 6)
            // Cache writes as the real API reports them: in message_start's usage.
            events[0] = events[0].replacingOccurrences(of: #""cache_creation_input_tokens":0"#, with: #""cache_creation_input_tokens":4"#)
            events = events.map { $0.replacingOccurrences(of: #""stop_reason":"max_tokens""#, with: #""stop_reason":"end_turn""#) }
            return .stream(events: events)
        }
        return .json(
            status: 200, body: ProviderWire.anthropicMessage(text, model: model, input: 20, output: Usage.completion, cacheRead: 6, cacheWrite: 4))
    }

    // MARK: OpenAI

    static func openAI(_ request: MockUpstream.Received, json: JSONValue?, stream: Bool) -> MockUpstream.Reply {
        if request.path.hasSuffix("/embeddings") {
            let count = json?["input"]?.arrayValue?.count ?? 1
            let base64 = json?["encoding_format"]?.stringValue == "base64"
            let vector = base64 ? #""AACAPwAAAEAAAEBA""# : "[1.0,2.0,3.0]"  // 1, 2, 3 as little-endian float32s
            let data = (0..<count).map { #"{"object":"embedding","index":\#($0),"embedding":\#(vector)}"# }.joined(separator: ",")
            return .json(
                status: 200,
                body: #"{"object":"list","data":[\#(data)],"model":"text-embedding-3-small","usage":{"prompt_tokens":7,"total_tokens":7}}"#)
        }
        let model = json?["model"]?.stringValue ?? ""
        if model == "gpt-4o-fails" { return .stream(events: recorded("openrouter-chat-stream-midstream-error.sse")) }
        let messages = json?["messages"]?.arrayValue ?? []
        let answered = messages.last?["role"]?.stringValue == "tool"
        if json?["tools"] != nil, !answered {
            if stream {
                switch model {
                case "gpt-4o-whole": return .stream(events: openAIToolStream(model: model, argumentsLate: false))
                case "gpt-4o-late": return .stream(events: openAIToolStream(model: model, argumentsLate: true))
                default: return .stream(events: recorded("openai-chat-stream-tool-call-args-split.sse"))
                }
            }
            return .json(
                status: 200,
                body:
                    #"{"id":"chatcmpl-tool","object":"chat.completion","created":1,"model":"\#(model)","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_W1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Mexico City\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42,"prompt_tokens_details":{"cached_tokens":8},"completion_tokens_details":{"reasoning_tokens":5}}}"#
            )
        }
        let text = answered ? "The answer is ready." : "Hello from openai."
        if stream {
            let reasoning =
                json?["reasoning_effort"] != nil
                ? [
                    #"data: {"id":"chatcmpl-r","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[{"index":0,"delta":{"reasoning_content":"Thinking it over."},"finish_reason":null}]}"#
                        + "\n\n"
                ]
                : []
            var events = ProviderWire.openAIStream(
                text.split(separator: " ").map { String($0) + " " }, model: model, prompt: Usage.prompt, completion: Usage.completion)
            events.insert(contentsOf: reasoning, at: 1)
            events = events.map {
                $0.replacingOccurrences(
                    of: #""total_tokens":42}"#,
                    with: #""total_tokens":42,"prompt_tokens_details":{"cached_tokens":8},"completion_tokens_details":{"reasoning_tokens":5}}"#)
            }
            return .stream(events: events)
        }
        return .json(
            status: 200,
            body: ProviderWire.openAICompletion(text, model: model, prompt: Usage.prompt, completion: Usage.completion, cached: 8)
                .replacingOccurrences(
                    of: #""prompt_tokens_details":{"cached_tokens":8}"#,
                    with: #""prompt_tokens_details":{"cached_tokens":8},"completion_tokens_details":{"reasoning_tokens":5}"#))
    }

    /// A tool call whose arguments come in one piece: with the call's first chunk, or only with the finish chunk.
    static func openAIToolStream(model: String, argumentsLate: Bool) -> [String] {
        func chunk(_ delta: String, finish: String = "null") -> String {
            #"data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[{"index":0,"delta":\#(delta),"finish_reason":\#(finish)}]}"#
                + "\n\n"
        }
        let arguments = #"{\"city\":\"Mexico City\"}"#
        return [
            chunk(#"{"role":"assistant","content":null}"#),
            chunk(
                #"{"tool_calls":[{"index":0,"id":"call_W1","type":"function","function":{"name":"get_weather","arguments":"\#(argumentsLate ? "" : arguments)"}}]}"#
            ),
            argumentsLate
                ? chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"\#(arguments)"}}]}"#, finish: #""tool_calls""#)
                : chunk("{}", finish: #""tool_calls""#),
            #"data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[],"usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42}}"#
                + "\n\n",
            "data: [DONE]\n\n",
        ]
    }

    // MARK: Gemini

    static func gemini(_ request: MockUpstream.Received, json: JSONValue?, stream: Bool) -> MockUpstream.Reply {
        if request.path.hasSuffix(":batchEmbedContents") {
            let count = json?["requests"]?.arrayValue?.count ?? 0
            let vectors = (0..<count).map { _ in #"{"values":[1.0,2.0,3.0]}"# }.joined(separator: ",")
            return .json(status: 200, body: #"{"embeddings":[\#(vectors)]}"#)
        }
        let contents = json?["contents"]?.arrayValue ?? []
        let answered = (contents.last?["parts"]?.arrayValue ?? []).contains { $0["functionResponse"] != nil }
        if json?["tools"] != nil, !answered {
            if stream { return .stream(events: recorded("gemini-stream-function-call.sse")) }
            return .json(
                status: 200,
                body:
                    #"{"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_capital","args":{"country":"France"}}}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":7,"totalTokenCount":42,"cachedContentTokenCount":8,"thoughtsTokenCount":5},"modelVersion":"gemini-2.5-flash"}"#
            )
        }
        if stream, json?["generationConfig"]?["thinkingConfig"] != nil, !answered {
            return .stream(events: recorded("gemini-stream-thinking.sse"))
        }
        let text = answered ? "The answer is ready." : "Hello from gemini."
        if stream {
            let events = ProviderWire.geminiStream(
                text.split(separator: " ").map { String($0) + " " }, prompt: Usage.prompt, candidates: 7, thoughts: 5)
            return .stream(
                events: events.map {
                    $0.replacingOccurrences(of: #""thoughtsTokenCount":5}"#, with: #""thoughtsTokenCount":5,"cachedContentTokenCount":8}"#)
                })
        }
        return .json(status: 200, body: ProviderWire.geminiResponse(text, prompt: Usage.prompt, candidates: 7, thoughts: 5, cached: 8))
    }

    /// A recorded stream, one event per write.
    static func recorded(_ name: String) -> [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/recorded/\(name)")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let separator = text.contains("\r\n\r\n") ? "\r\n\r\n" : "\n\n"
        return text.components(separatedBy: separator).filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.map { $0 + separator }
    }
}
