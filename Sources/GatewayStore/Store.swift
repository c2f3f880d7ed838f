/// Everything the functions keep, behind one seam. Every method takes the `Caller` and scopes by it:
/// an `authenticated` caller reads and writes only its own rows (plus the shared catalogue, read-only);
/// the `service_role` may act on the catalogue and on every user. Methods are synchronous and each
/// runs in one short transaction; implementations serialise calls on their connection.
package protocol Store: Sendable {
    var backend: StoreBackend { get }

    // MARK: Catalogue (api_providers)
    func catalogueProviders(_ caller: Caller) throws -> [CatalogueProvider]
    func catalogueProvider(_ caller: Caller, id: String) throws -> CatalogueProvider?
    /// Service role only.
    func saveCatalogueProvider(_ caller: Caller, _ provider: CatalogueProvider) throws

    // MARK: Users' provider keys (user_api_providers)
    func userProviders(_ caller: Caller, scope: UserScope) throws -> [UserProvider]
    func userProvider(_ caller: Caller, id: String) throws -> UserProvider?
    /// Throws `StoreError.duplicate` when the user already stored the same key (same HMAC).
    func insertUserProvider(_ caller: Caller, _ provider: UserProvider) throws
    func updateUserProvider(_ caller: Caller, id: String, _ change: UserProviderChange) throws -> UserProvider?
    func deleteUserProvider(_ caller: Caller, id: String) throws -> Bool
    /// True when one of `hashes` (the key's HMAC under every configured vault key) is stored for the caller.
    func userHasKey(_ caller: Caller, hashes: [String]) throws -> Bool

    // MARK: Models (aggregator_models)
    /// Upserts by (provider, owner, model id). Shared rows (`ownerUserID` empty) need the service role.
    func saveModel(_ caller: Caller, _ model: CatalogueModel) throws
    func models(_ caller: Caller, providerID: String) throws -> [CatalogueModel]
    /// One model row the caller can see, with its override applied.
    func model(_ caller: Caller, id: String) throws -> CatalogueModel?
    /// Removes a `custom` row the caller owns.
    func deleteModel(_ caller: Caller, id: String) throws -> Bool
    /// Replaces the `sync` rows of (provider, owner) with `listing`: upsert, mark the missing unavailable,
    /// stamp `last_synced_at` on the user's key. Shared rows (`ownerUserID` empty) need the service role.
    func syncModels(
        _ caller: Caller, providerID: String, ownerUserID: String, listing: CatalogueListing,
        userProviderID: String?
    ) throws -> CatalogueSyncCounts
    /// Every row of one provider and owner ('' = shared), available or not: what a sync compares against.
    func ownedModels(_ caller: Caller, providerID: String, ownerUserID: String) throws -> [CatalogueModel]

    // MARK: Per-user model overrides (model_overrides)
    func modelOverrides(_ caller: Caller) throws -> [ModelOverride]
    func saveModelOverride(_ caller: Caller, _ override: ModelOverride) throws -> ModelOverride
    func deleteModelOverride(_ caller: Caller, providerID: String, modelID: String) throws -> Bool

    // MARK: Aliases (model_aliases)
    /// The caller's aliases and the global ones (a user's alias hides a global one of the same name).
    func aliases(_ caller: Caller) throws -> [ModelAlias]
    func alias(_ caller: Caller, named alias: String) throws -> ModelAlias?
    /// Upserts by (user, alias). Global aliases (`userID` empty) need the service role.
    func saveAlias(_ caller: Caller, _ alias: ModelAlias) throws -> ModelAlias
    /// Removes the caller's own alias of that name (`global`: the global one; service role only).
    func deleteAlias(_ caller: Caller, named alias: String, global: Bool) throws -> Bool

    // MARK: Usage (aggregator_usage_logs)
    func recordUsage(_ caller: Caller, _ record: UsageRecord) throws
    func usage(_ caller: Caller, _ filter: UsageFilter) throws -> [UsageRecord]
    func usageRecord(_ caller: Caller, id: String) throws -> UsageRecord?
    /// How many of the caller's usage rows were served through one of its provider keys.
    func usageCount(_ caller: Caller, userProviderID: String) throws -> Int

    /// Usage summed from the rollup over `filter`, in total or per 15-minute bucket, model or provider.
    func usageAggregates(_ caller: Caller, _ filter: UsageStatsFilter, by grouping: UsageStatsFilter.Grouping) throws -> [UsageGroup]
    /// Recomputes the rollup from the raw rows (service role only).
    func rebuildUsageRollup(_ caller: Caller) throws
    /// The metrics' counters, the requests in flight and, when `perUser`, each user's chat totals (service role).
    func usageMetrics(_ caller: Caller, perUser: Bool) throws -> UsageMetrics

    // MARK: Budgets (usage_budgets, usage_reservations)
    func budgets(_ caller: Caller, scope: UserScope) throws -> [UsageBudget]
    /// Upserts by (user, provider).
    func saveBudget(_ caller: Caller, _ budget: UsageBudget) throws -> UsageBudget
    func deleteBudget(_ caller: Caller, userID: String, providerID: String) throws -> Bool
    func budgetStates(_ caller: Caller, userID: String, now: Int64) throws -> [BudgetState]
    /// The caller's budgets with their consumption; when there are some and `admit` accepts them, a reservation
    /// for the request (`reservationID`, its usage row's id) is taken in the same transaction. Its usage row releases it.
    func admitRequest(
        _ caller: Caller, reservationID: String, modelRequested: String?, now: Int64,
        admit: ([BudgetState]) -> Bool
    ) throws -> [BudgetState]

    // MARK: In-flight requests (usage_reservations)
    /// Group commit (service role): many requests' in-flight registrations and usage rows in one transaction,
    /// each under a savepoint so that one refused (a duplicate, another user's row) leaves the others written.
    /// One result per write, in order; throws only when the transaction itself fails (none was written).
    func writeUsage(_ caller: Caller, _ writes: [UsageWrite]) throws -> [Result<Void, any Error>]
    /// Registers a request before it is served; its usage row replaces it.
    func beginRequest(_ caller: Caller, _ request: InFlightRequest) throws
    /// Service role: in-flight rows of `host` older than `hostBefore`, and of any host older than `anyHostBefore`.
    func inFlightRequests(_ caller: Caller, host: String, hostBefore: Int64, anyHostBefore: Int64, limit: Int) throws -> [InFlightRequest]
    /// Service role: replaces one in-flight row by an `error` usage row with `errorCode`; false when it was already gone.
    func recoverInFlight(_ caller: Caller, id: String, errorCode: String, now: Int64) throws -> Bool

    // MARK: The design's SQL helper functions
    /// The routing change counter: it moves (in the same transaction) with every change to the catalogue,
    /// users' keys, models, overrides and aliases, whoever makes it. Plans read after it stay valid while it stays.
    func routingVersion(_ caller: Caller) throws -> Int64

    /// Available models for the caller, grouped by the provider that serves them.
    /// Models the caller hid with an override are left out unless `includeDisabled`.
    func availableModels(_ caller: Caller, includeDisabled: Bool) throws -> [ProviderModels]
    /// The caller's active providers that can serve `model`, in routing order (priority, then health).
    func providerConfiguration(_ caller: Caller, model: String) throws -> [ProviderRoute]
    /// Requests, tokens and cost per provider in `range`.
    func providerCosts(_ caller: Caller, providerID: String?, range: TimeRange, scope: UserScope) throws -> [ProviderCost]

    // MARK: Audit (audit_log)
    func recordAudit(_ caller: Caller, _ entry: AuditEntry) throws
    func auditEntries(_ caller: Caller, scope: UserScope, limit: Int) throws -> [AuditEntry]

    // MARK: Key rotation (service role only)
    /// Every stored key envelope, for `rotate-keys`.
    func sealedKeys(_ caller: Caller) throws -> [UserProvider]
    /// Replaces one stored key; `expected` guards against a concurrent change (compare-and-set).
    func replaceSealedKey(_ caller: Caller, id: String, expected: String, with key: SealedKey) throws -> Bool

    // MARK: Schema
    func migrate() throws -> [Int]
    func appliedMigrations() throws -> [Int]
    /// For a CGI process once its client has the answer and its rows are written: the store is closed
    /// (SQLite's log is bounded and, by the last process to close, copied back and removed). Calls after it fail.
    func closeBeforeExit()
}

extension Store {
    package func deleteAlias(_ caller: Caller, named alias: String) throws -> Bool {
        try deleteAlias(caller, named: alias, global: false)
    }

    package func availableModels(_ caller: Caller) throws -> [ProviderModels] {
        try availableModels(caller, includeDisabled: false)
    }

    package func userProviders(_ caller: Caller) throws -> [UserProvider] {
        try userProviders(caller, scope: .caller)
    }

    package func providerCosts(_ caller: Caller, providerID: String?, range: TimeRange) throws -> [ProviderCost] {
        try providerCosts(caller, providerID: providerID, range: range, scope: .caller)
    }

    package func auditEntries(_ caller: Caller) throws -> [AuditEntry] {
        try auditEntries(caller, scope: .caller, limit: 100)
    }
}
