import FunctionRuntime
import GatewayProviders
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Aliases: a name the caller's clients send (`fast`, `gpt-4o`) -> a model id, optionally pinned to a provider.
/// A user's alias hides a global one of the same name; only the service role writes global aliases (`"global": true`).
extension ModelsFunction {
    static let aliasNotFound = APIError.notFound("No such alias for this account.", code: "alias_not_found")

    static func saveAlias(_ request: FunctionRequest, name: String, context: FunctionContext, writer: ResponseWriter) throws {
        guard !name.isEmpty, name.utf8.count <= InputLimits.aliasBytes,
            !name.unicodeScalars.contains(where: { $0 == " " || $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw APIError.badRequest("An alias is 1 to \(InputLimits.aliasBytes) bytes without spaces or control characters.", param: "alias")
        }
        let body = try AliasBody.decode(request.body)
        guard let model = body.model ?? body.modelID, !model.isEmpty else {
            throw APIError.badRequest("'model' is required: the model id the alias stands for.", param: "model")
        }
        try InputLimits.checked(model, param: "model", limit: InputLimits.modelBytes)
        guard model != name else { throw APIError.badRequest("An alias cannot stand for itself.", param: "model") }
        let global = body.global == true
        if global && !context.caller.isService {
            throw APIError(status: 403, message: "Only the service role may set global aliases.", code: "forbidden")
        }
        let store = try context.store()
        var preferred: String?
        if let wanted = body.preferredProvider ?? body.preferredProviderID {
            guard let provider = try store.catalogueProviders(context.caller).first(where: { $0.id == wanted || $0.name == wanted })
            else {
                throw APIError.badRequest("'preferred_provider' must name a provider in the catalogue.", param: "preferred_provider")
            }
            preferred = provider.id
        }
        let before = try store.alias(context.caller, named: name).flatMap { $0.isGlobal == global ? $0 : nil }
        let saved = try store.saveAlias(
            context.caller,
            ModelAlias(
                id: UUID().uuidString.lowercased(), userID: global ? "" : context.caller.userID,
                alias: name, modelID: model, preferredProviderID: preferred))
        try AuditTrail.record(
            context, action: before == nil ? "create" : "update", entity: "model_aliases", entityID: name,
            subjectUserID: global ? nil : context.caller.userID, before: before.map { AliasResponse($0).json }, after: AliasResponse(saved).json)
        try writer.respond(status: before == nil ? 201 : 200, json: AliasResponse(saved).json)
    }

    static func deleteAlias(_ request: FunctionRequest, name: String, context: FunctionContext, writer: ResponseWriter) throws {
        let global = request.queryParameters["global"] == "true"
        if global && !context.caller.isService {
            throw APIError(status: 403, message: "Only the service role may remove global aliases.", code: "forbidden")
        }
        let store = try context.store()
        let before = try store.alias(context.caller, named: name)
        guard try store.deleteAlias(context.caller, named: name, global: global) else { throw aliasNotFound }
        try AuditTrail.record(
            context, action: "delete", entity: "model_aliases", entityID: name, subjectUserID: global ? nil : context.caller.userID,
            before: before.map { AliasResponse($0).json }, after: nil)
        try writer.respond(json: ["alias": .string(name), "deleted": true])
    }
}
