/// Opens the store `GATEWAY_DATABASE_URL` names.
package enum StoreFactory {
    /// The schema version this build's queries are written for, per backend.
    package static func requiredVersion(_ backend: StoreBackend) -> Int {
        switch backend {
        case .sqlite: SQLiteMigrations.all.map(\.version).max() ?? 0
        case .postgres: PostgresMigrations.all.map(\.version).max() ?? 0
        }
    }

    package static func open(_ url: DatabaseURL) throws -> SQLStore {
        switch url {
        case .sqlite(let path): SQLStore(database: try SQLiteDatabase(path: path))
        case .postgres(let url): SQLStore(database: try PostgresDatabase(url: url))
        }
    }

    /// Opens the store for a function: the schema must already be migrated (by `local-runner migrate`
    /// or `serve`), so that a request never runs DDL or races another process to do it.
    package static func openForFunctions(environment: [String: String]) throws -> SQLStore {
        guard let text = environment["GATEWAY_DATABASE_URL"], !text.isEmpty else {
            throw DatabaseURL.Invalid(description: "GATEWAY_DATABASE_URL is not set")
        }
        let url = try DatabaseURL(parsing: text)
        let store: SQLStore
        if case .sqlite(let path) = url, environment["GATEWAY_PERSISTENT_PROCESS"] == "1" {
            store = SQLStore(database: try SQLiteDatabase(path: path, checkpointInBackground: true, wal: .fromEnvironment(environment)))
        } else if case .sqlite(let path) = url {
            store = SQLStore(database: try SQLiteDatabase(path: path, wal: .fromEnvironment(environment)))
        } else {
            store = try open(url)
        }
        let have = try store.appliedMigrations().max() ?? 0
        let need = requiredVersion(store.backend)
        guard have >= need else { throw StoreError.notMigrated(have: have, need: need) }
        return store
    }
}
