import FunctionRuntime
import GatewayStore

/// `models`: browse the caller's models (filters, sort, pages; flat or grouped by provider for a
/// model selector), custom entries and per-user overrides, live discovery, and aliases.
package enum ModelsFunction: GatewayFunction {
    package static let name = "models"

    package static func routes(_ routes: inout RouteTable<FunctionContext>) {
        // Literal routes first: `/discover` and `/aliases` must not be taken for an `{id}`.
        routes.on("GET", "/discover") { _, _, context, writer in try writer.respond(json: try await discover(context)) }
        routes.onStore("GET", "/aliases") { _, _, context, writer in
            try writer.respond(json: ["data": .array(try context.store().aliases(context.caller).map { AliasResponse($0).json })])
        }
        routes.onStore("GET", "/aliases/{alias}") { _, parameters, context, writer in
            guard let alias = try context.store().alias(context.caller, named: parameters["alias"] ?? "") else { throw aliasNotFound }
            try writer.respond(json: AliasResponse(alias).json)
        }
        routes.onStore("PUT", "/aliases/{alias}") { request, parameters, context, writer in
            try saveAlias(request, name: parameters["alias"] ?? "", context: context, writer: writer)
        }
        routes.onStore("DELETE", "/aliases/{alias}") { request, parameters, context, writer in
            try deleteAlias(request, name: parameters["alias"] ?? "", context: context, writer: writer)
        }
        routes.onStore("GET", "/") { request, _, context, writer in try writer.respond(json: try list(ModelQuery(request.queryParameters), context)) }
        routes.onStore("POST", "/") { request, _, context, writer in try createCustom(request, context: context, writer: writer) }
        routes.onStore("GET", "/{id}") { _, parameters, context, writer in
            let model = try visible(parameters["id"], context)
            try writer.respond(json: ModelResponse(model).json)
        }
        routes.onStore("PUT", "/{id}") { request, parameters, context, writer in
            try update(request, id: parameters["id"] ?? "", context: context, writer: writer)
        }
        routes.onStore("DELETE", "/{id}") { _, parameters, context, writer in try remove(parameters["id"] ?? "", context: context, writer: writer) }
    }

    static let notFound = APIError.notFound("No such model for this account.", code: "model_not_found")

    static func visible(_ id: String?, _ context: FunctionContext) throws -> CatalogueModel {
        guard let id, let model = try context.store().model(context.caller, id: id) else { throw notFound }
        return model
    }

    /// The caller's models from its active providers, filtered, sorted and paged.
    static func list(_ query: ModelQuery, _ context: FunctionContext) throws -> JSONValue {
        let groups = try context.store().availableModels(context.caller, includeDisabled: query.includeDisabled)
        var names: [String: String] = [:]
        var all: [CatalogueModel] = []
        for group in groups {
            names[group.provider.id] = group.provider.name
            all += group.models.filter { query.matches($0, providerName: group.provider.name) }
        }
        let sorted = query.sorted(all)
        let start = min((query.page - 1) * query.perPage, sorted.count)
        let page = Array(sorted[start..<min(start + query.perPage, sorted.count)])
        var body: [String: JSONValue] = [
            "object": "list", "total": .int(sorted.count), "page": .int(query.page), "per_page": .int(query.perPage),
            "pages": .int((sorted.count + query.perPage - 1) / query.perPage),
        ]
        if query.grouped {
            // Groups keep the routing order of the providers; models keep the chosen sort inside each group.
            body["providers"] = .array(
                groups.compactMap { group in
                    let models = page.filter { $0.providerID == group.provider.id }
                    guard !models.isEmpty else { return nil }
                    return [
                        "provider": .string(group.provider.name), "provider_id": .string(group.provider.id),
                        "display_name": .string(group.provider.displayName), "user_provider_id": .string(group.userProvider.id),
                        "count": .int(models.count), "models": .array(models.map { ModelResponse($0, providerName: group.provider.name).json }),
                    ]
                })
        } else {
            body["data"] = .array(page.map { ModelResponse($0, providerName: names[$0.providerID]).json })
        }
        return .object(body)
    }
}
