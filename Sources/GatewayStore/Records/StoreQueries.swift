/// Whose rows a store method acts on. An `authenticated` caller only ever gets its own;
/// the service role may name a user or ask for everyone's.
package enum UserScope: Sendable, Equatable {
    case caller
    case user(String)
    case allUsers

    /// `.caller` as `.user(caller's id)`; the others as they are.
    package func resolved(_ caller: Caller) -> UserScope {
        if case .caller = self { return .user(caller.userID) }
        return self
    }

    /// The user id to filter by, `nil` for every user; refuses what the caller may not see.
    func userID(for caller: Caller) throws -> String? {
        switch self {
        case .caller: return caller.userID
        case .user(let id):
            guard caller.isService || id == caller.userID else { throw StoreError.forbidden("another user's rows") }
            return id
        case .allUsers:
            guard caller.isService else { throw StoreError.forbidden("every user's rows") }
            return nil
        }
    }
}

/// A half-open time range in Unix milliseconds: `start <= t < end`.
package struct TimeRange: Sendable, Equatable {
    package var start: Int64
    package var end: Int64

    package init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }
}

/// "Available models for a user": the models of each active provider the user configured.
package struct ProviderModels: Sendable, Equatable {
    package var provider: CatalogueProvider
    package var userProvider: UserProvider
    package var models: [CatalogueModel]
}

/// "Provider configuration for (model, user)": one routing candidate for a model, in the
/// user's order (priority, then health), with the catalogue row when the provider lists it.
package struct ProviderRoute: Sendable, Equatable {
    package var provider: CatalogueProvider
    package var userProvider: UserProvider
    package var model: CatalogueModel?
}

/// "Provider costs for (user, provider?, range)".
package struct ProviderCost: Sendable, Equatable {
    package var providerID: String
    package var requests: Int
    package var errors: Int
    package var promptTokens: Int
    package var completionTokens: Int
    package var cachedTokens: Int
    package var reasoningTokens: Int
    package var costUSD: Double
}

/// What `usage(...)` returns.
package struct UsageFilter: Sendable, Equatable {
    package var scope: UserScope
    package var range: TimeRange?
    package var providerID: String?
    package var model: String?
    /// Only one function's rows (`v1-chat`).
    package var function: String?
    /// Only rows of one client API.
    package var api: ClientAPI?
    package var limit: Int
    /// Keyset paging: only rows after this one in the (newest first) order.
    package var after: (createdAt: Int64, id: String)?

    package static func == (lhs: UsageFilter, rhs: UsageFilter) -> Bool {
        lhs.scope == rhs.scope && lhs.range == rhs.range && lhs.providerID == rhs.providerID && lhs.model == rhs.model
            && lhs.function == rhs.function && lhs.api == rhs.api && lhs.limit == rhs.limit && lhs.after?.createdAt == rhs.after?.createdAt
            && lhs.after?.id == rhs.after?.id
    }

    package init(
        scope: UserScope = .caller, range: TimeRange? = nil, providerID: String? = nil, model: String? = nil,
        function: String? = nil, api: ClientAPI? = nil, limit: Int = 1000
    ) {
        self.api = api
        self.scope = scope
        self.range = range
        self.providerID = providerID
        self.model = model
        self.function = function
        self.limit = limit
    }
}
