#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `providers`: the caller's provider keys: add (validated, encrypted, HMAC'd), list, read, remove.
public enum ProvidersFunction: GatewayFunction {
    public static let name = "providers"

    public static func routes(_ router: inout Router<FunctionContext>) {
        router.on("GET", "/") { _, _, context, writer in try writer.respond(json: try list(context)) }
        router.on("POST", "/") { request, _, context, writer in try await add(request, context: context, writer: writer) }
        router.on("GET", "/{id}") { _, parameters, context, writer in
            let store = try context.store()
            guard let key = try store.userProvider(context.caller, id: parameters["id"] ?? "") else { throw notFound }
            try writer.respond(json: ProviderJSON.configured(key, provider: try store.catalogueProvider(context.caller, id: key.providerID),
                                                             modelCount: try store.models(context.caller, providerID: key.providerID).count))
        }
        router.on("DELETE", "/{id}") { _, parameters, context, writer in try remove(parameters["id"] ?? "", context: context, writer: writer) }
        router.notImplemented("PUT", "/{id}", "Updating a provider (providers)")
        router.notImplemented("POST", "/{id}/test", "Testing a provider key (providers)")
        router.notImplemented("GET", "/{id}/models", "A provider's models (providers)")
    }

    static let notFound = HTTPError.notFound("No such provider key for this account.", code: "provider_not_found")

    static func list(_ context: FunctionContext) throws -> JSONValue {
        let store = try context.store()
        let catalogue = try store.catalogueProviders(context.caller)
        let byID = Dictionary(uniqueKeysWithValues: catalogue.map { ($0.id, $0) })
        let configured = try store.userProviders(context.caller).map { key in
            ProviderJSON.configured(key, provider: byID[key.providerID], modelCount: try store.models(context.caller, providerID: key.providerID).count)
        }
        return ["available": .array(catalogue.filter(\.isActive).map(ProviderJSON.catalogue)), "configured": .array(configured)]
    }

    static func add(_ request: Request, context: FunctionContext, writer: ResponseWriter) async throws {
        guard case .object(let body)? = try? JSONValue.parse(request.body) else {
            throw HTTPError.badRequest("The request body must be a JSON object.", code: "invalid_json")
        }
        guard let name = body["provider"]?.stringValue, !name.isEmpty else {
            throw HTTPError.badRequest("'provider' is required (aihubmix, openrouter, openai, anthropic, google).", param: "provider")
        }
        guard let apiKey = body["api_key"]?.stringValue?.trimmingCharacters(in: " "), !apiKey.isEmpty, apiKey.utf8.count <= 1024 else {
            throw HTTPError.badRequest("'api_key' is required: a non-empty string of at most 1024 bytes.", param: "api_key")
        }
        if let settings = body["settings"], !settings.isNull, settings.objectValue == nil {
            throw HTTPError.badRequest("'settings' must be an object.", param: "settings")
        }
        if let priority = body["priority"], !priority.isNull, priority.intValue == nil {
            throw HTTPError.badRequest("'priority' must be an integer.", param: "priority")
        }
        let store = try context.store()
        guard let provider = try store.catalogueProviders(context.caller).first(where: { ($0.name == name || $0.id == name) && $0.isActive }) else {
            throw HTTPError.badRequest("Unknown provider '\(name.prefix(60))'.", code: "unknown_provider", param: "provider")
        }
        let sealer = try context.services.sealer()
        if try store.userHasKey(context.caller, hashes: sealer.vault.candidateHashes(apiKey)) {
            throw HTTPError(status: 409, message: "This key is already stored for your account.", code: "duplicate_key")
        }
        var health = "unknown"
        var checkedAt: Int64?
        if body["validate"]?.boolValue != false {
            switch await ProviderKeyValidation().check(apiKey, provider: provider, settings: .fromEnvironment(context.services.environment)) {
            case .valid:
                health = "healthy"
                checkedAt = Int64((Date().timeIntervalSince1970 * 1000).rounded())
            case .rejected(let error):
                throw error
            }
        }
        let id = UUID().uuidString.lowercased()
        let sealed = try sealer.seal(apiKey, rowID: id, userID: context.caller.userID)
        let key = UserProvider(id: id, userID: context.caller.userID, providerID: provider.id, apiKeyEncrypted: sealed.encrypted,
                               apiKeyHash: sealed.hash, apiKeyLast4: sealed.last4, settings: body["settings"] ?? [:],
                               priority: body["priority"]?.intValue ?? 0, healthStatus: health, lastHealthCheck: checkedAt)
        do {
            try store.insertUserProvider(context.caller, key)
        } catch StoreError.duplicate {
            throw HTTPError(status: 409, message: "This key is already stored for your account.", code: "duplicate_key")
        }
        try audit(context, action: "create", key: key, before: nil, after: ProviderJSON.audit(key))
        let stored = try store.userProvider(context.caller, id: id) ?? key
        try writer.respond(status: 201, json: ProviderJSON.configured(stored, provider: provider, modelCount: nil))
    }

    static func remove(_ id: String, context: FunctionContext, writer: ResponseWriter) throws {
        let store = try context.store()
        guard let key = try store.userProvider(context.caller, id: id) else { throw notFound }
        let usageRows = try store.usageCount(context.caller, userProviderID: id)
        let models = try store.models(context.caller, providerID: key.providerID).count
        guard try store.deleteUserProvider(context.caller, id: id) else { throw notFound }
        try audit(context, action: "delete", key: key, before: ProviderJSON.audit(key), after: nil)
        try writer.respond(json: ["deleted": true, "id": .string(id), "provider_id": .string(key.providerID),
                                  "catalogue_models_kept": .int(models), "usage_rows_kept": .int(usageRows)])
    }

    static func audit(_ context: FunctionContext, action: String, key: UserProvider, before: JSONValue?, after: JSONValue?) throws {
        try context.store().recordAudit(context.caller, AuditEntry(
            id: UUID().uuidString.lowercased(), actorUserID: context.caller.userID, actorRole: context.caller.role.rawValue,
            subjectUserID: key.userID, action: action, entity: "user_api_providers", entityID: key.id,
            before: before, after: after, createdAt: Int64((Date().timeIntervalSince1970 * 1000).rounded())))
    }
}
