extension SQLStore {
    /// Routing order: the user's priority (lower first), then health, then age.
    static let routingOrder = """
        priority, CASE health_status WHEN 'healthy' THEN 0 WHEN 'unknown' THEN 1 ELSE 2 END, created_at, id
        """

    package func userProviders(_ caller: Caller, scope: UserScope = .caller) throws -> [UserProvider] {
        let userID = try scope.userID(for: caller)
        return try read(caller) { db in
            if let userID {
                return try db.query(
                    "SELECT \(Columns.userProvider) FROM user_api_providers WHERE user_id = ? ORDER BY \(SQLStore.routingOrder)",
                    [.text(userID)]
                ).map(UserProvider.init(row:))
            }
            return try db.query("SELECT \(Columns.userProvider) FROM user_api_providers ORDER BY user_id, \(SQLStore.routingOrder)", [])
                .map(UserProvider.init(row:))
        }
    }

    package func userProvider(_ caller: Caller, id: String) throws -> UserProvider? {
        try read(caller) { db in try SQLStore.userProvider(db, caller, id: id) }
    }

    static func userProvider(_ db: any SQLDatabase, _ caller: Caller, id: String) throws -> UserProvider? {
        if caller.isService {
            return try db.query("SELECT \(Columns.userProvider) FROM user_api_providers WHERE id = ?", [.text(id)])
                .first.map(UserProvider.init(row:))
        }
        return try db.query(
            "SELECT \(Columns.userProvider) FROM user_api_providers WHERE id = ? AND user_id = ?",
            [.text(id), .text(caller.userID)]
        ).first.map(UserProvider.init(row:))
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
            try db.query(
                "INSERT INTO user_api_providers (\(Columns.userProvider)) VALUES (\(Columns.placeholders(Columns.userProvider)))",
                provider.values)
        }
    }

    package func updateUserProvider(_ caller: Caller, id: String, _ change: UserProviderChange) throws -> UserProvider? {
        var assignments: [String] = ["updated_at = ?"]
        var values: [SQLValue] = [.integer(SQLStore.now())]
        func set(_ column: String, _ value: SQLValue?) {
            guard let value else { return }
            assignments.append("\(column) = ?")
            values.append(value)
        }
        set("settings", change.settings?.sqlText)
        set("priority", change.priority.map { SQLValue($0) })
        set("is_active", change.isActive.map { SQLValue($0) })
        set("api_key_encrypted", change.key.map { .text($0.encrypted) })
        set("api_key_hash", change.key.map { .text($0.hash) })
        set("api_key_last4", change.key.map { .text($0.last4) })
        set("health_status", change.healthStatus.map { .text($0) })
        set("last_health_check", change.lastHealthCheck.map { .integer($0) })
        set("last_synced_at", change.lastSyncedAt.map { .integer($0) })
        return try write(caller) { db in
            let owner = caller.isService ? "" : " AND user_id = ?"
            let ownerValue: [SQLValue] = caller.isService ? [] : [.text(caller.userID)]
            let updated = try db.query(
                "UPDATE user_api_providers SET \(assignments.joined(separator: ", ")) WHERE id = ?\(owner) RETURNING id",
                values + [.text(id)] + ownerValue)
            guard !updated.isEmpty else { return nil }
            return try SQLStore.userProvider(db, caller, id: id)
        }
    }

    package func deleteUserProvider(_ caller: Caller, id: String) throws -> Bool {
        try write(caller) { db in
            let owner = caller.isService ? "" : " AND user_id = ?"
            let ownerValue: [SQLValue] = caller.isService ? [] : [.text(caller.userID)]
            return !(try db.query("DELETE FROM user_api_providers WHERE id = ?\(owner) RETURNING id", [.text(id)] + ownerValue)).isEmpty
        }
    }

    package func userHasKey(_ caller: Caller, hashes: [String]) throws -> Bool {
        guard !hashes.isEmpty else { return false }
        return try read(caller) { db in
            let list = Array(repeating: "?", count: hashes.count).joined(separator: ", ")
            return
                !(try db.query(
                    "SELECT id FROM user_api_providers WHERE user_id = ? AND api_key_hash IN (\(list)) LIMIT 1",
                    [.text(caller.userID)] + hashes.map { .text($0) })).isEmpty
        }
    }

    package func sealedKeys(_ caller: Caller) throws -> [UserProvider] {
        try SQLStore.requireService(caller, "read every stored key")
        return try read(caller) { db in
            try db.query("SELECT \(Columns.userProvider) FROM user_api_providers ORDER BY id", []).map(UserProvider.init(row:))
        }
    }

    package func replaceSealedKey(_ caller: Caller, id: String, expected: String, with key: SealedKey) throws -> Bool {
        try SQLStore.requireService(caller, "rewrite stored keys")
        return try write(caller) { db in
            !(try db.query(
                """
                UPDATE user_api_providers SET api_key_encrypted = ?, api_key_hash = ?, api_key_last4 = ?, updated_at = ?
                WHERE id = ? AND api_key_encrypted = ? RETURNING id
                """, [.text(key.encrypted), .text(key.hash), .text(key.last4), .integer(SQLStore.now()), .text(id), .text(expected)])).isEmpty
        }
    }
}
