import FunctionRuntime

/// Column lists and row -> record decoding, one place per table.
enum Columns {
    static let catalogueProvider = "id, name, display_name, provider_type, api_standard, base_url, features, settings, documentation_url, is_active"
    static let userProvider =
        "id, user_id, provider_id, api_key_encrypted, api_key_hash, api_key_last4, settings, priority, is_active, health_status, last_health_check, last_synced_at, created_at, updated_at"
    static let model =
        "id, provider_id, owner_user_id, model_id, display_name, model_type, capabilities, context_window, max_output_tokens, input_price, output_price, cache_read_price, cache_write_price, request_price, is_available, last_seen_at, source, released_at, description"
    static let modelOverride = "id, user_id, provider_id, model_id, is_enabled, display_name, input_price, output_price"
    static let alias = "id, user_id, alias, model_id, preferred_provider_id"
    static let usage =
        "id, user_id, provider_id, user_provider_id, function, model_requested, model_served, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd, cost_source, latency_ms, ttft_ms, status, error_code, finish_reason, upstream_request_id, attempts, providers_tried, created_at"
    static let audit = "id, actor_user_id, actor_role, subject_user_id, action, entity, entity_id, before, after, created_at"

    /// `?, ?, ...` for an INSERT of `list`.
    static func placeholders(_ list: String) -> String {
        Array(repeating: "?", count: list.split(separator: ",").count).joined(separator: ", ")
    }
}

extension CatalogueProvider {
    init(row: SQLRow) {
        self.init(
            id: row.string("id") ?? "", name: row.string("name") ?? "", displayName: row.string("display_name") ?? "",
            kind: Kind(rawValue: row.string("provider_type") ?? "") ?? .direct,
            apiStandard: APIStandard(rawValue: row.string("api_standard") ?? ""),
            baseURL: row.string("base_url") ?? "", features: row.json("features"), settings: row.json("settings"),
            documentationURL: row.string("documentation_url"), isActive: row.bool("is_active"))
    }

    var values: [SQLValue] {
        [
            .text(id), .text(name), .text(displayName), .text(kind.rawValue), .text(apiStandard.rawValue), .text(baseURL),
            features.sqlText, settings.sqlText, SQLValue(documentationURL), SQLValue(isActive),
        ]
    }
}

extension UserProvider {
    init(row: SQLRow) {
        self.init(
            id: row.string("id") ?? "", userID: row.string("user_id") ?? "", providerID: row.string("provider_id") ?? "",
            apiKeyEncrypted: row.string("api_key_encrypted") ?? "", apiKeyHash: row.string("api_key_hash") ?? "",
            apiKeyLast4: row.string("api_key_last4") ?? "", settings: row.json("settings"), priority: row.int("priority") ?? 0,
            isActive: row.bool("is_active"), healthStatus: row.string("health_status") ?? "unknown",
            lastHealthCheck: row.int64("last_health_check"), lastSyncedAt: row.int64("last_synced_at"),
            createdAt: row.int64("created_at") ?? 0, updatedAt: row.int64("updated_at") ?? 0)
    }

    var values: [SQLValue] {
        [
            .text(id), .text(userID), .text(providerID), .text(apiKeyEncrypted), .text(apiKeyHash), .text(apiKeyLast4),
            settings.sqlText, SQLValue(priority), SQLValue(isActive), .text(healthStatus), SQLValue(lastHealthCheck),
            SQLValue(lastSyncedAt), .integer(createdAt), .integer(updatedAt),
        ]
    }
}

extension CatalogueModel {
    init(row: SQLRow) {
        let capabilities = row.json("capabilities", fallback: []).arrayValue?.compactMap(\.stringValue) ?? []
        self.init(
            id: row.string("id") ?? "", providerID: row.string("provider_id") ?? "", ownerUserID: row.string("owner_user_id") ?? "",
            modelID: row.string("model_id") ?? "", displayName: row.string("display_name"),
            modelType: row.string("model_type") ?? "chat", capabilities: capabilities,
            contextWindow: row.int("context_window"), maxOutputTokens: row.int("max_output_tokens"),
            inputPrice: row.double("input_price"), outputPrice: row.double("output_price"),
            cacheReadPrice: row.double("cache_read_price"), cacheWritePrice: row.double("cache_write_price"),
            requestPrice: row.double("request_price"), isAvailable: row.bool("is_available"), lastSeenAt: row.int64("last_seen_at"),
            source: Source(rawValue: row.string("source") ?? "") ?? .sync, releasedAt: row.int64("released_at"),
            description: row.string("description"))
    }

