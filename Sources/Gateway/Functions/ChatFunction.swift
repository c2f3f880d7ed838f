import FunctionRuntime

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `v1-chat`: the OpenAI-compatible chat endpoint and model list.
package enum ChatFunction: GatewayFunction {
    package static let name = "v1-chat"

    package static func routes(_ routes: inout RouteTable<FunctionContext>) {
        for path in ["/", "/chat/completions", "/v1/chat/completions"] {
            routes.on("POST", path) { request, _, context, writer in
                try await ChatCompletionHandler.fromEnvironment(context.services.environment)
                    .handle(request, context: context, writer: writer)
            }
        }
        for path in ["/models", "/v1/models"] {
            routes.on("GET", path) { _, _, context, writer in
                try writer.respond(json: try modelList(context))
            }
        }
    }

    /// The caller's routable models in OpenAI's list format, each once (the first provider in routing order owns it).
    static func modelList(_ context: FunctionContext) throws -> JSONValue {
        var seen = Set<String>()
        var data: [JSONValue] = []
        let now = Int(Date().timeIntervalSince1970)
        for group in try context.store().availableModels(context.caller) {
            for model in group.models where model.modelType == .chat && seen.insert(model.modelID).inserted {
                data.append(["id": .string(model.modelID), "object": "model", "created": .int(now), "owned_by": .string(group.provider.name)])
            }
        }
        return ["object": "list", "data": .array(data)]
    }
}
