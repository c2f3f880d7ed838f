import FunctionRuntime
import GatewayStore

/// OpenAI chat completions: the internal representation itself, so answers pass as they are.
package struct ChatCompletionsFormat: ClientFormat {
    package init() {}

    package var api: ClientAPI { .chat }

    package func encodeCompletion(_ completion: TranslatedResponse) -> JSONValue { completion.body }

    package func makeStreamEncoder(model: String) -> any ClientStreamEncoder { ChatCompletionsStreamEncoder() }

    package func errorResponse(_ error: APIError) -> (status: Int, body: [UInt8]) { (error.status, error.jsonBody) }
}

/// Chunks as `data:` lines; the error object in the stream and `[DONE]` as OpenAI ends one.
final class ChatCompletionsStreamEncoder: ClientStreamEncoder {
    func encode(_ chunk: ChatChunk) -> [ServerSentEvent] { [ServerSentEvent(data: chunk.text)] }

    func finish(usage: TokenUsage) -> [ServerSentEvent] { [ServerSentEvent(data: "[DONE]")] }

    func fail(_ error: APIError, usage: TokenUsage) -> [ServerSentEvent] {
        [ServerSentEvent(data: String(decoding: error.jsonBody, as: UTF8.self)), ServerSentEvent(data: "[DONE]")]
    }
}
