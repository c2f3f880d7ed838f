import FunctionRuntime
import GatewayProviders

/// `POST /v1/messages`: Anthropic Messages, routed exactly like chat. Anthropic upstreams get the
/// request as it came and their answer goes back untouched; every other upstream is reached through
/// the internal chat request and answered in Anthropic's shapes.
extension ChatCompletionHandler {
    package func handleMessages(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) async throws {
        context.usage.update { $0.api = .messages }
        let messages = try MessagesRequest(body: request.body, headers: request.headers)
        try await serve(ClientRequest(chat: messages.chat, format: MessagesFormat(), native: messages.native), context: context, writer: writer)
    }
}
