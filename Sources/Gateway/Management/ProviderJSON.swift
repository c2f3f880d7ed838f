import FunctionRuntime
import GatewayProviders
import GatewayStore

/// How providers appear in the `providers` function's answers: never the key or its envelope,
/// at most its last four characters.
enum ProviderJSON {
    static func catalogue(_ provider: CatalogueProvider) -> JSONValue {
        [
            "id": .string(provider.id), "name": .string(provider.name), "display_name": .string(provider.displayName),
            "provider_type": .string(provider.kind.rawValue), "api_standard": .string(provider.apiStandard.rawValue),
            "base_url": .string(provider.baseURL), "documentation_url": provider.documentationURL.map(JSONValue.string) ?? .null,
            "features": features(provider), "is_active": .bool(provider.isActive),
        ]
    }

    /// What the gateway does with this provider's wire format, with the catalogue's own `features` on top
    /// (a service-role edit can add or switch off one).
    static func features(_ provider: CatalogueProvider) -> JSONValue {
        var features: [String: JSONValue] = ["chat": true, "streaming": true, "tools": true, "vision": true, "model_sync": true]
        for feature in WireFormats.format(provider.apiStandard)?.features ?? [] { features[feature] = true }
        if provider.kind == .aggregator { features["many_model_vendors"] = true }
        for (name, value) in provider.features.objectValue ?? [:] { features[name] = value }
        return .object(features)
    }

    static func configured(
        _ key: UserProvider, provider: CatalogueProvider?, modelCount: Int?,
        kept: (catalogueModels: Int, usageRows: Int)? = nil
    ) -> JSONValue {
        var json: [String: JSONValue] = [
            "id": .string(key.id), "provider_id": .string(key.providerID), "provider": .string(provider?.name ?? key.providerID),
            "key_last4": key.apiKeyLast4.isEmpty ? .null : .string(key.apiKeyLast4), "settings": key.settings,
            "priority": .int(key.priority), "is_active": .bool(key.isActive), "health_status": .string(key.healthStatus.rawValue),
            "last_health_check": key.lastHealthCheck.map { .int(Int($0)) } ?? .null,
            "last_synced_at": key.lastSyncedAt.map { .int(Int($0)) } ?? .null,
            "created_at": .int(Int(key.createdAt)),
        ]
        if let modelCount { json["model_count"] = .int(modelCount) }
        if let kept {
            json["catalogue_models"] = .int(kept.catalogueModels)
            json["usage_rows"] = .int(kept.usageRows)
        }
        return .object(json)
    }

    /// The audit snapshot of a key row: what changed, never the key.
    static func audit(_ key: UserProvider) -> JSONValue {
        [
            "provider_id": .string(key.providerID), "priority": .int(key.priority), "is_active": .bool(key.isActive),
            "settings": key.settings, "key_last4": .string(key.apiKeyLast4),
        ]
    }
}
