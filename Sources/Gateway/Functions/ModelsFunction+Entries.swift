import FunctionRuntime
import GatewayProviders
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Custom model entries (the caller's own rows) and per-user overrides of synced rows.
extension ModelsFunction {
    static func createCustom(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) throws {
        let fields = try ModelFields(request.body)
        guard let providerName = fields.provider else { throw APIError.badRequest("'provider' is required.", param: "provider") }
        guard let modelID = fields.modelID else { throw APIError.badRequest("'model_id' is required.", param: "model_id") }
        let store = try context.store()
        guard
            let provider = try store.catalogueProviders(context.caller).first(where: {
                ($0.name == providerName || $0.id == providerName) && $0.isActive
            })
        else {
            throw APIError.badRequest("Unknown provider '\(providerName.prefix(60))'.", code: "unknown_provider", param: "provider")
        }
        if try store.ownedModels(context.caller, providerID: provider.id, ownerUserID: context.caller.userID).contains(where: {
            $0.modelID == modelID
        }) {
            throw APIError(
                status: 409, message: "You already have '\(modelID.prefix(100))' for \(provider.name); PUT /\("{id}") changes it.",
                code: "duplicate_model")
        }
        var model = CatalogueModel(
            id: UUID().uuidString.lowercased(), providerID: provider.id, ownerUserID: context.caller.userID,
            modelID: modelID, modelType: fields.modelType ?? .chat, source: .custom)
        model.capabilities = fields.capabilities ?? ModelClassifier().classify(modelID, declared: .init(type: model.modelType)).capabilities
        fields.apply(to: &model)
        model.lastSeenAt = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        try store.saveModel(context.caller, model)
        try AuditTrail.record(
            context, action: "create", entity: "aggregator_models", entityID: model.id, subjectUserID: context.caller.userID,
            before: nil, after: ModelResponse(model).json)
        try writer.respond(status: 201, json: ModelResponse(try store.model(context.caller, id: model.id) ?? model, providerName: provider.name).json)
    }

    /// A custom row changes in place; a synced row gets (or updates) the caller's override.
    static func update(_ request: FunctionRequest, id: String, context: FunctionContext, writer: ResponseWriter) throws {
        let fields = try ModelFields(request.body)
        let store = try context.store()
        let model = try visible(id, context)
        if model.source == .custom && model.ownerUserID == context.caller.userID {
            guard fields.modelID == nil || fields.modelID == model.modelID, fields.provider == nil else {
                throw APIError.badRequest("A model's provider and id cannot change; add a new model instead.", code: "model_immutable")
            }
            var changed = model
            fields.apply(to: &changed)
            try store.saveModel(context.caller, changed)
            if let enabled = fields.enabled { try saveOverride(for: model, context: context) { $0.isEnabled = enabled } }
            try AuditTrail.record(
                context, action: "update", entity: "aggregator_models", entityID: model.id, subjectUserID: context.caller.userID,
                before: ModelResponse(model).json, after: ModelResponse(changed).json)
        } else {
            let allowed: Set<String> = ["input", "output"]
            guard fields.modelType == nil, fields.capabilities == nil, fields.contextWindow == nil, fields.maxOutputTokens == nil,
                fields.modelID == nil, fields.provider == nil,
                // Clearing a price an override cannot hold asks for nothing: it is let through, as ever.
                fields.prices.allSatisfy({ allowed.contains($0.key) || $0.value == .null })
            else {
                throw APIError.badRequest(
                    "A synced model takes overrides only: enabled, display_name, pricing.input, pricing.output.",
                    code: "synced_model")
            }
            let before = try store.modelOverrides(context.caller).first { $0.providerID == model.providerID && $0.modelID == model.modelID }
            let after = try saveOverride(for: model, context: context) { override in
                if let enabled = fields.enabled { override.isEnabled = enabled }
                override.displayName = fields.displayName.applied(to: override.displayName)
                override.inputPrice = (fields.prices["input"] ?? .absent).applied(to: override.inputPrice)
                override.outputPrice = (fields.prices["output"] ?? .absent).applied(to: override.outputPrice)
            }
            try AuditTrail.record(
                context, action: before == nil ? "create" : "update", entity: "model_overrides", entityID: model.id,
                subjectUserID: context.caller.userID, before: before.map(overrideJSON), after: overrideJSON(after))
        }
        try writer.respond(json: ModelResponse(try visible(id, context)).json)
    }

    /// A custom row is removed; a synced row loses the caller's override (it cannot be deleted, only disabled).
    static func remove(_ id: String, context: FunctionContext, writer: ResponseWriter) throws {
        let store = try context.store()
        let model = try visible(id, context)
        if model.source == .custom && (model.ownerUserID == context.caller.userID || context.caller.isService) {
            guard try store.deleteModel(context.caller, id: id) else { throw notFound }
            _ = try store.deleteModelOverride(context.caller, providerID: model.providerID, modelID: model.modelID)
            try AuditTrail.record(
                context, action: "delete", entity: "aggregator_models", entityID: id, subjectUserID: model.ownerUserID,
                before: ModelResponse(model).json, after: nil)
            return try writer.respond(json: ["id": .string(id), "deleted": true])
        }
        let before = try store.modelOverrides(context.caller).first { $0.providerID == model.providerID && $0.modelID == model.modelID }
        guard let before, try store.deleteModelOverride(context.caller, providerID: model.providerID, modelID: model.modelID) else {
            throw APIError(
                status: 409, message: "Synced models stay in the catalogue; disable this one with PUT {\"enabled\": false}.",
                code: "synced_model")
        }
        try AuditTrail.record(
            context, action: "delete", entity: "model_overrides", entityID: id, subjectUserID: context.caller.userID,
            before: overrideJSON(before), after: nil)
        try writer.respond(json: ["id": .string(id), "deleted": false, "override_removed": true])
    }

    @discardableResult
    static func saveOverride(for model: CatalogueModel, context: FunctionContext, _ change: (inout ModelOverride) -> Void) throws -> ModelOverride {
        let store = try context.store()
        var override =
            try store.modelOverrides(context.caller).first { $0.providerID == model.providerID && $0.modelID == model.modelID }
            ?? ModelOverride(id: UUID().uuidString.lowercased(), userID: context.caller.userID, providerID: model.providerID, modelID: model.modelID)
        change(&override)
        return try store.saveModelOverride(context.caller, override)
    }

    static func overrideJSON(_ override: ModelOverride) -> JSONValue {
        [
            "provider_id": .string(override.providerID), "model_id": .string(override.modelID), "enabled": .bool(override.isEnabled),
            "display_name": override.displayName.map(JSONValue.string) ?? .null,
            "input_price": override.inputPrice.map(JSONValue.double) ?? .null, "output_price": override.outputPrice.map(JSONValue.double) ?? .null,
        ]
    }
}
