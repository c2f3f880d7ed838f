import FunctionRuntime
import GatewayProviders
import GatewayStore

/// One upstream wire format's stream translator fed an arbitrary byte stream, cut at arbitrary
/// points, through the SSE parser as `v1-chat` does; then its chunks through every client API's
/// stream encoder. The only error a translator may throw is `UpstreamStreamError`; every chunk
/// must be a JSON object on one line (it becomes one `data:` line); usage counts stay in range.
/// The first byte picks the cut points (see `Pieces`) and, by its low bit, `include_usage`.
enum StreamTranslatorHarness {
    static let chats: [ChatRequest] = [false, true].map { includeUsage in
        let body = #"{"model":"m","stream":true,"stream_options":{"include_usage":\#(includeUsage)},"messages":[{"role":"user","content":"hi"}]}"#
        return try! ChatRequest(body: Array(body.utf8))
    }

    static func run(_ input: [UInt8], standard: APIStandard) {
        let pieces = Pieces(input)
        let chat = chats[Int(input.first ?? 0) & 1]
        guard let format = WireFormats.format(standard) else { fatalError("no wire format \(standard)") }
        let translator = format.adapter(settings: ProviderSettings()).makeStreamTranslator(chat: chat, model: "m")
        var parser = SSEParser()
        var chunks: [ChatChunk] = []
        var failed = false
        do {
            for piece in pieces.pieces {
                for event in parser.feed(Array(piece)) { chunks += try translator.translate(event) }
            }
            for event in parser.flush() { chunks += try translator.translate(event) }
            chunks += translator.finish()
        } catch is UpstreamStreamError {
            failed = true
        } catch {
            fatalError("invariant broken: a translator threw \(error), not an UpstreamStreamError")
        }
        for chunk in chunks {
            let text = chunk.text
            check(!text.utf8.contains(10) && !text.utf8.contains(13), "a chunk's text spans lines: \(text.prefix(200).debugDescription)")
            let parsed = try? JSONValue.parse(text)
            check(parsed?.objectValue != nil, "a chunk's text is not a JSON object: \(text.prefix(200))")
        }
        let usage = translator.usage
        for count in [usage.promptTokens, usage.completionTokens, usage.cachedTokens, usage.cacheWriteTokens, usage.reasoningTokens] {
            check((0...3_000_000_000).contains(count), "a token count of \(count)")
        }
        ClientStreamEncoderCheck.run(chunks, failed: failed, usage: usage)
    }
}
