import FunctionRuntime
import GatewayProviders
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `v1-chat`: the client APIs (OpenAI chat completions, Anthropic Messages, OpenAI Responses,
/// embeddings) and the model list, each path with and without the `/v1` prefix clients add.
package enum ChatFunction: GatewayFunction {
    package static let name = "v1-chat"

    package static func routes(_ routes: inout RouteTable<FunctionContext>) {
        for path in ["/", "/chat/completions", "/v1/chat/completions"] {
            routes.on("POST", path) { request, _, context, writer in
                try await handler(context).handle(request, context: context, writer: writer)
            }
        }
        for path in ["/messages", "/v1/messages"] {
            routes.on("POST", path) { request, _, context, writer in
                try await handler(context).handleMessages(request, context: context, writer: writer)
            }
            routes.on("POST", path + "/count_tokens") { request, _, context, writer in
                let chat = handler(context)
                try await TokenCountEndpoint(modelRouter: chat.modelRouter, settings: chat.settings)
                    .handle(request, context: context, writer: writer)
            }
        }
        for path in ["/responses", "/v1/responses"] {
            routes.on("POST", path) { request, _, context, writer in
                try await handler(context).handleResponses(request, context: context, writer: writer)
            }
        }
        for path in ["/embeddings", "/v1/embeddings"] {
            routes.on("POST", path) { request, _, context, writer in
                let chat = handler(context)
                try await EmbeddingsEndpoint(modelRouter: chat.modelRouter, settings: chat.settings, retry: chat.retry)
                    .handle(request, context: context, writer: writer)
            }
        }
        for path in ["/models", "/v1/models"] {
            routes.on("GET", path) { request, _, context, writer in
                // Anthropic's clients (they send `anthropic-version`) read Anthropic's list shape.
                let anthropic = request.headers["anthropic-version"] != nil
                try writer.respond(json: try await modelList(context, anthropicShape: anthropic))
            }
        }
    }

    /// Errors on the Anthropic paths are answered in Anthropic's error shape.
    package static func clientFormat(for request: FunctionRequest) -> any ClientFormat {
        request.path.hasSuffix("/messages") || request.path.hasSuffix("/messages/count_tokens") ? MessagesFormat() : ChatCompletionsFormat()
    }

    private static func handler(_ context: FunctionContext) -> ChatCompletionHandler {
        ChatCompletionHandler.fromEnvironment(context.services.environment)
    }

    /// The caller's routable models, each once (the first provider in routing order owns it): OpenAI's
    /// list format, or Anthropic's.
    static func modelList(_ context: FunctionContext, anthropicShape: Bool = false) async throws -> JSONValue {
        var seen = Set<String>()
        var models: [(id: String, provider: String, name: String?)] = []
        let caller = context.caller
        for group in try await context.withStore({ try $0.availableModels(caller) }) {
            for model in group.models where model.modelType == .chat && seen.insert(model.modelID).inserted {
                models.append((model.modelID, group.provider.name, model.displayName))
            }
        }
        let now = Int(Date().timeIntervalSince1970)
        guard anthropicShape else {
            let data = models.map { model -> JSONValue in
                ["id": .string(model.id), "object": "model", "created": .int(now), "owned_by": .string(model.provider)]
            }
            return ["object": "list", "data": .array(data)]
        }
        let created = ISO8601Milliseconds.format(Int64(now) * 1000, offsetSeconds: 0)
        let data = models.map { model -> JSONValue in
            ["type": "model", "id": .string(model.id), "display_name": .string(model.name ?? model.id), "created_at": .string(created)]
        }
        return [
            "data": .array(data), "has_more": false,
            "first_id": models.first.map { .string($0.id) } ?? .null, "last_id": models.last.map { .string($0.id) } ?? .null,
        ]
    }
}
