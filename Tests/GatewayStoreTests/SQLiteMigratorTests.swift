import Foundation
import GatewayStore
import TestSupport
import XCTest

final class SQLiteMigratorTests: XCTestCase {
    private var path = ""

    override func setUp() {
        path = NSTemporaryDirectory() + "migrations-\(UUID().uuidString).db"
    }

    override func tearDown() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func testMigratingFromEmptyCreatesTheSchemaAndUsesWAL() throws {
        let connection = try SQLiteConnection(path: path)
        XCTAssertEqual(try SQLiteMigrator().migrate(connection), [1, 2, 3, 4, 5, 6, 7, 8])
        let tables = Set(try connection.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0["name"]?.string })
        for table in [
            "api_providers", "user_api_providers", "aggregator_models", "model_aliases",
            "aggregator_usage_logs", "audit_log", "model_overrides", "schema_migrations",
        ] {
            XCTAssertTrue(tables.contains(table), table)
        }
        let indexes = Set(try connection.query("SELECT name FROM sqlite_master WHERE type = 'index'").compactMap { $0["name"]?.string })
        XCTAssertTrue(indexes.isSuperset(of: ["usage_by_user_time", "aggregator_models_available", "model_aliases_alias"]))

        // The catalogue's first entries come from the wire formats (`GatewaySchema`), not from DDL.
        XCTAssertEqual(try connection.query("SELECT count(*) AS n FROM api_providers").first?["n"]?.int, 0)
        XCTAssertEqual(try connection.query("PRAGMA journal_mode").first?["journal_mode"]?.string, "wal")
    }

    func testRerunningIsANoOp() throws {
        let connection = try SQLiteConnection(path: path)
        try SQLiteMigrator().migrate(connection)
        XCTAssertEqual(try SQLiteMigrator().migrate(connection), [])
        XCTAssertEqual(try SQLiteMigrator().migrate(try SQLiteConnection(path: path)), [], "a second process finds it done too")
        XCTAssertEqual(try SQLiteMigrator().appliedVersions(connection), [1, 2, 3, 4, 5, 6, 7, 8])
    }

    func testAFailingMigrationLeavesTheDatabaseAsItWas() throws {
        let connection = try SQLiteConnection(path: path)
        try SQLiteMigrator().migrate(connection)
        let broken = SQLiteMigrator(
            migrations: SQLiteMigrations.all + [
                Migration(
                    version: 99, name: "adds a table, then fails",
                    sql: """
                        CREATE TABLE half_done (id INTEGER);
                        INSERT INTO api_providers (id) VALUES ('violates NOT NULL columns');
                        """)
            ])
        XCTAssertThrowsError(try broken.migrate(connection))
        let tables = try connection.query("SELECT name FROM sqlite_master WHERE name = 'half_done'")
        XCTAssertTrue(tables.isEmpty, "the failed migration's DDL was rolled back")
        XCTAssertEqual(try SQLiteMigrator().appliedVersions(connection), [1, 2, 3, 4, 5, 6, 7, 8])
    }

    /// Which wire formats exist is the registry's business: after migration 5 the catalogue keeps
    /// any `api_standard`, on this connection and on one that had read the schema before it ran,
    /// and the rows that were there stay intact.
    func testAfterMigrationFiveTheCatalogueTakesAnAPIStandardNoMigrationNamed() throws {
        let connection = try SQLiteConnection(path: path)
        try SQLiteMigrator(migrations: SQLiteMigrations.all.filter { $0.version <= 4 }).migrate(connection)
        let insert =
            "INSERT INTO api_providers (id, name, display_name, provider_type, api_standard, base_url) VALUES (?, ?, ?, 'direct', ?, 'https://x.example')"
        try connection.query(insert, [.text("old"), .text("old"), .text("Old"), .text("openai")])
        XCTAssertThrowsError(
            try connection.query(insert, [.text("new"), .text("new"), .text("New"), .text("future-format")]), "version 4 has the CHECK")
        let earlier = try SQLiteConnection(path: path)
        XCTAssertEqual(try earlier.query("SELECT count(*) AS n FROM api_providers").first?["n"]?.int, 1, "this connection has read the old schema")

        XCTAssertEqual(try SQLiteMigrator(migrations: SQLiteMigrations.all.filter { $0.version <= 5 }).migrate(connection), [5])
        try connection.query(insert, [.text("new"), .text("new"), .text("New"), .text("future-format")])
        try earlier.query(insert, [.text("newer"), .text("newer"), .text("Newer"), .text("another-format")])
        let rows = try connection.query("SELECT id, api_standard FROM api_providers ORDER BY id").map {
            [$0["id"]?.string, $0["api_standard"]?.string]
        }
        XCTAssertEqual(rows, [["new", "future-format"], ["newer", "another-format"], ["old", "openai"]])
        XCTAssertEqual(try connection.query("PRAGMA integrity_check").first?["integrity_check"]?.string, "ok")
        XCTAssertEqual(try connection.query("PRAGMA foreign_key_check").count, 0)
    }

    func testConstraintsRejectBadRows() throws {
        let connection = try SQLiteConnection(path: path)
        try SQLiteMigrator().migrate(connection)
        XCTAssertThrowsError(
            try connection.query(
                "INSERT INTO aggregator_usage_logs (id, user_id, status, created_at) VALUES ('x', 'u', 'maybe', 0)"))
        XCTAssertThrowsError(
            try connection.query(
                "INSERT INTO user_api_providers (id, user_id, provider_id, api_key_encrypted, api_key_hash, created_at, updated_at) VALUES ('p', 'u', 'no-such-provider', 'e', 'h', 0, 0)"
            ),
            "foreign keys are enforced")
    }

    func testConcurrentWritersOnSeparateConnectionsLoseNothing() throws {
        try SQLiteMigrator().migrate(try SQLiteConnection(path: path))
        let writers = 8, rowsEach = 100
        let failures = Observed()
        let path = self.path
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            do {
                let connection = try SQLiteConnection(path: path)
                for row in 0..<rowsEach {
                    try connection.transaction {
                        try connection.query(
                            "INSERT INTO aggregator_usage_logs (id, user_id, status, created_at) VALUES (?, ?, 'success', ?)",
                            [.text("\(writer)-\(row)"), .text("user-\(writer % 2)"), .integer(Int64(row))])
                    }
                }
            } catch {
                failures.set("\(error)")
            }
        }
        XCTAssertNil(failures.value)
        let count = try SQLiteConnection(path: path).query("SELECT count(*) AS n FROM aggregator_usage_logs").first?["n"]?.int
        XCTAssertEqual(count, writers * rowsEach)
    }
}

extension SQLiteMigratorTests {
    /// SQLite stores whatever a column is given: a row another program broke is an error when read,
    /// not a provider that silently reads as inactive.
    func testAMistypedColumnIsAnErrorWhenTheStoreReadsIt() throws {
        let url = "sqlite://\(path)"
        let store = try StoreFactory.open(try DatabaseURL(parsing: url))
        try TestCatalogue.prepare(store)
        try SQLiteConnection(path: path).query("UPDATE api_providers SET is_active = 'yes' WHERE id = 'openrouter'")
        XCTAssertThrowsError(try store.catalogueProviders(Fixtures.alice)) { error in
            XCTAssertEqual(error as? SQLRowError, SQLRowError(column: "is_active", problem: "holds text where Bool was expected"))
        }
    }
}
