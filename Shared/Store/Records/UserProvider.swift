/// A user's key for a provider (`user_api_providers`). `apiKeyEncrypted` is a vault envelope;
/// it leaves the store only to be opened for an upstream call and is never printed.
public struct UserProvider: Sendable, Equatable, CustomStringConvertible {
    public var id: String
    public var userID: String
    public var providerID: String
    public var apiKeyEncrypted: String
    public var apiKeyHash: String
    public var apiKeyLast4: String
    public var settings: JSONValue
    public var priority: Int
    public var isActive: Bool
    public var healthStatus: String
    public var lastHealthCheck: Int64?
    public var lastSyncedAt: Int64?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, userID: String, providerID: String, apiKeyEncrypted: String, apiKeyHash: String, apiKeyLast4: String,
        settings: JSONValue = [:], priority: Int = 0, isActive: Bool = true, healthStatus: String = "unknown",
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
    public var description: String {
        "UserProvider(id: \(id), user: \(userID), provider: \(providerID), key: ...\(apiKeyLast4), active: \(isActive))"
    }
}

/// A partial update of a user's provider; `nil` leaves a column as it is.
public struct UserProviderChange: Sendable {
    public var settings: JSONValue?
    public var priority: Int?
    public var isActive: Bool?
    public var key: SealedKey?
    public var healthStatus: String?
    public var lastHealthCheck: Int64?
    public var lastSyncedAt: Int64?

    public init(
        settings: JSONValue? = nil, priority: Int? = nil, isActive: Bool? = nil, key: SealedKey? = nil,
        healthStatus: String? = nil, lastHealthCheck: Int64? = nil, lastSyncedAt: Int64? = nil
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
public struct SealedKey: Sendable, Equatable {
    public var encrypted: String
    public var hash: String
    public var last4: String

    public init(encrypted: String, hash: String, last4: String) {
        self.encrypted = encrypted
        self.hash = hash
        self.last4 = last4
    }
}
