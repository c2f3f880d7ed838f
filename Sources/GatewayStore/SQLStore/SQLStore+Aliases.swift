extension SQLStore {
    package func aliases(_ caller: Caller) throws -> [ModelAlias] {
        try read(caller) { db in
            let rows = try db.query(
                """
                SELECT \(ModelAlias.columns.list) FROM model_aliases WHERE user_id = '' OR user_id = \(caller.userID) ORDER BY alias, user_id DESC
                """
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
                SELECT \(ModelAlias.columns.list) FROM model_aliases WHERE alias = \(alias) AND (user_id = '' OR user_id = \(caller.userID))
                ORDER BY user_id DESC LIMIT 1
                """
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
                INSERT INTO model_aliases (\(ModelAlias.columns.list), created_at, updated_at) VALUES (\(list: alias.sqlValues), \(now), \(now))
                ON CONFLICT (user_id, alias) DO UPDATE SET model_id = excluded.model_id,
                    preferred_provider_id = excluded.preferred_provider_id, updated_at = excluded.updated_at
                RETURNING \(ModelAlias.columns.list)
                """)
            return try rows.first.map(ModelAlias.init(row:)) ?? alias
        }
    }

    package func deleteAlias(_ caller: Caller, named alias: String, global: Bool) throws -> Bool {
        if global { try SQLStore.requireService(caller, "change global aliases") }
        return try write(caller) { db in
            !(try db.query("DELETE FROM model_aliases WHERE user_id = \((global ? "" : caller.userID)) AND alias = \(alias) RETURNING id")).isEmpty
        }
    }
}
