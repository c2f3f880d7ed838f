extension SQLStore {
    /// Routing order: the user's priority (lower first), then health, then age.
    static let routingOrder: SQLFragment = "priority, CASE health_status WHEN 'healthy' THEN 0 WHEN 'unknown' THEN 1 ELSE 2 END, created_at, id"

    package func userProviders(_ caller: Caller, scope: UserScope = .caller) throws -> [UserProvider] {
        let userID = try scope.userID(for: caller)
        return try read(caller) { db in
            if let userID {
                return try db.query(
                    "SELECT \(UserProvider.columns.list) FROM user_api_providers WHERE user_id = \(userID) ORDER BY \(SQLStore.routingOrder)"
                ).map(UserProvider.init(row:))
            }
            return try db.query("SELECT \(UserProvider.columns.list) FROM user_api_providers ORDER BY user_id, \(SQLStore.routingOrder)")
                .map(UserProvider.init(row:))
        }
    }

    package func userProvider(_ caller: Caller, id: String) throws -> UserProvider? {
        try read(caller) { db in try SQLStore.userProvider(db, caller, id: id) }
    }

    static func userProvider(_ db: any SQLDatabase, _ caller: Caller, id: String) throws -> UserProvider? {
        if caller.isService {
            return try db.query("SELECT \(UserProvider.columns.list) FROM user_api_providers WHERE id = \(id)")
                .first.map(UserProvider.init(row:))
        }
        return try db.query("SELECT \(UserProvider.columns.list) FROM user_api_providers WHERE id = \(id) AND user_id = \(caller.userID)").first.map(
            UserProvider.init(row:))
    }

    package func insertUserProvider(_ caller: Caller, _ provider: UserProvider) throws {
        guard caller.isService || provider.userID == caller.userID else {
            throw StoreError.forbidden("a key for another user")
        }
        var provider = provider
        let now = SQLStore.now()
        provider.createdAt = now
        provider.updatedAt = now
        try write(caller) { db in
            try db.query("INSERT INTO user_api_providers (\(UserProvider.columns.list)) VALUES (\(list: provider.sqlValues))")
        }
    }

    package func updateUserProvider(_ caller: Caller, id: String, _ change: UserProviderChange) throws -> UserProvider? {
        var assignments: [SQLQuery] = ["updated_at = \(SQLStore.now())"]
        func set(_ column: SQLFragment, _ value: (some SQLBindable)?) {
            guard let value else { return }
            assignments.append("\(column) = \(value)")
        }
        set("settings", change.settings)
        set("priority", change.priority)
        set("is_active", change.isActive)
        set("api_key_encrypted", change.key?.encrypted)
        set("api_key_hash", change.key?.hash)
        set("api_key_last4", change.key?.last4)
        set("health_status", change.healthStatus)
        set("last_health_check", change.lastHealthCheck)
        set("last_synced_at", change.lastSyncedAt)
        return try write(caller) { db in
            let owner: SQLQuery = caller.isService ? "" : " AND user_id = \(caller.userID)"
            let updated = try db.query(
                "UPDATE user_api_providers SET \(SQLQuery.joined(assignments, separator: ", ")) WHERE id = \(id)\(owner) RETURNING id")
            guard !updated.isEmpty else { return nil }
            return try SQLStore.userProvider(db, caller, id: id)
        }
    }

    package func deleteUserProvider(_ caller: Caller, id: String) throws -> Bool {
        try write(caller) { db in
            let owner: SQLQuery = caller.isService ? "" : " AND user_id = \(caller.userID)"
            return !(try db.query("DELETE FROM user_api_providers WHERE id = \(id)\(owner) RETURNING id")).isEmpty
        }
    }

    package func userHasKey(_ caller: Caller, hashes: [String]) throws -> Bool {
        guard !hashes.isEmpty else { return false }
        return try read(caller) { db in
            !(try db.query("SELECT id FROM user_api_providers WHERE user_id = \(caller.userID) AND api_key_hash IN (\(list: hashes)) LIMIT 1"))
                .isEmpty
        }
    }

    package func sealedKeys(_ caller: Caller) throws -> [UserProvider] {
        try SQLStore.requireService(caller, "read every stored key")
        return try read(caller) { db in
            try db.query("SELECT \(UserProvider.columns.list) FROM user_api_providers ORDER BY id").map(UserProvider.init(row:))
        }
    }

    package func replaceSealedKey(_ caller: Caller, id: String, expected: String, with key: SealedKey) throws -> Bool {
        try SQLStore.requireService(caller, "rewrite stored keys")
        return try write(caller) { db in
            !(try db.query(
                """
                UPDATE user_api_providers
                SET api_key_encrypted = \(key.encrypted), api_key_hash = \(key.hash), api_key_last4 = \(key.last4), updated_at = \(SQLStore.now())
                WHERE id = \(id) AND api_key_encrypted = \(expected) RETURNING id
                """)).isEmpty
        }
    }
}
