import FunctionRuntime
import GatewayStore

/// A user's configured key, as the `providers` function answers with it: never the key or its
/// envelope, at most its last four characters.
package struct ProviderKeyResponse: JSONResponse {
    var id: String
    var providerID: String
    var provider: String
    @NullWhenAbsent var keyLast4: String?
    var settings: JSONValue
    var priority: Int
    var isActive: Bool
    var healthStatus: String
    @NullWhenAbsent var lastHealthCheck: Int64?
    @NullWhenAbsent var lastSyncedAt: Int64?
    var createdAt: Int64
    /// Only in answers that counted them.
    var modelCount: Int?
    var catalogueModels: Int?
    var usageRows: Int?

    enum CodingKeys: String, CodingKey {
        case id, provider, settings, priority
        case providerID = "provider_id"
        case keyLast4 = "key_last4"
        case isActive = "is_active"
        case healthStatus = "health_status"
        case lastHealthCheck = "last_health_check"
        case lastSyncedAt = "last_synced_at"
        case createdAt = "created_at"
        case modelCount = "model_count"
        case catalogueModels = "catalogue_models"
        case usageRows = "usage_rows"
    }

    package init(_ key: UserProvider, provider: CatalogueProvider?, modelCount: Int?, kept: (catalogueModels: Int, usageRows: Int)? = nil) {
        id = key.id
        providerID = key.providerID
        self.provider = provider?.name ?? key.providerID
        keyLast4 = key.apiKeyLast4.isEmpty ? nil : key.apiKeyLast4
        settings = key.settings
        priority = key.priority
        isActive = key.isActive
        healthStatus = key.healthStatus.rawValue
        lastHealthCheck = key.lastHealthCheck
        lastSyncedAt = key.lastSyncedAt
        createdAt = key.createdAt
        self.modelCount = modelCount
        catalogueModels = kept?.catalogueModels
        usageRows = kept?.usageRows
    }
}