    var values: [SQLValue] {
        [
            .text(id), .text(providerID), .text(ownerUserID), .text(modelID), SQLValue(displayName), .text(modelType),
            JSONValue.array(capabilities.map { .string($0) }).sqlText, SQLValue(contextWindow), SQLValue(maxOutputTokens),
            SQLValue(inputPrice), SQLValue(outputPrice), SQLValue(cacheReadPrice), SQLValue(cacheWritePrice),
            SQLValue(requestPrice), SQLValue(isAvailable), SQLValue(lastSeenAt), .text(source.rawValue), SQLValue(releasedAt),
            SQLValue(description),
        ]
    }
}

extension ModelOverride {
    init(row: SQLRow) {
        self.init(
            id: row.string("id") ?? "", userID: row.string("user_id") ?? "", providerID: row.string("provider_id") ?? "",
            modelID: row.string("model_id") ?? "", isEnabled: row.bool("is_enabled"), displayName: row.string("display_name"),
            inputPrice: row.double("input_price"), outputPrice: row.double("output_price"))
    }

    var values: [SQLValue] {
        [
            .text(id), .text(userID), .text(providerID), .text(modelID), SQLValue(isEnabled), SQLValue(displayName),
            SQLValue(inputPrice), SQLValue(outputPrice),
        ]
    }
}

extension ModelAlias {
    init(row: SQLRow) {
        self.init(
            id: row.string("id") ?? "", userID: row.string("user_id") ?? "", alias: row.string("alias") ?? "",
            modelID: row.string("model_id") ?? "", preferredProviderID: row.string("preferred_provider_id"))
    }
}

extension UsageRecord {
    init(row: SQLRow) {
        let tried = row.json("providers_tried", fallback: []).arrayValue?.compactMap(\.stringValue) ?? []
        self.init(
            id: row.string("id") ?? "", userID: row.string("user_id") ?? "", providerID: row.string("provider_id"),
            userProviderID: row.string("user_provider_id"), function: row.string("function") ?? "",
            modelRequested: row.string("model_requested"), modelServed: row.string("model_served"),
            promptTokens: row.int("prompt_tokens") ?? 0, completionTokens: row.int("completion_tokens") ?? 0,
            cachedTokens: row.int("cached_tokens") ?? 0, reasoningTokens: row.int("reasoning_tokens") ?? 0,
            costUSD: row.double("cost_usd"), costSource: row.string("cost_source"), latencyMs: row.int("latency_ms"),
            ttftMs: row.int("ttft_ms"), status: Status(rawValue: row.string("status") ?? "") ?? .error,
            errorCode: row.string("error_code"), finishReason: row.string("finish_reason"),
            upstreamRequestID: row.string("upstream_request_id"), attempts: row.int("attempts") ?? 1,
            providersTried: tried, createdAt: row.int64("created_at") ?? 0)
    }

    var values: [SQLValue] {
        [
            .text(id), .text(userID), SQLValue(providerID), SQLValue(userProviderID), .text(function), SQLValue(modelRequested),
            SQLValue(modelServed), SQLValue(promptTokens), SQLValue(completionTokens), SQLValue(cachedTokens),
            SQLValue(reasoningTokens), SQLValue(costUSD), SQLValue(costSource), SQLValue(latencyMs), SQLValue(ttftMs),
            .text(status.rawValue), SQLValue(errorCode), SQLValue(finishReason), SQLValue(upstreamRequestID),
            SQLValue(attempts), JSONValue.array(providersTried.map { .string($0) }).sqlText, .integer(createdAt),
        ]
    }
}

extension AuditEntry {
    init(row: SQLRow) {
        let before = row.string("before").flatMap { try? JSONValue.parse($0) }
        let after = row.string("after").flatMap { try? JSONValue.parse($0) }
        self.init(
            id: row.string("id") ?? "", actorUserID: row.string("actor_user_id") ?? "", actorRole: row.string("actor_role") ?? "",
            subjectUserID: row.string("subject_user_id"), action: row.string("action") ?? "", entity: row.string("entity") ?? "",
            entityID: row.string("entity_id"), before: before, after: after, createdAt: row.int64("created_at") ?? 0)
    }

    var values: [SQLValue] {
        [
            .text(id), .text(actorUserID), .text(actorRole), SQLValue(subjectUserID), .text(action), .text(entity),
            SQLValue(entityID), SQLValue(before?.serializedString), SQLValue(after?.serializedString), .integer(createdAt),
        ]
    }
}
