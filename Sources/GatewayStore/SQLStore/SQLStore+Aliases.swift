extension SQLStore {
    package func aliases(_ caller: Caller) throws -> [ModelAlias] {
        try read(caller) { db in
            let rows = try db.query(
                """
                SELECT \(Columns.alias) FROM model_aliases WHERE user_id = '' OR user_id = ? ORDER BY alias, user_id DESC
                """, [.text(caller.userID)]
            ).map(ModelAlias.init(row:))
            // The caller's alias of a name hides the global one (own rows sort first per alias).
            var seen = Set<String>()
            return rows.filter { seen.insert($0.alias).inserted }
        }
    }

    package func alias(_ caller: Caller, named alias: String) throws -> ModelAlias? {
        try read(caller) { db in
            try db.query(
                """
                SELECT \(Columns.alias) FROM model_aliases WHERE alias = ? AND (user_id = '' OR user_id = ?)
                ORDER BY user_id DESC LIMIT 1
                """, [.text(alias), .text(caller.userID)]
            ).first.map(ModelAlias.init(row:))
        }
    }

    package func saveAlias(_ caller: Caller, _ alias: ModelAlias) throws -> ModelAlias {
        if alias.isGlobal {
            try SQLStore.requireService(caller, "change global aliases")
        } else if !caller.isService && alias.userID != caller.userID {
            throw StoreError.forbidden("another user's aliases")
        }
        let now = SQLStore.now()
        return try write(caller) { db in
            let rows = try db.query(
                """
                INSERT INTO model_aliases (\(Columns.alias), created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id, alias) DO UPDATE SET model_id = excluded.model_id,
                    preferred_provider_id = excluded.preferred_provider_id, updated_at = excluded.updated_at
                RETURNING \(Columns.alias)
                """,
                [
                    .text(alias.id), .text(alias.userID), .text(alias.alias), .text(alias.modelID),
                    SQLValue(alias.preferredProviderID), .integer(now), .integer(now),
                ])
            return rows.first.map(ModelAlias.init(row:)) ?? alias
        }
    }

    package func deleteAlias(_ caller: Caller, named alias: String, global: Bool) throws -> Bool {
        if global { try SQLStore.requireService(caller, "change global aliases") }
        return try write(caller) { db in
            !(try db.query(
                "DELETE FROM model_aliases WHERE user_id = ? AND alias = ? RETURNING id",
                [.text(global ? "" : caller.userID), .text(alias)])).isEmpty
        }
    }
}
