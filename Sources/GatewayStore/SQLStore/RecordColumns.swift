import FunctionRuntime

// Each record's columns, once, in the order the tables declare them.

extension CatalogueProvider.Kind: SQLBindable, SQLColumnDecodable {}
extension APIStandard: SQLBindable, SQLColumnDecodable {}
extension CatalogueModel.Source: SQLBindable, SQLColumnDecodable {}
extension UsageRecord.Status: SQLBindable, SQLColumnDecodable {}
extension ModelType: SQLBindable, SQLColumnDecodable {}
extension Capability: SQLJSONElement {
    package init?(json: JSONValue) {
        guard let name = json.stringValue else { return nil }
        self.init(rawValue: name)
    }
    package var json: JSONValue { .string(rawValue) }
}
extension HealthStatus: SQLBindable, SQLColumnDecodable {}
extension CostSource: SQLBindable, SQLColumnDecodable {}
extension ClientAPI: SQLBindable, SQLColumnDecodable {}

extension CatalogueProvider: SQLRecord {
    package static let columns: SQLColumns<Self> = [
        SQLColumn("id", \.id), SQLColumn("name", \.name), SQLColumn("display_name", \.displayName),
        SQLColumn("provider_type", \.kind), SQLColumn("api_standard", \.apiStandard), SQLColumn("base_url", \.baseURL),
        SQLColumn("features", \.features), SQLColumn("settings", \.settings), SQLColumn("documentation_url", \.documentationURL),
        SQLColumn("is_active", \.isActive),
    ]
    package static let unread = CatalogueProvider(id: "", name: "", displayName: "", kind: .direct, apiStandard: "", baseURL: "")
}

extension UserProvider: SQLRecord {
    package static let columns: SQLColumns<Self> = [
        SQLColumn("id", \.id), SQLColumn("user_id", \.userID), SQLColumn("provider_id", \.providerID),
        SQLColumn("api_key_encrypted", \.apiKeyEncrypted), SQLColumn("api_key_hash", \.apiKeyHash),
        SQLColumn("api_key_last4", \.apiKeyLast4), SQLColumn("settings", \.settings), SQLColumn("priority", \.priority),
        SQLColumn("is_active", \.isActive), SQLColumn("health_status", \.healthStatus),
        SQLColumn("last_health_check", \.lastHealthCheck), SQLColumn("last_synced_at", \.lastSyncedAt),
        SQLColumn("created_at", \.createdAt), SQLColumn("updated_at", \.updatedAt),
    ]
    package static let unread = UserProvider(id: "", userID: "", providerID: "", apiKeyEncrypted: "", apiKeyHash: "", apiKeyLast4: "")
}

extension CatalogueModel: SQLRecord {
    package static let columns: SQLColumns<Self> = [
        SQLColumn("id", \.id), SQLColumn("provider_id", \.providerID), SQLColumn("owner_user_id", \.ownerUserID),
        SQLColumn("model_id", \.modelID), SQLColumn("display_name", \.displayName), SQLColumn("model_type", \.modelType),
        SQLColumn("capabilities", \.capabilities), SQLColumn("context_window", \.contextWindow),
        SQLColumn("max_output_tokens", \.maxOutputTokens), SQLColumn("input_price", \.inputPrice),
        SQLColumn("output_price", \.outputPrice), SQLColumn("cache_read_price", \.cacheReadPrice),
        SQLColumn("cache_write_price", \.cacheWritePrice), SQLColumn("request_price", \.requestPrice),
        SQLColumn("is_available", \.isAvailable), SQLColumn("last_seen_at", \.lastSeenAt), SQLColumn("source", \.source),
        SQLColumn("released_at", \.releasedAt), SQLColumn("description", \.description),
    ]
    package static let unread = CatalogueModel(id: "", providerID: "", modelID: "")
}

