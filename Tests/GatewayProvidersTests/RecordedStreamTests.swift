import Foundation
import FunctionRuntime
import GatewayProviders
import GatewayStore
import Testing

/// Streams recorded from the real providers (Tests/Fixtures/recorded, provenance in each `.source.md`)
/// through each wire format's translator, fed in 7-byte pieces: what an OpenAI client reassembles from
/// the gateway's chunks (text, each tool call's name and arguments, the finish reason) and the usage
/// the row records are what the provider sent.
struct RecordedStreamTests {
    struct Recording: Sendable, CustomTestStringConvertible {
        var fixture: String
        var standard: APIStandard
        /// The answer's text: its UTF-8 length, how it starts and ends.
        var text: (bytes: Int, prefix: String, suffix: String) = (0, "", "")
        /// (name, arguments as JSON) per tool call, in index order.
        var toolCalls: [(name: String, arguments: JSONValue)] = []
        var finishReason: String?
        var usage: (prompt: Int, completion: Int, cached: Int, reasoning: Int) = (0, 0, 0, 0)
        var cost: Double?
        /// The stream carries an in-band error (the gateway ends its stream with an error event).
        var failsInBand = false

        var testDescription: String { fixture }
    }

    static let recordings: [Recording] = [
        Recording(
            fixture: "openai-chat-stream-tool-call-args-split", standard: .openai,
            toolCalls: [("get_weather", ["city": "Mexico City"])], finishReason: "tool_calls", usage: (423, 15, 0, 0)),
        Recording(
            fixture: "openai-chat-stream-parallel-tool-calls", standard: .openai,
            toolCalls: [("get_country", [:]), ("get_product_name", [:])], finishReason: "tool_calls", usage: (364, 40, 0, 0)),
        Recording(
            fixture: "openai-chat-stream-tool-calls-reasoning", standard: .openai,
            toolCalls: [("get_book_info", ["isbn": "0-7653-1178-X"])], finishReason: "tool_calls", usage: (238, 223, 0, 192)),
        Recording(fixture: "openai-chat-stream-reasoning-usage", standard: .openai, finishReason: "length", usage: (13, 50, 0, 50)),
        Recording(
            fixture: "openrouter-chat-stream-processing-cost", standard: .openai,
            text: (286, "I'm Grok, an AI built by xAI. ", "What's on your mind?"), finishReason: "stop", usage: (687, 187, 679, 118),
            cost: 0.00333825),
        Recording(fixture: "openrouter-chat-stream-midstream-error", standard: .openai, failsInBand: true),
        Recording(
            fixture: "openrouter-chat-stream-reasoning", standard: .openai, text: (9, "2 + 2 = 4", "2 + 2 = 4"), finishReason: "stop",
            usage: (43, 36, 0, 13), cost: 0.000669),
        Recording(
            fixture: "gemini-stream-thinking", standard: .gemini, text: (1938, "This is a great question! Safe", "r might not see you."),
            finishReason: "stop", usage: (34, 469 + 787, 0, 787)),
        Recording(
            fixture: "gemini-stream-function-call", standard: .gemini, toolCalls: [("get_capital", ["country": "France"])],
            finishReason: "tool_calls", usage: (52, 5, 0, 0)),
        Recording(
            fixture: "gemini-stream-function-call-thought-signature", standard: .gemini, toolCalls: [("get_country", [:])],
            finishReason: "tool_calls", usage: (29, 10 + 202, 0, 202)),
        Recording(
            fixture: "anthropic-stream-thinking-tool-use-split-json", standard: .anthropic, toolCalls: [("compute_fib", ["n": 100])],
            finishReason: "tool_calls", usage: (432, 135, 0, 0)),
        Recording(
            fixture: "anthropic-stream-text-after-tool-result", standard: .anthropic,
            text: (280, "The version is **0.32a0**.\n\nHe", "ty of room to grow!)"), finishReason: "stop", usage: (707, 89, 0, 0)),
        Recording(
            fixture: "anthropic-stream-tool-use-split-json", standard: .anthropic,
            text: (158, "Let me search for a tool that ", "change rate for you."),
            toolCalls: [("get_exchange_rate", ["from_currency": "USD", "to_currency": "EUR"])], finishReason: "tool_calls",
            usage: (1591, 175, 0, 0)),
        Recording(
            fixture: "anthropic-stream-cache-tokens-web-search", standard: .anthropic,
            text: (1187, "Let me search more specificall", "sychological levels."), finishReason: "stop",
            usage: (17 + 16242 + 23258, 515, 16242, 0)),
        // A tool without arguments: Anthropic sends `input: {}` and one empty delta; OpenAI clients parse "{}".
        Recording(
            fixture: "anthropic-stream-thinking-tool-use", standard: .anthropic, toolCalls: [("fixed_version", [:])],
            finishReason: "tool_calls", usage: (598, 92, 0, 0)),
        Recording(fixture: "anthropic-stream-error-overloaded", standard: .anthropic, failsInBand: true),
    ]

