/// Upstream answers in each provider's real wire format, for the mock upstreams.
package enum ProviderWire {
    // MARK: OpenAI (and OpenRouter, AiHubMix)
    package static func openAICompletion(_ text: String, model: String, prompt: Int, completion: Int, cached: Int = 0, cost: Double? = nil) -> String
    {
        let costField = cost.map { #","cost":\#($0)"# } ?? ""
        return
            #"{"id":"chatcmpl-up1","object":"chat.completion","created":1,"model":"\#(model)","choices":[{"index":0,"message":{"role":"assistant","content":"\#(text)"},"finish_reason":"stop"}],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion),"prompt_tokens_details":{"cached_tokens":\#(cached)}\#(costField)}}"#
    }

    /// Content chunks, a finish chunk, the usage chunk (`choices: []`) and `[DONE]`, as OpenAI sends them with include_usage.
    package static func openAIStream(_ pieces: [String], model: String, prompt: Int, completion: Int, cost: Double? = nil, cut: Bool = false)
        -> [String]
    {
        var events = [
            #"data: {"id":"chatcmpl-up2","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}"#
                + "\n\n"
        ]
        for piece in pieces {
            events.append(
                #"data: {"id":"chatcmpl-up2","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[{"index":0,"delta":{"content":"\#(piece)"},"finish_reason":null}],"usage":null}"#
                    + "\n\n")
        }
        if cut { return events }
        events.append(
            #"data: {"id":"chatcmpl-up2","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"#
                + "\n\n")
        let costField = cost.map { #","cost":\#($0)"# } ?? ""
        events.append(": OPENROUTER PROCESSING\n\n")
        events.append(
            #"data: {"id":"chatcmpl-up2","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion)\#(costField)}}"#
                + "\n\n")
        events.append("data: [DONE]\n\n")
        return events
    }

    // MARK: Anthropic Messages
    package static func anthropicMessage(_ text: String, model: String, input: Int, output: Int, cacheRead: Int = 0, cacheWrite: Int = 0) -> String {
        #"{"id":"msg_01","type":"message","role":"assistant","model":"\#(model)","content":[{"type":"text","text":"\#(text)"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":\#(input),"output_tokens":\#(output),"cache_read_input_tokens":\#(cacheRead),"cache_creation_input_tokens":\#(cacheWrite)}}"#
    }

    /// message_start (input usage), text deltas, message_delta with the running output total, message_stop.
    package static func anthropicStream(_ pieces: [String], model: String, input: Int, output: Int, cacheRead: Int = 0) -> [String] {
        var events = [
            "event: message_start\ndata: "
                + #"{"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"\#(model)","content":[],"stop_reason":null,"usage":{"input_tokens":\#(input),"output_tokens":1,"cache_read_input_tokens":\#(cacheRead),"cache_creation_input_tokens":0}}}"#
                + "\n\n",
            "event: content_block_start\ndata: " + #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"# + "\n\n",
            "event: ping\ndata: " + #"{"type":"ping"}"# + "\n\n",
        ]
        for piece in pieces {
            events.append(
                "event: content_block_delta\ndata: " + #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\#(piece)"}}"#
                    + "\n\n")
        }
        events.append("event: content_block_stop\ndata: " + #"{"type":"content_block_stop","index":0}"# + "\n\n")
        events.append(
            "event: message_delta\ndata: "
                + #"{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":\#(output)}}"# + "\n\n"
        )
        events.append("event: message_stop\ndata: " + #"{"type":"message_stop"}"# + "\n\n")
        return events
    }

    // MARK: Gemini
    package static func geminiResponse(_ text: String, prompt: Int, candidates: Int, thoughts: Int = 0, cached: Int = 0) -> String {
        #"{"candidates":[{"content":{"parts":[{"text":"\#(text)"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":\#(prompt),"candidatesTokenCount":\#(candidates),"totalTokenCount":\#(prompt + candidates + thoughts),"cachedContentTokenCount":\#(cached),"thoughtsTokenCount":\#(thoughts)},"modelVersion":"gemini-2.0-flash","responseId":"resp-1"}"#
    }

    package static func geminiStream(_ pieces: [String], prompt: Int, candidates: Int, thoughts: Int = 0) -> [String] {
        pieces.enumerated().map { index, piece in
            let last = index == pieces.count - 1
            let finish = last ? #","finishReason":"STOP""# : ""
            let count = last ? candidates : index + 1
            return "data: "
                + #"{"candidates":[{"content":{"parts":[{"text":"\#(piece)"}],"role":"model"}\#(finish),"index":0}],"usageMetadata":{"promptTokenCount":\#(prompt),"candidatesTokenCount":\#(count),"totalTokenCount":\#(prompt + count),"thoughtsTokenCount":\#(thoughts)},"modelVersion":"gemini-2.0-flash","responseId":"resp-2"}"#
                + "\r\n\r\n"
        }
    }
}
