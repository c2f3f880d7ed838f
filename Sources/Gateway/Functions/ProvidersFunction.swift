import FunctionRuntime
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `providers`: the caller's provider keys (add validated and encrypted, list, read, update, test,
/// remove), each key's models, and, for the service role, the provider catalogue itself.
package enum ProvidersFunction: GatewayFunction {
    package static let name = "providers"

    package static func routes(_ routes: inout RouteTable<FunctionContext>) {
        // Literal routes first, so `/catalogue` is never taken for a key id.
        routes.onStore("POST", "/catalogue") { request, _, context, writer in
            try saveCatalogueEntry(request, id: nil, context: context, writer: writer)
        }
        routes.onStore("PUT", "/catalogue/{id}") { request, parameters, context, writer in
            try saveCatalogueEntry(request, id: parameters["id"] ?? "", context: context, writer: writer)
        }
        routes.onStore("GET", "/") { _, _, context, writer in try writer.respond(json: try list(context)) }
        routes.on("POST", "/") { request, _, context, writer in try await add(request, context: context, writer: writer) }
        routes.onStore("GET", "/{id}") { _, parameters, context, writer in
            let (key, provider) = try owned(parameters["id"], context)
            // What removing the key keeps (its provider's catalogue rows, its usage rows): the console's
            // confirmation says so before the DELETE, with the figures the DELETE reports after.
            let store = try context.store()
            try writer.respond(
                json: ProviderKeyResponse(
                    key, provider: provider, modelCount: try modelCount(key, context),
                    kept: (
                        catalogueModels: try store.models(context.caller, providerID: key.providerID).count,
                        usageRows: try store.usageCount(context.caller, userProviderID: key.id)
                    )
                ).json)
        }
        routes.on("PUT", "/{id}") { request, parameters, context, writer in
            try await update(request, id: parameters["id"] ?? "", context: context, writer: writer)
        }
        routes.onStore("DELETE", "/{id}") { _, parameters, context, writer in try remove(parameters["id"] ?? "", context: context, writer: writer) }
        routes.on("POST", "/{id}/test") { _, parameters, context, writer in try await test(parameters["id"] ?? "", context: context, writer: writer) }
        routes.onStore("GET", "/{id}/models") { _, parameters, context, writer in
            let (key, provider) = try owned(parameters["id"], context)
            let models = try visibleModels(key, context).map { ModelResponse($0, providerName: provider?.name).json }
            try writer.respond(json: ["provider_id": .string(key.providerID), "count": .int(models.count), "data": .array(models)])
        }
    }

    static let notFound = APIError.notFound("No such provider key for this account.", code: "provider_not_found")

    /// The caller's key `id` and its catalogue entry, or 404 (another user's key is as absent as a missing one).
    static func owned(_ id: String?, _ context: FunctionContext) throws -> (UserProvider, CatalogueProvider?) {
        let store = try context.store()
        guard let id, let key = try store.userProvider(context.caller, id: id) else { throw notFound }
        return (key, try store.catalogueProvider(context.caller, id: key.providerID))
    }

    /// The provider's models as this key's owner sees them: their own synced rows over the shared ones, overrides applied.
    static func visibleModels(_ key: UserProvider, _ context: FunctionContext) throws -> [CatalogueModel] {
        let store = try context.store()
        var byModel: [String: CatalogueModel] = [:]
        for model in try store.models(context.caller, providerID: key.providerID) where byModel[model.modelID]?.ownerUserID.isEmpty != false {
            byModel[model.modelID] = model
        }
        let overrides = Dictionary(
            try store.modelOverrides(context.caller).filter { $0.providerID == key.providerID }.map { ($0.modelID, $0) },
            uniquingKeysWith: { first, _ in first })
        return byModel.values.sorted { $0.modelID < $1.modelID }.map { model in
            guard let override = overrides[model.modelID] else { return model }
            var applied = override.applied(to: model)
            applied.isEnabled = override.isEnabled
            return applied
        }
    }

    static func modelCount(_ key: UserProvider, _ context: FunctionContext) throws -> Int {
        try visibleModels(key, context).filter { $0.isAvailable && $0.isEnabled }.count
    }

    static func list(_ context: FunctionContext) throws -> JSONValue {
        let store = try context.store()
        let catalogue = try store.catalogueProviders(context.caller)
        let byID = Dictionary(uniqueKeysWithValues: catalogue.map { ($0.id, $0) })
        let configured = try store.userProviders(context.caller).map { key in
            ProviderKeyResponse(key, provider: byID[key.providerID], modelCount: try modelCount(key, context)).json
        }
        return [
            "available": .array(catalogue.filter(\.isActive).map { CatalogueEntryResponse($0).json }), "configured": .array(configured),
            // Who the gateway took the token for: the console's sign-in shows it.
            "caller": ["user_id": .string(context.caller.userID), "role": .string(context.caller.role.rawValue)],
        ]
    }

    static func remove(_ id: String, context: FunctionContext, writer: ResponseWriter) throws {
        let store = try context.store()
        let (key, _) = try owned(id, context)
        let usageRows = try store.usageCount(context.caller, userProviderID: id)
        let models = try store.models(context.caller, providerID: key.providerID).count
        guard try store.deleteUserProvider(context.caller, id: id) else { throw notFound }
        try audit(context, action: "delete", key: key, before: ProviderJSON.audit(key), after: nil)
        try writer.respond(json: [
            "deleted": true, "id": .string(id), "provider_id": .string(key.providerID),
            "catalogue_models_kept": .int(models), "usage_rows_kept": .int(usageRows),
        ])
    }

    static func audit(_ context: FunctionContext, action: String, key: UserProvider, before: JSONValue?, after: JSONValue?) throws {
        try AuditTrail.record(
            context, action: action, entity: "user_api_providers", entityID: key.id, subjectUserID: key.userID,
            before: before, after: after)
    }
}