    /// What an OpenAI client puts together from the chunks it is sent.
    struct Reassembled {
        var text = ""
        var toolCalls: [Int: (name: String, arguments: String)] = [:]
        var finishReason: String?
        var failedInBand = false
        var usage = TokenUsage()
    }

    /// The internal chunks a recording becomes (fed in 7-byte pieces), and what the translator read.
    struct Translated {
        var chunks: [ChatChunk] = []
        var failedInBand = false
        var usage = TokenUsage()
    }

    static func translate(_ recording: Recording) throws -> Translated {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/recorded/\(recording.fixture).sse")
        let bytes = Array(try Data(contentsOf: url))
        let provider = CatalogueProvider(
            id: "p", name: "p", displayName: "P", kind: .direct, apiStandard: recording.standard, baseURL: "https://example.invalid")
        let chat = try ChatRequest(
            body: Array(#"{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#.utf8))
        let translator = try #require(WireFormats.format(provider.apiStandard)).adapter(settings: ProviderSettings()).makeStreamTranslator(
            chat: chat, model: "m")
        var result = Translated()
        var parser = SSEParser()
        do {
            var offset = 0
            while offset < bytes.count {
                let piece = Array(bytes[offset..<min(offset + 7, bytes.count)])
                offset += piece.count
                for event in parser.feed(piece) { result.chunks += try translator.translate(event) }
            }
            for event in parser.flush() { result.chunks += try translator.translate(event) }
            result.chunks += translator.finish()
        } catch is UpstreamStreamError {
            result.failedInBand = true
        }
        result.usage = translator.usage
        return result
    }

    static func replay(_ recording: Recording) throws -> Reassembled {
        let translated = try translate(recording)
        var result = Reassembled(failedInBand: translated.failedInBand, usage: translated.usage)
        // What goes on the wire: each chunk's text, parsed again as a client would.
        for payload in translated.chunks.map(\.text) {
            let chunk = try JSONValue.parse(Array(payload.utf8))
            guard let choice = chunk["choices"]?[0] else { continue }
            result.text += choice["delta"]?["content"]?.stringValue ?? ""
            for call in choice["delta"]?["tool_calls"]?.arrayValue ?? [] {
                let index = call["index"]?.intValue ?? -1
                var entry = result.toolCalls[index] ?? ("", "")
                entry.name += call["function"]?["name"]?.stringValue ?? ""
                entry.arguments += call["function"]?["arguments"]?.stringValue ?? ""
                result.toolCalls[index] = entry
            }
            if let reason = choice["finish_reason"]?.stringValue { result.finishReason = reason }
        }
        return result
    }

    @Test(arguments: recordings)
    func theClientReassemblesWhatTheProviderSent(_ recording: Recording) throws {
        let result = try Self.replay(recording)
        #expect(result.failedInBand == recording.failsInBand)
        guard !recording.failsInBand else { return }
        #expect(result.text.utf8.count == recording.text.bytes)
        #expect(result.text.hasPrefix(recording.text.prefix))
        #expect(result.text.hasSuffix(recording.text.suffix))
        let calls = result.toolCalls.sorted { $0.key < $1.key }.map(\.value)
        #expect(calls.map(\.name) == recording.toolCalls.map(\.name))
        for (call, expected) in zip(calls, recording.toolCalls) {
            #expect((try? JSONValue.parse(Array(call.arguments.utf8))) == expected.arguments, "arguments of \(call.name): \(call.arguments)")
        }
        #expect(result.finishReason == recording.finishReason)
    }

    @Test(arguments: recordings.filter { !$0.failsInBand })
    func theUsageRecordedIsWhatTheProviderReported(_ recording: Recording) throws {
        let usage = try Self.replay(recording).usage
        #expect(usage.reported)
        #expect(usage.promptTokens == recording.usage.prompt)
        #expect(usage.completionTokens == recording.usage.completion)
        #expect(usage.cachedTokens == recording.usage.cached)
        #expect(usage.reasoningTokens == recording.usage.reasoning)
        #expect(usage.reportedCost == recording.cost)
    }
}
