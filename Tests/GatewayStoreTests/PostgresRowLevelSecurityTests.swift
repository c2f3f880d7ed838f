import Foundation
import GatewayStore
import TestSupport
import XCTest

/// The second line of defence: on PostgreSQL a query that forgot its `WHERE user_id` still
/// sees only the caller's rows, because every user-owned table has a row-level security policy.
final class PostgresRowLevelSecurityTests: XCTestCase {
    private let alice = Fixtures.alice, bob = Fixtures.bob

    func testARawQueryScopedToAliceSeesNoneOfBobsRows() throws {
        let subject = try StoreBackends.required(.postgres)
        let store = subject.store
        for caller in [alice, bob] {
            try store.insertUserProvider(caller, Fixtures.key(caller))
            try store.recordUsage(caller, Fixtures.usage(caller, at: 1_000))
            _ = try store.saveAlias(caller, ModelAlias(id: UUID().uuidString, userID: caller.userID, alias: "a", modelID: "m"))
            try store.saveModel(caller, CatalogueModel(id: UUID().uuidString, providerID: "openrouter", ownerUserID: caller.userID, modelID: "m"))
            _ = try store.saveBudget(caller, UsageBudget(id: UUID().uuidString, userID: caller.userID, requestsPerMinute: 100))
            _ = try store.admitRequest(caller, reservationID: UUID().uuidString, modelRequested: nil, now: 1_000) { _ in true }
            _ = try store.saveModelOverride(
                caller, ModelOverride(id: UUID().uuidString, userID: caller.userID, providerID: "openrouter", modelID: "m"))
            try store.recordAudit(
                caller,
                AuditEntry(
                    id: UUID().uuidString, actorUserID: caller.userID, actorRole: "authenticated",
                    subjectUserID: caller.userID, action: "create", entity: "x", entityID: nil, createdAt: 1))
        }

        let raw = try PostgresConnection(url: subject.url)
        let tables = [
            "user_api_providers": "user_id", "aggregator_usage_logs": "user_id", "model_aliases": "user_id",
            "aggregator_models": "owner_user_id", "audit_log": "subject_user_id", "model_overrides": "user_id",
            "usage_rollup": "user_id", "usage_rollup_hourly": "user_id", "usage_budgets": "user_id", "usage_reservations": "user_id",
        ]
        for (table, column) in tables {
            try raw.execute("BEGIN")
            try raw.query("SELECT set_config('gateway.user_id', $1, true), set_config('gateway.role', 'authenticated', true)", [.text(alice.userID)])
            let owners = Set(try raw.query("SELECT \(column) AS owner FROM \(table)").map { try $0.column("owner", as: String.self) })
            XCTAssertEqual(owners, [alice.userID], "\(table): no WHERE clause, still only alice's rows")
            // Writing bob's rows is refused too: the UPDATE matches nothing, the INSERT fails its check.
            let updated = try raw.query("UPDATE \(table) SET \(column) = \(column) WHERE \(column) = $1 RETURNING \(column)", [.text(bob.userID)])
            XCTAssertEqual(updated.count, 0, table)
            try raw.execute("ROLLBACK")
        }

        try raw.execute("BEGIN")
        XCTAssertThrowsError(
            try raw.query(
                """
                INSERT INTO aggregator_usage_logs (id, user_id, status, created_at) VALUES ('forged', $1, 'success', 1)
                """, [.text(bob.userID)]), "no settings at all: inserting for anyone is refused")
        try raw.execute("ROLLBACK")
        try raw.execute("BEGIN")
        XCTAssertEqual(try raw.query("SELECT id FROM user_api_providers").count, 0, "no caller set: no rows")
        try raw.execute("ROLLBACK")
    }

    func testTheGatewayRoleDoesNotBypassRowLevelSecurity() throws {
        let subject = try StoreBackends.required(.postgres)
        XCTAssertFalse(try PostgresDatabase(url: subject.url).bypassesRowLevelSecurity())
    }

    func testEveryTableButTheMigrationLogHasForcedRowLevelSecurity() throws {
        let subject = try StoreBackends.required(.postgres)
        let raw = try PostgresConnection(url: subject.url)
        let tables = try raw.query(
            """
            SELECT relname AS name, relrowsecurity AND relforcerowsecurity AS forced FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
            """)
        let unprotected = try tables.filter { try !$0.column("forced", as: Bool.self) }.map { try $0.column("name", as: String.self) }
        XCTAssertEqual(unprotected, ["schema_migrations"])
        XCTAssertEqual(tables.count, 14)
    }
}
