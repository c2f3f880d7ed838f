import ArgumentParser
import Foundation
import Gateway
import GatewayStore

/// `local-runner migrate`: applies the schema migrations that are missing (idempotent).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply missing database migrations to GATEWAY_DATABASE_URL (default: the .data SQLite file)."
    )

    @Option(help: "Folder for the SQLite database and development secrets.") var dataDir: String = ".data"

    func run() async throws {
        let environment = try DevEnvironment(dataDirectory: dataDir).prepare(base: ProcessInfo.processInfo.environment, log: Console.say)
        let outcome = try DatabaseMigration.run(environment: environment)
        Console.say(outcome.migrations.isEmpty ? "local-runner: database is up to date" : "local-runner: applied migrations \(outcome.migrations)")
        if !outcome.seeded.isEmpty { Console.say("local-runner: added catalogue entries \(outcome.seeded)") }
    }
}

enum DatabaseMigration {
    static func run(environment: [String: String]) throws -> GatewaySchema.Outcome {
        let url = try DatabaseURL(parsing: environment["GATEWAY_DATABASE_URL"] ?? "")
        if case .postgres(let text) = url {
            let database = try PostgresDatabase(url: text)
            if try database.bypassesRowLevelSecurity() {
                Console.say(
                    """
                    local-runner: WARNING: the database role bypasses row-level security (superuser or BYPASSRLS).
                      The gateway still scopes every query, but connect as an ordinary role to keep RLS as a second line of defence.
                    """)
            }
            return try GatewaySchema.prepare(SQLStore(database: database))
        }
        return try GatewaySchema.prepare(StoreFactory.open(url))
    }
}