extension ModelOverride: SQLRecord {
    package static let columns: SQLColumns<Self> = [
        SQLColumn("id", \.id), SQLColumn("user_id", \.userID), SQLColumn("provider_id", \.providerID),
        SQLColumn("model_id", \.modelID), SQLColumn("is_enabled", \.isEnabled), SQLColumn("display_name", \.displayName),
        SQLColumn("input_price", \.inputPrice), SQLColumn("output_price", \.outputPrice),
    ]
    package static let unread = ModelOverride(id: "", userID: "", providerID: "", modelID: "")
}

extension ModelAlias: SQLRecord {
    package static let columns: SQLColumns<Self> = [
        SQLColumn("id", \.id), SQLColumn("user_id", \.userID), SQLColumn("alias", \.alias), SQLColumn("model_id", \.modelID),
        SQLColumn("preferred_provider_id", \.preferredProviderID),
    ]
    package static let unread = ModelAlias(id: "", userID: "", alias: "", modelID: "")
}

extension UsageRecord: SQLRecord {
    package static let columns: SQLColumns<Self> = [
        SQLColumn("id", \.id), SQLColumn("user_id", \.userID), SQLColumn("provider_id", \.providerID),
        SQLColumn("user_provider_id", \.userProviderID), SQLColumn("function", \.function),
        SQLColumn("api", \.api), SQLColumn("model_requested", \.modelRequested), SQLColumn("model_served", \.modelServed),
        SQLColumn("prompt_tokens", \.promptTokens), SQLColumn("completion_tokens", \.completionTokens),
        SQLColumn("cached_tokens", \.cachedTokens), SQLColumn("reasoning_tokens", \.reasoningTokens),
        SQLColumn("cost_usd", \.costUSD), SQLColumn("cost_source", \.costSource), SQLColumn("latency_ms", \.latencyMs),
        SQLColumn("ttft_ms", \.ttftMs), SQLColumn("status", \.status), SQLColumn("error_code", \.errorCode),
        SQLColumn("finish_reason", \.finishReason), SQLColumn("upstream_request_id", \.upstreamRequestID),
        SQLColumn("attempts", \.attempts), SQLColumn("providers_tried", \.providersTried), SQLColumn("created_at", \.createdAt),
    ]
    package static let unread = UsageRecord(id: "", userID: "", status: .error, createdAt: 0)
}

extension AuditEntry: SQLRecord {
    package static let columns: SQLColumns<Self> = [
        SQLColumn("id", \.id), SQLColumn("actor_user_id", \.actorUserID), SQLColumn("actor_role", \.actorRole),
        SQLColumn("subject_user_id", \.subjectUserID), SQLColumn("action", \.action), SQLColumn("entity", \.entity),
        SQLColumn("entity_id", \.entityID), SQLColumn("before", \.before), SQLColumn("after", \.after),
        SQLColumn("created_at", \.createdAt),
    ]
    package static let unread = AuditEntry(
        id: "", actorUserID: "", actorRole: "", subjectUserID: nil, action: "", entity: "", entityID: nil, createdAt: 0)
}

extension UsageBudget: SQLRecord {
    package static let columns: SQLColumns<Self> = [
        SQLColumn("id", \.id), SQLColumn("user_id", \.userID), SQLColumn("provider_id", \.providerID),
        SQLColumn("monthly_budget_usd", \.monthlyBudgetUSD), SQLColumn("requests_per_minute", \.requestsPerMinute),
        SQLColumn("tokens_per_day", \.tokensPerDay), SQLColumn("alert_thresholds", \.alertThresholds),
    ]
    package static let unread = UsageBudget(id: "", userID: "")
}

extension InFlightRequest: SQLRecord {
    package static let columns: SQLColumns<Self> = [
        SQLColumn("id", \.id), SQLColumn("user_id", \.userID), SQLColumn("function", \.function),
        SQLColumn("created_at", \.createdAt), SQLColumn("host", \.host), SQLColumn("process", \.process),
        SQLColumn("model_requested", \.modelRequested),
    ]
    package static let unread = InFlightRequest(id: "", userID: "", function: "", createdAt: 0, host: "", process: "")
}
