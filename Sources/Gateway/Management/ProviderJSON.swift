import FunctionRuntime
import GatewayProviders
import GatewayStore

/// What the `providers` function records of a key in the audit log (its answers are
/// `ProviderKeyResponse` and `CatalogueEntryResponse`).
enum ProviderJSON {
    /// The audit snapshot of a key row: what changed, never the key.
    static func audit(_ key: UserProvider) -> JSONValue {
        [
            "provider_id": .string(key.providerID), "priority": .int(key.priority), "is_active": .bool(key.isActive),
            "settings": key.settings, "key_last4": .string(key.apiKeyLast4),
        ]
    }
}
