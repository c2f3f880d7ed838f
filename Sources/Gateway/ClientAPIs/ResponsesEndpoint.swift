import FunctionRuntime
import GatewayProviders

/// `POST /v1/responses`: OpenAI Responses, stateless, routed like chat and answered through the
/// internal chat request for every upstream format.
extension ChatCompletionHandler {
    package func handleResponses(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) async throws {
        context.usage.update { $0.api = .responses }
        let responses = try ResponsesRequest(body: request.body)
        try await serve(ClientRequest(chat: responses.chat, format: ResponsesFormat(request: responses.json)), context: context, writer: writer)
    }
}
