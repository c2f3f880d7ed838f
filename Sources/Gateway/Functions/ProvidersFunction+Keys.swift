import FunctionRuntime
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Adding, changing and testing a key: every new key is checked against the provider (unless
/// `"validate": false`), sealed to its row, and HMAC'd for the duplicate check.
extension ProvidersFunction {
    static let duplicate = APIError(status: 409, message: "This key is already stored for your account.", code: "duplicate_key")

    static func add(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) async throws {
        let fields = try ProviderKeyFields(request.body)
        guard let name = fields.provider else {
            throw APIError.badRequest("'provider' is required (\(ProviderKeyFields.seededNames)).", param: "provider")
        }
        guard let apiKey = fields.apiKey else { throw APIError.badRequest("'api_key' is required.", param: "api_key") }
        context.secrets.add(apiKey)  // before the provider sees it: its refusal may quote it
        let caller = context.caller
        let provider = try await context.withStore { store in
            guard let provider = try store.catalogueProviders(caller).first(where: { ($0.name == name || $0.id == name) && $0.isActive }) else {
                throw APIError.badRequest("Unknown provider '\(name.prefix(60))'.", code: "unknown_provider", param: "provider")
            }
            return provider
        }
        let sealer = try context.sealer()
        let hashes = sealer.vault.candidateHashes(apiKey)
        if try await context.withStore({ try $0.userHasKey(caller, hashes: hashes) }) { throw duplicate }
        let checkedAt = fields.validate ? try await validate(apiKey, provider: provider, context: context) : nil
        let id = UUID().uuidString.lowercased()
        let sealed = try sealer.seal(apiKey, rowID: id, userID: context.caller.userID)
        let key = UserProvider(
            id: id, userID: context.caller.userID, providerID: provider.id, apiKeyEncrypted: sealed.encrypted,
            apiKeyHash: sealed.hash, apiKeyLast4: sealed.last4, settings: fields.settings ?? [:],
            priority: fields.priority ?? 0, isActive: fields.isActive ?? true,
            healthStatus: checkedAt == nil ? .unknown : .healthy, lastHealthCheck: checkedAt)
        let stored = try await context.withStore { store in
            do {
                try store.insertUserProvider(caller, key)
            } catch StoreError.duplicate {
                throw duplicate
            }
            try audit(context, action: "create", key: key, before: nil, after: ProviderJSON.audit(key))
            return try store.userProvider(caller, id: id) ?? key
        }
        try writer.respond(status: 201, json: ProviderKeyResponse(stored, provider: provider, modelCount: nil).json)
    }

    /// Settings, priority and the active flag change in place; a new key is validated and sealed like a new one.
    static func update(_ request: FunctionRequest, id: String, context: FunctionContext, writer: ResponseWriter) async throws {
        let fields = try ProviderKeyFields(request.body)
        let caller = context.caller
        let (key, provider) = try await context.withStore { _ in try owned(id, context) }
        if let name = fields.provider, name != key.providerID, name != provider?.name {
            throw APIError.badRequest("A key's provider cannot change; add a new key instead.", code: "provider_immutable", param: "provider")
        }
        var change = UserProviderChange(settings: fields.settings, priority: fields.priority, isActive: fields.isActive)
        if let apiKey = fields.apiKey {
            context.secrets.add(apiKey)
            guard let provider else { throw notFound }
            let sealer = try context.sealer()
            let hashes = sealer.vault.candidateHashes(apiKey)
            if !hashes.contains(key.apiKeyHash), try await context.withStore({ try $0.userHasKey(caller, hashes: hashes) }) { throw duplicate }
            if fields.validate {
                change.lastHealthCheck = try await validate(apiKey, provider: provider, context: context)
                change.healthStatus = .healthy
            } else {
                change.healthStatus = .unknown
            }
            change.key = try sealer.seal(apiKey, rowID: key.id, userID: key.userID)
        }
        let answer = try await context.withStore { [change] store in
            let updated: UserProvider?
            do {
                updated = try store.updateUserProvider(caller, id: key.id, change)
            } catch StoreError.duplicate {
                throw duplicate
            }
            guard let updated else { throw notFound }
            var after = ProviderJSON.audit(updated)
            if change.key != nil, case .object(var fields) = after {
                fields["key_replaced"] = true
                after = .object(fields)
            }
            try audit(context, action: "update", key: updated, before: ProviderJSON.audit(key), after: after)
            return ProviderKeyResponse(updated, provider: provider, modelCount: try modelCount(updated, context)).json
        }
        try writer.respond(json: answer)
    }

    /// An authenticated ping; the outcome becomes the key's health. A refused key is a result (`ok: false`), not an error.
    static func test(_ id: String, context: FunctionContext, writer: ResponseWriter) async throws {
        let (key, provider) = try await context.withStore { _ in try owned(id, context) }
        guard let provider else { throw notFound }
        let apiKey: String
        do {
            apiKey = try context.sealer().open(key)
        } catch {
            throw APIError(
                status: 409, message: "The stored key cannot be decrypted with the configured vault keys; store it again.",
                code: "key_unreadable")
        }
        let outcome = await ProviderPing().ping(apiKey, provider: provider, settings: .fromEnvironment(context.services.environment))
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let caller = context.caller
        let health = UserProviderChange(healthStatus: outcome.ok ? .healthy : .unhealthy, lastHealthCheck: now)
        _ = try await context.withStore { try $0.updateUserProvider(caller, id: key.id, health) }
        context.usage.update {
            $0.providerID = provider.id
            $0.userProviderID = key.id
        }
        try writer.respond(json: [
            "ok": .bool(outcome.ok), "status": outcome.status.map(JSONValue.int) ?? .null, "latency_ms": .int(outcome.latencyMs),
            "models_available": outcome.modelsAvailable.map(JSONValue.int) ?? .null,
            "error": outcome.error.map { ["message": .string($0.message), "code": $0.code.map(JSONValue.string) ?? .null] } ?? .null,
            "health_status": .string(outcome.ok ? "healthy" : "unhealthy"), "checked_at": .int(Int(now)),
        ])
    }

    /// Checks `apiKey` with the provider; returns when it was checked, or throws the provider's refusal.
    static func validate(_ apiKey: String, provider: CatalogueProvider, context: FunctionContext) async throws -> Int64 {
        let outcome = await ProviderPing().ping(apiKey, provider: provider, settings: .fromEnvironment(context.services.environment))
        if let error = outcome.error { throw error }
        return Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
