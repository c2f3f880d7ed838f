import FunctionRuntime
import GatewayStore

/// One API clients speak to `v1-chat` (chat completions, Anthropic Messages, OpenAI Responses).
/// Each client API's request type turns the client's body into the internal `ChatRequest`; its
/// format renders the internal answers (completions, chunks, errors) in the client's shapes. With
/// one adapter per upstream format on the other side, N client APIs and M upstream formats are
/// N + M pieces of code.
package protocol ClientFormat: Sendable {
    var api: ClientAPI { get }

    /// An internal `chat.completion` (as an upstream adapter translated it) -> the client's answer body.
    func encodeCompletion(_ completion: TranslatedResponse) -> JSONValue

    /// An encoder for one streamed answer.
    func makeStreamEncoder(model: String) -> any ClientStreamEncoder

    /// An error answered before any byte of the response: status and body in the client's shape.
    func errorResponse(_ error: APIError) -> (status: Int, body: [UInt8])
}

/// Internal chunks -> the client API's server-sent events, in its order and framing.
package protocol ClientStreamEncoder: AnyObject {
    /// The events for one internal chunk (none, one or several).
    func encode(_ chunk: ChatChunk) -> [ServerSentEvent]
    /// The events that close a stream the upstream completed.
    func finish(usage: TokenUsage) -> [ServerSentEvent]
    /// The events that close a stream that failed after it had started.
    func fail(_ error: APIError, usage: TokenUsage) -> [ServerSentEvent]
}

/// One server-sent event to write: an optional `event:` name and one `data:` line.
package struct ServerSentEvent: Sendable, Equatable {
    package var event: String?
    package var data: String

    package init(event: String? = nil, data: String) {
        self.event = event
        self.data = data
    }

    /// The event as written on the wire.
    package var wire: String {
        (event.map { "event: \($0)\n" } ?? "") + "data: \(data)\n\n"
    }
}

/// A client request that an upstream of the same format takes as it came (Anthropic Messages to
/// Anthropic): no double translation, and the answer goes back to the client byte for byte.
package protocol NativeUpstreamRequest: Sendable {
    /// The upstream format that takes this request natively.
    var standard: APIStandard { get }
    func upstreamRequest(model: String, provider: CatalogueProvider, apiKey: String, settings: ProviderSettings) -> UpstreamRequest
}

/// A client request in the internal representation, with what answering it in the client's API needs.
package struct ClientRequest: Sendable {
    package var chat: ChatRequest
    package var format: any ClientFormat
    package var native: (any NativeUpstreamRequest)?

    package init(chat: ChatRequest, format: any ClientFormat, native: (any NativeUpstreamRequest)? = nil) {
        self.chat = chat
        self.format = format
        self.native = native
    }
}
