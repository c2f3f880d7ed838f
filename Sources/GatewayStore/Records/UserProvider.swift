import FunctionRuntime

/// A user's key for a provider (`user_api_providers`). `apiKeyEncrypted` is a vault envelope;
/// it leaves the store only to be opened for an upstream call and is never printed.
package struct UserProvider: Sendable, Equatable, CustomStringConvertible {
    package var id: String
    package var userID: String
    package var providerID: String
    package var apiKeyEncrypted: String
    package var apiKeyHash: String
    package var apiKeyLast4: String
    package var settings: JSONValue
    package var priority: Int
    package var isActive: Bool
    package var healthStatus: HealthStatus
    package var lastHealthCheck: Int64?
    package var lastSyncedAt: Int64?
    package var createdAt: Int64
    package var updatedAt: Int64

    package init(
        id: String, userID: String, providerID: String, apiKeyEncrypted: String, apiKeyHash: String, apiKeyLast4: String,
        settings: JSONValue = [:], priority: Int = 0, isActive: Bool = true, healthStatus: HealthStatus = .unknown,
        lastHealthCheck: Int64? = nil, lastSyncedAt: Int64? = nil, createdAt: Int64 = 0, updatedAt: Int64 = 0
    ) {
        self.id = id
        self.userID = userID
        self.providerID = providerID
        self.apiKeyEncrypted = apiKeyEncrypted
        self.apiKeyHash = apiKeyHash
        self.apiKeyLast4 = apiKeyLast4
        self.settings = settings
        self.priority = priority
        self.isActive = isActive
        self.healthStatus = healthStatus
        self.lastHealthCheck = lastHealthCheck
        self.lastSyncedAt = lastSyncedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Never the key or its envelope, even in a debug print.
    package var description: String {
        "UserProvider(id: \(id), user: \(userID), provider: \(providerID), key: ...\(apiKeyLast4), active: \(isActive))"
    }
}

/// A partial update of a user's provider; `nil` leaves a column as it is.
package struct UserProviderChange: Sendable {
    package var settings: JSONValue?
    package var priority: Int?
    package var isActive: Bool?
    package var key: SealedKey?
    package var healthStatus: HealthStatus?
    package var lastHealthCheck: Int64?
    package var lastSyncedAt: Int64?

    package init(
        settings: JSONValue? = nil, priority: Int? = nil, isActive: Bool? = nil, key: SealedKey? = nil,
        healthStatus: HealthStatus? = nil, lastHealthCheck: Int64? = nil, lastSyncedAt: Int64? = nil
    ) {
        self.settings = settings
        self.priority = priority
        self.isActive = isActive
        self.key = key
        self.healthStatus = healthStatus
        self.lastHealthCheck = lastHealthCheck
        self.lastSyncedAt = lastSyncedAt
    }
}

/// A key as the store keeps it: the vault envelope, its HMAC and its last four characters.
package struct SealedKey: Sendable, Equatable {
    package var encrypted: String
    package var hash: String
    package var last4: String

    package init(encrypted: String, hash: String, last4: String) {
        self.encrypted = encrypted
        self.hash = hash
        self.last4 = last4
    }
}

/// What the last test of a key found: `unknown` until one ran (a key stored without validation).
package enum HealthStatus: String, Sendable, CaseIterable {
    case unknown, healthy, unhealthy
}
