import GatewayProviders
import GatewayStore

/// Brings a database to what this build needs: the missing schema migrations, then the catalogue
/// entries the wire formats seed. Idempotent; an entry that exists is kept as it is.
package enum GatewaySchema {
    package struct Outcome: Sendable {
        /// Migration versions applied by this call.
        package var migrations: [Int]
        /// Catalogue ids inserted by this call.
        package var seeded: [String]
    }

    @discardableResult
    package static func prepare(_ store: SQLStore) throws -> Outcome {
        let migrations = try store.migrate()
        let seeded = try store.seedCatalogue(WireFormats.seedCatalogue)
        return Outcome(migrations: migrations, seeded: seeded)
    }
}
